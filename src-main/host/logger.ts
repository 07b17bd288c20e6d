/** The main process's log: JSON lines in <userData>/logs/main.log (and stderr), for support. */
import { appendFileSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../core/context';
import { ensurePrivateDir, makePrivate, PRIVATE_FILE_MODE } from '../core/files/private-files';

const MAX_BYTES = 2 * 1024 * 1024;

export function createHostLogger(file: string, opts: { stderr?: boolean; now?: () => Date } = {}): Logger {
  const now = opts.now ?? (() => new Date());
  let ready = false;
  const write = (level: string, msg: string, data?: Record<string, unknown>) => {
    const line = JSON.stringify({ at: now().toISOString(), level, msg, ...data }) + '\n';
    if (opts.stderr) process.stderr.write(line);
    try {
      if (!ready) {
        ensurePrivateDir(dirname(file)); // the log names users and methods: the user's only (issue 16)
        // One previous file is kept; the log never grows without bound.
        try {
          if (statSync(file).size > MAX_BYTES) renameSync(file, file + '.1');
        } catch {
          /* no log yet */
        }
        makePrivate(file);
        ready = true;
      }
      appendFileSync(file, line, { mode: PRIVATE_FILE_MODE });
    } catch {
      /* logging must never break the app */
    }
  };
  return {
    info: (msg, data) => write('info', msg, data),
    warn: (msg, data) => write('warn', msg, data),
    error: (msg, data) => write('error', msg, data),
  };
}
