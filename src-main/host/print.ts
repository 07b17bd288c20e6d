import { pathToFileURL } from 'node:url';
import type * as Electron from 'electron';

/**
 * Prints a PDF the core produced with the system's print dialog (issue 15: a print button beside every PDF).
 * A hidden window of its own (its own session, no preload, no Node, sandboxed; Chromium's PDF viewer needs
 * `plugins`) loads the file from the outbox, then `webContents.print` opens the print dialog; the window is
 * destroyed when the dialog closes. Resolves to '' (printed or cancelled by the person) or the failure's reason.
 */
export function printPdfWith(BrowserWindow: typeof Electron.BrowserWindow, path: string): Promise<string> {
  return new Promise((resolve) => {
    const w = new BrowserWindow({
      show: false,
      webPreferences: { partition: 'jisr-print', sandbox: true, contextIsolation: true, nodeIntegration: false, plugins: true, devTools: false },
    });
    const done = (reason: string) => {
      if (!w.isDestroyed()) w.destroy();
      resolve(reason);
    };
    w.webContents.once('did-finish-load', () => {
      w.webContents.print({ silent: false, printBackground: true }, (ok, reason) => done(ok || reason === 'cancelled' ? '' : reason || 'print'));
    });
    w.loadURL(pathToFileURL(path).href).catch((e: unknown) => done(String((e as Error)?.message ?? e)));
  });
}
