import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const APP_DIR_NAME = 'Jisr Desk';

/** The user's app-data folder, as Electron's app.getPath('userData') names it. */
export function defaultDataDir(): string {
  if (process.env.JISR_DATA_DIR) return process.env.JISR_DATA_DIR;
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_DIR_NAME);
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_DIR_NAME);
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_DIR_NAME);
}

export function defaultDbPath(): string {
  return join(defaultDataDir(), 'jisr.db');
}

function here(): string {
  // ESM (tsx, vitest) has import.meta.url; the bundled Electron main (CJS) has __dirname.
  if (typeof __dirname !== 'undefined') return __dirname;
  return dirname(fileURLToPath(import.meta.url));
}

/** The folder that holds migrations/ and templates/ (the project, or the packaged app). */
export function projectRoot(): string {
  let dir = here();
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'migrations', '0001_foundation.sql'))) return dir;
    dir = resolve(dir, '..');
  }
  throw new Error('cannot find the migrations folder');
}
