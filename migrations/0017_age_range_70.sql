-- Issue 13: the programme's age range is 18 to 70 (migration 0003 wrote 18 to 55). An office still on the old
-- maximum gets the new one; an office whose head chose another maximum keeps it. A new office runs 0003 then this
-- migration: 70. Under 18 or over the maximum stays a warning on the registration form and a refusal with its
-- reason in the Excel import (applicants.service registryRules / birthDateRule, the same rule for both).
UPDATE settings SET value = '70' WHERE key = 'registry.age_max' AND value = '55';
