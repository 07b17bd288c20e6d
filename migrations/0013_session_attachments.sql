-- Signed attendance sheets (issue 14): the sheet printed for a session, signed on paper, scanned (PDF or image)
-- and attached to the session. Offices keep these for their funders.
--
-- The file itself is stored in the database (BLOB): it is then in every backup with the rest of the data, and
-- it never leaves the office: the table has no change_seq and is not in the exchange registry (the region does
-- not receive scans of signatures). A file comes only through the app's upload flow (outbox upload id), never
-- from a path given by a caller.

CREATE TABLE session_attachments (
  id          TEXT PRIMARY KEY,                       -- UUIDv7
  office_id   TEXT NOT NULL REFERENCES offices(id),
  session_id  TEXT NOT NULL REFERENCES training_sessions(id),
  kind        TEXT NOT NULL DEFAULT 'signed_sheet' CHECK (kind IN ('signed_sheet')),
  file_name   TEXT NOT NULL,                          -- the name it was uploaded with (shown, never used as a path)
  mime        TEXT NOT NULL CHECK (mime IN ('application/pdf', 'image/png', 'image/jpeg')),
  size        INTEGER NOT NULL CHECK (size > 0),
  sha256      TEXT NOT NULL,
  data        BLOB NOT NULL,
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL                           -- user name (or cli:<os user>)
) STRICT;
CREATE INDEX session_attachments_session ON session_attachments(session_id, created_at);
