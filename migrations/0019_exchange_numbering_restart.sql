-- A province that restored a backup older than its last file sent numbers its next files again from the backup's
-- (exchange.numbering_restarted). When the region's coordinator accepts that restart (exchange.acceptNumberingRestart):
-- - the files the region applied with the numbers now reused stay in its history, marked superseded (the date of the
--   decision); the file numbers are unique among the files not superseded only;
-- - the office's position goes back to the refused file's start, and the region remembers where the office restarted
--   (restart_after_change_seq: the change number the office went back to; restart_lost_to_change_seq: the last change
--   number the region held before) so that a row edited at the office after its restore is not taken for an older
--   version of a row the region received from the lost files (import/apply-roots.ts).
ALTER TABLE exchange_imports ADD COLUMN superseded_at TEXT;
DROP INDEX exchange_imports_office_seq;
CREATE UNIQUE INDEX exchange_imports_office_seq ON exchange_imports(office_id, file_seq) WHERE superseded_at IS NULL;
ALTER TABLE exchange_office_state ADD COLUMN restart_after_change_seq INTEGER;
ALTER TABLE exchange_office_state ADD COLUMN restart_lost_to_change_seq INTEGER;
