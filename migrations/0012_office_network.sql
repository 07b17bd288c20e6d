-- The office network (issue 17): the workstations paired with this main PC. Each has its own secret (requests are
-- signed with it), the user last seen on it, and can be revoked at once. The listener's settings (on/off, interface,
-- port, certificate) are in settings under 'office_network'.
CREATE TABLE network_devices (
  id           TEXT PRIMARY KEY,               -- UUIDv7, told to the workstation at pairing
  name         TEXT NOT NULL,                  -- as the colleague named the workstation
  secret       TEXT NOT NULL,                  -- base64url, 32 random bytes: the HMAC key of its requests
  paired_at    TEXT NOT NULL,
  paired_by    TEXT NOT NULL,                  -- the administrator who showed the code
  last_seen_at TEXT,
  last_user    TEXT,
  revoked_at   TEXT,
  revoked_by   TEXT
) STRICT;
