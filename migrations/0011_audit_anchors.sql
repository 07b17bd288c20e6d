-- Anchored audit trail (issue 16): the head of an office's audit chain (row count and hash of the last row)
-- travels in every exchange file. The province remembers the heads it sent (each next file proves that its
-- chain still passes through them) and the head the region acknowledged in its receipt; the region keeps the
-- heads it received and refuses a file whose chain does not extend the last one (a rewritten or truncated trail).
CREATE TABLE audit_anchors (
  office_id TEXT NOT NULL,
  -- 'sent' (province: in an exchange file it made), 'received' (region: from a file it applied),
  -- 'acknowledged' (province: the head the region's receipt says it holds)
  direction TEXT NOT NULL CHECK (direction IN ('sent', 'received', 'acknowledged')),
  rows INTEGER NOT NULL CHECK (rows >= 0),
  hash TEXT NOT NULL,
  file_seq INTEGER,
  at TEXT NOT NULL,
  PRIMARY KEY (office_id, direction, rows)
) WITHOUT ROWID;
