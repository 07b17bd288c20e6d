/**
 * The desktop shell: one hardened window over the core. main.ts calls startApp with the real
 * `electron` module; tests/unit/electron-app.test.ts calls it with recording fakes. Nothing here
 * holds domain logic — the window reaches the core only through registerIpc (ipc.ts).
 */
import { join } from 'node:path';
import type * as Electron from 'electron';
import { createCore, type Core } from '../core/core';
import { FileKeyStore } from '../core/db/encryption';
import { SafeStorageKeyStore, type SafeStorageLike } from './keystore';
import { openAfterCleanCloseCheck } from '../core/security/start-check';
import { BackupScheduler } from '../core/security/scheduler';
import type { Logger } from '../core/context';
import { AppError } from '../shared/errors';
import { translateError } from '../shared/i18n/translate-error';
import { parseHostArgs } from './args';
import { registerIpc } from './ipc';
import { printPdfWith } from './print';
import { listFolderRoots } from '../core/files/folder-roots';
import { createHostLogger } from './logger';
import { useSqliteAddonByDefault } from './native';
import { buildMenuTemplate, menuLabels, menuLanguage } from './menu';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './protocol';
import { APP_SCHEME, APP_URL, createMainWindowOptions, guardWebContents, installSecurityHandlers } from './security';
import { createWorkstation, pairingPath, pinnedCertificateVerifyProc, type Workstation } from '../net/workstation';

export const APP_USER_MODEL_ID = 'ma.gov.jisr.desk';

export type HostElectron = Pick<typeof Electron, 'app' | 'BrowserWindow' | 'Menu' | 'ipcMain' | 'dialog' | 'shell' | 'protocol'> & {
  /** Seals the database's key (DPAPI on Windows); absent in stand-ins that do not test it. */
  safeStorage?: SafeStorageLike;
};

export interface StartOptions {
  argv: readonly string[];
  env: Record<string, string | undefined>;
  /** The folder of the bundled main.cjs; preload.cjs sits beside it. */
  mainDir: string;
  /** Injected by tests; the default writes <userData>/logs/main.log. */
  logger?: Logger;
}

export interface RunningApp {
  readonly core: Core | null;
  readonly window: Electron.BrowserWindow | null;
  /** Resolves once the window has been created and its page requested (or start-up failed). */
  readonly ready: Promise<void>;
}

export function startApp(electron: HostElectron, opts: StartOptions): RunningApp {
  const { app, BrowserWindow, Menu, ipcMain, dialog, shell, protocol } = electron;
  const args = parseHostArgs(opts.argv, opts.env, { allowNativeBinding: !app.isPackaged });
  let core: Core | null = null;
  let win: Electron.BrowserWindow | null = null;
  let unregisterIpc: (() => void) | null = null;
  let backups: BackupScheduler | null = null;
  let workstation: Workstation | null = null;

  const state: RunningApp = {
    get core() {
      return core;
    },
    get window() {
      return win;
    },
    ready: Promise.resolve(),
  };

  // A second launch focuses the running window: two processes on one SQLite file is a risk for nothing.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return state;
  }

  // Must happen before 'ready'.
  app.enableSandbox();
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME_PRIVILEGES.scheme, privileges: { ...APP_SCHEME_PRIVILEGES.privileges } }]);
  if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);

  const devTools = !app.isPackaged;
  const userData = app.getPath('userData');
  const logger = opts.logger ?? createHostLogger(join(userData, 'logs', 'main.log'), { stderr: devTools });
  if (args.missingNativeBinding) logger.warn('native binding not found, using the default build', { path: args.missingNativeBinding });

  // Every WebContents the app ever creates (window, devtools, anything) is guarded, not only ours.
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, logger));

  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    if (!core) return;
    // The exit backup (when configured), then close the database (WAL checkpoint, outbox removed),
    // before the process ends.
    event.preventDefault();
    const closing = core;
    const scheduler = backups;
    core = null;
    backups = null;
    unregisterIpc?.();
    unregisterIpc = null;
    workstation?.close();
    workstation = null;
    (async () => {
      await scheduler?.atExit();
      await closing.close();
    })()
      .catch((e) => logger.error('closing the core failed', { error: String((e as Error)?.stack ?? e) }))
      .finally(() => app.quit());
  });

  const start = async () => {
    await app.whenReady();
    // The OS language is known only once the app is ready.
    const lang = menuLanguage(app.getLocale());
    const labels = menuLabels(lang);
    // Same default as the CLI and the web bridge (core/paths.ts): JISR_DATA_DIR, else the user-data folder.
    const dbPath = args.dbPath ?? join(args.dataDir ?? userData, 'jisr.db');
    let clean = true;
    try {
      if (args.nativeBinding) useSqliteAddonByDefault(args.nativeBinding, app.getAppPath());
      // The database's key, sealed by the operating system (see keystore.ts).
      const keyStore = electron.safeStorage ? new SafeStorageKeyStore(electron.safeStorage) : new FileKeyStore();
      // The integrity check is not in the way of the first answer (issue 19): skipped after a clean close, otherwise
      // run in the background once the window is there (below). A file that cannot even be opened is checked at
      // once and, if damaged, not opened: the message names the last good backup.
      const opened = openAfterCleanCloseCheck(
        dbPath,
        () => createCore({ dbPath, keyStore, migrationsDir: join(app.getAppPath(), 'migrations'), nativeBinding: args.nativeBinding, logger }),
        { keyStore },
      );
      core = opened.core;
      clean = opened.clean;
    } catch (e) {
      const head = translateError({ code: 'desktop.startup_failed', params: { dbPath } }, lang);
      const detail = e instanceof AppError ? translateError(e.toPayload(), lang) : String((e as Error)?.message ?? e);
      logger.error('start-up failed', { dbPath, error: String((e as Error)?.stack ?? e) });
      dialog.showErrorBox(labels.appName, `${head}\n\n${detail}`);
      app.exit(1);
      return;
    }
    logger.info('core started', { dbPath, schemaVersion: core.migration.schemaVersion });
    // Automatic backups (when a folder and a passphrase are configured): now, daily, and at exit.
    const scheduler = new BackupScheduler(core, { logger });
    backups = scheduler;
    void scheduler.atStart().then(() => {
      if (backups === scheduler) scheduler.startDaily();
    });

    protocol.handle(APP_SCHEME, createAppProtocolHandler(join(app.getAppPath(), 'dist', 'renderer')));

    const openCore = core;
    // A workstation paired with the office's main PC (issue 17) forwards the window's calls to it (net/workstation.ts).
    const station = createWorkstation({
      pairingFile: pairingPath(dbPath),
      firstRun: async () => {
        const st = await openCore.call('system.status', {});
        return st.ok && !st.value.setupDone;
      },
      logger,
    });
    workstation = station;
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        buildMenuTemplate(
          lang,
          {
            openDataFolder: () => {
              void shell.openPath(userData);
            },
            about: () => {
              const detail = [
                `${labels.version}: ${app.getVersion()}`,
                `${labels.schema}: ${openCore.migration.schemaVersion}`,
                `${labels.database}: ${openCore.dbPath}`,
              ].join('\n');
              const options = { type: 'info' as const, title: labels.about, message: labels.appName, detail, buttons: [labels.ok] };
              void (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options));
            },
          },
          { devTools },
        ),
      ),
    );

    unregisterIpc = registerIpc<Electron.BrowserWindow>(ipcMain, {
      core,
      documentsDir: app.getPath('documents'),
      logger,
      getWindow: () => win,
      workstation: station,
      shell: { openPath: (p) => shell.openPath(p) },
      folderRoots: () => listFolderRoots(),
      printPdf: (p) => printPdfWith(BrowserWindow, p),
      dialog: {
        showSaveDialog: (w, o) => (w ? dialog.showSaveDialog(w, o) : dialog.showSaveDialog(o)),
        showOpenDialog: (w, o) => (w ? dialog.showOpenDialog(w, o) : dialog.showOpenDialog(o)),
      },
    });

    win = new BrowserWindow(createMainWindowOptions(join(opts.mainDir, 'preload.cjs'), { devTools }));
    installSecurityHandlers(win.webContents.session, win.webContents, { devTools, log: logger });
    // Only the pinned main PC's certificate is ever accepted by the window's session.
    win.webContents.session.setCertificateVerifyProc?.(pinnedCertificateVerifyProc(() => station.status().fingerprint));
    const shown = win;
    shown.once('ready-to-show', () => shown.show());
    shown.on('closed', () => {
      if (win === shown) win = null;
    });
    shown.webContents.on('render-process-gone', (_e, details) => logger.error('renderer gone', { reason: details.reason }));
    await shown.loadURL(APP_URL);
    // After an unclean close: PRAGMA quick_check in a worker thread while the window answers. Damage found refuses
    // every write (the core) and is shown now, in the user's language, with the last good backup to put back.
    void openCore
      .checkInBackground({
        clean,
        onDamaged: (e) => {
          logger.error('database damaged (start-up check)', { dbPath, problems: e.params.problems });
          const options = { type: 'error' as const, title: labels.appName, message: translateError(e.toPayload(), lang), buttons: [labels.ok] };
          void (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options));
        },
      })
      .then((r) => logger.info('start-up check', { dbPath, clean, ok: r.ok }));
  };

  (state as { ready: Promise<void> }).ready = start().catch((e) => {
    logger.error('window start failed', { error: String((e as Error)?.stack ?? e) });
  });
  return state;
}
