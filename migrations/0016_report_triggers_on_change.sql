-- Reports (issue 19): the summaries' triggers of 0014, cheaper on the writes (same summaries, same results).
-- - An update recomputes a file's rows only when a column the reports count changed (WHEN OLD.x IS NOT NEW.x):
--   an edit of names or phone, or the exchange import rewriting an unchanged row, costs nothing here.
-- - The registration attributes and the path are recomputed apart (a status move does not touch the breakdowns).
-- - The path's candidate months are gathered once per computation, not once per kind of row.

DROP TRIGGER applicants_report_ai;
DROP TRIGGER applicants_report_bd;
DROP TRIGGER applicants_report_bu;
DROP TRIGGER applicants_report_au;
DROP TRIGGER applicant_situations_report_ai;
DROP TRIGGER applicant_situations_report_ad;
DROP TRIGGER applicant_situations_report_au;
DROP TRIGGER applicant_disabilities_report_ai;
DROP TRIGGER applicant_disabilities_report_ad;
DROP TRIGGER applicant_disabilities_report_au;
DROP TRIGGER status_history_report_ai;
DROP TRIGGER status_history_report_bd;
DROP TRIGGER status_history_report_ad;
DROP TRIGGER status_history_report_bu;
DROP TRIGGER status_history_report_au;
DROP TRIGGER training_sessions_report_ai;
DROP TRIGGER training_sessions_report_bd;
DROP TRIGGER training_sessions_report_bu;
DROP TRIGGER training_sessions_report_au;
DROP TRIGGER attendance_report_ai;
DROP TRIGGER attendance_report_ad;
DROP TRIGGER attendance_report_au;

-- Applicants: a write subtracts the file's rows as they were and adds them as they are.
CREATE TRIGGER applicants_report_ai AFTER INSERT ON applicants BEGIN
  INSERT INTO report_counts (dim, month, office_id, key, n)
  SELECT dim, month, office_id, key, SUM(n) FROM (SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'sex' AS dim, a.sex AS key, 1 AS n FROM applicants a WHERE a.id = NEW.id
  UNION ALL SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'commune' AS dim, COALESCE(a.commune_code, '~') AS key, 1 AS n FROM applicants a WHERE a.id = NEW.id
  UNION ALL SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'edu' AS dim, COALESCE(a.education_level, '~') AS key, 1 AS n FROM applicants a WHERE a.id = NEW.id
  UNION ALL SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'birth' AS dim, CASE WHEN a.birth_date IS NULL THEN '~' WHEN substr(a.birth_date, 9, 2) BETWEEN '01' AND '28' THEN substr(a.birth_date, 1, 8) || '01' ELSE a.birth_date END AS key, 1 AS n FROM applicants a WHERE a.id = NEW.id
  UNION ALL SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'cat' AS dim, 'ph' AS key, 1 AS n FROM applicants a WHERE a.id = NEW.id AND a.sex = 'F' AND a.is_project_holder = 1
  UNION ALL SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'cat' AS dim, 'ds' AS key, 1 AS n FROM applicants a WHERE a.id = NEW.id AND a.sex = 'F' AND a.is_difficult_situation = 1
  UNION ALL SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'cat' AS dim, 'di' AS key, 1 AS n FROM applicants a WHERE a.id = NEW.id AND a.has_disability = 1
  UNION ALL SELECT a.office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00'), 'sit', x.code, 1 FROM applicant_situations x JOIN applicants a ON a.id = x.applicant_id WHERE a.id = NEW.id AND a.sex = 'F' AND a.is_difficult_situation = 1
  UNION ALL SELECT a.office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00'), 'dis', x.code, 1 FROM applicant_disabilities x JOIN applicants a ON a.id = x.applicant_id WHERE a.id = NEW.id AND a.has_disability = 1) GROUP BY dim, month, office_id, key HAVING SUM(n) <> 0
  ON CONFLICT (dim, month, office_id, key) DO UPDATE SET n = n + excluded.n;
  INSERT INTO report_counts (dim, month, office_id, key, n)
  SELECT dim, month, office_id, key, SUM(n) FROM (SELECT a.office_id AS office_id, rm2.month AS month, CASE WHEN w.k < 2 THEN 'status' ELSE 'funnel' END AS dim,
      CASE w.k WHEN 0 THEN CASE WHEN a.status_changed_at < rm2.end_at THEN a.status
        ELSE COALESCE((SELECT h.to_status FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.end_at ORDER BY h.at DESC LIMIT 1), 'registered') END WHEN 1 THEN CASE WHEN a.status_changed_at < rm2.start_at THEN a.status
        ELSE COALESCE((SELECT h.to_status FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.start_at ORDER BY h.at DESC LIMIT 1), 'registered') END
               WHEN 2 THEN CAST(CASE WHEN a.status_changed_at < rm2.end_at AND a.status NOT IN ('closed', 'not_retained', 'dropped_out') THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END
        ELSE COALESCE((SELECT MAX(CASE h.to_status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END) FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.end_at),
                      CASE WHEN a.status_changed_at < rm2.end_at THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END ELSE 0 END) END AS TEXT) ELSE CAST(CASE WHEN a.status_changed_at < rm2.start_at AND a.status NOT IN ('closed', 'not_retained', 'dropped_out') THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END
        ELSE COALESCE((SELECT MAX(CASE h.to_status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END) FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.start_at),
                      CASE WHEN a.status_changed_at < rm2.start_at THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END ELSE 0 END) END AS TEXT) END AS key,
      CASE WHEN w.k % 2 = 0 THEN 1 ELSE -(1) END AS n
    FROM (SELECT a.id AS aid, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS m, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS m0 FROM applicants a WHERE a.id = NEW.id
      UNION SELECT a.id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.status_changed_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00'), COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') FROM applicants a WHERE a.id = NEW.id
      UNION SELECT a.id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= h.at ORDER BY rm.start_at DESC LIMIT 1), '0000-00'), COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') FROM status_history h JOIN applicants a ON a.id = h.applicant_id WHERE a.id = NEW.id) c JOIN applicants a ON a.id = c.aid JOIN report_months rm2 ON rm2.month = c.m
    JOIN (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) w ON w.k % 2 = 0 OR c.m > c.m0
   WHERE c.m >= c.m0) GROUP BY dim, month, office_id, key HAVING SUM(n) <> 0
  ON CONFLICT (dim, month, office_id, key) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER applicants_report_bd BEFORE DELETE ON applicants BEGIN
  INSERT INTO report_counts (dim, month, office_id, key, n)
  SELECT dim, month, office_id, key, SUM(n) FROM (SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'sex' AS dim, a.sex AS key, -1 AS n FROM applicants a WHERE a.id = OLD.id
  UNION ALL SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'commune' AS dim, COALESCE(a.commune_code, '~') AS key, -1 AS n FROM applicants a WHERE a.id = OLD.id
  UNION ALL SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'edu' AS dim, COALESCE(a.education_level, '~') AS key, -1 AS n FROM applicants a WHERE a.id = OLD.id
  UNION ALL SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'birth' AS dim, CASE WHEN a.birth_date IS NULL THEN '~' WHEN substr(a.birth_date, 9, 2) BETWEEN '01' AND '28' THEN substr(a.birth_date, 1, 8) || '01' ELSE a.birth_date END AS key, -1 AS n FROM applicants a WHERE a.id = OLD.id
  UNION ALL SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'cat' AS dim, 'ph' AS key, -1 AS n FROM applicants a WHERE a.id = OLD.id AND a.sex = 'F' AND a.is_project_holder = 1
  UNION ALL SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'cat' AS dim, 'ds' AS key, -1 AS n FROM applicants a WHERE a.id = OLD.id AND a.sex = 'F' AND a.is_difficult_situation = 1
  UNION ALL SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'cat' AS dim, 'di' AS key, -1 AS n FROM applicants a WHERE a.id = OLD.id AND a.has_disability = 1
  UNION ALL SELECT a.office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00'), 'sit', x.code, -1 FROM applicant_situations x JOIN applicants a ON a.id = x.applicant_id WHERE a.id = OLD.id AND a.sex = 'F' AND a.is_difficult_situation = 1
  UNION ALL SELECT a.office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00'), 'dis', x.code, -1 FROM applicant_disabilities x JOIN applicants a ON a.id = x.applicant_id WHERE a.id = OLD.id AND a.has_disability = 1) GROUP BY dim, month, office_id, key HAVING SUM(n) <> 0
  ON CONFLICT (dim, month, office_id, key) DO UPDATE SET n = n + excluded.n;
  INSERT INTO report_counts (dim, month, office_id, key, n)
  SELECT dim, month, office_id, key, SUM(n) FROM (SELECT a.office_id AS office_id, rm2.month AS month, CASE WHEN w.k < 2 THEN 'status' ELSE 'funnel' END AS dim,
      CASE w.k WHEN 0 THEN CASE WHEN a.status_changed_at < rm2.end_at THEN a.status
        ELSE COALESCE((SELECT h.to_status FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.end_at ORDER BY h.at DESC LIMIT 1), 'registered') END WHEN 1 THEN CASE WHEN a.status_changed_at < rm2.start_at THEN a.status
        ELSE COALESCE((SELECT h.to_status FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.start_at ORDER BY h.at DESC LIMIT 1), 'registered') END
               WHEN 2 THEN CAST(CASE WHEN a.status_changed_at < rm2.end_at AND a.status NOT IN ('closed', 'not_retained', 'dropped_out') THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END
        ELSE COALESCE((SELECT MAX(CASE h.to_status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END) FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.end_at),
                      CASE WHEN a.status_changed_at < rm2.end_at THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END ELSE 0 END) END AS TEXT) ELSE CAST(CASE WHEN a.status_changed_at < rm2.start_at AND a.status NOT IN ('closed', 'not_retained', 'dropped_out') THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END
        ELSE COALESCE((SELECT MAX(CASE h.to_status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END) FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.start_at),
                      CASE WHEN a.status_changed_at < rm2.start_at THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END ELSE 0 END) END AS TEXT) END AS key,
      CASE WHEN w.k % 2 = 0 THEN -1 ELSE -(-1) END AS n
    FROM (SELECT a.id AS aid, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS m, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS m0 FROM applicants a WHERE a.id = OLD.id
      UNION SELECT a.id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.status_changed_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00'), COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') FROM applicants a WHERE a.id = OLD.id
      UNION SELECT a.id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= h.at ORDER BY rm.start_at DESC LIMIT 1), '0000-00'), COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') FROM status_history h JOIN applicants a ON a.id = h.applicant_id WHERE a.id = OLD.id) c JOIN applicants a ON a.id = c.aid JOIN report_months rm2 ON rm2.month = c.m
    JOIN (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) w ON w.k % 2 = 0 OR c.m > c.m0
   WHERE c.m >= c.m0) GROUP BY dim, month, office_id, key HAVING SUM(n) <> 0
  ON CONFLICT (dim, month, office_id, key) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER applicants_report_attr_bu BEFORE UPDATE OF office_id, created_at, sex, commune_code, education_level, birth_date, is_project_holder, is_difficult_situation, has_disability ON applicants WHEN OLD.office_id IS NOT NEW.office_id OR OLD.created_at IS NOT NEW.created_at OR OLD.sex IS NOT NEW.sex OR OLD.commune_code IS NOT NEW.commune_code OR OLD.education_level IS NOT NEW.education_level OR OLD.birth_date IS NOT NEW.birth_date OR OLD.is_project_holder IS NOT NEW.is_project_holder OR OLD.is_difficult_situation IS NOT NEW.is_difficult_situation OR OLD.has_disability IS NOT NEW.has_disability BEGIN
  INSERT INTO report_counts (dim, month, office_id, key, n)
  SELECT dim, month, office_id, key, SUM(n) FROM (SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'sex' AS dim, a.sex AS key, -1 AS n FROM applicants a WHERE a.id = OLD.id
  UNION ALL SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'commune' AS dim, COALESCE(a.commune_code, '~') AS key, -1 AS n FROM applicants a WHERE a.id = OLD.id
  UNION ALL SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'edu' AS dim, COALESCE(a.education_level, '~') AS key, -1 AS n FROM applicants a WHERE a.id = OLD.id
  UNION ALL SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'birth' AS dim, CASE WHEN a.birth_date IS NULL THEN '~' WHEN substr(a.birth_date, 9, 2) BETWEEN '01' AND '28' THEN substr(a.birth_date, 1, 8) || '01' ELSE a.birth_date END AS key, -1 AS n FROM applicants a WHERE a.id = OLD.id
  UNION ALL SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'cat' AS dim, 'ph' AS key, -1 AS n FROM applicants a WHERE a.id = OLD.id AND a.sex = 'F' AND a.is_project_holder = 1
  UNION ALL SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'cat' AS dim, 'ds' AS key, -1 AS n FROM applicants a WHERE a.id = OLD.id AND a.sex = 'F' AND a.is_difficult_situation = 1
  UNION ALL SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'cat' AS dim, 'di' AS key, -1 AS n FROM applicants a WHERE a.id = OLD.id AND a.has_disability = 1
  UNION ALL SELECT a.office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00'), 'sit', x.code, -1 FROM applicant_situations x JOIN applicants a ON a.id = x.applicant_id WHERE a.id = OLD.id AND a.sex = 'F' AND a.is_difficult_situation = 1
  UNION ALL SELECT a.office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00'), 'dis', x.code, -1 FROM applicant_disabilities x JOIN applicants a ON a.id = x.applicant_id WHERE a.id = OLD.id AND a.has_disability = 1) GROUP BY dim, month, office_id, key HAVING SUM(n) <> 0
  ON CONFLICT (dim, month, office_id, key) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER applicants_report_attr_au AFTER UPDATE OF office_id, created_at, sex, commune_code, education_level, birth_date, is_project_holder, is_difficult_situation, has_disability ON applicants WHEN OLD.office_id IS NOT NEW.office_id OR OLD.created_at IS NOT NEW.created_at OR OLD.sex IS NOT NEW.sex OR OLD.commune_code IS NOT NEW.commune_code OR OLD.education_level IS NOT NEW.education_level OR OLD.birth_date IS NOT NEW.birth_date OR OLD.is_project_holder IS NOT NEW.is_project_holder OR OLD.is_difficult_situation IS NOT NEW.is_difficult_situation OR OLD.has_disability IS NOT NEW.has_disability BEGIN
  INSERT INTO report_counts (dim, month, office_id, key, n)
  SELECT dim, month, office_id, key, SUM(n) FROM (SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'sex' AS dim, a.sex AS key, 1 AS n FROM applicants a WHERE a.id = NEW.id
  UNION ALL SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'commune' AS dim, COALESCE(a.commune_code, '~') AS key, 1 AS n FROM applicants a WHERE a.id = NEW.id
  UNION ALL SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'edu' AS dim, COALESCE(a.education_level, '~') AS key, 1 AS n FROM applicants a WHERE a.id = NEW.id
  UNION ALL SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'birth' AS dim, CASE WHEN a.birth_date IS NULL THEN '~' WHEN substr(a.birth_date, 9, 2) BETWEEN '01' AND '28' THEN substr(a.birth_date, 1, 8) || '01' ELSE a.birth_date END AS key, 1 AS n FROM applicants a WHERE a.id = NEW.id
  UNION ALL SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'cat' AS dim, 'ph' AS key, 1 AS n FROM applicants a WHERE a.id = NEW.id AND a.sex = 'F' AND a.is_project_holder = 1
  UNION ALL SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'cat' AS dim, 'ds' AS key, 1 AS n FROM applicants a WHERE a.id = NEW.id AND a.sex = 'F' AND a.is_difficult_situation = 1
  UNION ALL SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'cat' AS dim, 'di' AS key, 1 AS n FROM applicants a WHERE a.id = NEW.id AND a.has_disability = 1
  UNION ALL SELECT a.office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00'), 'sit', x.code, 1 FROM applicant_situations x JOIN applicants a ON a.id = x.applicant_id WHERE a.id = NEW.id AND a.sex = 'F' AND a.is_difficult_situation = 1
  UNION ALL SELECT a.office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00'), 'dis', x.code, 1 FROM applicant_disabilities x JOIN applicants a ON a.id = x.applicant_id WHERE a.id = NEW.id AND a.has_disability = 1) GROUP BY dim, month, office_id, key HAVING SUM(n) <> 0
  ON CONFLICT (dim, month, office_id, key) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER applicants_report_path_bu BEFORE UPDATE OF office_id, created_at, status, status_changed_at ON applicants WHEN OLD.office_id IS NOT NEW.office_id OR OLD.created_at IS NOT NEW.created_at OR OLD.status IS NOT NEW.status OR OLD.status_changed_at IS NOT NEW.status_changed_at BEGIN
  INSERT INTO report_counts (dim, month, office_id, key, n)
  SELECT dim, month, office_id, key, SUM(n) FROM (SELECT a.office_id AS office_id, rm2.month AS month, CASE WHEN w.k < 2 THEN 'status' ELSE 'funnel' END AS dim,
      CASE w.k WHEN 0 THEN CASE WHEN a.status_changed_at < rm2.end_at THEN a.status
        ELSE COALESCE((SELECT h.to_status FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.end_at ORDER BY h.at DESC LIMIT 1), 'registered') END WHEN 1 THEN CASE WHEN a.status_changed_at < rm2.start_at THEN a.status
        ELSE COALESCE((SELECT h.to_status FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.start_at ORDER BY h.at DESC LIMIT 1), 'registered') END
               WHEN 2 THEN CAST(CASE WHEN a.status_changed_at < rm2.end_at AND a.status NOT IN ('closed', 'not_retained', 'dropped_out') THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END
        ELSE COALESCE((SELECT MAX(CASE h.to_status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END) FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.end_at),
                      CASE WHEN a.status_changed_at < rm2.end_at THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END ELSE 0 END) END AS TEXT) ELSE CAST(CASE WHEN a.status_changed_at < rm2.start_at AND a.status NOT IN ('closed', 'not_retained', 'dropped_out') THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END
        ELSE COALESCE((SELECT MAX(CASE h.to_status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END) FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.start_at),
                      CASE WHEN a.status_changed_at < rm2.start_at THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END ELSE 0 END) END AS TEXT) END AS key,
      CASE WHEN w.k % 2 = 0 THEN -1 ELSE -(-1) END AS n
    FROM (SELECT a.id AS aid, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS m, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS m0 FROM applicants a WHERE a.id = OLD.id
      UNION SELECT a.id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.status_changed_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00'), COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') FROM applicants a WHERE a.id = OLD.id
      UNION SELECT a.id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= h.at ORDER BY rm.start_at DESC LIMIT 1), '0000-00'), COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') FROM status_history h JOIN applicants a ON a.id = h.applicant_id WHERE a.id = OLD.id) c JOIN applicants a ON a.id = c.aid JOIN report_months rm2 ON rm2.month = c.m
    JOIN (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) w ON w.k % 2 = 0 OR c.m > c.m0
   WHERE c.m >= c.m0) GROUP BY dim, month, office_id, key HAVING SUM(n) <> 0
  ON CONFLICT (dim, month, office_id, key) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER applicants_report_path_au AFTER UPDATE OF office_id, created_at, status, status_changed_at ON applicants WHEN OLD.office_id IS NOT NEW.office_id OR OLD.created_at IS NOT NEW.created_at OR OLD.status IS NOT NEW.status OR OLD.status_changed_at IS NOT NEW.status_changed_at BEGIN
  INSERT INTO report_counts (dim, month, office_id, key, n)
  SELECT dim, month, office_id, key, SUM(n) FROM (SELECT a.office_id AS office_id, rm2.month AS month, CASE WHEN w.k < 2 THEN 'status' ELSE 'funnel' END AS dim,
      CASE w.k WHEN 0 THEN CASE WHEN a.status_changed_at < rm2.end_at THEN a.status
        ELSE COALESCE((SELECT h.to_status FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.end_at ORDER BY h.at DESC LIMIT 1), 'registered') END WHEN 1 THEN CASE WHEN a.status_changed_at < rm2.start_at THEN a.status
        ELSE COALESCE((SELECT h.to_status FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.start_at ORDER BY h.at DESC LIMIT 1), 'registered') END
               WHEN 2 THEN CAST(CASE WHEN a.status_changed_at < rm2.end_at AND a.status NOT IN ('closed', 'not_retained', 'dropped_out') THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END
        ELSE COALESCE((SELECT MAX(CASE h.to_status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END) FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.end_at),
                      CASE WHEN a.status_changed_at < rm2.end_at THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END ELSE 0 END) END AS TEXT) ELSE CAST(CASE WHEN a.status_changed_at < rm2.start_at AND a.status NOT IN ('closed', 'not_retained', 'dropped_out') THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END
        ELSE COALESCE((SELECT MAX(CASE h.to_status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END) FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.start_at),
                      CASE WHEN a.status_changed_at < rm2.start_at THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END ELSE 0 END) END AS TEXT) END AS key,
      CASE WHEN w.k % 2 = 0 THEN 1 ELSE -(1) END AS n
    FROM (SELECT a.id AS aid, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS m, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS m0 FROM applicants a WHERE a.id = NEW.id
      UNION SELECT a.id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.status_changed_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00'), COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') FROM applicants a WHERE a.id = NEW.id
      UNION SELECT a.id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= h.at ORDER BY rm.start_at DESC LIMIT 1), '0000-00'), COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') FROM status_history h JOIN applicants a ON a.id = h.applicant_id WHERE a.id = NEW.id) c JOIN applicants a ON a.id = c.aid JOIN report_months rm2 ON rm2.month = c.m
    JOIN (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) w ON w.k % 2 = 0 OR c.m > c.m0
   WHERE c.m >= c.m0) GROUP BY dim, month, office_id, key HAVING SUM(n) <> 0
  ON CONFLICT (dim, month, office_id, key) DO UPDATE SET n = n + excluded.n;
END;

-- Sub-categories and disability types.
CREATE TRIGGER applicant_situations_report_ai AFTER INSERT ON applicant_situations BEGIN
  INSERT INTO report_counts (dim, month, office_id, key, n)
  SELECT dim, month, office_id, key, SUM(n) FROM (SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'sit' AS dim, NEW.code AS key, 1 AS n FROM applicants a WHERE a.id = NEW.applicant_id AND a.sex = 'F' AND a.is_difficult_situation = 1) GROUP BY dim, month, office_id, key HAVING SUM(n) <> 0
  ON CONFLICT (dim, month, office_id, key) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER applicant_situations_report_ad AFTER DELETE ON applicant_situations BEGIN
  INSERT INTO report_counts (dim, month, office_id, key, n)
  SELECT dim, month, office_id, key, SUM(n) FROM (SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'sit' AS dim, OLD.code AS key, -1 AS n FROM applicants a WHERE a.id = OLD.applicant_id AND a.sex = 'F' AND a.is_difficult_situation = 1) GROUP BY dim, month, office_id, key HAVING SUM(n) <> 0
  ON CONFLICT (dim, month, office_id, key) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER applicant_situations_report_au AFTER UPDATE ON applicant_situations WHEN OLD.code IS NOT NEW.code OR OLD.applicant_id IS NOT NEW.applicant_id BEGIN
  INSERT INTO report_counts (dim, month, office_id, key, n)
  SELECT dim, month, office_id, key, SUM(n) FROM (SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'sit' AS dim, OLD.code AS key, -1 AS n FROM applicants a WHERE a.id = OLD.applicant_id AND a.sex = 'F' AND a.is_difficult_situation = 1) GROUP BY dim, month, office_id, key HAVING SUM(n) <> 0
  ON CONFLICT (dim, month, office_id, key) DO UPDATE SET n = n + excluded.n;
  INSERT INTO report_counts (dim, month, office_id, key, n)
  SELECT dim, month, office_id, key, SUM(n) FROM (SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'sit' AS dim, NEW.code AS key, 1 AS n FROM applicants a WHERE a.id = NEW.applicant_id AND a.sex = 'F' AND a.is_difficult_situation = 1) GROUP BY dim, month, office_id, key HAVING SUM(n) <> 0
  ON CONFLICT (dim, month, office_id, key) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER applicant_disabilities_report_ai AFTER INSERT ON applicant_disabilities BEGIN
  INSERT INTO report_counts (dim, month, office_id, key, n)
  SELECT dim, month, office_id, key, SUM(n) FROM (SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'dis' AS dim, NEW.code AS key, 1 AS n FROM applicants a WHERE a.id = NEW.applicant_id AND a.has_disability = 1) GROUP BY dim, month, office_id, key HAVING SUM(n) <> 0
  ON CONFLICT (dim, month, office_id, key) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER applicant_disabilities_report_ad AFTER DELETE ON applicant_disabilities BEGIN
  INSERT INTO report_counts (dim, month, office_id, key, n)
  SELECT dim, month, office_id, key, SUM(n) FROM (SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'dis' AS dim, OLD.code AS key, -1 AS n FROM applicants a WHERE a.id = OLD.applicant_id AND a.has_disability = 1) GROUP BY dim, month, office_id, key HAVING SUM(n) <> 0
  ON CONFLICT (dim, month, office_id, key) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER applicant_disabilities_report_au AFTER UPDATE ON applicant_disabilities WHEN OLD.code IS NOT NEW.code OR OLD.applicant_id IS NOT NEW.applicant_id BEGIN
  INSERT INTO report_counts (dim, month, office_id, key, n)
  SELECT dim, month, office_id, key, SUM(n) FROM (SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'dis' AS dim, OLD.code AS key, -1 AS n FROM applicants a WHERE a.id = OLD.applicant_id AND a.has_disability = 1) GROUP BY dim, month, office_id, key HAVING SUM(n) <> 0
  ON CONFLICT (dim, month, office_id, key) DO UPDATE SET n = n + excluded.n;
  INSERT INTO report_counts (dim, month, office_id, key, n)
  SELECT dim, month, office_id, key, SUM(n) FROM (SELECT a.office_id AS office_id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS month, 'dis' AS dim, NEW.code AS key, 1 AS n FROM applicants a WHERE a.id = NEW.applicant_id AND a.has_disability = 1) GROUP BY dim, month, office_id, key HAVING SUM(n) <> 0
  ON CONFLICT (dim, month, office_id, key) DO UPDATE SET n = n + excluded.n;
END;

-- Status history: the file's path rows without the new move, then with it (no BEFORE INSERT: an INSERT OR IGNORE
-- that ignores its row fires BEFORE triggers but not AFTER ones).
CREATE TRIGGER status_history_report_ai AFTER INSERT ON status_history BEGIN
  INSERT INTO report_counts (dim, month, office_id, key, n)
  SELECT dim, month, office_id, key, SUM(n) FROM (SELECT a.office_id AS office_id, rm2.month AS month, CASE WHEN w.k < 2 THEN 'status' ELSE 'funnel' END AS dim,
      CASE w.k WHEN 0 THEN CASE WHEN a.status_changed_at < rm2.end_at THEN a.status
        ELSE COALESCE((SELECT h.to_status FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.end_at AND h.id IS NOT NEW.id ORDER BY h.at DESC LIMIT 1), 'registered') END WHEN 1 THEN CASE WHEN a.status_changed_at < rm2.start_at THEN a.status
        ELSE COALESCE((SELECT h.to_status FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.start_at AND h.id IS NOT NEW.id ORDER BY h.at DESC LIMIT 1), 'registered') END
               WHEN 2 THEN CAST(CASE WHEN a.status_changed_at < rm2.end_at AND a.status NOT IN ('closed', 'not_retained', 'dropped_out') THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END
        ELSE COALESCE((SELECT MAX(CASE h.to_status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END) FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.end_at AND h.id IS NOT NEW.id),
                      CASE WHEN a.status_changed_at < rm2.end_at THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END ELSE 0 END) END AS TEXT) ELSE CAST(CASE WHEN a.status_changed_at < rm2.start_at AND a.status NOT IN ('closed', 'not_retained', 'dropped_out') THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END
        ELSE COALESCE((SELECT MAX(CASE h.to_status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END) FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.start_at AND h.id IS NOT NEW.id),
                      CASE WHEN a.status_changed_at < rm2.start_at THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END ELSE 0 END) END AS TEXT) END AS key,
      CASE WHEN w.k % 2 = 0 THEN -1 ELSE -(-1) END AS n
    FROM (SELECT a.id AS aid, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS m, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS m0 FROM applicants a WHERE a.id = NEW.applicant_id
      UNION SELECT a.id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.status_changed_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00'), COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') FROM applicants a WHERE a.id = NEW.applicant_id
      UNION SELECT a.id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= h.at ORDER BY rm.start_at DESC LIMIT 1), '0000-00'), COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') FROM status_history h JOIN applicants a ON a.id = h.applicant_id WHERE a.id = NEW.applicant_id AND h.id IS NOT NEW.id) c JOIN applicants a ON a.id = c.aid JOIN report_months rm2 ON rm2.month = c.m
    JOIN (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) w ON w.k % 2 = 0 OR c.m > c.m0
   WHERE c.m >= c.m0) GROUP BY dim, month, office_id, key HAVING SUM(n) <> 0
  ON CONFLICT (dim, month, office_id, key) DO UPDATE SET n = n + excluded.n;
  INSERT INTO report_counts (dim, month, office_id, key, n)
  SELECT dim, month, office_id, key, SUM(n) FROM (SELECT a.office_id AS office_id, rm2.month AS month, CASE WHEN w.k < 2 THEN 'status' ELSE 'funnel' END AS dim,
      CASE w.k WHEN 0 THEN CASE WHEN a.status_changed_at < rm2.end_at THEN a.status
        ELSE COALESCE((SELECT h.to_status FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.end_at ORDER BY h.at DESC LIMIT 1), 'registered') END WHEN 1 THEN CASE WHEN a.status_changed_at < rm2.start_at THEN a.status
        ELSE COALESCE((SELECT h.to_status FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.start_at ORDER BY h.at DESC LIMIT 1), 'registered') END
               WHEN 2 THEN CAST(CASE WHEN a.status_changed_at < rm2.end_at AND a.status NOT IN ('closed', 'not_retained', 'dropped_out') THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END
        ELSE COALESCE((SELECT MAX(CASE h.to_status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END) FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.end_at),
                      CASE WHEN a.status_changed_at < rm2.end_at THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END ELSE 0 END) END AS TEXT) ELSE CAST(CASE WHEN a.status_changed_at < rm2.start_at AND a.status NOT IN ('closed', 'not_retained', 'dropped_out') THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END
        ELSE COALESCE((SELECT MAX(CASE h.to_status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END) FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.start_at),
                      CASE WHEN a.status_changed_at < rm2.start_at THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END ELSE 0 END) END AS TEXT) END AS key,
      CASE WHEN w.k % 2 = 0 THEN 1 ELSE -(1) END AS n
    FROM (SELECT a.id AS aid, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS m, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS m0 FROM applicants a WHERE a.id = NEW.applicant_id
      UNION SELECT a.id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.status_changed_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00'), COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') FROM applicants a WHERE a.id = NEW.applicant_id
      UNION SELECT a.id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= h.at ORDER BY rm.start_at DESC LIMIT 1), '0000-00'), COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') FROM status_history h JOIN applicants a ON a.id = h.applicant_id WHERE a.id = NEW.applicant_id) c JOIN applicants a ON a.id = c.aid JOIN report_months rm2 ON rm2.month = c.m
    JOIN (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) w ON w.k % 2 = 0 OR c.m > c.m0
   WHERE c.m >= c.m0) GROUP BY dim, month, office_id, key HAVING SUM(n) <> 0
  ON CONFLICT (dim, month, office_id, key) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER status_history_report_bd BEFORE DELETE ON status_history BEGIN
  INSERT INTO report_counts (dim, month, office_id, key, n)
  SELECT dim, month, office_id, key, SUM(n) FROM (SELECT a.office_id AS office_id, rm2.month AS month, CASE WHEN w.k < 2 THEN 'status' ELSE 'funnel' END AS dim,
      CASE w.k WHEN 0 THEN CASE WHEN a.status_changed_at < rm2.end_at THEN a.status
        ELSE COALESCE((SELECT h.to_status FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.end_at ORDER BY h.at DESC LIMIT 1), 'registered') END WHEN 1 THEN CASE WHEN a.status_changed_at < rm2.start_at THEN a.status
        ELSE COALESCE((SELECT h.to_status FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.start_at ORDER BY h.at DESC LIMIT 1), 'registered') END
               WHEN 2 THEN CAST(CASE WHEN a.status_changed_at < rm2.end_at AND a.status NOT IN ('closed', 'not_retained', 'dropped_out') THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END
        ELSE COALESCE((SELECT MAX(CASE h.to_status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END) FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.end_at),
                      CASE WHEN a.status_changed_at < rm2.end_at THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END ELSE 0 END) END AS TEXT) ELSE CAST(CASE WHEN a.status_changed_at < rm2.start_at AND a.status NOT IN ('closed', 'not_retained', 'dropped_out') THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END
        ELSE COALESCE((SELECT MAX(CASE h.to_status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END) FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.start_at),
                      CASE WHEN a.status_changed_at < rm2.start_at THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END ELSE 0 END) END AS TEXT) END AS key,
      CASE WHEN w.k % 2 = 0 THEN -1 ELSE -(-1) END AS n
    FROM (SELECT a.id AS aid, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS m, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS m0 FROM applicants a WHERE a.id = OLD.applicant_id
      UNION SELECT a.id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.status_changed_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00'), COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') FROM applicants a WHERE a.id = OLD.applicant_id
      UNION SELECT a.id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= h.at ORDER BY rm.start_at DESC LIMIT 1), '0000-00'), COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') FROM status_history h JOIN applicants a ON a.id = h.applicant_id WHERE a.id = OLD.applicant_id) c JOIN applicants a ON a.id = c.aid JOIN report_months rm2 ON rm2.month = c.m
    JOIN (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) w ON w.k % 2 = 0 OR c.m > c.m0
   WHERE c.m >= c.m0) GROUP BY dim, month, office_id, key HAVING SUM(n) <> 0
  ON CONFLICT (dim, month, office_id, key) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER status_history_report_ad AFTER DELETE ON status_history BEGIN
  INSERT INTO report_counts (dim, month, office_id, key, n)
  SELECT dim, month, office_id, key, SUM(n) FROM (SELECT a.office_id AS office_id, rm2.month AS month, CASE WHEN w.k < 2 THEN 'status' ELSE 'funnel' END AS dim,
      CASE w.k WHEN 0 THEN CASE WHEN a.status_changed_at < rm2.end_at THEN a.status
        ELSE COALESCE((SELECT h.to_status FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.end_at ORDER BY h.at DESC LIMIT 1), 'registered') END WHEN 1 THEN CASE WHEN a.status_changed_at < rm2.start_at THEN a.status
        ELSE COALESCE((SELECT h.to_status FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.start_at ORDER BY h.at DESC LIMIT 1), 'registered') END
               WHEN 2 THEN CAST(CASE WHEN a.status_changed_at < rm2.end_at AND a.status NOT IN ('closed', 'not_retained', 'dropped_out') THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END
        ELSE COALESCE((SELECT MAX(CASE h.to_status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END) FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.end_at),
                      CASE WHEN a.status_changed_at < rm2.end_at THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END ELSE 0 END) END AS TEXT) ELSE CAST(CASE WHEN a.status_changed_at < rm2.start_at AND a.status NOT IN ('closed', 'not_retained', 'dropped_out') THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END
        ELSE COALESCE((SELECT MAX(CASE h.to_status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END) FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.start_at),
                      CASE WHEN a.status_changed_at < rm2.start_at THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END ELSE 0 END) END AS TEXT) END AS key,
      CASE WHEN w.k % 2 = 0 THEN 1 ELSE -(1) END AS n
    FROM (SELECT a.id AS aid, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS m, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS m0 FROM applicants a WHERE a.id = OLD.applicant_id
      UNION SELECT a.id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.status_changed_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00'), COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') FROM applicants a WHERE a.id = OLD.applicant_id
      UNION SELECT a.id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= h.at ORDER BY rm.start_at DESC LIMIT 1), '0000-00'), COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') FROM status_history h JOIN applicants a ON a.id = h.applicant_id WHERE a.id = OLD.applicant_id) c JOIN applicants a ON a.id = c.aid JOIN report_months rm2 ON rm2.month = c.m
    JOIN (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) w ON w.k % 2 = 0 OR c.m > c.m0
   WHERE c.m >= c.m0) GROUP BY dim, month, office_id, key HAVING SUM(n) <> 0
  ON CONFLICT (dim, month, office_id, key) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER status_history_report_bu BEFORE UPDATE OF applicant_id, to_status, at ON status_history WHEN OLD.applicant_id IS NOT NEW.applicant_id OR OLD.to_status IS NOT NEW.to_status OR OLD.at IS NOT NEW.at BEGIN
  INSERT INTO report_counts (dim, month, office_id, key, n)
  SELECT dim, month, office_id, key, SUM(n) FROM (SELECT a.office_id AS office_id, rm2.month AS month, CASE WHEN w.k < 2 THEN 'status' ELSE 'funnel' END AS dim,
      CASE w.k WHEN 0 THEN CASE WHEN a.status_changed_at < rm2.end_at THEN a.status
        ELSE COALESCE((SELECT h.to_status FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.end_at ORDER BY h.at DESC LIMIT 1), 'registered') END WHEN 1 THEN CASE WHEN a.status_changed_at < rm2.start_at THEN a.status
        ELSE COALESCE((SELECT h.to_status FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.start_at ORDER BY h.at DESC LIMIT 1), 'registered') END
               WHEN 2 THEN CAST(CASE WHEN a.status_changed_at < rm2.end_at AND a.status NOT IN ('closed', 'not_retained', 'dropped_out') THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END
        ELSE COALESCE((SELECT MAX(CASE h.to_status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END) FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.end_at),
                      CASE WHEN a.status_changed_at < rm2.end_at THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END ELSE 0 END) END AS TEXT) ELSE CAST(CASE WHEN a.status_changed_at < rm2.start_at AND a.status NOT IN ('closed', 'not_retained', 'dropped_out') THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END
        ELSE COALESCE((SELECT MAX(CASE h.to_status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END) FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.start_at),
                      CASE WHEN a.status_changed_at < rm2.start_at THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END ELSE 0 END) END AS TEXT) END AS key,
      CASE WHEN w.k % 2 = 0 THEN -1 ELSE -(-1) END AS n
    FROM (SELECT a.id AS aid, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS m, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS m0 FROM applicants a WHERE a.id IN (OLD.applicant_id, NEW.applicant_id)
      UNION SELECT a.id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.status_changed_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00'), COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') FROM applicants a WHERE a.id IN (OLD.applicant_id, NEW.applicant_id)
      UNION SELECT a.id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= h.at ORDER BY rm.start_at DESC LIMIT 1), '0000-00'), COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') FROM status_history h JOIN applicants a ON a.id = h.applicant_id WHERE a.id IN (OLD.applicant_id, NEW.applicant_id)) c JOIN applicants a ON a.id = c.aid JOIN report_months rm2 ON rm2.month = c.m
    JOIN (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) w ON w.k % 2 = 0 OR c.m > c.m0
   WHERE c.m >= c.m0) GROUP BY dim, month, office_id, key HAVING SUM(n) <> 0
  ON CONFLICT (dim, month, office_id, key) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER status_history_report_au AFTER UPDATE OF applicant_id, to_status, at ON status_history WHEN OLD.applicant_id IS NOT NEW.applicant_id OR OLD.to_status IS NOT NEW.to_status OR OLD.at IS NOT NEW.at BEGIN
  INSERT INTO report_counts (dim, month, office_id, key, n)
  SELECT dim, month, office_id, key, SUM(n) FROM (SELECT a.office_id AS office_id, rm2.month AS month, CASE WHEN w.k < 2 THEN 'status' ELSE 'funnel' END AS dim,
      CASE w.k WHEN 0 THEN CASE WHEN a.status_changed_at < rm2.end_at THEN a.status
        ELSE COALESCE((SELECT h.to_status FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.end_at ORDER BY h.at DESC LIMIT 1), 'registered') END WHEN 1 THEN CASE WHEN a.status_changed_at < rm2.start_at THEN a.status
        ELSE COALESCE((SELECT h.to_status FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.start_at ORDER BY h.at DESC LIMIT 1), 'registered') END
               WHEN 2 THEN CAST(CASE WHEN a.status_changed_at < rm2.end_at AND a.status NOT IN ('closed', 'not_retained', 'dropped_out') THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END
        ELSE COALESCE((SELECT MAX(CASE h.to_status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END) FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.end_at),
                      CASE WHEN a.status_changed_at < rm2.end_at THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END ELSE 0 END) END AS TEXT) ELSE CAST(CASE WHEN a.status_changed_at < rm2.start_at AND a.status NOT IN ('closed', 'not_retained', 'dropped_out') THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END
        ELSE COALESCE((SELECT MAX(CASE h.to_status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END) FROM status_history h WHERE h.applicant_id = a.id AND h.at < rm2.start_at),
                      CASE WHEN a.status_changed_at < rm2.start_at THEN CASE a.status WHEN 'registered' THEN 0 WHEN 'oriented' THEN 1 WHEN 'preselected' THEN 2 WHEN 'in_training' THEN 3 WHEN 'trained' THEN 4 WHEN 'in_incubation' THEN 5 WHEN 'project_validated' THEN 6 WHEN 'financed' THEN 7 WHEN 'followed_up' THEN 8 WHEN 'closed' THEN 9 ELSE 0 END ELSE 0 END) END AS TEXT) END AS key,
      CASE WHEN w.k % 2 = 0 THEN 1 ELSE -(1) END AS n
    FROM (SELECT a.id AS aid, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS m, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') AS m0 FROM applicants a WHERE a.id IN (OLD.applicant_id, NEW.applicant_id)
      UNION SELECT a.id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.status_changed_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00'), COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') FROM applicants a WHERE a.id IN (OLD.applicant_id, NEW.applicant_id)
      UNION SELECT a.id, COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= h.at ORDER BY rm.start_at DESC LIMIT 1), '0000-00'), COALESCE((SELECT rm.month FROM report_months rm WHERE rm.start_at <= a.created_at ORDER BY rm.start_at DESC LIMIT 1), '0000-00') FROM status_history h JOIN applicants a ON a.id = h.applicant_id WHERE a.id IN (OLD.applicant_id, NEW.applicant_id)) c JOIN applicants a ON a.id = c.aid JOIN report_months rm2 ON rm2.month = c.m
    JOIN (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) w ON w.k % 2 = 0 OR c.m > c.m0
   WHERE c.m >= c.m0) GROUP BY dim, month, office_id, key HAVING SUM(n) <> 0
  ON CONFLICT (dim, month, office_id, key) DO UPDATE SET n = n + excluded.n;
END;

-- Sessions and attendance.
CREATE TRIGGER training_sessions_report_ai AFTER INSERT ON training_sessions BEGIN
  INSERT INTO report_sessions (month, office_id, topic_code, organisation_id, sessions, minutes, present, recorded)
  SELECT month, office_id, topic_code, organisation_id, SUM(sessions), SUM(minutes), SUM(present), SUM(recorded) FROM (SELECT s.office_id AS office_id, substr(s.date, 1, 7) AS month, s.topic_code AS topic_code, s.organisation_id AS organisation_id,
          1 AS sessions, 1 * s.duration_min AS minutes,
          1 * (SELECT COUNT(*) FROM attendance t WHERE t.session_id = s.id AND t.status = 'present') AS present,
          1 * (SELECT COUNT(*) FROM attendance t WHERE t.session_id = s.id) AS recorded
     FROM training_sessions s JOIN organisations g ON g.id = s.organisation_id WHERE s.cancelled_at IS NULL AND s.id = NEW.id)
   GROUP BY month, office_id, topic_code, organisation_id
  ON CONFLICT (month, office_id, topic_code, organisation_id) DO UPDATE SET sessions = sessions + excluded.sessions,
    minutes = minutes + excluded.minutes, present = present + excluded.present, recorded = recorded + excluded.recorded;
END;
CREATE TRIGGER training_sessions_report_bd BEFORE DELETE ON training_sessions BEGIN
  INSERT INTO report_sessions (month, office_id, topic_code, organisation_id, sessions, minutes, present, recorded)
  SELECT month, office_id, topic_code, organisation_id, SUM(sessions), SUM(minutes), SUM(present), SUM(recorded) FROM (SELECT s.office_id AS office_id, substr(s.date, 1, 7) AS month, s.topic_code AS topic_code, s.organisation_id AS organisation_id,
          -1 AS sessions, -1 * s.duration_min AS minutes,
          -1 * (SELECT COUNT(*) FROM attendance t WHERE t.session_id = s.id AND t.status = 'present') AS present,
          -1 * (SELECT COUNT(*) FROM attendance t WHERE t.session_id = s.id) AS recorded
     FROM training_sessions s JOIN organisations g ON g.id = s.organisation_id WHERE s.cancelled_at IS NULL AND s.id = OLD.id)
   GROUP BY month, office_id, topic_code, organisation_id
  ON CONFLICT (month, office_id, topic_code, organisation_id) DO UPDATE SET sessions = sessions + excluded.sessions,
    minutes = minutes + excluded.minutes, present = present + excluded.present, recorded = recorded + excluded.recorded;
END;
CREATE TRIGGER training_sessions_report_bu BEFORE UPDATE OF office_id, date, cancelled_at, topic_code, organisation_id, duration_min ON training_sessions WHEN OLD.office_id IS NOT NEW.office_id OR OLD.date IS NOT NEW.date OR OLD.cancelled_at IS NOT NEW.cancelled_at OR OLD.topic_code IS NOT NEW.topic_code OR OLD.organisation_id IS NOT NEW.organisation_id OR OLD.duration_min IS NOT NEW.duration_min BEGIN
  INSERT INTO report_sessions (month, office_id, topic_code, organisation_id, sessions, minutes, present, recorded)
  SELECT month, office_id, topic_code, organisation_id, SUM(sessions), SUM(minutes), SUM(present), SUM(recorded) FROM (SELECT s.office_id AS office_id, substr(s.date, 1, 7) AS month, s.topic_code AS topic_code, s.organisation_id AS organisation_id,
          -1 AS sessions, -1 * s.duration_min AS minutes,
          -1 * (SELECT COUNT(*) FROM attendance t WHERE t.session_id = s.id AND t.status = 'present') AS present,
          -1 * (SELECT COUNT(*) FROM attendance t WHERE t.session_id = s.id) AS recorded
     FROM training_sessions s JOIN organisations g ON g.id = s.organisation_id WHERE s.cancelled_at IS NULL AND s.id = OLD.id)
   GROUP BY month, office_id, topic_code, organisation_id
  ON CONFLICT (month, office_id, topic_code, organisation_id) DO UPDATE SET sessions = sessions + excluded.sessions,
    minutes = minutes + excluded.minutes, present = present + excluded.present, recorded = recorded + excluded.recorded;
END;
CREATE TRIGGER training_sessions_report_au AFTER UPDATE OF office_id, date, cancelled_at, topic_code, organisation_id, duration_min ON training_sessions WHEN OLD.office_id IS NOT NEW.office_id OR OLD.date IS NOT NEW.date OR OLD.cancelled_at IS NOT NEW.cancelled_at OR OLD.topic_code IS NOT NEW.topic_code OR OLD.organisation_id IS NOT NEW.organisation_id OR OLD.duration_min IS NOT NEW.duration_min BEGIN
  INSERT INTO report_sessions (month, office_id, topic_code, organisation_id, sessions, minutes, present, recorded)
  SELECT month, office_id, topic_code, organisation_id, SUM(sessions), SUM(minutes), SUM(present), SUM(recorded) FROM (SELECT s.office_id AS office_id, substr(s.date, 1, 7) AS month, s.topic_code AS topic_code, s.organisation_id AS organisation_id,
          1 AS sessions, 1 * s.duration_min AS minutes,
          1 * (SELECT COUNT(*) FROM attendance t WHERE t.session_id = s.id AND t.status = 'present') AS present,
          1 * (SELECT COUNT(*) FROM attendance t WHERE t.session_id = s.id) AS recorded
     FROM training_sessions s JOIN organisations g ON g.id = s.organisation_id WHERE s.cancelled_at IS NULL AND s.id = NEW.id)
   GROUP BY month, office_id, topic_code, organisation_id
  ON CONFLICT (month, office_id, topic_code, organisation_id) DO UPDATE SET sessions = sessions + excluded.sessions,
    minutes = minutes + excluded.minutes, present = present + excluded.present, recorded = recorded + excluded.recorded;
END;
CREATE TRIGGER attendance_report_ai AFTER INSERT ON attendance BEGIN
  INSERT INTO report_sessions (month, office_id, topic_code, organisation_id, sessions, minutes, present, recorded)
  SELECT substr(s.date, 1, 7), s.office_id, s.topic_code, s.organisation_id, 0, 0, 1 * (NEW.status = 'present'), 1
    FROM training_sessions s JOIN organisations g ON g.id = s.organisation_id WHERE s.id = NEW.session_id AND s.cancelled_at IS NULL
  ON CONFLICT (month, office_id, topic_code, organisation_id) DO UPDATE SET present = present + excluded.present, recorded = recorded + excluded.recorded;
END;
CREATE TRIGGER attendance_report_ad AFTER DELETE ON attendance BEGIN
  INSERT INTO report_sessions (month, office_id, topic_code, organisation_id, sessions, minutes, present, recorded)
  SELECT substr(s.date, 1, 7), s.office_id, s.topic_code, s.organisation_id, 0, 0, -1 * (OLD.status = 'present'), -1
    FROM training_sessions s JOIN organisations g ON g.id = s.organisation_id WHERE s.id = OLD.session_id AND s.cancelled_at IS NULL
  ON CONFLICT (month, office_id, topic_code, organisation_id) DO UPDATE SET present = present + excluded.present, recorded = recorded + excluded.recorded;
END;
CREATE TRIGGER attendance_report_au AFTER UPDATE OF session_id, status ON attendance WHEN OLD.session_id IS NOT NEW.session_id OR OLD.status IS NOT NEW.status BEGIN
  INSERT INTO report_sessions (month, office_id, topic_code, organisation_id, sessions, minutes, present, recorded)
  SELECT substr(s.date, 1, 7), s.office_id, s.topic_code, s.organisation_id, 0, 0, -1 * (OLD.status = 'present'), -1
    FROM training_sessions s JOIN organisations g ON g.id = s.organisation_id WHERE s.id = OLD.session_id AND s.cancelled_at IS NULL
  ON CONFLICT (month, office_id, topic_code, organisation_id) DO UPDATE SET present = present + excluded.present, recorded = recorded + excluded.recorded;
  INSERT INTO report_sessions (month, office_id, topic_code, organisation_id, sessions, minutes, present, recorded)
  SELECT substr(s.date, 1, 7), s.office_id, s.topic_code, s.organisation_id, 0, 0, 1 * (NEW.status = 'present'), 1
    FROM training_sessions s JOIN organisations g ON g.id = s.organisation_id WHERE s.id = NEW.session_id AND s.cancelled_at IS NULL
  ON CONFLICT (month, office_id, topic_code, organisation_id) DO UPDATE SET present = present + excluded.present, recorded = recorded + excluded.recorded;
END;
