-- Attestations: the register of every attestation issued, and the serial counters.
--
-- Serial numbers are OFFICECODE-YEAR-NNNNNN (e.g. ERR-2026-000123): the office code is unique among offices,
-- so two offices working offline never make the same number; within an office and a year the counter only
-- grows (a number is never reused, not even after a revocation). The register keeps the filled content of
-- each attestation (content_json) and its sha256 (content_hash), so a reprint shows exactly what was issued,
-- marked duplicata, under the same number.

CREATE TABLE attestations (
  id             TEXT PRIMARY KEY,                  -- UUIDv7
  office_id      TEXT NOT NULL REFERENCES offices(id),
  serial         TEXT NOT NULL UNIQUE,              -- OFFICECODE-YEAR-NNNNNN
  year           INTEGER NOT NULL,
  seq            INTEGER NOT NULL CHECK (seq > 0),
  kind           TEXT NOT NULL,                     -- template code (registration, participation, completion …)
  kind_version   INTEGER NOT NULL,
  applicant_id   TEXT NOT NULL REFERENCES applicants(id),
  issue_date     TEXT NOT NULL,                     -- YYYY-MM-DD (printed)
  issued_at      TEXT NOT NULL,                     -- ISO-8601 UTC
  issued_by      TEXT,                              -- users.id (NULL for the command line)
  issued_by_name TEXT NOT NULL,
  content_json   TEXT NOT NULL,                     -- what is printed (canonical JSON)
  content_hash   TEXT NOT NULL,                     -- sha256 hex of content_json
  qr_text        TEXT NOT NULL,                     -- the signed payload printed as QR code (JISR1.<payload>.<sig>)
  hours          REAL,                              -- participation: hours attested
  status         TEXT NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'revoked')),
  revoked_at     TEXT,
  revoked_by     TEXT,                              -- user name
  revoke_reason  TEXT,
  print_count    INTEGER NOT NULL DEFAULT 0,        -- 0: registered by a batch not printed yet; >1: duplicatas printed
  last_printed_at TEXT,
  batch_id       TEXT,                              -- the batch job that issued it, if any
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  change_seq     INTEGER NOT NULL DEFAULT 0,
  UNIQUE (office_id, year, seq),
  CHECK ((status = 'revoked') = (revoked_at IS NOT NULL))
) STRICT;
CREATE INDEX attestations_applicant ON attestations(applicant_id, kind);
CREATE INDEX attestations_issued ON attestations(office_id, issued_at);
CREATE INDEX attestations_kind ON attestations(kind, issued_at);
CREATE INDEX attestations_change ON attestations(change_seq);

-- Last number used per office and year (local bookkeeping, not synchronised: an office numbers only its own).
CREATE TABLE attestation_counters (
  office_id TEXT NOT NULL REFERENCES offices(id),
  year      INTEGER NOT NULL,
  last_seq  INTEGER NOT NULL,
  PRIMARY KEY (office_id, year)
) STRICT, WITHOUT ROWID;
