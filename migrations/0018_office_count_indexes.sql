-- The region's receipt of each imported file counts the sending office's rows in every exchanged table
-- (exchange/receipts.ts officeCounts). Five of those tables had no index on their owning office: each receipt scanned
-- the whole region's table — at 5 × 20,000 files, 0.86 s for status_history (341,000 rows) and 0.93 s for attendance
-- (1 million rows) per receipt, five times that at the full size, and growing with every province imported. With
-- these indexes each count reads only the office's own index entries.
CREATE INDEX status_history_office ON status_history(office_id);
CREATE INDEX attendance_office ON attendance(office_id);
CREATE INDEX cohort_members_office ON cohort_members(office_id);
CREATE INDEX business_plans_office ON business_plans(office_id);
CREATE INDEX facilitators_office ON facilitators(office_id);
CREATE INDEX duplicate_decisions_office ON duplicate_decisions(office_id);
