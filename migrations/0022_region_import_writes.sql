-- The region applies each province's monthly file (issue 19: ≤ 2 s). Measured at the full-size region (500,000 files),
-- a month of one province (2,291 new files, 2,500 updated, 22,178 attendance rows) took 14.5 s of CPU. Two of its costs
-- are here:
--
-- 1. The same-person check of each new file reads the other provinces' files born on her dates (about 140 rows at
--    the region). Through the index on birth_date alone, each was a lookup in the table (6 GB at the region); with
--    the columns the check compares in the index, they are read from the index in order: 1.72 s → 0.20 s of CPU for
--    2,000 lookups. The index keeps its name and still starts with the birth date, so every other use of it is the
--    same (the registry's duplicate check, the reports' age bands).
DROP INDEX applicants_birth;
CREATE INDEX applicants_birth ON applicants(birth_date, anonymised_at, office_id, sex, first_name_ar, last_name_ar,
  first_name_lat, last_name_lat, cin, id);

-- 2. The search index was rewritten at every update naming the name keys, changed or not: the exchange updates every
--    column of a row, so each status move or new phone number of a month's file deleted and re-inserted her names in
--    the trigram index (0.6 ms of the 0.9 ms an update cost at the region). Now only when a name key changed.
DROP TRIGGER applicants_search_au;
CREATE TRIGGER applicants_search_au AFTER UPDATE OF name_key_ar, name_key_lat, name_words ON applicants
WHEN OLD.name_key_ar IS NOT NEW.name_key_ar OR OLD.name_key_lat IS NOT NEW.name_key_lat OR OLD.name_words IS NOT NEW.name_words
BEGIN
  DELETE FROM applicants_fts WHERE rowid = (SELECT rowid FROM applicant_search WHERE applicant_id = old.id);
  INSERT INTO applicants_fts (rowid, names)
    VALUES ((SELECT rowid FROM applicant_search WHERE applicant_id = new.id), ' ' || new.name_key_ar || ' ' || new.name_key_lat || ' ' || new.name_words);
END;
