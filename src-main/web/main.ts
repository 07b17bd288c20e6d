// `npm run web [-- --db PATH --port N]`: the loopback web bridge.
import { join } from 'node:path';
import { createCore } from '../core/core';
import { clockFromEnv } from '../core/clock';
import { defaultDbPath, projectRoot } from '../core/paths';
import { stderrLogger } from '../core/context';
import { AppError } from '../shared/errors';
import { startWebBridge } from './server';
import { openAfterCleanCloseCheck } from '../core/security/start-check';
import { BackupScheduler } from '../core/security/scheduler';
import { runOfficeNetwork } from '../net/office-server';
import { createWorkstation, pairingPath } from '../net/workstation';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1];
  const eq = process.argv.find((a) => a.startsWith(`--${name}=`));
  return eq?.slice(name.length + 3);
}

async function main() {
  const dbPath = arg('db') ?? defaultDbPath();
  const port = Number(arg('port') ?? 0);
  // The integrity check is not in the way of the first answer (issue 19): skipped after a clean close, otherwise run in
  // a worker thread once the bridge listens (below); a file that cannot even be opened is checked at once.
  const { core, clean } = openAfterCleanCloseCheck(dbPath, () => createCore({ dbPath, logger: stderrLogger, clock: clockFromEnv() }));
  // A workstation paired with the office's main PC (issue 17) forwards everything to it; chosen at first run.
  const infoLogger = { ...stderrLogger, info: (m: string, d?: object) => process.stderr.write(JSON.stringify({ level: 'info', msg: m, ...d }) + '\n') };
  const workstation = createWorkstation({
    pairingFile: pairingPath(dbPath),
    firstRun: async () => {
      const st = await core.call('system.status', {});
      return st.ok && !st.value.setupDone;
    },
    logger: infoLogger,
  });
  const bridge = await startWebBridge({ core, staticDir: join(projectRoot(), 'dist', 'renderer'), port, logger: stderrLogger, workstation });
  process.stdout.write(`Listening on ${bridge.url}\n`);
  // Damage found: every write is refused with backup.database_damaged (the last good backup named); said here too.
  void core
    .checkInBackground({ clean, onDamaged: (e) => process.stderr.write(JSON.stringify({ level: 'error', msg: 'database damaged (start-up check)', error: e.toPayload() }) + '\n') })
    .then((r) => process.stderr.write(JSON.stringify({ level: 'info', msg: 'start-up check', clean, ok: r.ok }) + '\n'));
  const paired = workstation.status();
  if (paired.mode === 'client') process.stderr.write(JSON.stringify({ level: 'info', msg: 'workstation of the main PC', address: paired.address }) + '\n');
  // The office network (issue 17): off by default; when the administrator turns it on, the HTTPS listener follows.
  const office = runOfficeNetwork({ core, staticDir: join(projectRoot(), 'dist', 'renderer'), logger: infoLogger });
  // Automatic backups (when a folder and passphrase are configured): now, daily, and at exit.
  const backups = new BackupScheduler(core, { logger: stderrLogger });
  void backups.atStart().then(() => backups.startDaily());
  const stop = async () => {
    await bridge.close();
    workstation.close();
    await office.close();
    await backups.atExit();
    await core.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  const payload = e instanceof AppError ? e.toPayload() : { code: 'internal.unexpected', params: { detail: String(e?.message ?? e) } };
  process.stderr.write(JSON.stringify({ ok: false, error: payload }) + '\n');
  process.exit(1);
});
