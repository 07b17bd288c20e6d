// The region database of `npm run bench -- --region [--region-size N]`: five seeded provinces' full exports imported
// through the product's own exchange import, made once and cached in .bench/region-N/ (N files in all, N/5 per
// province; the full size is 500,000). What it builds:
// 1. each province seeded by the CLI's own seeder (`seed --office SLUG`): its communes, organisations, facilitators,
//    cohorts, sessions and attendance, its CIN prefixes (the 100,000-file Errachidia of the province bench is reused);
// 2. women registered in two provinces: 4 % of each province's women registered again in the next province (same CIN,
//    names, birth date; a commune, file number and registration date of their own), as when a woman moves;
// 3. the region installation, each province's key given to it and its key to each province (as the offices do);
// 4. each province's full export ("send to region"), imported at the region (exchange.import, one file at a time);
// 5. a month of one province's work after that export (registrations, status moves, sessions with attendance) made
//    through the API, and its incremental file, kept to be applied by the bench on a copy of the region.
// `--region-rebuild` makes it all again; otherwise the cache is used as it is (pending migrations run at open), and an
// interrupted build resumes from its last finished step (build.partial.json).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { createCore, type Core } from '../src-main/core/core';
import type { Actor } from '../src-main/core/context';
import { INSERT_APPLICANT_SQL, type ApplicantRow } from '../src-main/core/applicants/applicants.repo';
import { defaultOfficeSettings, PROVINCE_NAMES } from '../src-main/shared/offices';
import { makeRng } from '../src-main/core/seed/seed';
import { seedUuid7 } from '../src-main/core/seed/seed-applicants';
import { ensureDir } from './harness';

export const PROVINCES = ['errachidia', 'ouarzazate', 'midelt', 'tinghir', 'zagora'] as const;
export type ProvinceSlug = (typeof PROVINCES)[number];
/** Share of each province's women registered again in the next province. */
export const TWO_PROVINCE_SHARE = 0.04;

const as = { actor: { kind: 'cli', osUser: 'bench' } as Actor };
const log = (m: string) => process.stderr.write(`region: ${m}\n`);

export interface RegionBuild {
  dir: string;
  size: number;
  perProvince: number;
  regionDb: string;
  /** The month of Errachidia's work after its full export, as its incremental file. */
  monthFile: string;
  /** Figures of the build itself (ms, counts), from build.json. */
  info: {
    seedMs: Record<string, number>;
    overlap: Record<string, number>;
    exportMs: Record<string, number>;
    exportBytes: Record<string, number>;
    importMs: Record<string, number>;
    /** CPU time of each import (user + system of this process: on a shared machine the wall time is the others' load). */
    importCpuMs?: Record<string, number>;
    monthChanges: Record<string, number>;
    monthExportMs: number;
    builtAt: string;
    totalMs: number;
  };
}

async function setupOffice(core: Core, office: ProvinceSlug | 'region') {
  const s = await core.invoke('system.status', {});
  if (s.setupDone) return;
  const n = PROVINCE_NAMES[office];
  await core.invoke(
    'system.setup',
    { office, settings: defaultOfficeSettings(office, n.ar, n.fr), admin: { username: 'admin', displayName: 'Admin', password: 'admin-password-1' } },
    as,
  );
}

function run(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed`);
  return r.stdout;
}

/**
 * 4 % of `from`'s seeded women registered again in `into`: same CIN, names, birth date and sex; the rest of the file
 * their own (id, file number, commune of `into`, registration a few months after). Inserted as the seeder inserts
 * (the registry's INSERT, its registration history row and change-log rows), in one transaction.
 */
function registerInTwoProvinces(fromDb: string, intoDb: string, seed: number): number {
  const from = new Database(fromDb, { readonly: true });
  const rows = from
    .prepare(`SELECT * FROM applicants WHERE sex = 'F' AND created_by = 'seed' AND anonymised_at IS NULL AND abs(random() % 1000) < ?`)
    .all(Math.round(TWO_PROVINCE_SHARE * 1000)) as ApplicantRow[];
  from.close();
  const db = new Database(intoDb);
  const rng = makeRng(seed);
  const office = db.prepare('SELECT o.id, o.code, o.province_code FROM installation i JOIN offices o ON o.id = i.office_id').get() as { id: string; code: string; province_code: string };
  const communes = db.prepare('SELECT code FROM communes WHERE province_code = ?').pluck().all(office.province_code) as string[];
  const ins = db.prepare(INSERT_APPLICANT_SQL);
  const change = db.prepare('INSERT INTO change_log (entity, entity_id, op, office_id, at) VALUES (?, ?, ?, ?, ?)');
  const hist = db.prepare(
    `INSERT INTO status_history (id, applicant_id, office_id, from_status, to_status, reason, financing_source, at, user_id, user_name, created_at, updated_at, change_seq)
     VALUES (?, ?, ?, NULL, 'registered', '', NULL, ?, NULL, 'seed', ?, ?, ?)`,
  );
  const last = new Map<string, number>();
  const fileNo = (year: string) => {
    const prefix = `${office.code}-${year}-`;
    let n = last.get(year);
    if (n === undefined) {
      const top = db.prepare('SELECT file_no FROM applicants WHERE file_no >= ? AND file_no < ? ORDER BY file_no DESC LIMIT 1').pluck().get(prefix, prefix + '\uffff') as string | undefined;
      n = top ? Number(top.slice(prefix.length)) : 0;
    }
    last.set(year, ++n);
    return `${prefix}${String(n).padStart(6, '0')}`;
  };
  const now = Date.now();
  db.transaction(() => {
    for (const r of rows) {
      const t = Math.min(now - 86400000, Date.parse(r.created_at) + Math.floor((60 + rng() * 240) * 86400000));
      const at = new Date(t).toISOString();
      const id = seedUuid7(t, rng);
      const row: ApplicantRow = {
        ...r,
        id,
        office_id: office.id,
        file_no: fileNo(at.slice(0, 4)),
        commune_code: communes[Math.floor(rng() * communes.length)],
        status: 'registered',
        status_changed_at: at,
        financing_source: null,
        closed_at: null,
        consent_date: at.slice(0, 10),
        created_by: 'seed:second-province',
        created_at: at,
        updated_at: at,
        change_seq: 0,
      };
      row.change_seq = Number(change.run('applicants', id, 'insert', office.id, at).lastInsertRowid);
      ins.run(row);
      const hid = seedUuid7(t, rng);
      hist.run(hid, id, office.id, at, at, at, Number(change.run('status_history', hid, 'insert', office.id, at).lastInsertRowid));
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return rows.length;
}

/**
 * A month of a province's work after its export, through the API: new registrations (1/40 of its files), as many
 * status moves along the path, and a session with its attendance for each of its latest sessions' cohorts.
 */
async function monthOfWork(core: Core, perProvince: number): Promise<Record<string, number>> {
  const db = core.sqlite;
  const rng = makeRng(2026);
  const n = Math.max(10, Math.round(perProvince / 40));
  const communes = db.prepare('SELECT code FROM communes WHERE province_code = (SELECT o.province_code FROM installation i JOIN offices o ON o.id = i.office_id)').pluck().all() as string[];
  const today = new Date().toISOString().slice(0, 10);
  const FIRST = [['نعيمة', 'Naima'], ['سلمى', 'Salma'], ['هاجر', 'Hajar'], ['وداد', 'Widad'], ['إيطو', 'Itto'], ['تودة', 'Touda'], ['حادة', 'Hadda'], ['رقية', 'Rkia']];
  const LAST = [['تازارين', 'Tazarine'], ['أوكريم', 'Oukrim'], ['بلقاسم', 'Belkacem'], ['الغازي', 'Ghazi'], ['أيت عطا', 'Ait Atta'], ['أوزين', 'Ouzine'], ['بوكريم', 'Boukrim'], ['أمسكور', 'Amskour']];
  let registered = 0;
  let refused = 0;
  for (let i = 0; i < n; i++) {
    const f = FIRST[Math.floor(rng() * FIRST.length)];
    const l = LAST[Math.floor(rng() * LAST.length)];
    const r = await core.call(
      'applicants.create',
      {
        cin: `UZ${String(100000 + i)}`,
        firstNameAr: f[0],
        lastNameAr: l[0],
        firstNameLat: f[1],
        lastNameLat: l[1],
        birthDate: `19${72 + Math.floor(rng() * 30)}-${String(1 + Math.floor(rng() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rng() * 28)).padStart(2, '0')}`,
        phone: `06${String(Math.floor(rng() * 1e8)).padStart(8, '0')}`,
        communeCode: communes[Math.floor(rng() * communes.length)],
        isProjectHolder: rng() < 0.7,
        consent: { given: true, date: today, textVersion: '2026-01', channel: 'paper' },
      },
      as,
    );
    if (r.ok) registered++;
    else refused++;
  }
  // Status moves: files still 'registered' oriented, 'oriented' preselected.
  const moves = db.prepare(`SELECT id, status FROM applicants WHERE status IN ('registered', 'oriented') AND created_by = 'seed' ORDER BY rowid DESC LIMIT ?`).all(n) as { id: string; status: string }[];
  let moved = 0;
  for (const m of moves) {
    const r = await core.call('applicants.setStatus', { id: m.id, to: m.status === 'registered' ? 'oriented' : 'preselected' }, as);
    if (r.ok) moved++;
  }
  // Sessions: one new session for each of the latest sessions' cohorts (a month's worth: as many as its last month had).
  const lastMonth = db.prepare(`SELECT substr(max(date), 1, 7) FROM training_sessions WHERE kind = 'group_training'`).pluck().get() as string | null;
  const latest = lastMonth
    ? (db
        .prepare(
          `SELECT s.id, s.cohort_id, s.organisation_id, s.topic_code, s.duration_min FROM training_sessions s
            WHERE s.kind = 'group_training' AND s.cancelled_at IS NULL AND s.date >= ? ORDER BY s.date DESC LIMIT ?`,
        )
        .all(`${lastMonth}-01`, Math.max(5, Math.round(perProvince / 125))) as { id: string; cohort_id: string; organisation_id: string; topic_code: string; duration_min: number }[])
    : [];
  const attendees = db.prepare('SELECT applicant_id FROM attendance WHERE session_id = ?').pluck();
  let sessions = 0;
  let attendance = 0;
  for (const s of latest) {
    const who = attendees.all(s.id) as string[];
    const r = await core.call(
      'sessions.create',
      {
        kind: 'group_training',
        date: today,
        durationMinutes: s.duration_min,
        topic: s.topic_code,
        organisationId: s.organisation_id,
        cohortId: s.cohort_id,
        attendance: who.slice(0, 500).map((applicantId) => ({ applicantId, status: rng() < 0.85 ? 'present' : rng() < 0.5 ? 'absent' : 'excused' })),
      },
      as,
    );
    if (r.ok) {
      sessions++;
      attendance += Math.min(500, who.length);
    } else if (sessions === 0 && latest.indexOf(s) > 20) {
      throw new Error(`sessions.create refused: ${JSON.stringify(r.error)}`);
    }
  }
  return { registered, refused, moved, sessions, attendance };
}

/** The cached region of `size` files (made when absent or when `rebuild`). */
export async function regionBuild(cacheDir: string, size: number, o: { rebuild?: boolean; cli: string }): Promise<RegionBuild> {
  const perProvince = Math.round(size / 5);
  const dir = ensureDir(join(cacheDir, `region-${size}`));
  const regionDb = join(dir, 'region.db');
  const monthFile = join(dir, 'errachidia-month.jisr');
  const infoPath = join(dir, 'build.json');
  const out = (): RegionBuild => ({ dir, size, perProvince, regionDb, monthFile, info: JSON.parse(readFileSync(infoPath, 'utf8')) as RegionBuild['info'] });
  if (!o.rebuild && existsSync(regionDb) && existsSync(monthFile) && existsSync(infoPath)) return out();

  // A build interrupted (it takes more than an hour at the full size on a shared machine) resumes from its last
  // finished step, kept in build.partial.json: seeded provinces, their second-province women, the exports and the
  // month's file, each province's import (a file's import is one transaction: an interrupted one left nothing).
  const partialPath = join(dir, 'build.partial.json');
  if (o.rebuild) rmSync(partialPath, { force: true });
  const t0 = Date.now();
  const info: RegionBuild['info'] = existsSync(partialPath)
    ? (JSON.parse(readFileSync(partialPath, 'utf8')) as RegionBuild['info'])
    : { seedMs: {}, overlap: {}, exportMs: {}, exportBytes: {}, importMs: {}, monthChanges: {}, monthExportMs: 0, builtAt: '', totalMs: 0 };
  const save = () => writeFileSync(partialPath, JSON.stringify(info, null, 2));
  const prov = (p: string) => join(dir, `${p}.db`);
  const files = Object.fromEntries(PROVINCES.map((p) => [p, join(dir, `${p}-full.jisr`)])) as Record<ProvinceSlug, string>;
  for (const f of [regionDb, monthFile, infoPath]) rmSync(f, { force: true });

  // 1. Seed the five provinces (the province bench's 100,000-file Errachidia is the same seed: copied).
  const seeded = PROVINCES.every((p) => info.seedMs[p] !== undefined && existsSync(prov(p)));
  for (const [i, p] of PROVINCES.entries()) {
    if (seeded) break;
    for (const s of ['', '-wal', '-shm']) rmSync(prov(p) + s, { force: true });
    const t = Date.now();
    const cached = join(cacheDir, `seeded-${perProvince}.db`);
    if (p === 'errachidia' && existsSync(cached)) {
      copyFileSync(cached, prov(p));
    } else {
      log(`seeding ${perProvince} files for ${p} …`);
      run(process.execPath, [o.cli, 'seed', '--db', prov(p), '--applicants', String(perProvince), '--office', p, '--seed', String(42 + i * 1000)]);
    }
    info.seedMs[p] = Date.now() - t;
    info.overlap = {};
    save();
    log(`${p} seeded in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  }
  // 2. Women registered in two provinces (all five, or none again: the provinces were seeded again).
  if (!PROVINCES.every((p) => info.overlap[p] !== undefined)) {
    for (const [i, p] of PROVINCES.entries()) {
      const from = PROVINCES[(i + PROVINCES.length - 1) % PROVINCES.length];
      info.overlap[p] = registerInTwoProvinces(prov(from), prov(p), 7 + i);
      log(`${info.overlap[p]} women of ${from} registered again in ${p}`);
    }
    info.exportMs = {};
    info.importMs = {};
    save();
  }
  // 3–4. The region, the keys, the full exports (and the month of work after Errachidia's) and their import.
  const part = `${regionDb}.part`;
  const exported = PROVINCES.every((p) => info.exportMs[p] !== undefined && existsSync(files[p])) && existsSync(`${monthFile}.part`) && existsSync(part);
  if (!exported) {
    info.importMs = {};
    for (const s of ['', '-wal', '-shm']) rmSync(part + s, { force: true });
  }
  const region = createCore({ dbPath: part });
  await setupOffice(region, 'region');
  const regionKey = (await region.invoke('exchange.keysShow', {}, as)).keyFile;
  for (const p of PROVINCES) {
    if (exported) break;
    const core = createCore({ dbPath: prov(p) });
    await core.invoke('exchange.keysRegion', { keyFile: regionKey }, as);
    await region.invoke('exchange.keysTrust', { keyFile: (await core.invoke('exchange.keysShow', {}, as)).keyFile }, as);
    const t = Date.now();
    const r = await core.invoke('exchange.export', { full: true }, as);
    info.exportMs[p] = Date.now() - t;
    copyFileSync(core.outbox.get(r.fileId)!.path, files[p]);
    info.exportBytes[p] = statSync(files[p]).size;
    if (p === 'errachidia') {
      // 5. A month of work after the export, and its incremental file.
      log('a month of errachidia’s work …');
      info.monthChanges = await monthOfWork(core, perProvince);
      const t2 = Date.now();
      const m = await core.invoke('exchange.export', { full: false }, as);
      info.monthExportMs = Date.now() - t2;
      copyFileSync(core.outbox.get(m.fileId)!.path, `${monthFile}.part`);
      log(`month: ${JSON.stringify(info.monthChanges)}, file of ${JSON.stringify(m.counts)}`);
    }
    await core.close();
    save();
    log(`${p} exported in ${(info.exportMs[p] / 1000).toFixed(1)} s (${(info.exportBytes[p] / 1048576).toFixed(0)} MB)`);
  }
  for (const p of PROVINCES) {
    if (info.importMs[p] !== undefined) continue;
    const t = Date.now();
    const cpu = process.cpuUsage();
    const r = await region.invoke('exchange.import', { files: [{ path: files[p] }] }, as);
    if (r.results[0].status !== 'applied') throw new Error(`import of ${p}: ${JSON.stringify(r.results[0])}`);
    info.importMs[p] = Date.now() - t;
    const c = process.cpuUsage(cpu);
    (info.importCpuMs ??= {})[p] = (c.user + c.system) / 1000;
    save();
    log(`${p} imported at the region in ${(info.importMs[p] / 1000).toFixed(1)} s (CPU ${(info.importCpuMs[p] / 1000).toFixed(1)} s)`);
  }
  await region.close();
  const d = new Database(part);
  d.pragma('wal_checkpoint(TRUNCATE)');
  d.close();
  for (const s of ['-wal', '-shm']) rmSync(part + s, { force: true });
  renameSync(part, regionDb);
  renameSync(`${monthFile}.part`, monthFile);
  info.builtAt = new Date().toISOString();
  info.totalMs = Date.now() - t0;
  writeFileSync(infoPath, JSON.stringify(info, null, 2));
  rmSync(partialPath, { force: true });
  log(`built in ${(info.totalMs / 60000).toFixed(1)} min`);
  return out();
}
