-- Applicant registry: reference lists, applicants with consent, categories, the path (status history),
-- duplicate decisions. Sensitive fields (disability, violence) are marked as such in the comments;
-- the API hides them from roles that do not need them.

-- Configurable reference lists (one table, a kind per list). Codes are stable; labels editable.
CREATE TABLE ref_items (
  kind     TEXT NOT NULL,   -- situation | disability_type | education | vocational | marital | sector
                            -- | legal_form | project_stage | heard_from | drop_reason | financing_source
  code     TEXT NOT NULL,
  label_ar TEXT NOT NULL,
  label_fr TEXT NOT NULL,
  sensitive INTEGER NOT NULL DEFAULT 0,
  active   INTEGER NOT NULL DEFAULT 1,
  sort     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (kind, code)
) STRICT;

CREATE TABLE applicants (
  id                 TEXT PRIMARY KEY,                 -- UUIDv7
  office_id          TEXT NOT NULL REFERENCES offices(id),
  file_no            TEXT NOT NULL UNIQUE,             -- human file number, e.g. ERR-2026-000123
  cin                TEXT UNIQUE,                      -- normalised: uppercase, no spaces or dashes; NULL once anonymised
  cin_format_ok      INTEGER NOT NULL DEFAULT 1,       -- 0: did not match ^[A-Z]{1,2}[0-9]{4,7}$ (a warning was shown)
  idcs               TEXT,                             -- RNP / IDCS identifier, optional
  first_name_ar      TEXT NOT NULL DEFAULT '',
  last_name_ar       TEXT NOT NULL DEFAULT '',
  first_name_lat     TEXT NOT NULL DEFAULT '',
  last_name_lat      TEXT NOT NULL DEFAULT '',
  name_key_ar        TEXT NOT NULL DEFAULT '',         -- normalised Arabic full name (search, duplicates)
  name_key_lat       TEXT NOT NULL DEFAULT '',         -- normalised Latin full name (search, duplicates)
  name_skel          TEXT NOT NULL DEFAULT '',         -- cross-script phonetic skeleton of the full name (duplicate blocking)
  sex                TEXT NOT NULL CHECK (sex IN ('F', 'M')),
  birth_date         TEXT,                             -- YYYY-MM-DD
  phone              TEXT,                             -- E.164 +212XXXXXXXXX, not unique
  phone_owner        TEXT CHECK (phone_owner IN ('self', 'spouse', 'parent', 'relative', 'other')),
  address            TEXT NOT NULL DEFAULT '',
  douar              TEXT NOT NULL DEFAULT '',
  commune_code       TEXT REFERENCES communes(code),
  education_level    TEXT,                             -- ref_items kind 'education'
  vocational_level   TEXT,                             -- ref_items kind 'vocational'
  marital_status     TEXT,                             -- ref_items kind 'marital'
  is_project_holder  INTEGER NOT NULL DEFAULT 0,
  is_difficult_situation INTEGER NOT NULL DEFAULT 0,   -- sub-categories in applicant_situations (sensitive: violence)
  has_disability     INTEGER NOT NULL DEFAULT 0,       -- SENSITIVE (health data, law 09-08)
  disability_severity TEXT CHECK (disability_severity IN ('light', 'moderate', 'severe', 'very_severe')), -- SENSITIVE
  disability_card_number TEXT,                         -- SENSITIVE
  disability_card_expiry TEXT,                         -- SENSITIVE, YYYY-MM-DD
  rsu_registered     INTEGER NOT NULL DEFAULT 0,
  rsu_index          REAL,                             -- sensitive, optional
  project_sector     TEXT,                             -- ref_items kind 'sector'
  project_description TEXT NOT NULL DEFAULT '',
  project_stage      TEXT,                             -- ref_items kind 'project_stage'
  project_legal_form TEXT,                             -- ref_items kind 'legal_form'
  heard_from         TEXT,                             -- ref_items kind 'heard_from'
  consent_status     TEXT NOT NULL CHECK (consent_status IN ('given', 'to_confirm', 'refused')),
  consent_date       TEXT,
  consent_text_version TEXT,
  consent_channel    TEXT CHECK (consent_channel IN ('paper', 'oral', 'electronic')),
  status             TEXT NOT NULL DEFAULT 'registered' CHECK (status IN (
                        'registered', 'oriented', 'preselected', 'in_training', 'trained', 'in_incubation',
                        'project_validated', 'financed', 'followed_up', 'closed', 'not_retained', 'dropped_out')),
  status_changed_at  TEXT NOT NULL,
  financing_source   TEXT,                             -- programme | indh | intelaka | other (when financed)
  source             TEXT NOT NULL DEFAULT 'form' CHECK (source IN ('form', 'import', 'exchange')),
  closed_at          TEXT,
  anonymised_at      TEXT,
  created_by         TEXT,
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL,
  change_seq         INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX applicants_office ON applicants(office_id);
CREATE INDEX applicants_status ON applicants(status);
CREATE INDEX applicants_commune ON applicants(commune_code);
CREATE INDEX applicants_birth ON applicants(birth_date);
CREATE INDEX applicants_created ON applicants(created_at);
CREATE INDEX applicants_phone ON applicants(phone);
CREATE INDEX applicants_change ON applicants(change_seq);
CREATE INDEX applicants_name_ar ON applicants(name_key_ar);
CREATE INDEX applicants_name_lat ON applicants(name_key_lat);
CREATE INDEX applicants_name_skel ON applicants(name_skel);

-- Search as you type over name fragments in either script: an FTS5 trigram index over the normalised keys
-- (name_key_ar, name_key_lat, computed by shared/normalize), each word preceded by a space so that a phrase
-- query starting with a space matches at the start of a word (ranking without bm25). Its rowids come from applicant_search, whose
-- INTEGER PRIMARY KEY survives VACUUM (the implicit rowid of applicants may not). Triggers keep it in step with
-- every writer (forms, import, exchange), so no writer has to know about it.
CREATE TABLE applicant_search (
  rowid        INTEGER PRIMARY KEY,
  applicant_id TEXT NOT NULL UNIQUE
) STRICT;
CREATE VIRTUAL TABLE applicants_fts USING fts5(names, tokenize = 'trigram', content = '', contentless_delete = 1);
CREATE TRIGGER applicants_search_ai AFTER INSERT ON applicants BEGIN
  DELETE FROM applicants_fts WHERE rowid = (SELECT rowid FROM applicant_search WHERE applicant_id = new.id);
  DELETE FROM applicant_search WHERE applicant_id = new.id;
  INSERT INTO applicant_search (applicant_id) VALUES (new.id);
  INSERT INTO applicants_fts (rowid, names)
    VALUES ((SELECT rowid FROM applicant_search WHERE applicant_id = new.id), ' ' || new.name_key_ar || ' ' || new.name_key_lat);
END;
CREATE TRIGGER applicants_search_au AFTER UPDATE OF name_key_ar, name_key_lat ON applicants BEGIN
  DELETE FROM applicants_fts WHERE rowid = (SELECT rowid FROM applicant_search WHERE applicant_id = old.id);
  INSERT INTO applicants_fts (rowid, names)
    VALUES ((SELECT rowid FROM applicant_search WHERE applicant_id = new.id), ' ' || new.name_key_ar || ' ' || new.name_key_lat);
END;
CREATE TRIGGER applicants_search_ad AFTER DELETE ON applicants BEGIN
  DELETE FROM applicants_fts WHERE rowid = (SELECT rowid FROM applicant_search WHERE applicant_id = old.id);
  DELETE FROM applicant_search WHERE applicant_id = old.id;
END;

-- Sub-categories of "woman in a difficult situation" (several allowed). SENSITIVE where the item is.
CREATE TABLE applicant_situations (
  applicant_id TEXT NOT NULL REFERENCES applicants(id) ON DELETE CASCADE,
  code         TEXT NOT NULL,
  PRIMARY KEY (applicant_id, code)
) STRICT, WITHOUT ROWID;

-- Disability types (several allowed). SENSITIVE (health data).
CREATE TABLE applicant_disabilities (
  applicant_id TEXT NOT NULL REFERENCES applicants(id) ON DELETE CASCADE,
  code         TEXT NOT NULL,
  PRIMARY KEY (applicant_id, code)
) STRICT, WITHOUT ROWID;

-- The path: every status change with date, user and reason.
CREATE TABLE status_history (
  id           TEXT PRIMARY KEY,
  applicant_id TEXT NOT NULL REFERENCES applicants(id),
  office_id    TEXT NOT NULL REFERENCES offices(id),
  from_status  TEXT,
  to_status    TEXT NOT NULL,
  reason       TEXT NOT NULL DEFAULT '',
  financing_source TEXT,
  at           TEXT NOT NULL,
  user_id      TEXT,
  user_name    TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  change_seq   INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX status_history_applicant ON status_history(applicant_id, at);
CREATE INDEX status_history_change ON status_history(change_seq);

-- Staff decisions on likely duplicates: 'distinct' (another person) or 'same' (opened the existing file).
CREATE TABLE duplicate_decisions (
  id           TEXT PRIMARY KEY,
  applicant_id TEXT REFERENCES applicants(id),        -- the new file (NULL when staff opened the existing one instead)
  other_id     TEXT NOT NULL REFERENCES applicants(id),
  decision     TEXT NOT NULL CHECK (decision IN ('distinct', 'same')),
  at           TEXT NOT NULL,
  user_name    TEXT NOT NULL,
  office_id    TEXT NOT NULL REFERENCES offices(id),
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  change_seq   INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX duplicate_decisions_pair ON duplicate_decisions(other_id, applicant_id);
CREATE INDEX duplicate_decisions_applicant ON duplicate_decisions(applicant_id);

-- Reference data (codes stable; from shared/domain/NOTES.md §3–6).
INSERT INTO ref_items (kind, code, label_ar, label_fr, sensitive, sort) VALUES
 ('situation', 'violence_victim', 'ضحية عنف', 'Victime de violence', 1, 1),
 ('situation', 'widow', 'أرملة', 'Veuve', 0, 2),
 ('situation', 'divorced', 'مطلقة', 'Divorcée', 0, 3),
 ('situation', 'single_mother', 'أم عازبة', 'Mère célibataire', 1, 4),
 ('situation', 'abandoned', 'مهملة', 'Épouse délaissée', 0, 5),
 ('situation', 'head_of_household', 'معيلة لأسرة', 'Cheffe de ménage', 0, 6),
 ('situation', 'detainee_wife', 'زوجة سجين أو سجين سابق', 'Épouse de détenu ou ex-détenu', 1, 7),
 ('situation', 'disabled_woman', 'امرأة في وضعية إعاقة', 'Femme en situation de handicap', 1, 8),
 ('situation', 'precarity', 'في وضعية هشاشة', 'En situation de précarité', 0, 9),
 ('situation', 'neet', 'شابة خارج التعليم والتكوين والشغل', 'Jeune femme NEET', 0, 10),
 ('disability_type', 'motor', 'حركية', 'Moteur', 1, 1),
 ('disability_type', 'visual', 'بصرية', 'Visuel', 1, 2),
 ('disability_type', 'hearing', 'سمعية', 'Auditif', 1, 3),
 ('disability_type', 'speech', 'النطق والتواصل', 'Parole et communication', 1, 4),
 ('disability_type', 'intellectual', 'ذهنية', 'Intellectuel', 1, 5),
 ('disability_type', 'psychic', 'نفسية', 'Psychique', 1, 6),
 ('disability_type', 'autism', 'التوحد', 'Autisme', 1, 7),
 ('disability_type', 'multiple', 'متعددة', 'Multiple', 1, 8),
 ('education', 'NONE', 'بدون مستوى', 'Sans niveau', 0, 1),
 ('education', 'LITERACY', 'محو الأمية', 'Alphabétisation', 0, 2),
 ('education', 'INFORMAL', 'التربية غير النظامية / التعليم العتيق', 'Éducation non formelle / traditionnelle', 0, 3),
 ('education', 'PRIMAIRE', 'الابتدائي', 'Primaire', 0, 4),
 ('education', 'COLLEGE', 'الثانوي الإعدادي', 'Secondaire collégial', 0, 5),
 ('education', 'LYCEE', 'الثانوي التأهيلي', 'Secondaire qualifiant', 0, 6),
 ('education', 'BAC', 'البكالوريا', 'Baccalauréat', 0, 7),
 ('education', 'SUP_BAC2', 'باك+2', 'Bac+2', 0, 8),
 ('education', 'LICENCE', 'الإجازة', 'Licence', 0, 9),
 ('education', 'MASTER', 'الماستر', 'Master', 0, 10),
 ('education', 'DOCTORAT', 'الدكتوراه', 'Doctorat', 0, 11),
 ('vocational', 'NONE', 'بدون', 'Aucune', 0, 1),
 ('vocational', 'SPECIALISATION', 'التخصص', 'Spécialisation', 0, 2),
 ('vocational', 'QUALIFICATION', 'التأهيل', 'Qualification', 0, 3),
 ('vocational', 'TECHNICIEN', 'تقني', 'Technicien', 0, 4),
 ('vocational', 'TECHNICIEN_SPECIALISE', 'تقني متخصص', 'Technicien spécialisé', 0, 5),
 ('marital', 'single', 'عازبة', 'Célibataire', 0, 1),
 ('marital', 'married', 'متزوجة', 'Mariée', 0, 2),
 ('marital', 'divorced', 'مطلقة', 'Divorcée', 0, 3),
 ('marital', 'widowed', 'أرملة', 'Veuve', 0, 4),
 ('sector', 'agriculture', 'الفلاحة وتربية الماشية', 'Agriculture et élevage', 0, 1),
 ('sector', 'agrifood', 'الصناعة الغذائية والمنتجات المحلية', 'Agroalimentaire et produits du terroir', 0, 2),
 ('sector', 'crafts', 'الصناعة التقليدية', 'Artisanat', 0, 3),
 ('sector', 'sewing', 'الخياطة والطرز', 'Couture et broderie', 0, 4),
 ('sector', 'commerce', 'التجارة', 'Commerce', 0, 5),
 ('sector', 'services', 'الخدمات', 'Services', 0, 6),
 ('sector', 'tourism', 'السياحة', 'Tourisme', 0, 7),
 ('sector', 'beauty', 'التجميل والحلاقة', 'Coiffure et esthétique', 0, 8),
 ('sector', 'catering', 'الطبخ والحلويات', 'Restauration et pâtisserie', 0, 9),
 ('sector', 'digital', 'الرقمي', 'Numérique', 0, 10),
 ('sector', 'other', 'أخرى', 'Autre', 0, 99),
 ('project_stage', 'idea', 'فكرة', 'Idée', 0, 1),
 ('project_stage', 'study', 'في طور الدراسة', 'En étude', 0, 2),
 ('project_stage', 'started', 'في طور الانطلاق', 'En démarrage', 0, 3),
 ('project_stage', 'running', 'مشروع قائم', 'En activité', 0, 4),
 ('legal_form', 'informal', 'نشاط فردي غير مهيكل', 'Individuelle informelle', 0, 1),
 ('legal_form', 'auto_entrepreneur', 'مقاول ذاتي', 'Auto-entrepreneur', 0, 2),
 ('legal_form', 'cooperative', 'تعاونية', 'Coopérative', 0, 3),
 ('legal_form', 'association', 'جمعية', 'Association', 0, 4),
 ('legal_form', 'sarl', 'شركة ذات مسؤولية محدودة', 'SARL / SARL AU', 0, 5),
 ('heard_from', 'association', 'جمعية', 'Association', 0, 1),
 ('heard_from', 'entraide', 'التعاون الوطني', 'Entraide Nationale', 0, 2),
 ('heard_from', 'authorities', 'السلطات المحلية', 'Autorités locales', 0, 3),
 ('heard_from', 'social_media', 'وسائل التواصل الاجتماعي', 'Réseaux sociaux', 0, 4),
 ('heard_from', 'radio_tv', 'الإذاعة أو التلفزة', 'Radio ou télévision', 0, 5),
 ('heard_from', 'word_of_mouth', 'معارف أو أقارب', 'Bouche à oreille', 0, 6),
 ('heard_from', 'platform', 'المنصة الرقمية', 'Plateforme numérique', 0, 7),
 ('heard_from', 'other', 'أخرى', 'Autre', 0, 99),
 ('drop_reason', 'no_show', 'عدم الحضور', 'Absences répétées', 0, 1),
 ('drop_reason', 'moved', 'تغيير السكن', 'Déménagement', 0, 2),
 ('drop_reason', 'family', 'أسباب عائلية', 'Raisons familiales', 0, 3),
 ('drop_reason', 'health', 'أسباب صحية', 'Raisons de santé', 1, 4),
 ('drop_reason', 'employment', 'حصلت على عمل', 'A trouvé un emploi', 0, 5),
 ('drop_reason', 'not_eligible', 'غير مستوفية للشروط', 'Non éligible', 0, 6),
 ('drop_reason', 'other', 'أخرى', 'Autre', 0, 99),
 ('financing_source', 'programme', 'البرنامج (جسر)', 'Programme (Jisr)', 0, 1),
 ('financing_source', 'indh', 'المبادرة الوطنية للتنمية البشرية', 'INDH', 0, 2),
 ('financing_source', 'intelaka', 'انطلاقة', 'Intelaka', 0, 3),
 ('financing_source', 'other', 'أخرى', 'Autre', 0, 99);

-- Office settings for the registry (configurable): age range of the programme, consent text version.
INSERT INTO settings (key, value) VALUES
 ('registry.age_min', '18'),
 ('registry.age_max', '55'),
 ('registry.consent_text_version', '"2026-01"');
