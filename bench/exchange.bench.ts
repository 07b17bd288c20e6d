import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { createCore, type Core } from '../src-main/core/core';
import type { Actor } from '../src-main/core/context';
import { seedDatabase } from '../src-main/core/seed/seed';
import '../src-main/core/seed/seeders';
import { defaultOfficeSettings, PROVINCE_NAMES } from '../src-main/shared/offices';
import { addApplicants } from '../src-main/core/exchange/exchange.fixtures';
import { SYNC_TABLES, tableColumns, tableExists } from '../src-main/core/exchange/registry';
import { timeOnce, type BenchRow, type BenchSuite } from './harness';

const actor: Actor = { kind: 'cli', osUser: 'bench' };
const as = { actor };

async function setup(core: Core, office: 'region' | 'errachidia') {
  const n = PROVINCE_NAMES[office];
  const s = await core.invoke('system.status', {});
  if (!s.setupDone) {
    await core.invoke(
      'system.setup',
      { office, settings: defaultOfficeSettings(office, n.ar, n.fr), admin: { username: 'admin', displayName: 'Admin', password: 'admin-password-1' } },
      as,
    );
  }
}

/** The rows an export of this office carries, per table, read into memory (for the bare-library baseline). */
function loadRows(db: Database.Database, officeId: string): { table: string; columns: string[]; rows: unknown[][] }[] {
  const out: { table: string; columns: string[]; rows: unknown[][] }[] = [];
  for (const t of SYNC_TABLES) {
    if (t.updateOnly || !tableExists(db, t.table)) continue;
    const cols = tableColumns(db, t.table);
    out.push({ table: t.table, columns: cols, rows: db.prepare(`SELECT * FROM "${t.table}" WHERE "${t.owner}" = ?`).raw(true).all(officeId) as unknown[][] });
    for (const c of t.children ?? []) {
      if (!tableExists(db, c.table)) continue;
      out.push({
        table: c.table,
        columns: tableColumns(db, c.table),
        rows: db.prepare(`SELECT c.* FROM "${c.table}" c JOIN "${t.table}" p ON p.id = c."${c.fk}" WHERE p."${t.owner}" = ?`).raw(true).all(officeId) as unknown[][],
      });
    }
  }
  return out;
}

export const exchangeBench: BenchSuite = {
  name: 'exchange',
  async run(env) {
    const provincePath = await env.seededDb(100_000);
    const province = createCore({ dbPath: provincePath });
    await setup(province, 'errachidia');
    const officeId = province.sqlite.prepare('SELECT office_id FROM installation').pluck().get() as string;
    // Until the registry's seeder lands the cached database may hold no applicants: top it up the same way.
    const have = province.sqlite.prepare('SELECT COUNT(*) FROM applicants').pluck().get() as number;
    if (have < 90_000) {
      addApplicants(province.sqlite, 100_000 - have, { seed: 7 });
      await seedDatabase(province, { applicants: 100_000, office: 'errachidia', seed: 42 });
    }
    const applicants = province.sqlite.prepare('SELECT COUNT(*) FROM applicants').pluck().get() as number;
    const attendance = tableExists(province.sqlite, 'attendance') ? (province.sqlite.prepare('SELECT COUNT(*) FROM attendance').pluck().get() as number) : 0;

    const regionPath = join(env.dir, 'exchange-region.db');
    const region = createCore({ dbPath: regionPath });
    await setup(region, 'region');
    await province.invoke('exchange.keysRegion', { keyFile: (await region.invoke('exchange.keysShow', {}, as)).keyFile }, as);
    await region.invoke('exchange.keysTrust', { keyFile: (await province.invoke('exchange.keysShow', {}, as)).keyFile }, as);

    // Export: a full snapshot of the office.
    let fileId = '';
    let fileName = '';
    let total = 0;
    const exportMs = await timeOnce(async () => {
      const r = await province.invoke('exchange.export', { full: true }, as);
      fileId = r.fileId;
      fileName = r.fileName;
      total = Object.values(r.counts).reduce((a, b) => a + b, 0);
    });
    const file = join(env.dir, fileName);
    copyFileSync(province.outbox.get(fileId)!.path, file);
    const size = statSync(file).size;

    // The baseline: the same rows, already in memory, bulk-inserted with prepared statements in one transaction.
    const rows = loadRows(province.sqlite, officeId);
    const officeRow = province.sqlite.prepare('SELECT * FROM offices WHERE id = ?').get(officeId) as Record<string, unknown>;
    await province.close();
    const barePath = join(env.dir, 'exchange-bare.db');
    await createCore({ dbPath: barePath }).close(); // the same schema, made by the same migrations
    const bare = new Database(barePath);
    bare.pragma('journal_mode = WAL');
    bare.pragma('synchronous = NORMAL');
    bare.pragma('foreign_keys = ON');
    const oc = Object.keys(officeRow);
    bare.prepare(`INSERT INTO offices (${oc.join(', ')}) VALUES (${oc.map(() => '?').join(', ')})`).run(...oc.map((c) => officeRow[c]));
    const bareMs = await timeOnce(() => {
      bare.transaction(() => {
        for (const t of rows) {
          const ins = bare.prepare(`INSERT INTO "${t.table}" (${t.columns.map((c) => `"${c}"`).join(', ')}) VALUES (${t.columns.map(() => '?').join(', ')})`);
          for (const r of t.rows) ins.run(...r);
        }
      })();
    });
    bare.close();
    // The baseline's writes reach the disk before the import is timed (not during it, from the page cache).
    for (const f of [barePath, `${barePath}-wal`]) {
      if (!existsSync(f)) continue;
      const fd = openSync(f, 'r+');
      fsyncSync(fd);
      closeSync(fd);
    }
    // The baseline's 1.6 million rows are not the import's: held in memory they would make every garbage
    // collection of the import below walk a gigabyte of live arrays the app never has.
    rows.length = 0;

    // Import into the region (one transaction), then the same file again.
    const importMs = await timeOnce(async () => {
      const r = await region.invoke('exchange.import', { files: [{ path: file }] }, as);
      if (r.results[0].status !== 'applied') throw new Error(JSON.stringify(r.results[0]));
    });
    const againMs = await timeOnce(async () => {
      const r = await region.invoke('exchange.import', { files: [{ path: file }] }, as);
      if (r.results[0].status !== 'already_imported') throw new Error(JSON.stringify(r.results[0]));
    });
    await region.close();

    const label = `${applicants.toLocaleString('en')} applicants, ${attendance.toLocaleString('en')} attendance, ${total.toLocaleString('en')} rows`;
    const out: BenchRow[] = [
      { name: `export full snapshot (${label}; file ${(size / 1048576).toFixed(1)} MB)`, value: exportMs / 1000, unit: 's', target: '≤ 10 s', ok: exportMs <= 10_000 },
      {
        name: `import into the region (${label})`,
        value: importMs / 1000,
        unit: 's',
        baseline: { name: 'bare better-sqlite3 bulk insert of the same rows', value: bareMs / 1000 },
        target: '≤ 1.5× baseline',
        ok: importMs <= 1.5 * bareMs,
      },
      { name: 're-import of the same file (recognised, nothing changes)', value: againMs / 1000, unit: 's', target: '≤ 2 s', ok: againMs <= 2000 },
    ];
    return out;
  },
};
