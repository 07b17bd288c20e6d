/** Kysely table types of the reports feature (tables from migrations/0006_reports_import.sql). */
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

export interface ReportsTables {
  import_batches: ImportBatchesTable;
  import_rows: ImportRowsTable;
}
