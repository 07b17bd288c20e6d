-- The month and week views of sessions (issue 19) show each session's present / absent / excused counts. They were
-- counted from the session's attendance rows at each look: at the region's busiest month (4,552 sessions, about
-- 50,000 attendance rows) the counting alone took 9 times the view's goal of 50 ms. session_counts keeps them per
-- session, maintained by triggers in the writing statement's own transaction — whatever writes attendance (the forms
-- and sheets, the exchange import, the seed, retention) keeps them exact — so the view reads one row per session.
-- No row: no attendance recorded. The triggers' names hold "_report_": a bulk writer (reports/summaries-bulk.ts) sets
-- them aside with the report summaries' and rebuilds its offices' session counts once (sessionCountsFillSql there).
CREATE TABLE session_counts (
  session_id TEXT PRIMARY KEY,
  present    INTEGER NOT NULL,
  absent     INTEGER NOT NULL,
  excused    INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- One-time fill from the rows already there.
INSERT INTO session_counts (session_id, present, absent, excused)
SELECT session_id, sum(status = 'present'), sum(status = 'absent'), sum(status = 'excused')
  FROM attendance GROUP BY session_id;

CREATE TRIGGER attendance_report_counts_ai AFTER INSERT ON attendance BEGIN
  INSERT INTO session_counts (session_id, present, absent, excused)
  VALUES (NEW.session_id, NEW.status = 'present', NEW.status = 'absent', NEW.status = 'excused')
  ON CONFLICT (session_id) DO UPDATE SET present = present + excluded.present, absent = absent + excluded.absent,
    excused = excused + excluded.excused;
END;
CREATE TRIGGER attendance_report_counts_ad AFTER DELETE ON attendance BEGIN
  UPDATE session_counts SET present = present - (OLD.status = 'present'), absent = absent - (OLD.status = 'absent'),
    excused = excused - (OLD.status = 'excused')
   WHERE session_id = OLD.session_id;
END;
CREATE TRIGGER attendance_report_counts_au AFTER UPDATE OF session_id, status ON attendance BEGIN
  UPDATE session_counts SET present = present - (OLD.status = 'present'), absent = absent - (OLD.status = 'absent'),
    excused = excused - (OLD.status = 'excused')
   WHERE session_id = OLD.session_id;
  INSERT INTO session_counts (session_id, present, absent, excused)
  VALUES (NEW.session_id, NEW.status = 'present', NEW.status = 'absent', NEW.status = 'excused')
  ON CONFLICT (session_id) DO UPDATE SET present = present + excluded.present, absent = absent + excluded.absent,
    excused = excused + excluded.excused;
END;
-- A session deleted takes its counts with it (named without "_report_": it stays in place during a bulk write).
CREATE TRIGGER training_sessions_session_counts_ad AFTER DELETE ON training_sessions BEGIN
  DELETE FROM session_counts WHERE session_id = OLD.id;
END;
