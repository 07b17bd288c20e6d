import type { Sqlite } from '../db/connection';

export interface ColumnInfo {
  name: string;
  type: string;
  notnull: number;
  pk: number;
}

export function tableExists(sqlite: Sqlite, table: string): boolean {
  return !!sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table);
}

export function userTables(sqlite: Sqlite): string[] {
  return sqlite
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .pluck()
    .all() as string[];
}

export function columnsOf(sqlite: Sqlite, table: string): ColumnInfo[] {
  return sqlite.prepare(`SELECT name, type, "notnull", pk FROM pragma_table_info(?)`).all(table) as ColumnInfo[];
}

/** Tables that hold rows about one applicant (a column `applicant_id`), whichever feature added them. */
export function applicantLinkedTables(sqlite: Sqlite): { table: string; columns: ColumnInfo[] }[] {
  return userTables(sqlite)
    .filter((t) => t !== 'applicants')
    .map((t) => ({ table: t, columns: columnsOf(sqlite, t) }))
    .filter((t) => t.columns.some((c) => c.name === 'applicant_id'));
}

export const q = (ident: string) => `"${ident.replace(/"/g, '""')}"`;
