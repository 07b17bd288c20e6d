-- Reports and import of the offices' existing Excel lists.
--
-- import_batches: one row per import of a legacy file (xlsx/csv) that created applicants: who, when, which
-- file (sha256 of its bytes) and what came of it. import_rows: the sha256 of every imported row's normalised
-- content, so importing the same file (or the same rows in another file) again creates nothing new, even for
-- rows without a CIN. Local bookkeeping: not synchronised (the applicants themselves are).
CREATE TABLE import_batches (
  id            TEXT PRIMARY KEY,                 -- UUIDv7
  office_id     TEXT NOT NULL REFERENCES offices(id),
  file_name     TEXT NOT NULL,
  file_hash     TEXT NOT NULL,                    -- sha256 hex of the file bytes
  rows_total    INTEGER NOT NULL,
  rows_created  INTEGER NOT NULL,
  rows_duplicate INTEGER NOT NULL,
  rows_invalid  INTEGER NOT NULL,
  mapping_json  TEXT NOT NULL,                    -- the column mapping used
  imported_at   TEXT NOT NULL,
  imported_by   TEXT NOT NULL                     -- actor name
) STRICT;
CREATE INDEX import_batches_hash ON import_batches(file_hash);

CREATE TABLE import_rows (
  row_hash     TEXT PRIMARY KEY,                  -- sha256 hex of the row's normalised fields
  batch_id     TEXT NOT NULL REFERENCES import_batches(id),
  row_no       INTEGER NOT NULL,                  -- 1-based row number in the source sheet
  applicant_id TEXT NOT NULL REFERENCES applicants(id)
) STRICT, WITHOUT ROWID;
CREATE INDEX import_rows_batch ON import_rows(batch_id);

-- Staff list of files whose consent is to be confirmed at the next contact.
CREATE INDEX applicants_consent ON applicants(consent_status) WHERE consent_status <> 'given';

-- Reports: covering indexes so that the indicators (core/reports/indicators.ts) read the indexes, not the rows.
-- Every breakdown of the files (period, stock, path, commune, age, education, categories) is one pass over this index.
CREATE INDEX applicants_report ON applicants(office_id, created_at, sex, status, status_changed_at, commune_code, birth_date,
  education_level, is_project_holder, is_difficult_situation, has_disability, project_legal_form, financing_source, id);
-- Sessions held and attendance rate by topic and organisation without reading the rows.
CREATE INDEX training_sessions_report ON training_sessions(office_id, date, cancelled_at, topic_code, organisation_id, duration_min, id);
CREATE INDEX attendance_session_status ON attendance(session_id, status);
-- Projects financed in a period.
CREATE INDEX status_history_to ON status_history(to_status, at, applicant_id, financing_source);
