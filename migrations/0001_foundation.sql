-- Foundation: territory, offices, this installation, users, the change sequence, the audit trail, settings.
-- Every synchronised record (here: offices, users; later: applicants, sessions …) has
--   id TEXT (UUIDv7, made where the record is born, never colliding between offices working offline),
--   office_id (the owning office), created_at / updated_at (ISO-8601 UTC),
--   change_seq (the number of its latest change in change_log; the exchange sends rows with change_seq > last sent).

CREATE TABLE regions (
  code    TEXT PRIMARY KEY,
  name_fr TEXT NOT NULL,
  name_ar TEXT NOT NULL
) STRICT;

CREATE TABLE provinces (
  code        TEXT PRIMARY KEY,            -- HCP code, e.g. 08.201
  region_code TEXT NOT NULL REFERENCES regions(code),
  slug        TEXT NOT NULL UNIQUE,
  name_fr     TEXT NOT NULL,
  name_ar     TEXT NOT NULL
) STRICT;

CREATE TABLE communes (
  code          TEXT PRIMARY KEY,          -- HCP code RR.PPP.CC.NN, kept as text (leading zeros matter)
  code_digits   TEXT NOT NULL UNIQUE,      -- the 9-digit census key, e.g. 082010105
  province_code TEXT NOT NULL REFERENCES provinces(code),
  cercle_code   TEXT,
  cercle_fr     TEXT,
  cercle_ar     TEXT,
  name_fr       TEXT NOT NULL,
  name_ar       TEXT NOT NULL,
  type          TEXT NOT NULL CHECK (type IN ('urbaine', 'rurale')),
  population_2024 INTEGER
) STRICT;
CREATE INDEX communes_province ON communes(province_code);

CREATE TABLE change_log (
  seq       INTEGER PRIMARY KEY AUTOINCREMENT,
  entity    TEXT NOT NULL,                 -- table name
  entity_id TEXT NOT NULL,
  op        TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete', 'anonymise', 'close')),
  office_id TEXT,
  at        TEXT NOT NULL
) STRICT;
CREATE INDEX change_log_entity ON change_log(entity, entity_id);

CREATE TABLE offices (
  id                 TEXT PRIMARY KEY,
  slug               TEXT NOT NULL UNIQUE,
  code               TEXT NOT NULL UNIQUE,  -- ERR, OUA, MID, TIN, ZAG, REG: prefix of serial numbers
  kind               TEXT NOT NULL CHECK (kind IN ('province', 'region')),
  province_code      TEXT REFERENCES provinces(code),
  name_ar            TEXT NOT NULL,
  name_fr            TEXT NOT NULL,
  address_ar         TEXT NOT NULL DEFAULT '',
  address_fr         TEXT NOT NULL DEFAULT '',
  signatory_title_ar TEXT NOT NULL DEFAULT '',
  signatory_title_fr TEXT NOT NULL DEFAULT '',
  public_key         TEXT,                   -- Ed25519 public key (SPKI PEM) used to verify its documents and files
  trusted            INTEGER NOT NULL DEFAULT 0,
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL,
  change_seq         INTEGER NOT NULL DEFAULT 0
) STRICT;

-- One row: which office this installation serves, and its private signing key.
CREATE TABLE installation (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  office_id       TEXT NOT NULL REFERENCES offices(id),
  signing_key_pem TEXT NOT NULL,             -- Ed25519 private key (PKCS#8 PEM)
  created_at      TEXT NOT NULL
) STRICT;

CREATE TABLE users (
  id              TEXT PRIMARY KEY,
  office_id       TEXT NOT NULL REFERENCES offices(id),
  username        TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name    TEXT NOT NULL,
  role            TEXT NOT NULL CHECK (role IN ('agent', 'office_head', 'coordinator', 'admin')),
  password_hash   TEXT NOT NULL,             -- scrypt$N$r$p$salt$hash, never the password
  language        TEXT NOT NULL DEFAULT 'ar' CHECK (language IN ('ar', 'fr')),
  active          INTEGER NOT NULL DEFAULT 1,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_until    TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  change_seq      INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Append-only, hash-chained: hash = sha256(prev_hash || canonical row). See core/audit.
CREATE TABLE audit_log (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  at         TEXT NOT NULL,
  actor_kind TEXT NOT NULL CHECK (actor_kind IN ('user', 'cli', 'anonymous', 'system')),
  actor_id   TEXT,
  actor_name TEXT NOT NULL,
  method     TEXT NOT NULL,
  entity     TEXT,
  entity_id  TEXT,
  changes    TEXT,                            -- JSON {field: [from, to]}
  prev_hash  TEXT NOT NULL,
  hash       TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL                         -- JSON
) STRICT;
