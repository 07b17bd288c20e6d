/** Kysely table types of the reports feature (tables from migrations/0006_reports_import.sql and 0014_report_summaries.sql, 0020_session_counts.sql). */
export interface ImportBatchesTable {
  id: string;
  office_id: string;
  file_name: string;
  file_hash: string;
  rows_total: number;
  rows_created: number;
  rows_duplicate: number;
  rows_invalid: number;
  mapping_json: string;
  imported_at: string;
  imported_by: string;
}

export interface ImportRowsTable {
  row_hash: string;
  batch_id: string;
  row_no: number;
  applicant_id: string;
}

/** The office calendar's months (Africa/Casablanca): the UTC instants of their local midnights. */
export interface ReportMonthsTable {
  month: string;
  start_at: string;
  end_at: string;
}

/** Signed counts per dimension × local month × office × key, kept by triggers (migration 0014). */
export interface ReportCountsTable {
  dim: 'sex' | 'commune' | 'edu' | 'birth' | 'cat' | 'sit' | 'dis' | 'status' | 'funnel';
  month: string;
  office_id: string;
  key: string;
  n: number;
}

/** Sessions held, minutes and attendance per month × office × topic × organisation, kept by triggers. */
export interface ReportSessionsTable {
  month: string;
  office_id: string;
  topic_code: string;
  organisation_id: string;
  sessions: number;
  minutes: number;
  present: number;
  recorded: number;
}

/** Attendance counts per session, kept by triggers on attendance (migration 0020): the month and week views. */
export interface SessionCountsTable {
  session_id: string;
  present: number;
  absent: number;
  excused: number;
}

export interface ReportsTables {
  import_batches: ImportBatchesTable;
  import_rows: ImportRowsTable;
  report_months: ReportMonthsTable;
  report_counts: ReportCountsTable;
  report_sessions: ReportSessionsTable;
  session_counts: SessionCountsTable;
}
