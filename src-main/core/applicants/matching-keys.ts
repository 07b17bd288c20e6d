/**
 * The registry's stored matching keys (name_skel for duplicate blocking, name_words for search across scripts)
 * kept in step with the engine (shared/normalize, shared/matching).
 *
 * They are computed in TypeScript by every writer. When the engine's keys change (a new rule), or for files written
 * before migration 0010, `refreshMatchingKeys` recomputes them once at start, in one transaction (≈ 100,000 files
 * in seconds), and records the version in matching_keys. The search index follows through its update trigger.
 */
import type { Sqlite } from '../db/connection';
import { writable } from '../db/handles';
import { applicantNameKeys } from '../../shared/normalize/names';
import { liveFileKeys, matchingKeysVersion, setMatchingKeys, setMatchingKeysVersion } from './applicants.repo';

/** Bump when a change to shared/normalize changes name_skel or name_words. */
export const MATCHING_KEYS_VERSION = '2026-12-issue13-2';

/** The text the FTS5 index holds for a file (the same expression as the triggers of migration 0010). */
export const SEARCH_TEXT_SQL = (a: string) => `' ' || ${a}.name_key_ar || ' ' || ${a}.name_key_lat || ' ' || ${a}.name_words`;

/** Run at start, outside any call: it opens its own transaction on the connection (as the migrations do). */
export function refreshMatchingKeys(sqlite: Sqlite): number {
  const db = writable(sqlite);
  const { table, version } = matchingKeysVersion(db);
  if (!table || version === MATCHING_KEYS_VERSION) return 0;
  let changed = 0;
  sqlite.transaction(() => {
    for (const r of liveFileKeys(db)) {
      const p = { firstNameAr: r.first_name_ar, lastNameAr: r.last_name_ar, firstNameLat: r.first_name_lat, lastNameLat: r.last_name_lat };
      const { nameSkel: s, nameWords: w } = applicantNameKeys(p);
      if (s !== r.name_skel || w !== r.name_words) {
        setMatchingKeys(db, r.id, s, w);
        changed++;
      }
    }
    setMatchingKeysVersion(db, MATCHING_KEYS_VERSION);
  })();
  return changed;
}
