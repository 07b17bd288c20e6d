import { uuidv7 } from 'uuidv7';
import { AppError } from '../../shared/errors';
import type { Sqlite } from '../db/connection';
import type { Office } from '../db/schema';
import { verifyBytes } from '../crypto/keys';
import { comparePeople, strongBirthDates } from '../../shared/matching';
import { SEARCH_TEXT_SQL } from '../applicants/matching-keys';
import { CHANGES_PART, decodeRow, FORMAT_VERSION, openFile, openPart, parseInner, parseLine, peekFile, peekOrder, sha256, type LineBatch, type Manifest, type PeekedFile } from './file-format';
import { ownEncryptionKey } from './keys';
import { checkChainExtends, recordAnchor } from '../security/audit-chain-anchors';
import { q, SYNC_TABLES, tableColumns, tableExists, type SyncTable } from './registry';
import type { JobHooks } from '../jobs/job-control';
import type { DuplicateFound, FileResult, TableSummary } from '../../shared/api/exchange.contract';

export type { FileResult };

export interface VerifiedFile {
  fileName: string;
  data: Buffer;
  peeked: PeekedFile;
  manifest: Manifest;
  inner: Buffer;
  partsStart: number;
  payloadSha256: string;
  office: Office;
}

export const DEFAULT_MAX_FILE_BYTES = 512 * 1024 * 1024;

export function maxFileBytes(db: Sqlite): number {
  const v = db.prepare(`SELECT value FROM settings WHERE key = 'exchange.max_file_bytes'`).pluck().get() as string | undefined;
  const n = v ? Number(JSON.parse(v)) : DEFAULT_MAX_FILE_BYTES;
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_MAX_FILE_BYTES;
}

/**
 * Checks a file completely before anything is written: size, format, version, the recipient key, decryption
 * (AES-GCM authenticates every byte), the manifest, the sending office (known and trusted), its signature.
 * The checksum of each part is checked as the part is read.
 */
export function verifyFile(db: Sqlite, data: Buffer, fileName: string): VerifiedFile {
  const peeked = peekFile(data, maxFileBytes(db));
  const own = ownEncryptionKey(db);
  if (!own || own.fingerprint !== peeked.header.recipient) {
    throw new AppError('exchange.wrong_key', { recipient: peeked.header.recipient, ours: own?.fingerprint ?? null });
  }
  const inner = openFile(data, peeked, own.privatePem);
  const { manifest, manifestBytes, signature, partsStart } = parseInner(inner);
  if (manifest.format > FORMAT_VERSION) throw new AppError('exchange.newer_format', { version: manifest.format, supported: FORMAT_VERSION });
  if (
    manifest.office?.slug !== peeked.header.office ||
    manifest.fileSeq !== peeked.header.fileSeq ||
    !Number.isInteger(manifest.prevFileSeq) ||
    !Number.isInteger(manifest.changeSeq?.from) ||
    !Number.isInteger(manifest.changeSeq?.to) ||
    (manifest.type !== 'delta' && manifest.type !== 'full')
  ) {
    throw new AppError('exchange.corrupt', { part: 'manifest' });
  }
  const office = db.prepare('SELECT * FROM offices WHERE id = ?').get(manifest.office.id) as Office | undefined;
  if (!office) throw new AppError('exchange.unknown_office', { office: manifest.office.slug });
  if (office.slug !== manifest.office.slug || office.kind !== 'province') throw new AppError('exchange.unknown_office', { office: manifest.office.slug });
  if (office.trusted !== 1 || !office.public_key) throw new AppError('exchange.untrusted_office', { office: office.slug });
  if (!verifyBytes(office.public_key, manifestBytes, signature)) throw new AppError('exchange.bad_signature', { office: office.slug });
  // The manifest names every part by its sha256 and is signed: its hash identifies the content (a replay, a file
  // made again) without hashing the whole payload once more.
  return { fileName, data, peeked, manifest, inner, partsStart, payloadSha256: sha256(manifestBytes), office };
}

interface OfficeState {
  last_file_seq: number;
  last_change_seq: number;
}

function officeState(db: Sqlite, officeId: string): OfficeState {
  return (
    (db.prepare('SELECT last_file_seq, last_change_seq FROM exchange_office_state WHERE office_id = ?').get(officeId) as OfficeState | undefined) ?? {
      last_file_seq: 0,
      last_change_seq: 0,
    }
  );
}

type Decision = { action: 'apply' } | { action: 'already'; importedAt: string } | { action: 'hold'; missing: { from: number; to: number } };

/** Where a verified file stands in its office's sequence. Throws for a replayed or superseded file. */
function decide(db: Sqlite, f: VerifiedFile): Decision {
  const prior = db.prepare('SELECT imported_at FROM exchange_imports WHERE payload_sha256 = ?').get(f.payloadSha256) as { imported_at: string } | undefined;
  if (prior) return { action: 'already', importedAt: prior.imported_at };
  const st = officeState(db, f.office.id);
  const m = f.manifest;
  if (m.fileSeq <= st.last_file_seq) throw new AppError('exchange.replayed', { office: f.office.slug, fileSeq: m.fileSeq, last: st.last_file_seq });
  if (m.type === 'full') return { action: 'apply' };
  if (m.prevFileSeq > st.last_file_seq) return { action: 'hold', missing: { from: st.last_file_seq + 1, to: m.prevFileSeq } };
  if (m.prevFileSeq < st.last_file_seq || m.changeSeq.from < st.last_change_seq) {
    throw new AppError('exchange.out_of_order', { office: f.office.slug, fileSeq: m.fileSeq, last: st.last_file_seq });
  }
  return { action: 'apply' };
}

export interface ApplyOptions extends JobHooks {
  dryRun: boolean;
  now: string;
  actorName: string;
  /** Test hook: stop (blocking, inside the transaction) after this many rows, so a test can kill the process. */
  pauseAfterRows?: number;
}

/** From this many applicants in a part, the search index is filled after the part (see deferSearchIndex). */
const BULK_SEARCH_MIN_ROWS = 500;
/** Rows per batch on the bulk path (one savepoint, one statement). */
const BULK_BATCH_ROWS = 2000;

function blockForever(): void {
  process.stderr.write('exchange-test-paused\n');
  const sab = new Int32Array(new SharedArrayBuffer(4));
  for (;;) Atomics.wait(sab, 0, 0, 60_000);
}

const emptySummary = (): TableSummary => ({ new: 0, updated: 0, unchanged: 0, conflicts: 0, deleted: 0 });

function isUniqueError(e: unknown): boolean {
  return (e as { code?: string })?.code === 'SQLITE_CONSTRAINT_UNIQUE' || (e as { code?: string })?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Applies one verified file. The caller holds a savepoint or transaction and decides to keep or roll it back. */
async function applyFile(db: Sqlite, f: VerifiedFile, opts: ApplyOptions): Promise<FileResult> {
  const m = f.manifest;
  const officeId = f.office.id;
  const tables: Record<string, TableSummary> = {};
  const changes = { delete: 0, anonymise: 0, close: 0 };
  const dups: DuplicateFound[] = [];
  let sameCin = 0;
  let samePerson = 0;
  let conflicts = 0;
  const total = m.parts.reduce((a, p) => a + (p.rows | 0), 0);
  let done = 0;
  const officeSlugs = new Map<string, string>(
    (db.prepare('SELECT id, slug FROM offices').all() as { id: string; slug: string }[]).map((r) => [r.id, r.slug]),
  );

  // The office's audit chain must extend the head kept from its last file (issue 16); the new head is kept
  // with the file (rolled back with it when the file is refused or this is a dry run).
  const anchor = checkChainExtends(db, officeId, f.office.slug, m.audit);
  if (anchor) recordAnchor(db, officeId, 'received', anchor, m.fileSeq, opts.now);
  db.prepare('INSERT OR IGNORE INTO exchange_applying (id) VALUES (1)').run();
  const importId = Number(
    db
      .prepare(
        `INSERT INTO exchange_imports (office_id, file_seq, prev_file_seq, kind, from_change_seq, to_change_seq, payload_sha256, file_name, summary, file_created_at, imported_at, imported_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?, ?)`,
      )
      .run(officeId, m.fileSeq, m.prevFileSeq, m.type, m.changeSeq.from, m.changeSeq.to, f.payloadSha256, f.fileName, m.createdAt, opts.now, opts.actorName).lastInsertRowid,
  );

  const insertReview = db.prepare(
    `INSERT OR IGNORE INTO exchange_reviews (id, kind, entity, entity_id, office_id, other_id, other_office_id, detail, import_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const review = (kind: 'same_cin' | 'same_person' | 'conflict', entity: string, a: { id: string; office: string }, b: { id: string; office: string }, detail: object) => {
    // Pairs are stored in one order so that finding them again from the other side adds nothing.
    const [x, y] = a.id <= b.id ? [a, b] : [b, a];
    return insertReview.run(uuidv7(), kind, entity, x.id, x.office, y.id, y.office, JSON.stringify(detail), importId, opts.now).changes;
  };

  // Per row: counts, the test pause; every 20,000 rows: progress, and a turn of the event loop so that a
  // cancellation can arrive (the function stays synchronous per row: a promise per row would cost seconds on 1M rows).
  const step = (): boolean => {
    done++;
    if (opts.pauseAfterRows !== undefined && done === opts.pauseAfterRows) blockForever();
    return done % 20_000 === 0;
  };
  const checkpoint = async () => {
    opts.onProgress?.({ phase: 'import', table: currentTable, done, total });
    if (opts.signal) {
      await new Promise((r) => setImmediate(r));
      if (opts.signal.aborted) throw new AppError('exchange.cancelled');
    }
  };

  let currentTable = '';
  let asideJustNow = false;
  let currentApplicantColumns: string[] | null = null;
  /** Applicants inserted while the search trigger is off (see deferSearchIndex), in insertion order. */
  let insertedApplicants: string[] | null = null;
  // Parent ids applied in this file (new or updated): their children are replaced.
  const touched = new Map<string, { fresh: Set<string>; updated: Set<string> }>();
  const order = new Map<string, number>();
  SYNC_TABLES.forEach((t, i) => {
    order.set(t.table, i * 100);
    (t.children ?? []).forEach((c, j) => order.set(c.table, i * 100 + j + 1));
  });
  order.set(CHANGES_PART, 1e9);
  const parts = m.parts
    .map((p, i) => ({ p, i }))
    .sort((a, b) => {
      const oa = order.get(a.p.table);
      const ob = order.get(b.p.table);
      if (oa === undefined || ob === undefined) throw new AppError('exchange.schema_mismatch', { table: oa === undefined ? a.p.table : b.p.table });
      return oa - ob || a.i - b.i;
    })
    .map((x) => x.p);
  const maxBytes = maxFileBytes(db);

  for (const part of parts) {
    if (opts.signal?.aborted) throw new AppError('exchange.cancelled');
    currentTable = part.table;
    const { columns, rows, batches } = openPart(f.inner, f.partsStart, part, maxBytes);
    if (part.table === CHANGES_PART) {
      for (const [, entity, entityId, op] of rows() as Generator<[number, string, string, string, string]>) {
        const t = SYNC_TABLES.find((s) => s.table === entity);
        if (!t || typeof entityId !== 'string') throw new AppError('exchange.corrupt', { part: CHANGES_PART });
        if (op === 'anonymise' || op === 'close') changes[op]++;
        else if (op === 'delete') {
          changes.delete++;
          if (t.pk.length === 1 && tableExists(db, t.table)) {
            const ex = db.prepare(`SELECT ${q(t.owner)} AS owner FROM ${q(t.table)} WHERE ${q(t.pk[0])} = ?`).get(entityId) as { owner: string } | undefined;
            if (ex && ex.owner === officeId) {
              for (const c of t.children ?? []) if (tableExists(db, c.table)) db.prepare(`DELETE FROM ${q(c.table)} WHERE ${q(c.fk)} = ?`).run(entityId);
              db.prepare(`DELETE FROM ${q(t.table)} WHERE ${q(t.pk[0])} = ?`).run(entityId);
              if (t.table === 'applicants') db.prepare('DELETE FROM exchange_cin_aside WHERE applicant_id = ?').run(entityId);
              (tables[t.table] ??= emptySummary()).deleted++;
            } else if (ex) conflicts++;
          }
        } else throw new AppError('exchange.corrupt', { part: CHANGES_PART });
        if (step()) await checkpoint();
      }
      continue;
    }

    const parent = SYNC_TABLES.find((t) => t.table === part.table);
    const childOf = parent ? undefined : SYNC_TABLES.find((t) => t.children?.some((c) => c.table === part.table));
    if (!tableExists(db, part.table)) throw new AppError('exchange.schema_mismatch', { table: part.table });
    const local = new Set(tableColumns(db, part.table));
    const unknown = columns.filter((c) => !local.has(c));
    if (unknown.length) throw new AppError('exchange.schema_mismatch', { table: part.table, columns: unknown });
    const sum = (tables[part.table] ??= emptySummary());

    if (childOf) {
      const link = childOf.children!.find((c) => c.table === part.table)!;
      const fkIdx = columns.indexOf(link.fk);
      if (fkIdx < 0) throw new AppError('exchange.schema_mismatch', { table: part.table });
      const tp = touched.get(childOf.table) ?? { fresh: new Set<string>(), updated: new Set<string>() };
      // The children of an updated parent are replaced by the set the file carries.
      const del = db.prepare(`DELETE FROM ${q(part.table)} WHERE ${q(link.fk)} = ?`);
      for (const id of tp.updated) del.run(id);
      const ins = db.prepare(`INSERT INTO ${q(part.table)} (${columns.map(q).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
      for (const row of rows()) {
        const pid = row[fkIdx] as string;
        if (tp.fresh.has(pid)) {
          ins.run(...row);
          sum.new++;
        } else if (tp.updated.has(pid)) {
          ins.run(...row);
          sum.updated++;
        } else sum.unchanged++;
        if (step()) await checkpoint();
      }
      continue;
    }
    if (!parent) throw new AppError('exchange.schema_mismatch', { table: part.table });
    await applyRoot(parent, columns, rows, batches, part.rows);
  }

  async function applyRoot(t: SyncTable, columnsIn: string[], rows: () => Generator<unknown[]>, batches: (size: number) => Generator<LineBatch>, partRows: number) {
    const omit = new Set(t.omit ?? []);
    const keep = columnsIn.map((c, i) => (omit.has(c) ? -1 : i)).filter((i) => i >= 0);
    const columns = keep.map((i) => columnsIn[i]);
    const pkIdx = t.pk.map((c) => columns.indexOf(c));
    const ownerIdx = columns.indexOf(t.owner);
    const seqIdx = columns.indexOf('change_seq');
    if (pkIdx.some((i) => i < 0) || ownerIdx < 0 || seqIdx < 0) throw new AppError('exchange.schema_mismatch', { table: t.table });
    const nonPk = columns.map((c, i) => i).filter((i) => !pkIdx.includes(i));
    const pkWhere = t.pk.map((c) => `${q(c)} = ?`).join(' AND ');
    const ins = db.prepare(`INSERT OR IGNORE INTO ${q(t.table)} (${columns.map(q).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
    const insStrict = db.prepare(`INSERT INTO ${q(t.table)} (${columns.map(q).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
    const sel = db.prepare(`SELECT ${q(t.owner)} AS owner, change_seq AS cs FROM ${q(t.table)} WHERE ${pkWhere}`);
    const upd = db.prepare(`UPDATE ${q(t.table)} SET ${nonPk.map((i) => `${q(columns[i])} = ?`).join(', ')} WHERE ${pkWhere}`);
    const sum = (tables[t.table] ??= emptySummary());
    // One set per table across all its parts (a table of more than PART_ROWS rows comes in several parts).
    const tp = touched.get(t.table) ?? { fresh: new Set<string>(), updated: new Set<string>() };
    if (t.children?.length) touched.set(t.table, tp);
    const isApplicants = t.table === 'applicants';
    const cinIdx = isApplicants ? columns.indexOf('cin') : -1;
    const hooks = isApplicants ? applicantHooks(columns) : null;
    const full = keep.length !== columnsIn.length;
    const clearAside = db.prepare('DELETE FROM exchange_cin_aside WHERE applicant_id = ?');

    const applyRow = (rowIn: unknown[]) => {
      const row = full ? keep.map((i) => rowIn[i]) : rowIn;
      if (row[ownerIdx] !== officeId) throw new AppError('exchange.foreign_rows', { table: t.table, office: f.office.slug });
      const pk = pkIdx.map((i) => row[i]);
      const updateArgs = () => [...nonPk.map((i) => row[i]), ...pk];
      let status: 'new' | 'updated' | 'unchanged' | 'conflict';
      if (t.updateOnly) {
        const ex = sel.get(...pk) as { owner: string; cs: number } | undefined;
        if (!ex) throw new AppError('exchange.unknown_office', { office: f.office.slug });
        status = (row[seqIdx] as number) > ex.cs ? 'updated' : 'unchanged';
        if (status === 'updated') upd.run(...updateArgs());
      } else if (ins.run(...row).changes === 1) {
        status = 'new';
      } else {
        const ex = sel.get(...pk) as { owner: string; cs: number } | undefined;
        if (!ex) {
          // Not the key: another unique column. The only expected one is an applicant's CIN held by another office.
          const aside = cinIdx >= 0 ? cinAside(row, pk[0] as string) : false;
          if (!aside) {
            try {
              insStrict.run(...row);
            } catch (e) {
              throw new AppError('exchange.row_rejected', { table: t.table, id: String(pk[0]), reason: (e as Error).message });
            }
            throw new AppError('exchange.row_rejected', { table: t.table, id: String(pk[0]), reason: 'ignored' });
          }
          status = 'new';
        } else if (ex.owner !== officeId) {
          status = 'conflict';
          review('conflict', t.table, { id: String(pk[0]), office: officeId }, { id: String(pk[0]), office: ex.owner }, { table: t.table, heldBy: officeSlugs.get(ex.owner) ?? ex.owner });
        } else if ((row[seqIdx] as number) > ex.cs) {
          try {
            upd.run(...updateArgs());
          } catch (e) {
            if (!(cinIdx >= 0 && isUniqueError(e) && cinAside(row, pk[0] as string, true))) throw e;
          }
          // The CIN no longer collides (or was erased by an anonymisation): nothing stays aside.
          if (isApplicants && !asideJustNow) clearAside.run(pk[0]);
          status = 'updated';
        } else status = 'unchanged';
      }
      asideJustNow = false;
      if (status === 'new') {
        sum.new++;
        tp.fresh.add(pk[0] as string);
        insertedApplicants?.push(pk[0] as string);
      } else if (status === 'updated') {
        sum.updated++;
        tp.updated.add(pk[0] as string);
      } else if (status === 'conflict') {
        sum.conflicts++;
        conflicts++;
      } else sum.unchanged++;
      if (hooks && (status === 'new' || status === 'updated')) hooks.samePerson(row);
    };

    // Bulk tables (no children, no hooks, plain column types): two thousand rows at a time, INSERT OR IGNORE.
    // When every row of a batch is new — a first import — that is all; otherwise the batch is rolled back and its
    // rows go through the row by row path.
    const types = db.prepare(`SELECT upper(type) FROM pragma_table_info(?)`).pluck().all(t.table) as string[];
    const bulk = !t.children?.length && !isApplicants && !t.updateOnly && !full && types.every((x) => x === 'TEXT' || x === 'INTEGER' || x === 'REAL');
    const safeApply = (row: unknown[]) => {
      try {
        applyRow(row);
      } catch (e) {
        if (e instanceof AppError) throw e;
        // A constraint of the region's schema (a foreign key to a row the file lacks, a check): refused, named.
        throw new AppError('exchange.row_rejected', { table: t.table, id: String(row[pkIdx[0]] ?? ''), reason: (e as Error).message });
      }
    };
    if (!bulk) {
      const search = isApplicants ? deferSearchIndex(partRows) : null;
      for (const row of rows()) {
        safeApply(row);
        if (step()) await checkpoint();
      }
      search?.finish();
      return;
    }
    // SQLite parses each batch from its JSON bytes (INSERT OR IGNORE … SELECT … FROM json_each): one statement, so
    // one statement journal, per batch. (Fifty-row VALUES statements bound from JSON.parse cost less CPU in
    // isolation but each statement then spills its own journal to a temporary file: more time in the import.)
    const batchIns = db.prepare(
      `INSERT OR IGNORE INTO ${q(t.table)} (${columns.map(q).join(', ')})
       SELECT ${columns.map((_, i) => `j.value ->> ${i}`).join(', ')} FROM json_each(CAST(? AS TEXT)) j
        WHERE json_array_length(j.value) = ${columns.length} AND j.value ->> ${ownerIdx} = ?`,
    );
    for (const batch of batches(BULK_BATCH_ROWS)) {
      db.exec('SAVEPOINT exchange_batch');
      let n = 0;
      try {
        n = batchIns.run(batch.json, officeId).changes;
      } catch {
        n = -1; // the row by row path names the row and the reason
      }
      if (n === batch.count) {
        db.exec('RELEASE exchange_batch');
        sum.new += n;
      } else {
        db.exec('ROLLBACK TO exchange_batch');
        db.exec('RELEASE exchange_batch');
        for (const l of batch.lines()) safeApply(decodeRow(parseLine(l) as unknown[]));
      }
      const before = done;
      done += batch.count - 1;
      if (opts.pauseAfterRows !== undefined && opts.pauseAfterRows > before && opts.pauseAfterRows <= done + 1) {
        done = opts.pauseAfterRows - 1;
      }
      if (step() || Math.floor(done / 20_000) > Math.floor(before / 20_000)) await checkpoint();
    }
  }

  /**
   * The search index of a large applicants part is filled in one pass after the part rather than by the
   * applicants_search_ai trigger row by row: that trigger's DELETE on the FTS5 table makes FTS5 flush a segment
   * per row (about 70 % of the time of a first import). The trigger is dropped for the length of the part and
   * made again from its stored SQL; DDL is transactional, so a refused, cancelled or killed import (or a dry run)
   * gets it back with the rollback. `finish` does for the inserted rows exactly what the trigger would have done,
   * in the same order (the same applicant_search rowids).
   */
  function deferSearchIndex(partRows: number): { finish(): void } | null {
    if (partRows < BULK_SEARCH_MIN_ROWS) return null;
    const trigger = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'applicants_search_ai'").pluck().get() as string | undefined;
    if (!trigger || !tableExists(db, 'applicant_search')) return null;
    db.exec('DROP TRIGGER applicants_search_ai');
    const ids: string[] = [];
    insertedApplicants = ids;
    return {
      finish() {
        insertedApplicants = null;
        const from = db.prepare('SELECT coalesce(max(rowid), 0) FROM applicant_search').pluck().get() as number;
        const stale = db.prepare('DELETE FROM applicant_search WHERE applicant_id = ? RETURNING rowid').pluck();
        const dropFts = db.prepare('DELETE FROM applicants_fts WHERE rowid = ?');
        const add = db.prepare('INSERT INTO applicant_search (applicant_id) VALUES (?)');
        for (const id of ids) {
          const old = stale.get(id) as number | undefined;
          if (old !== undefined) dropFts.run(old);
          add.run(id);
        }
        db.prepare(
          `INSERT INTO applicants_fts (rowid, names)
           SELECT s.rowid, ${SEARCH_TEXT_SQL('a')} FROM applicant_search s JOIN applicants a ON a.id = s.applicant_id WHERE s.rowid > ?`,
        ).run(from);
        db.exec(trigger);
      },
    };
  }

  /** Stores an applicant whose CIN another office's record holds: the CIN kept aside, a review opened. */
  function cinAside(row: unknown[], id: string, update = false): boolean {
    const cinIdx = currentApplicantColumns!.indexOf('cin');
    const cin = row[cinIdx] as string | null;
    if (!cin) return false;
    const other = db.prepare('SELECT id, office_id, birth_date FROM applicants WHERE cin = ? AND id <> ?').get(cin, id) as
      | { id: string; office_id: string; birth_date: string | null }
      | undefined;
    if (!other) return false;
    const copy = [...row];
    copy[cinIdx] = null;
    if (update) {
      const nonPk = currentApplicantColumns!.map((c, i) => i).filter((i) => currentApplicantColumns![i] !== 'id');
      db.prepare(`UPDATE applicants SET ${nonPk.map((i) => `${q(currentApplicantColumns![i])} = ?`).join(', ')} WHERE id = ?`).run(...nonPk.map((i) => copy[i]), id);
    } else {
      db.prepare(`INSERT INTO applicants (${currentApplicantColumns!.map(q).join(', ')}) VALUES (${currentApplicantColumns!.map(() => '?').join(', ')})`).run(...copy);
    }
    db.prepare('INSERT OR REPLACE INTO exchange_cin_aside (applicant_id, cin, other_id) VALUES (?, ?, ?)').run(id, cin, other.id);
    if (review('same_cin', 'applicants', { id, office: officeId }, { id: other.id, office: other.office_id }, { cin })) sameCin++;
    if (dups.length < 50) dups.push({ kind: 'same_cin', applicantId: id, otherId: other.id, otherOffice: officeSlugs.get(other.office_id) ?? other.office_id, cin, birthDate: other.birth_date });
    asideJustNow = true;
    return true;
  }

  /**
   * The same woman in another province: the registry's matching engine (shared/matching comparePeople, as the
   * registration form and the Excel import) finds a strong candidate — names across scripts and spellings, birth date
   * the same, one day apart or day and month swapped, the same sex. Its score and reasons go with the review item.
   */
  function applicantHooks(columns: string[]) {
    currentApplicantColumns = columns;
    const idx = (c: string) => columns.indexOf(c);
    const [iId, iBirth, iCin] = [idx('id'), idx('birth_date'), idx('cin')];
    const [iFa, iLa, iFl, iLl, iSex] = [idx('first_name_ar'), idx('last_name_ar'), idx('first_name_lat'), idx('last_name_lat'), idx('sex')];
    if (iBirth < 0 || iFa < 0 || iLa < 0 || iFl < 0 || iLl < 0) return { samePerson: () => {} };
    // Nobody else's applicants at the region yet (the first province to send): nothing to compare with.
    if (!db.prepare('SELECT 1 FROM applicants WHERE office_id <> ? LIMIT 1').get(officeId)) return { samePerson: () => {} };
    const find = db.prepare(
      `SELECT a.id, a.office_id, a.first_name_ar, a.last_name_ar, a.first_name_lat, a.last_name_lat, a.sex, a.birth_date, COALESCE(a.cin, x.cin) AS cin
         FROM applicants a LEFT JOIN exchange_cin_aside x ON x.applicant_id = a.id
        WHERE a.birth_date IN (SELECT value FROM json_each(?)) AND a.office_id <> ? AND a.anonymised_at IS NULL`,
    );
    return {
      samePerson(row: unknown[]) {
        const birth = row[iBirth] as string | null;
        if (!birth) return;
        const mine = {
          firstNameAr: row[iFa] as string, lastNameAr: row[iLa] as string, firstNameLat: row[iFl] as string, lastNameLat: row[iLl] as string,
          sex: iSex >= 0 ? (row[iSex] as 'F' | 'M' | null) : null, birthDate: birth,
        };
        const candidates = find.all(JSON.stringify(strongBirthDates(birth)), officeId) as {
          id: string; office_id: string; first_name_ar: string; last_name_ar: string; first_name_lat: string; last_name_lat: string; sex: 'F' | 'M' | null; birth_date: string; cin: string | null;
        }[];
        const cin = iCin >= 0 ? (row[iCin] as string | null) : null;
        for (const o of candidates) {
          if (cin && o.cin === cin) continue; // already in the list as the same CIN
          const m = comparePeople(mine, { firstNameAr: o.first_name_ar, lastNameAr: o.last_name_ar, firstNameLat: o.first_name_lat, lastNameLat: o.last_name_lat, sex: o.sex, birthDate: o.birth_date });
          if (!m || m.level !== 'strong') continue;
          const id = row[iId] as string;
          if (review('same_person', 'applicants', { id, office: officeId }, { id: o.id, office: o.office_id }, { birthDate: birth, score: Math.round(m.score * 100) / 100, reasons: m.reasons })) {
            samePerson++;
            if (dups.length < 50) dups.push({ kind: 'same_person', applicantId: id, otherId: o.id, otherOffice: officeSlugs.get(o.office_id) ?? o.office_id, cin: iCin >= 0 ? (row[iCin] as string | null) : null, birthDate: birth });
          }
        }
      },
    };
  }

  db.prepare('DELETE FROM exchange_applying').run();
  const result: FileResult = {
    file: f.fileName,
    office: f.office.slug,
    fileSeq: m.fileSeq,
    status: opts.dryRun ? 'would_apply' : 'applied',
    type: m.type,
    prevFileSeq: m.prevFileSeq,
    changeSeq: m.changeSeq,
    createdAt: m.createdAt,
    tables,
    changes,
    duplicates: { sameCin, samePerson, sample: dups },
    conflicts,
    importId,
    payloadSha256: f.payloadSha256,
  };
  const applied = Object.values(tables).reduce((a, s) => a + s.new + s.updated + s.deleted, 0);
  db.prepare('UPDATE exchange_imports SET summary = ? WHERE id = ?').run(
    JSON.stringify({ tables, changes, duplicates: { sameCin, samePerson }, conflicts }),
    importId,
  );
  db.prepare(
    `INSERT INTO exchange_office_state (office_id, last_file_seq, last_change_seq, last_file_created_at, last_imported_at, rows_applied)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (office_id) DO UPDATE SET last_file_seq = excluded.last_file_seq, last_change_seq = excluded.last_change_seq,
       last_file_created_at = excluded.last_file_created_at, last_imported_at = excluded.last_imported_at,
       rows_applied = rows_applied + excluded.rows_applied`,
  ).run(officeId, m.fileSeq, m.changeSeq.to, m.createdAt, opts.now, applied);
  // Files held for this office that the new position makes stale are dropped (a full snapshot superseded them).
  db.prepare('DELETE FROM exchange_held_files WHERE office_id = ? AND file_seq <= ?').run(officeId, m.fileSeq);
  return result;
}

/** Runs fn inside a savepoint; keeps its writes only when `keep` says so (not for a dry run or a failure). */
async function inSavepoint<T>(db: Sqlite, fn: () => Promise<T>, keep: (r: T) => boolean): Promise<T> {
  db.exec('SAVEPOINT exchange_file');
  let ok = false;
  try {
    const r = await fn();
    ok = keep(r);
    return r;
  } finally {
    if (!ok) db.exec('ROLLBACK TO exchange_file');
    db.exec('RELEASE exchange_file');
  }
}

export interface IncomingFile {
  name: string;
  data: Buffer;
}

/**
 * Imports files at the region. Each file is checked whole, then applied in its own savepoint (all or nothing);
 * files are taken in sequence order per office; a file after a gap is held until the missing one arrives (or
 * the coordinator accepts the gap); a file already applied changes nothing; a refused file leaves no trace.
 * After a file is applied, the held files that now follow are applied too.
 */
export async function importFiles(db: Sqlite, files: IncomingFile[], opts: ApplyOptions): Promise<FileResult[]> {
  const ready = files.map((f) => ({ f, order: peekOrder(f.data) }));
  ready.sort((a, b) => (a.order?.office ?? '').localeCompare(b.order?.office ?? '') || (a.order?.fileSeq ?? 0) - (b.order?.fileSeq ?? 0));
  // A dry run applies the files one after the other as a real import would (so that file 2 follows file 1),
  // inside a savepoint that is rolled back at the end.
  if (opts.dryRun) db.exec('SAVEPOINT exchange_dry_run');
  try {
    const results: FileResult[] = [];
    for (const { f } of ready) results.push(...(await importOne(db, f, opts)));
    return results;
  } finally {
    if (opts.dryRun) {
      db.exec('ROLLBACK TO exchange_dry_run');
      db.exec('RELEASE exchange_dry_run');
    }
  }
}

async function importOne(db: Sqlite, file: IncomingFile, opts: ApplyOptions): Promise<FileResult[]> {
  let v: VerifiedFile;
  try {
    v = verifyFile(db, file.data, file.name);
  } catch (e) {
    if (e instanceof AppError) return [refused(file.name, null, e)];
    throw e;
  }
  const base = { file: file.name, office: v.office.slug, fileSeq: v.manifest.fileSeq, type: v.manifest.type, prevFileSeq: v.manifest.prevFileSeq, changeSeq: v.manifest.changeSeq, createdAt: v.manifest.createdAt, payloadSha256: v.payloadSha256 };
  let d: Decision;
  try {
    d = decide(db, v);
  } catch (e) {
    if (e instanceof AppError) return [refused(file.name, v, e)];
    throw e;
  }
  if (d.action === 'already') return [{ ...base, status: 'already_imported' }];
  if (d.action === 'hold') {
    db.prepare(
      `INSERT OR IGNORE INTO exchange_held_files (office_id, file_seq, prev_file_seq, file_name, payload_sha256, data, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(v.office.id, v.manifest.fileSeq, v.manifest.prevFileSeq, file.name, v.payloadSha256, file.data, opts.now);
    return [{ ...base, status: opts.dryRun ? 'would_hold' : 'held', missing: d.missing }];
  }
  let r: FileResult;
  try {
    r = await inSavepoint(db, () => applyFile(db, v, opts), () => true);
  } catch (e) {
    if (e instanceof AppError && e.code !== 'exchange.cancelled') return [refused(file.name, v, e)];
    throw e;
  }
  const out = [r];
  // The held files that now follow this one.
  const next = db
    .prepare('SELECT id, file_name, data FROM exchange_held_files WHERE office_id = ? AND prev_file_seq = ? ORDER BY file_seq LIMIT 1')
    .get(v.office.id, v.manifest.fileSeq) as { id: number; file_name: string; data: Buffer } | undefined;
  if (next) {
    db.prepare('DELETE FROM exchange_held_files WHERE id = ?').run(next.id);
    out.push(...(await importOne(db, { name: next.file_name, data: next.data }, opts)));
  }
  return out;
}

function refused(name: string, v: VerifiedFile | null, e: AppError): FileResult {
  return {
    file: name,
    office: v?.office.slug ?? null,
    fileSeq: v?.manifest.fileSeq ?? null,
    status: 'refused',
    error: { code: e.code, params: e.params },
  };
}

/**
 * The coordinator accepts that the files before the first held one of an office will not come: the sequence
 * moves on to it, and the held files are applied.
 */
export async function acceptGap(db: Sqlite, officeId: string, opts: ApplyOptions): Promise<{ skipped: { from: number; to: number }; results: FileResult[] }> {
  const held = db
    .prepare('SELECT id, file_seq, prev_file_seq, file_name, data FROM exchange_held_files WHERE office_id = ? ORDER BY file_seq LIMIT 1')
    .get(officeId) as { id: number; file_seq: number; prev_file_seq: number; file_name: string; data: Buffer } | undefined;
  if (!held) throw new AppError('exchange.no_gap');
  const st = officeState(db, officeId);
  const skipped = { from: st.last_file_seq + 1, to: held.prev_file_seq };
  db.prepare(
    `INSERT INTO exchange_imports (office_id, file_seq, prev_file_seq, kind, from_change_seq, to_change_seq, payload_sha256, file_name, summary, file_created_at, imported_at, imported_by)
     VALUES (?, ?, ?, 'gap_accepted', ?, ?, ?, '', ?, ?, ?, ?)`,
  ).run(officeId, held.prev_file_seq, st.last_file_seq, st.last_change_seq, st.last_change_seq, `gap:${officeId}:${skipped.from}-${skipped.to}`, JSON.stringify({ skipped }), opts.now, opts.now, opts.actorName);
  db.prepare(
    `INSERT INTO exchange_office_state (office_id, last_file_seq, last_change_seq) VALUES (?, ?, ?)
     ON CONFLICT (office_id) DO UPDATE SET last_file_seq = excluded.last_file_seq`,
  ).run(officeId, held.prev_file_seq, st.last_change_seq);
  db.prepare('DELETE FROM exchange_held_files WHERE id = ?').run(held.id);
  // The change range check is relaxed by moving the position to the held file's start.
  const v = verifyFile(db, held.data, held.file_name);
  db.prepare('UPDATE exchange_office_state SET last_change_seq = ? WHERE office_id = ?').run(v.manifest.changeSeq.from, officeId);
  const results = await importOne(db, { name: held.file_name, data: held.data }, opts);
  return { skipped, results };
}
