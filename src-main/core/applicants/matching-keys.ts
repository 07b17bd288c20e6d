/**
 * The registry's stored matching keys (name_skel for duplicate blocking, name_words for search across scripts)
 * kept in step with the engine (shared/normalize, shared/matching).
 *
 * They are computed in TypeScript by every writer. When the engine's keys change (a new rule), or for files written
 * before migration 0010, `refreshMatchingKeys` recomputes them once at start, in one transaction (≈ 100,000 files
 * in seconds), and records the version in matching_keys. The search index follows through its update trigger.
 */
import type { Sqlite } from '../db/connection';
import { applicantNameKeys } from '../../shared/normalize/names';

/** Bump when a change to shared/normalize changes name_skel or name_words. */
export const MATCHING_KEYS_VERSION = '2026-12-issue13-2';

/** The text the FTS5 index holds for a file (the same expression as the triggers of migration 0010). */
export const SEARCH_TEXT_SQL = (a: string) => `' ' || ${a}.name_key_ar || ' ' || ${a}.name_key_lat || ' ' || ${a}.name_words`;

export function refreshMatchingKeys(sqlite: Sqlite): number {
  const has = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'matching_keys'").get();
  if (!has) return 0;
  const current = sqlite.prepare('SELECT version FROM matching_keys WHERE id = 1').pluck().get() as string | undefined;
  if (current === MATCHING_KEYS_VERSION) return 0;
  let changed = 0;
  sqlite.transaction(() => {
    const rows = sqlite
      .prepare('SELECT id, first_name_ar, last_name_ar, first_name_lat, last_name_lat, name_skel, name_words FROM applicants WHERE anonymised_at IS NULL')
      .raw(true)
      .all() as [string, string, string, string, string, string, string][];
    const upd = sqlite.prepare('UPDATE applicants SET name_skel = ?, name_words = ? WHERE id = ?');
    for (const [id, fa, la, fl, ll, skel, words] of rows) {
      const p = { firstNameAr: fa, lastNameAr: la, firstNameLat: fl, lastNameLat: ll };
      const { nameSkel: s, nameWords: w } = applicantNameKeys(p);
      if (s !== skel || w !== words) {
        upd.run(s, w, id);
        changed++;
      }
    }
    sqlite.prepare('INSERT INTO matching_keys (id, version) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version').run(MATCHING_KEYS_VERSION);
  })();
  return changed;
}
