-- One truth per attestation (issue 14): an attestation can be replaced by a newer original of the same kind
-- for the same person (her hours or data changed). The old one keeps status 'valid' in the status column (it was
-- never revoked) but is marked replaced: replaced_by holds the serial of the new one, which names the old one in
-- `replaces`. Both columns travel to the region with the register (the exchange reads the table's columns).
-- The current attestation of a kind for a person is the one neither revoked nor replaced; there is at most one.

ALTER TABLE attestations ADD COLUMN replaced_by TEXT;   -- serial of the attestation that replaces this one
ALTER TABLE attestations ADD COLUMN replaced_at TEXT;   -- ISO-8601 UTC
ALTER TABLE attestations ADD COLUMN replaces TEXT;      -- serial of the attestation this one replaces
CREATE INDEX attestations_current ON attestations(applicant_id, kind) WHERE status = 'valid' AND replaced_by IS NULL;
