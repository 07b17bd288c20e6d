import { readdirSync, realpathSync, statSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { AppError } from '../../shared/errors';

/*
 * The places a person may choose a folder in without typing a path (issue 15): the removable drives first
 * (a USB stick, an external disk), then the other drives (Windows), then her home folder. The window offers
 * the first one in its Save dialog; the web bridge's folder browser lists only folders under these roots and
 * the caller names a folder by the root's id and plain folder names, never by a path (docs/security-paths-audit.md).
 */

export type FolderRootKind = 'removable' | 'drive' | 'home';

export interface FolderRoot {
  /** Stable while the drive is plugged in: the kind and the drive's name ("removable:KINGSTON", "home"). */
  id: string;
  kind: FolderRootKind;
  /** The drive's own name (its label or letter); '' for the home folder (the screen names it in words). */
  name: string;
  path: string;
}

export interface FolderRootsEnv {
  platform: NodeJS.Platform;
  home: string;
  user: string;
  /** Windows: the system drive ("C:"), not offered as a drive of its own (the home folder is on it). */
  systemDrive?: string;
}

const defaultEnv = (): FolderRootsEnv => {
  let user = '';
  try {
    user = userInfo().username;
  } catch {
    user = process.env.USER ?? process.env.USERNAME ?? '';
  }
  return { platform: process.platform, home: homedir(), user, systemDrive: process.env.SystemDrive };
};

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function subfolders(p: string): string[] {
  try {
    return readdirSync(p, { withFileTypes: true })
      .filter((d) => (d.isDirectory() || d.isSymbolicLink()) && !d.name.startsWith('.') && isDir(join(p, d.name)))
      .map((d) => d.name)
      .sort((a, b) => a.localeCompare(b));
  } catch {
    return [];
  }
}

/** The roots of this machine, removable drives first. */
export function listFolderRoots(env: FolderRootsEnv = defaultEnv()): FolderRoot[] {
  const roots: FolderRoot[] = [];
  const add = (kind: FolderRootKind, name: string, path: string) => {
    if (!roots.some((r) => r.path === path)) roots.push({ id: kind === 'home' ? 'home' : `${kind}:${name}`, kind, name, path });
  };
  if (env.platform === 'linux') {
    for (const base of [`/media/${env.user}`, `/run/media/${env.user}`]) for (const n of subfolders(base)) add('removable', n, join(base, n));
  } else if (env.platform === 'darwin') {
    for (const n of subfolders('/Volumes')) {
      let real = '';
      try {
        real = realpathSync(join('/Volumes', n));
      } catch {
        continue;
      }
      if (real !== '/') add('removable', n, join('/Volumes', n)); // the system disk appears there as a link to /
    }
  } else if (env.platform === 'win32') {
    const system = (env.systemDrive ?? 'C:').toUpperCase();
    for (const l of 'DEFGHIJKLMNOPQRSTUVWXYZ') {
      if (`${l}:` === system) continue;
      if (isDir(`${l}:\\`)) add('drive', `${l}:`, `${l}:\\`);
    }
  }
  if (env.home && isDir(env.home)) add('home', '', env.home);
  return roots;
}

/** A folder name as the browser gives it back: one plain name, never a path or a way up. */
export const FOLDER_NAME_RE = /^(?!\.{1,2}$)[^/\\\0:*?"<>|]{1,255}$/;

/**
 * The folder a caller named by a root's id and folder names, resolved and checked to stay inside the root
 * (links followed: a link that leads out of the root is refused as not found).
 */
export function resolveUnderRoot(roots: FolderRoot[], rootId: string, rel: string[]): { root: FolderRoot; path: string } {
  const root = roots.find((r) => r.id === rootId);
  if (!root) throw new AppError('backup.browse_not_found');
  if (rel.some((n) => !FOLDER_NAME_RE.test(n))) throw new AppError('backup.browse_not_found');
  const path = join(root.path, ...rel);
  let real: string;
  let rootReal: string;
  try {
    real = realpathSync(path);
    rootReal = realpathSync(root.path);
  } catch {
    throw new AppError('backup.browse_not_found');
  }
  const inside = real === rootReal || real.startsWith(rootReal.endsWith(sep) ? rootReal : rootReal + sep);
  if (!inside || !isDir(real)) throw new AppError('backup.browse_not_found');
  return { root, path: resolve(path) };
}

/** The folders directly under a folder (hidden ones left out), by name. */
export function listSubfolders(path: string): string[] {
  return subfolders(path);
}

