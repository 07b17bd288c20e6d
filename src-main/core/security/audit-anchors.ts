import type { Sqlite } from '../db/connection';
import type { ReadableDB } from '../db/handles';
import { auditHashAt } from '../audit/audit.repo';
import { listBackupFiles, readHeaderFromPath } from './backup';

export interface AnchorCheck {
  folder: string | null;
  checked: number;
  /** Backups whose recorded audit head is not in today's chain: rows were rewritten or removed since. */
  mismatches: { file: string; at: string; id: number; expected: string; found: string | null }[];
  /** Files whose header could not be read (not a backup, damaged). */
  unreadable: string[];
}

/**
 * Compares the audit heads recorded in backup headers (copies kept outside the database, e.g. on a USB
 * stick) with the chain in the database. The chain alone detects edits by someone who does not
 * recompute hashes; someone who rewrites every hash and the head in the database is caught here, as long
 * as one backup taken before the rewrite survives. Headers are read without the passphrase (they are
 * authenticated only on decryption), so a mismatch is evidence to investigate, not a verdict.
 */
export function checkAuditAnchors(sqlite: ReadableDB | Sqlite, folder: string | null, officeCode: string | null): AnchorCheck {
  const out: AnchorCheck = { folder, checked: 0, mismatches: [], unreadable: [] };
  if (!folder) return out;
  for (const f of listBackupFiles(folder, officeCode)) {
    let head: { id: number; hash: string } | null | undefined;
    try {
      head = readHeaderFromPath(f.path).auditHead;
    } catch {
      out.unreadable.push(f.name);
      continue;
    }
    if (!head) continue;
    out.checked++;
    const found = auditHashAt(sqlite as ReadableDB, head.id);
    if (found !== head.hash) out.mismatches.push({ file: f.name, at: f.at, id: head.id, expected: head.hash, found });
  }
  return out;
}
