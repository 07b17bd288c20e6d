import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { Sqlite } from '../../db/connection';
import { connectionOf, type ReadableDB, type WritableDB } from '../../db/handles';

/**
 * Every table that holds rows about one applicant (a column `applicant_id`), whichever feature added it, found
 * in the schema at run time: the right of access reads them all and the retention rule blanks their personal
 * columns, so that a feature adding such a table is covered without touching security. The one repository whose
 * statements name their tables dynamically: raw SQL on the connection (`connectionOf`), identifiers quoted by `q`.
 * The rules (which columns are personal, what replaces them) stay in security/retention.ts.
 */

export interface ColumnInfo {
  name: string;
  type: string;
  notnull: number;
  pk: number;
}

/** A handle, or the connection a test or the processing description holds (a handle is the connection at run time). */
const conn = (db: ReadableDB | Sqlite): Sqlite => connectionOf(db as ReadableDB);

export const q = (ident: string) => `"${ident.replace(/"/g, '""')}"`;

/** Every table of the database, by name. */
export function userTables(db: ReadableDB | Sqlite): string[] {
  return conn(db)
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .pluck()
    .all() as string[];
}

function columnsIn(sqlite: Sqlite, table: string): ColumnInfo[] {
  return sqlite.prepare(`SELECT name, type, "notnull", pk FROM pragma_table_info(?)`).all(table) as ColumnInfo[];
}

export function columnsOf(db: ReadableDB | Sqlite, table: string): ColumnInfo[] {
  return columnsIn(conn(db), table);
}

/** Tables that hold rows about one applicant (a column `applicant_id`), whichever feature added them. */
export function applicantLinkedTables(db: ReadableDB): { table: string; columns: ColumnInfo[] }[] {
  const sqlite = conn(db);
  return userTables(sqlite)
    .filter((t) => t !== 'applicants')
    .map((t) => ({ table: t, columns: columnsIn(sqlite, t) }))
    .filter((t) => t.columns.some((c) => c.name === 'applicant_id'));
}

/** Every row of a linked table about her, as stored. */
export function linkedRows(db: ReadableDB, table: string, applicantId: string): Record<string, unknown>[] {
  return conn(db).prepare(`SELECT * FROM ${q(table)} WHERE applicant_id = ?`).all(applicantId) as Record<string, unknown>[];
}

/** One linked table's statements of an anonymisation run. */
export interface LinkedBlanking {
  table: string;
  hasSeq: boolean;
  /** The ids of her rows that still hold a personal value (null: the table has no `id`, rows are blanked at once). */
  rowIds(applicantId: string): string[] | null;
  /** Blanks one row by id (with its new change number when the table has one). */
  blankRow(id: string, changeSeq: number | null): void;
  /** Blanks every row of hers at once (tables without `id`); returns how many. */
  blankAll(applicantId: string): number;
}

export interface AnonymiseStatements {
  /** Empties her personal columns, keeps the year of her birth date, marks the row anonymised. */
  applicant(id: string, now: string, changeSeq: number): void;
  linked: LinkedBlanking[];
}

/**
 * Reads the schema once and prepares the statements of an anonymisation run: `applicantColumns` are emptied
 * (NULL where allowed, '' otherwise); in each linked table, `personal(columns)` picks the columns to blank and
 * `blank(column)` the value that replaces them.
 */
export function prepareAnonymise(
  db: WritableDB,
  rules: { applicantColumns: readonly string[]; personal: (columns: ColumnInfo[]) => ColumnInfo[]; blank: (c: ColumnInfo) => string | null },
): AnonymiseStatements {
  const s = conn(db);
  const cols = new Map(columnsIn(s, 'applicants').map((c) => [c.name, c]));
  const sets: string[] = [];
  for (const name of rules.applicantColumns) {
    const c = cols.get(name);
    if (c) sets.push(`${q(name)} = ${c.notnull ? "''" : 'NULL'}`);
  }
  sets.push(`birth_date = CASE WHEN birth_date IS NULL THEN NULL ELSE substr(birth_date, 1, 4) || '-01-01' END`);
  sets.push('anonymised_at = ?', 'updated_at = ?', 'change_seq = ?');
  const applicant = s.prepare(`UPDATE applicants SET ${sets.join(', ')} WHERE id = ?`);
  const linked: LinkedBlanking[] = [];
  for (const { table, columns } of applicantLinkedTables(db)) {
    const personal = rules.personal(columns);
    if (!personal.length) continue;
    const hasId = columns.some((c) => c.name === 'id');
    const hasSeq = hasId && columns.some((c) => c.name === 'change_seq');
    const where = personal.map((c) => `(${q(c.name)} IS NOT NULL AND ${q(c.name)} <> '')`).join(' OR ');
    const setSql = personal.map((c) => `${q(c.name)} = ?`).join(', ');
    const blanks = personal.map(rules.blank);
    const select: Statement | null = hasId ? s.prepare(`SELECT id FROM ${q(table)} WHERE applicant_id = ? AND (${where})`).pluck() : null;
    const update = hasId
      ? s.prepare(`UPDATE ${q(table)} SET ${setSql}${hasSeq ? ', change_seq = ?' : ''} WHERE id = ?`)
      : s.prepare(`UPDATE ${q(table)} SET ${setSql} WHERE applicant_id = ? AND (${where})`);
    linked.push({
      table,
      hasSeq,
      rowIds: (applicantId) => (select ? (select.all(applicantId) as string[]) : null),
      blankRow: (id, changeSeq) => void update.run(...blanks, ...(hasSeq ? [changeSeq] : []), id),
      blankAll: (applicantId) => update.run(...blanks, applicantId).changes,
    });
  }
  return { applicant: (id, now, changeSeq) => void applicant.run(now, now, changeSeq, id), linked };
}
