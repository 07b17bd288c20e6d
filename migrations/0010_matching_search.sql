-- Issue 13: one matching engine for search, registration, import and the region.
--
-- name_words: the cross-script key of every word of the names (shared/normalize nameWords), each between '#':
-- "#ftm# #zhr# #t# #l#" for فاطمة الزهراء أيت علي as for Fatima Zahra Ait Ali. It joins the search text of the
-- FTS5 trigram index, so an Arabic query finds a file written in Latin letters only (and the other way round) and
-- "fatma" finds Fatima: a trigram phrase "#ftm" matches the keys that start with ftm, "#l#" the key l exactly.
-- Computed in TypeScript by every writer (form, Excel import, seeder; the exchange carries the column); files
-- written before this migration get theirs at the next start (core/applicants/matching-keys.ts, which also
-- recomputes name_skel when the engine's keys change: matching_keys holds the version they were made with).
ALTER TABLE applicants ADD COLUMN name_words TEXT NOT NULL DEFAULT '';

CREATE TABLE matching_keys (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  version TEXT NOT NULL
) STRICT;

-- The search text is now: ' ' || name_key_ar || ' ' || name_key_lat || ' ' || name_words
-- (the same expression in core/applicants/matching-keys.ts SEARCH_TEXT_SQL, used by the bulk writers).
DROP TRIGGER applicants_search_ai;
CREATE TRIGGER applicants_search_ai AFTER INSERT ON applicants BEGIN
  DELETE FROM applicants_fts WHERE rowid = (SELECT rowid FROM applicant_search WHERE applicant_id = new.id);
  DELETE FROM applicant_search WHERE applicant_id = new.id;
  INSERT INTO applicant_search (applicant_id) VALUES (new.id);
  INSERT INTO applicants_fts (rowid, names)
    VALUES ((SELECT rowid FROM applicant_search WHERE applicant_id = new.id), ' ' || new.name_key_ar || ' ' || new.name_key_lat || ' ' || new.name_words);
END;
DROP TRIGGER applicants_search_au;
CREATE TRIGGER applicants_search_au AFTER UPDATE OF name_key_ar, name_key_lat, name_words ON applicants BEGIN
  DELETE FROM applicants_fts WHERE rowid = (SELECT rowid FROM applicant_search WHERE applicant_id = old.id);
  INSERT INTO applicants_fts (rowid, names)
    VALUES ((SELECT rowid FROM applicant_search WHERE applicant_id = new.id), ' ' || new.name_key_ar || ' ' || new.name_key_lat || ' ' || new.name_words);
END;

-- A file found from the end of its number (000003, or 3, for ERR-2026-000003): the last six characters, indexed.
CREATE INDEX applicants_file_tail ON applicants(substr(file_no, -6));
