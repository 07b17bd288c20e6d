-- Security and data protection (issue 8): accounts administration, backup history, retention runs.

-- An administrator's password reset makes the user choose her own password at next login.
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;

-- Every backup attempt (automatic or by hand), kept in the database it was taken from.
CREATE TABLE backup_runs (
  id          TEXT PRIMARY KEY,                 -- UUIDv7
  at          TEXT NOT NULL,                    -- ISO-8601 UTC, when the snapshot was taken
  trigger     TEXT NOT NULL CHECK (trigger IN ('manual', 'start', 'exit', 'daily', 'cli', 'before_restore')),
  folder      TEXT NOT NULL,
  file_name   TEXT,                             -- NULL when the attempt failed before writing
  size        INTEGER,
  sha256      TEXT,                             -- of the encrypted file
  ok          INTEGER NOT NULL,
  error       TEXT,
  duration_ms INTEGER NOT NULL,
  actor_name  TEXT NOT NULL
) STRICT;
CREATE INDEX backup_runs_at ON backup_runs(at);

-- Every anonymisation run of the retention rule (files closed more than N years ago).
CREATE TABLE retention_runs (
  id          TEXT PRIMARY KEY,
  at          TEXT NOT NULL,
  years       INTEGER NOT NULL,
  cutoff      TEXT NOT NULL,                    -- files closed before this instant were anonymised
  anonymised  INTEGER NOT NULL,
  actor_name  TEXT NOT NULL
) STRICT;

INSERT INTO settings (key, value) VALUES
 ('retention.years', '5'),
 ('backup.config', '{"folder":null,"keep":10,"atStart":true,"atExit":true,"daily":true}');
