-- Exchange: province-to-region files (signed with the office's Ed25519 key, encrypted to the region's X25519 key),
-- the history of files sent, the region's record of files received, files held back by a gap, the review list
-- of cross-province duplicates and conflicts, and receipts. None of these tables is synchronised itself.

-- This installation's X25519 key pair for receiving exchange files (the region makes it on first use).
CREATE TABLE exchange_own_keys (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  x25519_private  TEXT NOT NULL,              -- PKCS#8 PEM
  x25519_public   TEXT NOT NULL,              -- SPKI PEM
  fingerprint     TEXT NOT NULL,
  created_at      TEXT NOT NULL
) STRICT;

-- Province side: the region's public encryption key(s) loaded with `keys region`. The newest active one is used.
CREATE TABLE exchange_region_keys (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  office_slug     TEXT NOT NULL,
  office_code     TEXT NOT NULL,
  x25519_public   TEXT NOT NULL,              -- SPKI PEM
  ed25519_public  TEXT,                       -- the region's signing key (verifies its receipts)
  fingerprint     TEXT NOT NULL UNIQUE,
  active          INTEGER NOT NULL DEFAULT 1,
  loaded_at       TEXT NOT NULL,
  loaded_by       TEXT NOT NULL
) STRICT;

-- Province side: every file made ("Send to region"). file_seq numbers the files 1, 2, 3 …; a file made again
-- (re-export of the same range) gets a row of its own with remade_of set and the same file_seq.
CREATE TABLE exchange_exports (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  file_seq        INTEGER NOT NULL,
  prev_file_seq   INTEGER NOT NULL,           -- 0 for the first file
  kind            TEXT NOT NULL CHECK (kind IN ('delta', 'full')),
  from_change_seq INTEGER NOT NULL,           -- exclusive
  to_change_seq   INTEGER NOT NULL,           -- inclusive
  counts          TEXT NOT NULL,              -- JSON {table: rows}
  file_name       TEXT NOT NULL,
  sha256          TEXT NOT NULL,              -- of the whole file as written
  payload_sha256  TEXT NOT NULL,              -- of the signed content (same for a remade file)
  size            INTEGER NOT NULL,
  recipient_fingerprint TEXT NOT NULL,
  remade_of       INTEGER REFERENCES exchange_exports(id),
  created_at      TEXT NOT NULL,              -- the manifest's created_at (kept when remade)
  made_at         TEXT NOT NULL,
  made_by         TEXT NOT NULL,
  content         BLOB NOT NULL               -- the signed, compressed content before encryption (to make the file again)
) STRICT;
CREATE INDEX exchange_exports_seq ON exchange_exports(file_seq);

-- Region side: per office, where its sequence of files stands.
CREATE TABLE exchange_office_state (
  office_id        TEXT PRIMARY KEY REFERENCES offices(id),
  last_file_seq    INTEGER NOT NULL DEFAULT 0,
  last_change_seq  INTEGER NOT NULL DEFAULT 0,
  last_file_created_at TEXT,
  last_imported_at TEXT,
  rows_applied     INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Region side: every file applied (or gap accepted). The sha256 of the signed content recognises a replayed file.
CREATE TABLE exchange_imports (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  office_id       TEXT NOT NULL REFERENCES offices(id),
  file_seq        INTEGER NOT NULL,
  prev_file_seq   INTEGER NOT NULL,
  kind            TEXT NOT NULL CHECK (kind IN ('delta', 'full', 'gap_accepted')),
  from_change_seq INTEGER NOT NULL,
  to_change_seq   INTEGER NOT NULL,
  payload_sha256  TEXT NOT NULL,
  file_name       TEXT NOT NULL,
  summary         TEXT NOT NULL,              -- JSON: counts per table of new / updated / unchanged / conflicts …
  file_created_at TEXT NOT NULL,
  imported_at     TEXT NOT NULL,
  imported_by     TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX exchange_imports_office_seq ON exchange_imports(office_id, file_seq);
CREATE INDEX exchange_imports_payload ON exchange_imports(payload_sha256);

-- Region side: files received ahead of a missing one, kept (still encrypted) until the gap is filled or accepted.
CREATE TABLE exchange_held_files (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  office_id       TEXT NOT NULL REFERENCES offices(id),
  file_seq        INTEGER NOT NULL,
  prev_file_seq   INTEGER NOT NULL,
  file_name       TEXT NOT NULL,
  payload_sha256  TEXT NOT NULL,
  data            BLOB NOT NULL,
  received_at     TEXT NOT NULL,
  UNIQUE (office_id, file_seq)
) STRICT;

-- Region side: the review list. kind same_cin / same_person: the same woman in two provinces;
-- conflict: a record another office already owns at the region (never overwritten).
CREATE TABLE exchange_reviews (
  id              TEXT PRIMARY KEY,
  kind            TEXT NOT NULL CHECK (kind IN ('same_cin', 'same_person', 'conflict')),
  entity          TEXT NOT NULL,
  entity_id       TEXT NOT NULL,              -- the incoming record
  office_id       TEXT NOT NULL,              -- its office
  other_id        TEXT,                       -- the record already held
  other_office_id TEXT,
  detail          TEXT NOT NULL DEFAULT '{}', -- JSON (cin, names, birth date …)
  status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'same', 'distinct', 'dismissed')),
  note            TEXT NOT NULL DEFAULT '',
  import_id       INTEGER REFERENCES exchange_imports(id),
  created_at      TEXT NOT NULL,
  resolved_at     TEXT,
  resolved_by     TEXT,
  UNIQUE (kind, entity, entity_id, other_id)
) STRICT;
CREATE INDEX exchange_reviews_status ON exchange_reviews(status, created_at);

-- Region side: a CIN that another province's record already holds (applicants.cin is unique), kept aside so
-- that the incoming record is stored whole except for that one column; listed in the review list.
CREATE TABLE exchange_cin_aside (
  applicant_id    TEXT PRIMARY KEY,
  cin             TEXT NOT NULL,
  other_id        TEXT NOT NULL
) STRICT;

-- Province side: receipts from the region (what the region holds of this office's data).
CREATE TABLE exchange_receipts (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  region_fingerprint TEXT NOT NULL,
  last_file_seq   INTEGER NOT NULL,
  last_change_seq INTEGER NOT NULL,
  counts          TEXT NOT NULL,              -- JSON {table: rows held at the region}
  issued_at       TEXT NOT NULL,
  loaded_at       TEXT NOT NULL,
  UNIQUE (region_fingerprint, issued_at)
) STRICT;

-- Provincial records are read-only at the region: only the importer (which marks itself in exchange_applying for
-- the length of its transaction) may change or delete a row owned by another office than this installation's.
CREATE TABLE exchange_applying (
  id INTEGER PRIMARY KEY CHECK (id = 1)
) STRICT;

CREATE TRIGGER applicants_owned_update BEFORE UPDATE ON applicants
WHEN OLD.office_id <> (SELECT office_id FROM installation WHERE id = 1) AND NOT EXISTS (SELECT 1 FROM exchange_applying)
BEGIN SELECT RAISE(ABORT, 'exchange.read_only: this record belongs to another office'); END;
CREATE TRIGGER applicants_owned_delete BEFORE DELETE ON applicants
WHEN OLD.office_id <> (SELECT office_id FROM installation WHERE id = 1) AND NOT EXISTS (SELECT 1 FROM exchange_applying)
BEGIN SELECT RAISE(ABORT, 'exchange.read_only: this record belongs to another office'); END;
CREATE TRIGGER status_history_owned_update BEFORE UPDATE ON status_history
WHEN OLD.office_id <> (SELECT office_id FROM installation WHERE id = 1) AND NOT EXISTS (SELECT 1 FROM exchange_applying)
BEGIN SELECT RAISE(ABORT, 'exchange.read_only: this record belongs to another office'); END;
CREATE TRIGGER status_history_owned_delete BEFORE DELETE ON status_history
WHEN OLD.office_id <> (SELECT office_id FROM installation WHERE id = 1) AND NOT EXISTS (SELECT 1 FROM exchange_applying)
BEGIN SELECT RAISE(ABORT, 'exchange.read_only: this record belongs to another office'); END;
CREATE TRIGGER duplicate_decisions_owned_update BEFORE UPDATE ON duplicate_decisions
WHEN OLD.office_id <> (SELECT office_id FROM installation WHERE id = 1) AND NOT EXISTS (SELECT 1 FROM exchange_applying)
BEGIN SELECT RAISE(ABORT, 'exchange.read_only: this record belongs to another office'); END;
CREATE TRIGGER duplicate_decisions_owned_delete BEFORE DELETE ON duplicate_decisions
WHEN OLD.office_id <> (SELECT office_id FROM installation WHERE id = 1) AND NOT EXISTS (SELECT 1 FROM exchange_applying)
BEGIN SELECT RAISE(ABORT, 'exchange.read_only: this record belongs to another office'); END;
CREATE TRIGGER organisations_owned_update BEFORE UPDATE ON organisations
WHEN OLD.office_id <> (SELECT office_id FROM installation WHERE id = 1) AND NOT EXISTS (SELECT 1 FROM exchange_applying)
BEGIN SELECT RAISE(ABORT, 'exchange.read_only: this record belongs to another office'); END;
CREATE TRIGGER organisations_owned_delete BEFORE DELETE ON organisations
WHEN OLD.office_id <> (SELECT office_id FROM installation WHERE id = 1) AND NOT EXISTS (SELECT 1 FROM exchange_applying)
BEGIN SELECT RAISE(ABORT, 'exchange.read_only: this record belongs to another office'); END;
CREATE TRIGGER facilitators_owned_update BEFORE UPDATE ON facilitators
WHEN OLD.office_id <> (SELECT office_id FROM installation WHERE id = 1) AND NOT EXISTS (SELECT 1 FROM exchange_applying)
BEGIN SELECT RAISE(ABORT, 'exchange.read_only: this record belongs to another office'); END;
CREATE TRIGGER facilitators_owned_delete BEFORE DELETE ON facilitators
WHEN OLD.office_id <> (SELECT office_id FROM installation WHERE id = 1) AND NOT EXISTS (SELECT 1 FROM exchange_applying)
BEGIN SELECT RAISE(ABORT, 'exchange.read_only: this record belongs to another office'); END;
CREATE TRIGGER cohorts_owned_update BEFORE UPDATE ON cohorts
WHEN OLD.office_id <> (SELECT office_id FROM installation WHERE id = 1) AND NOT EXISTS (SELECT 1 FROM exchange_applying)
BEGIN SELECT RAISE(ABORT, 'exchange.read_only: this record belongs to another office'); END;
CREATE TRIGGER cohorts_owned_delete BEFORE DELETE ON cohorts
WHEN OLD.office_id <> (SELECT office_id FROM installation WHERE id = 1) AND NOT EXISTS (SELECT 1 FROM exchange_applying)
BEGIN SELECT RAISE(ABORT, 'exchange.read_only: this record belongs to another office'); END;
CREATE TRIGGER cohort_members_owned_update BEFORE UPDATE ON cohort_members
WHEN OLD.office_id <> (SELECT office_id FROM installation WHERE id = 1) AND NOT EXISTS (SELECT 1 FROM exchange_applying)
BEGIN SELECT RAISE(ABORT, 'exchange.read_only: this record belongs to another office'); END;
CREATE TRIGGER cohort_members_owned_delete BEFORE DELETE ON cohort_members
WHEN OLD.office_id <> (SELECT office_id FROM installation WHERE id = 1) AND NOT EXISTS (SELECT 1 FROM exchange_applying)
BEGIN SELECT RAISE(ABORT, 'exchange.read_only: this record belongs to another office'); END;
CREATE TRIGGER training_sessions_owned_update BEFORE UPDATE ON training_sessions
WHEN OLD.office_id <> (SELECT office_id FROM installation WHERE id = 1) AND NOT EXISTS (SELECT 1 FROM exchange_applying)
BEGIN SELECT RAISE(ABORT, 'exchange.read_only: this record belongs to another office'); END;
CREATE TRIGGER training_sessions_owned_delete BEFORE DELETE ON training_sessions
WHEN OLD.office_id <> (SELECT office_id FROM installation WHERE id = 1) AND NOT EXISTS (SELECT 1 FROM exchange_applying)
BEGIN SELECT RAISE(ABORT, 'exchange.read_only: this record belongs to another office'); END;
CREATE TRIGGER attendance_owned_update BEFORE UPDATE ON attendance
WHEN OLD.office_id <> (SELECT office_id FROM installation WHERE id = 1) AND NOT EXISTS (SELECT 1 FROM exchange_applying)
BEGIN SELECT RAISE(ABORT, 'exchange.read_only: this record belongs to another office'); END;
CREATE TRIGGER attendance_owned_delete BEFORE DELETE ON attendance
WHEN OLD.office_id <> (SELECT office_id FROM installation WHERE id = 1) AND NOT EXISTS (SELECT 1 FROM exchange_applying)
BEGIN SELECT RAISE(ABORT, 'exchange.read_only: this record belongs to another office'); END;
CREATE TRIGGER business_plans_owned_update BEFORE UPDATE ON business_plans
WHEN OLD.office_id <> (SELECT office_id FROM installation WHERE id = 1) AND NOT EXISTS (SELECT 1 FROM exchange_applying)
BEGIN SELECT RAISE(ABORT, 'exchange.read_only: this record belongs to another office'); END;
CREATE TRIGGER business_plans_owned_delete BEFORE DELETE ON business_plans
WHEN OLD.office_id <> (SELECT office_id FROM installation WHERE id = 1) AND NOT EXISTS (SELECT 1 FROM exchange_applying)
BEGIN SELECT RAISE(ABORT, 'exchange.read_only: this record belongs to another office'); END;
CREATE TRIGGER attestations_owned_update BEFORE UPDATE ON attestations
WHEN OLD.office_id <> (SELECT office_id FROM installation WHERE id = 1) AND NOT EXISTS (SELECT 1 FROM exchange_applying)
BEGIN SELECT RAISE(ABORT, 'exchange.read_only: this record belongs to another office'); END;
CREATE TRIGGER attestations_owned_delete BEFORE DELETE ON attestations
WHEN OLD.office_id <> (SELECT office_id FROM installation WHERE id = 1) AND NOT EXISTS (SELECT 1 FROM exchange_applying)
BEGIN SELECT RAISE(ABORT, 'exchange.read_only: this record belongs to another office'); END;

INSERT INTO settings (key, value) VALUES
 ('exchange.cadence', '"monthly"'),
 ('exchange.max_file_bytes', '536870912');
