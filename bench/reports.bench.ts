import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import Database from 'better-sqlite3-multiple-ciphers';
import { createCore } from '../src-main/core/core';
import { projectRoot } from '../src-main/core/paths';
import { readable } from '../src-main/core/db/handles';
import { computeIndicators, scopeOf } from '../src-main/core/reports/indicators';
import { parsePeriod } from '../src-main/core/reports/period';
import { buildIndicatorWorkbook } from '../src-main/core/reports/workbook';
import type { Office } from '../src-main/core/db/schema';
import { INSERT_APPLICANT_SQL } from '../src-main/core/applicants/applicants.repo';
import { copyDb, timeOnce, type BenchSuite } from './harness';

const log = (msg: string) => process.stderr.write(`reports: ${msg}\n`);

const CLI = { actor: { kind: 'cli' as const, osUser: 'bench' } };

const LAST_AR = ['العلوي', 'أيت علي', 'أوحمو', 'الإدريسي', 'بوطالب', 'أمزيان', 'الحسني', 'أوبلا', 'بنعلي', 'أيت موسى', 'الفيلالي', 'أمغار', 'أزناك', 'أوسعيد', 'الشرقاوي', 'أخياط', 'بنداود', 'الزياني', 'أيت حدو', 'المرابط'];
const FIRST_AR = ['فاطمة', 'خديجة', 'عائشة', 'زهرة', 'نعيمة', 'مليكة', 'سعيدة', 'حفيظة', 'لطيفة', 'كريمة', 'رشيدة', 'نادية', 'سميرة', 'حنان', 'هدى', 'مريم', 'زينب', 'سلمى', 'سناء', 'أسماء', 'هاجر', 'إيمان', 'إكرام', 'سهام', 'خولة'];
const LAST_LAT = ['Alaoui', 'Ait Ali', 'Ouhammou', 'El Idrissi', 'Boutaleb', 'Amziane', 'El Hassani', 'Oubella', 'Benali', 'Ait Moussa', 'Filali', 'Amghar', 'Aznag', 'Oussaid', 'Cherkaoui', 'Akhiat', 'Bendaoud', 'Zayani', 'Ait Haddou', 'Mrabet'];
const FIRST_LAT = ['Fatima', 'Khadija', 'Aicha', 'Zahra', 'Naima', 'Malika', 'Saida', 'Hafida', 'Latifa', 'Karima', 'Rachida', 'Nadia', 'Samira', 'Hanane', 'Houda', 'Meryem', 'Zineb', 'Salma', 'Sanaa', 'Asmae', 'Hajar', 'Imane', 'Ikram', 'Siham', 'Khaoula'];

/** A 10,000-row legacy list: merged title, Arabic headers, mixed date spellings, commune names in both languages, a few bad rows. */
export async function writeLegacyList(path: string, db: string, rows = 10_000): Promise<void> {
  const d = new Database(db, { readonly: true });
  const office = d.prepare('SELECT o.province_code FROM installation i JOIN offices o ON o.id = i.office_id').get() as { province_code: string | null };
  const communes = d
    .prepare('SELECT name_ar, name_fr FROM communes WHERE province_code = COALESCE(?, province_code)')
    .all(office.province_code) as { name_ar: string; name_fr: string }[];
  d.close();
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('اللائحة');
  ws.getCell('A1').value = 'لائحة المستفيدات';
  ws.mergeCells('A1:H1');
  ws.getRow(3).values = ['ر.ت', 'الاسم العائلي', 'الاسم الشخصي', 'رقم البطاقة الوطنية', 'تاريخ الازدياد', 'الهاتف', 'الجماعة', 'المستوى الدراسي'];
  // A deterministic spread of names and dates (a few legacy lists overlap with the registry: realistic duplicates).
  let seed = 12345;
  const rnd = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  for (let i = 0; i < rows; i++) {
    const latin = i % 3 === 0;
    const y = 1971 + rnd(35);
    const m = 1 + rnd(12);
    const day = 1 + rnd(28);
    const date = i % 4 === 0 ? 25569 + Math.floor((Date.UTC(y, m - 1, day) - Date.UTC(1970, 0, 1)) / 86400000) : `${String(day).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}`;
    const c = communes[rnd(communes.length)];
    ws.getRow(4 + i).values = [
      i + 1,
      latin ? LAST_LAT[rnd(20)] : LAST_AR[rnd(20)],
      latin ? FIRST_LAT[rnd(25)] : FIRST_AR[rnd(25)],
      i % 250 === 7 ? '' : `ZX${String(100000 + i)}`,
      date,
      `06${String(10000000 + rnd(89999999)).padStart(8, '0')}`,
      i % 2 ? c.name_ar : c.name_fr,
      ['ابتدائي', 'إعدادي', 'Bac', 'Licence', ''][i % 5],
    ];
  }
  await wb.xlsx.writeFile(path);
}

export const reportsBench: BenchSuite = {
  name: 'reports',
  async run(env) {
    const seeded = await env.seededDb(100_000);
    const core = createCore({ dbPath: seeded });
    const office = core.sqlite.prepare('SELECT o.* FROM installation i JOIN offices o ON o.id = i.office_id').get() as Office;
    const attendance = (core.sqlite.prepare('SELECT COUNT(*) AS n FROM attendance').get() as { n: number }).n;
    const applicants = (core.sqlite.prepare('SELECT COUNT(*) AS n FROM applicants').get() as { n: number }).n;
    process.stderr.write(`reports: ${applicants} applicants, ${attendance} attendance rows\n`);

    // Indicator workbook of a year (the largest period): queries + exceljs, against exceljs alone writing the same workbook.
    await core.invoke('reports.workbook', { period: '2026-11' }, CLI); // warm-up
    const year = await timeOnce(() => core.invoke('reports.workbook', { period: '2026' }, CLI));
    log(`workbook ${year.toFixed(0)} ms`);
    const ind = computeIndicators(readable(core.sqlite), scopeOf(office), parsePeriod('2026'));
    const yearBare = await timeOnce(async () => buildIndicatorWorkbook(ind, { office, generatedAt: new Date().toISOString(), lang: 'ar' }).xlsx.writeBuffer());
    const dash = await timeOnce(() => core.invoke('reports.dashboard', { period: '2026' }, CLI));

    // The 100,000-row list, against a bare WorkbookWriter loop writing the same 100k × 20 values (read beforehand).
    const list = await core.invoke('reports.list', {}, CLI); // warm-up
    const listMs = await timeOnce(() => core.invoke('reports.list', {}, CLI));
    log(`list ${listMs.toFixed(0)} ms`);
    // The 2,000,000 cells of the baseline are dropped before the next measures (a heap full of them slows every GC).
    const bareList = await (async () => {
      const cells: unknown[][] = [];
      const f = core.outbox.get(list.fileId)!;
      const reader = new ExcelJS.stream.xlsx.WorkbookReader(f.path, {});
      for await (const ws of reader) for await (const row of ws) cells.push((row.values as unknown[]).slice(1));
      return timeOnce(async () => {
        const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: join(env.dir, 'bare-list.xlsx'), useSharedStrings: false, useStyles: true });
        const ws = wb.addWorksheet('list');
        for (const r of cells) ws.addRow(r).commit();
        ws.commit();
        await wb.commit();
      });
    })();
    log(`bare list ${bareList.toFixed(0)} ms`);
    await core.close();

    // Import of a 10,000-row legacy list on a copy of the 100k database (duplicate checks against 100,000 files).
    const legacy = join(env.dir, 'legacy-10k.xlsx');
    await writeLegacyList(legacy, seeded);
    const importDb = copyDb(seeded, join(env.dir, 'import.db'));
    const ic = createCore({ dbPath: importDb });
    let created = 0;
    const cpu0 = process.cpuUsage();
    const importMs = await timeOnce(async () => {
      created = (await ic.invoke('imports.commit', { path: legacy }, CLI)).new;
    });
    const cpu1 = process.cpuUsage(cpu0);
    const importCpu = cpu1.user + cpu1.system;
    const importedRows = ic.sqlite.prepare("SELECT * FROM applicants WHERE source = 'import'").all() as Record<string, unknown>[];
    await ic.close();
    log(`import ${importMs.toFixed(0)} ms (cpu ${(importCpu / 1000).toFixed(0)} ms)`);
    // Baseline: the same rows inserted with the registry's INSERT statement alone (bare better-sqlite3, one transaction, same triggers and indexes).
    const bareDb = new Database(copyDb(seeded, join(env.dir, 'bare-import.db')));
    const ins = bareDb.prepare(INSERT_APPLICANT_SQL);
    const bareImport = await timeOnce(() =>
      bareDb.transaction(() => {
        for (const r of importedRows) ins.run({ ...r, id: `${r.id as string}x`, file_no: `${r.file_no as string}X`, cin: `${r.cin as string}X` });
      })(),
    );
    bareDb.close();

    // Peak memory: the RSS high-water mark of a fresh process running each operation (workbook, 100k list, 10k import); the highest.
    const root = projectRoot();
    const peak = (op: string) => {
      const memDb = copyDb(seeded, join(env.dir, 'memory.db'));
      const script =
        `const { createCore } = await import(${JSON.stringify(join(root, 'src-main/core/core.ts'))});` +
        `const c = createCore({ dbPath: ${JSON.stringify(memDb)} }); const o = { actor: { kind: 'cli', osUser: 'bench' } };` +
        `${op}; await c.close(); console.log(process.resourceUsage().maxRSS / 1024);`;
      const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', cwd: root });
      if (child.status !== 0) throw new Error(child.stderr);
      return Number(child.stdout.trim().split('\n').pop());
    };
    const peaks = {
      workbook: peak(`await c.invoke('reports.workbook', { period: '2026' }, o)`),
      list: peak(`await c.invoke('reports.list', {}, o)`),
      import: peak(`await c.invoke('imports.commit', { path: ${JSON.stringify(legacy)} }, o)`),
    };
    log(`peak RSS ${JSON.stringify(peaks)}`);
    const peakMb = Math.max(peaks.workbook, peaks.list, peaks.import);

    return [
      { name: 'indicator workbook, year 2026 (queries + xlsx)', value: year, unit: 'ms', baseline: { name: 'exceljs writing the same workbook', value: yearBare }, target: '≤ 3000 ms', ok: year <= 3000 },
      { name: 'dashboard, year 2026 (same queries)', value: dash, unit: 'ms' },
      { name: `beneficiary list, ${list.rows} rows × 20 columns (streamed)`, value: listMs, unit: 'ms', baseline: { name: 'bare WorkbookWriter, same cells', value: bareList }, target: '≤ 1.5× baseline', ok: listMs <= 1.5 * bareList },
      {
        name: `import of a 10,000-row legacy list (${created} created; CPU ${(importCpu / 1000).toFixed(0)} ms)`,
        value: importMs,
        unit: 'ms',
        baseline: { name: 'registry INSERT alone, same rows', value: bareImport },
        target: '≤ 5000 ms',
        ok: importMs <= 5000,
      },
      { name: `peak RSS, highest of workbook ${peaks.workbook.toFixed(0)} / list ${peaks.list.toFixed(0)} / import ${peaks.import.toFixed(0)} MB (fresh process each)`, value: peakMb, unit: 'MB', target: '≤ 500 MB', ok: peakMb <= 500 },
    ];
  },
};
