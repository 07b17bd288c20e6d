-- Training and mentoring: organisations and their facilitators, cohorts with enrolment and withdrawal,
-- sessions (group training, individual mentoring, workshop, field visit), attendance, business plans,
-- reference topics and the criteria of the participation attestation.
--
-- Hours are never stored as a running total: a woman's hours are the sum of the duration of the
-- (not cancelled) sessions where her attendance row says 'present' (core/sessions/participation.ts).

-- Entraide Nationale delegation, ADS, incubator associations (one or more per province).
CREATE TABLE organisations (
  id            TEXT PRIMARY KEY,                  -- UUIDv7
  office_id     TEXT NOT NULL REFERENCES offices(id),
  kind          TEXT NOT NULL CHECK (kind IN ('entraide', 'ads', 'incubator', 'other')),
  province_code TEXT NOT NULL REFERENCES provinces(code),
  name_ar       TEXT NOT NULL,
  name_fr       TEXT NOT NULL,
  phone         TEXT,
  address       TEXT NOT NULL DEFAULT '',
  active        INTEGER NOT NULL DEFAULT 1,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  change_seq    INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX organisations_office ON organisations(office_id);
CREATE INDEX organisations_change ON organisations(change_seq);

-- Trainers and mentors of an organisation.
CREATE TABLE facilitators (
  id              TEXT PRIMARY KEY,
  office_id       TEXT NOT NULL REFERENCES offices(id),
  organisation_id TEXT NOT NULL REFERENCES organisations(id),
  full_name       TEXT NOT NULL,
  role            TEXT NOT NULL CHECK (role IN ('trainer', 'mentor', 'both')),
  phone           TEXT,
  active          INTEGER NOT NULL DEFAULT 1,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  change_seq      INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX facilitators_org ON facilitators(organisation_id);
CREATE INDEX facilitators_change ON facilitators(change_seq);

-- A group following a training path with an organisation.
CREATE TABLE cohorts (
  id              TEXT PRIMARY KEY,
  office_id       TEXT NOT NULL REFERENCES offices(id),
  organisation_id TEXT NOT NULL REFERENCES organisations(id),
  name            TEXT NOT NULL,
  start_date      TEXT NOT NULL,                   -- YYYY-MM-DD
  end_date        TEXT,                            -- YYYY-MM-DD, NULL while open-ended
  place           TEXT NOT NULL DEFAULT '',
  notes           TEXT NOT NULL DEFAULT '',
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  change_seq      INTEGER NOT NULL DEFAULT 0,
  CHECK (end_date IS NULL OR end_date >= start_date)
) STRICT;
CREATE INDEX cohorts_office ON cohorts(office_id, start_date);
CREATE INDEX cohorts_change ON cohorts(change_seq);

-- Enrolment of a beneficiary in a cohort. One row per (cohort, applicant): a withdrawal sets
-- withdrawn_at/withdraw_reason; a re-enrolment clears them (the audit trail keeps the history).
CREATE TABLE cohort_members (
  id              TEXT PRIMARY KEY,
  office_id       TEXT NOT NULL REFERENCES offices(id),
  cohort_id       TEXT NOT NULL REFERENCES cohorts(id),
  applicant_id    TEXT NOT NULL REFERENCES applicants(id),
  enrolled_at     TEXT NOT NULL,                   -- YYYY-MM-DD
  withdrawn_at    TEXT,                            -- YYYY-MM-DD; she is not expected at sessions after this date
  withdraw_reason TEXT,                            -- ref_items kind 'drop_reason' code or free text
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  change_seq      INTEGER NOT NULL DEFAULT 0,
  UNIQUE (cohort_id, applicant_id)
) STRICT;
CREATE INDEX cohort_members_applicant ON cohort_members(applicant_id);
CREATE INDEX cohort_members_change ON cohort_members(change_seq);

-- One session. Group kinds belong to a cohort; individual mentoring belongs to one applicant.
CREATE TABLE training_sessions (
  id              TEXT PRIMARY KEY,
  office_id       TEXT NOT NULL REFERENCES offices(id),
  kind            TEXT NOT NULL CHECK (kind IN ('group_training', 'mentoring', 'workshop', 'field_visit')),
  date            TEXT NOT NULL,                   -- YYYY-MM-DD
  start_time      TEXT,                            -- HH:MM (local)
  end_time        TEXT,                            -- HH:MM (local)
  duration_min    INTEGER NOT NULL CHECK (duration_min > 0 AND duration_min <= 720),
  topic_code      TEXT NOT NULL,                   -- ref_items kind 'topic'
  place           TEXT NOT NULL DEFAULT '',
  organisation_id TEXT NOT NULL REFERENCES organisations(id),
  facilitator_id  TEXT REFERENCES facilitators(id),
  cohort_id       TEXT REFERENCES cohorts(id),
  applicant_id    TEXT REFERENCES applicants(id),  -- individual mentoring only
  notes           TEXT NOT NULL DEFAULT '',        -- mentoring notes
  next_steps      TEXT NOT NULL DEFAULT '',        -- mentoring next steps
  cancelled_at    TEXT,                            -- a cancelled session counts for nobody
  cancel_reason   TEXT,
  created_by      TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  change_seq      INTEGER NOT NULL DEFAULT 0,
  CHECK ((kind = 'mentoring') = (applicant_id IS NOT NULL)),
  CHECK (kind = 'mentoring' OR cohort_id IS NOT NULL)
) STRICT;
CREATE INDEX training_sessions_office_date ON training_sessions(office_id, date);
CREATE INDEX training_sessions_cohort ON training_sessions(cohort_id, date);
CREATE INDEX training_sessions_applicant ON training_sessions(applicant_id, date) WHERE applicant_id IS NOT NULL;
CREATE INDEX training_sessions_change ON training_sessions(change_seq);

-- Attendance of one beneficiary at one session (synchronised like every row).
CREATE TABLE attendance (
  id           TEXT PRIMARY KEY,
  office_id    TEXT NOT NULL REFERENCES offices(id),
  session_id   TEXT NOT NULL REFERENCES training_sessions(id),
  applicant_id TEXT NOT NULL REFERENCES applicants(id),
  status       TEXT NOT NULL CHECK (status IN ('present', 'absent', 'excused')),
  note         TEXT NOT NULL DEFAULT '',
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  change_seq   INTEGER NOT NULL DEFAULT 0,
  UNIQUE (session_id, applicant_id)
) STRICT;
CREATE INDEX attendance_applicant ON attendance(applicant_id, session_id);
CREATE INDEX attendance_change ON attendance(change_seq);

-- Business plan of a beneficiary (no row: not started).
CREATE TABLE business_plans (
  id           TEXT PRIMARY KEY,
  office_id    TEXT NOT NULL REFERENCES offices(id),
  applicant_id TEXT NOT NULL UNIQUE REFERENCES applicants(id),
  status       TEXT NOT NULL CHECK (status IN ('not_started', 'draft', 'validated')),
  validated_at TEXT,
  note         TEXT NOT NULL DEFAULT '',
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  change_seq   INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX business_plans_change ON business_plans(change_seq);

-- Training topics (configurable: labels editable, items can be added or deactivated).
INSERT INTO ref_items (kind, code, label_ar, label_fr, sensitive, sort) VALUES
 ('topic', 'entrepreneurship', 'ريادة الأعمال', 'Entrepreneuriat', 0, 1),
 ('topic', 'management', 'التدبير والتسيير', 'Gestion', 0, 2),
 ('topic', 'marketing', 'التسويق', 'Marketing', 0, 3),
 ('topic', 'personal_skills', 'تنمية المهارات الشخصية والمهنية', 'Compétences personnelles et professionnelles', 0, 4),
 ('topic', 'business_plan', 'مخطط الأعمال', 'Plan d''affaires', 0, 5),
 ('topic', 'legal_forms', 'الأشكال القانونية للمشروع', 'Formes juridiques', 0, 6),
 ('topic', 'financing', 'التمويل', 'Financement', 0, 7),
 ('topic', 'digital', 'المهارات الرقمية', 'Compétences numériques', 0, 8),
 ('topic', 'accounting', 'المحاسبة', 'Comptabilité', 0, 9),
 ('topic', 'cooperatives', 'التعاونيات', 'Coopératives', 0, 10),
 ('topic', 'quality_hygiene', 'الجودة والسلامة الصحية', 'Qualité et hygiène', 0, 11),
 ('topic', 'other', 'أخرى', 'Autre', 0, 99);

-- Criteria of the participation attestation (JSON values, editable by the office head).
INSERT INTO settings (key, value) VALUES
 ('sessions.min_hours', '30'),
 ('sessions.min_attendance_rate', '0.8');
