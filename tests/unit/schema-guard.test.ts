import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { migrate } from '../../src-main/core/db/migrate';
import { projectRoot } from '../../src-main/core/paths';

/**
 * The schema guard (as Actual Budget's schema-guard.test.ts): a fresh database migrated from migrations/ must match
 * (1) the committed snapshot of sqlite_master — a migration that changes the schema shows up in review as a diff of
 * tests/fixtures/schema/sqlite-master.txt (`npm run schema:snapshot` rewrites it) — and (2) the Kysely types of
 * core/db/schema*.ts, table by table and column by column, nullability included.
 */

const SNAPSHOT = join(projectRoot(), 'tests/fixtures/schema/sqlite-master.txt');

/** Tables the repositories never name through Kysely's types (FTS5 shadow tables are SQLite's own). */
const NOT_TYPED = /^(sqlite_|.*_fts_(data|idx|docsize|config|content)$)/;

function migrated() {
  const db = new Database(':memory:');
  migrate(db, { dir: join(projectRoot(), 'migrations'), now: () => new Date('2026-01-15T10:00:00Z') });
  return db;
}

function dump(db: Database.Database): string {
  const rows = db
    .prepare(`SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`)
    .all() as { type: string; name: string; tbl_name: string; sql: string | null }[];
  return rows.map((r) => `${r.type} ${r.name} ON ${r.tbl_name}\n  ${(r.sql ?? '').replace(/\s+/g, ' ').trim()}\n`).join('');
}

interface TypedColumn {
  nullable: boolean;
}

/** The DB interface of core/db/schema.ts, read with the TypeScript compiler: table → column → nullable. */
function kyselyTables(): Map<string, Map<string, TypedColumn>> {
  const file = join(projectRoot(), 'src-main/core/db/schema.ts');
  const program = ts.createProgram([file], {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    skipLibCheck: true,
    noEmit: true,
    types: [],
    lib: ['lib.es2022.d.ts'],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  const dbSymbol = checker.getExportsOfModule(checker.getSymbolAtLocation(source)!).find((s) => s.name === 'DB')!;
  const dbType = checker.getDeclaredTypeOfSymbol(dbSymbol);
  const out = new Map<string, Map<string, TypedColumn>>();
  for (const table of checker.getPropertiesOfType(dbType)) {
    const tableType = checker.getTypeOfSymbol(table);
    const cols = new Map<string, TypedColumn>();
    for (const col of checker.getPropertiesOfType(tableType)) {
      const text = checker.typeToString(checker.getTypeOfSymbol(col), undefined, ts.TypeFormatFlags.NoTruncation);
      cols.set(col.name, { nullable: /\bnull\b/.test(text) });
    }
    out.set(table.name, cols);
  }
  return out;
}

describe('schema guard', () => {
  it('a fresh database matches the committed snapshot of sqlite_master', () => {
    const text = dump(migrated());
    if (process.env.UPDATE_SCHEMA_SNAPSHOT === '1' || !existsSync(SNAPSHOT)) writeFileSync(SNAPSHOT, text);
    expect(text).toBe(readFileSync(SNAPSHOT, 'utf8'));
  });

  it('the Kysely types describe every table and column of the migrated database, nullability included', () => {
    const db = migrated();
    const typed = kyselyTables();
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all() as string[]).filter(
      (t) => !NOT_TYPED.test(t),
    );
    const problems: string[] = [];
    for (const t of tables) {
      const cols = typed.get(t);
      if (!cols) {
        problems.push(`table ${t}: in the database, not in DB (core/db/schema*.ts)`);
        continue;
      }
      // An FTS5 table's columns carry no type and no constraint: only their names are compared.
      const virtual = /^CREATE VIRTUAL TABLE/i.test(db.prepare(`SELECT sql FROM sqlite_master WHERE name = ?`).pluck().get(t) as string);
      const info = db.prepare(`SELECT name, type, "notnull" AS nn, pk FROM pragma_table_info(?)`).all(t) as { name: string; type: string; nn: number; pk: number }[];
      for (const c of info) {
        const tc = cols.get(c.name);
        if (!tc) problems.push(`${t}.${c.name}: in the database, not in the type`);
        else {
          const dbNullable = c.nn === 0 && !(c.pk && /INTEGER/i.test(c.type)) && c.pk === 0;
          if (!virtual && dbNullable !== tc.nullable) problems.push(`${t}.${c.name}: ${dbNullable ? 'nullable' : 'NOT NULL'} in the database, ${tc.nullable ? 'nullable' : 'not nullable'} in the type`);
        }
      }
      // rowid is every table's own column (the FTS index is joined on it), not in table_info.
      for (const name of cols.keys()) if (name !== 'rowid' && !info.some((c) => c.name === name)) problems.push(`${t}.${name}: in the type, not in the database`);
    }
    for (const t of typed.keys()) if (!tables.includes(t) && !(db.prepare(`SELECT 1 FROM sqlite_master WHERE name = ?`).get(t))) problems.push(`table ${t}: in DB, not in the database`);
    expect(problems).toEqual([]);
  });
});
