-- The month and week views of sessions (issue 19) count, for each session, the cohort's members not withdrawn
-- before its day: they read each cohort's roster as (cohort_id, withdrawn_at) counts. This index answers that from
-- the index alone, in order, instead of one table row per member (9,477 rows for the busiest month at 100,000 files).
CREATE INDEX cohort_members_roster ON cohort_members(cohort_id, withdrawn_at);
