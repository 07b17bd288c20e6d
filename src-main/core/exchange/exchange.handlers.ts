import type { Handlers, HandlersOf } from '../handler-types';
import type { exchangeContract } from '../../shared/api/exchange.contract';
import { comparePeople } from '../../shared/matching';
import type {
  ExportHistoryRow,
  ExportResult,
  FileResult,
  RegionKeyInfo,
  ReviewItem,
  ReviewSide,
  TrustedOffice,
} from '../../shared/api/exchange.contract';
import { AppError } from '../../shared/errors';
import type { HandlerContext, ReadContext } from '../context';
import type { Office } from '../db/schema';
import type { Selectable } from 'kysely';
import type { ExchangeExportsTable } from '../db/schema-exchange';
import { keyFingerprint } from '../crypto/keys';
import { lastChangeSeq } from '../changes/changes.repo';
import { buildExportContent } from './export';
import { exchangeFileName, parseInner, sealFile, sha256 } from './file-format';
import { acceptGap, importFiles, type IncomingFile } from './import';
import { activeRegionKey, ensureOwnEncryptionKey, makeKeyFile, ownEncryptionKey, parseKeyFile, regionKeys, type RegionKey } from './keys';
import { makeReceipt, officeCounts, verifyReceipt } from './receipts';
import { hashAtRow, manifestAudit, recordAnchor } from '../security/audit-chain-anchors';
import { getVerifyUrl, normaliseVerifyUrl, setVerifyUrl } from '../attestations/verify-page/verify-page';
import {
  addCadence,
  cadence,
  exchangeJob,
  lateness,
  readFileRef,
  refusedCount,
  requireProvince,
  purgeSentContents,
  requireRegion,
  signingKey,
  type ExchangeJob,
} from './exchange.service';

const MIME = 'application/octet-stream';

function regionKeyInfo(k: RegionKey): RegionKeyInfo {
  return {
    id: k.id,
    slug: k.slug,
    fingerprint: k.fingerprint,
    signingFingerprint: k.ed25519Public ? keyFingerprint(k.ed25519Public) : null,
    loadedAt: k.loadedAt,
    active: k.active,
  };
}

function trustedOffice(o: Office): TrustedOffice {
  return { id: o.id, slug: o.slug, code: o.code, kind: o.kind, trusted: o.trusted === 1, fingerprint: o.public_key ? keyFingerprint(o.public_key) : null };
}

/** A row of the files-sent history without its (large) content: the table type, not a copy of it. */
type ExportRow = Omit<Selectable<ExchangeExportsTable>, 'content'> & { kept: number };
const EXPORT_COLS =
  'id, file_seq, prev_file_seq, kind, from_change_seq, to_change_seq, counts, file_name, sha256, payload_sha256, size, recipient_fingerprint, remade_of, created_at, made_at, made_by, length(content) > 0 AS kept';

function historyRow(r: ExportRow): ExportHistoryRow {
  return {
    id: r.id,
    fileSeq: r.file_seq,
    prevFileSeq: r.prev_file_seq,
    type: r.kind,
    changeSeq: { from: r.from_change_seq, to: r.to_change_seq },
    counts: JSON.parse(r.counts) as Record<string, number>,
    fileName: r.file_name,
    sha256: r.sha256,
    size: r.size,
    recipientFingerprint: r.recipient_fingerprint,
    remadeOf: r.remade_of,
    createdAt: r.created_at,
    madeAt: r.made_at,
    madeBy: r.made_by,
    canRemake: r.kept === 1,
  };
}

function actorLabel(ctx: HandlerContext): string {
  const a = ctx.actor;
  return a.kind === 'user' ? a.username : a.kind === 'cli' ? `cli:${a.osUser}` : 'anonymous';
}

/** Encrypts the signed content to the region's key, puts the file in the outbox and records it in the history. */
function writeExport(
  ctx: HandlerContext,
  office: Office,
  inner: Buffer,
  meta: { fileSeq: number; prevFileSeq: number; type: 'delta' | 'full'; from: number; to: number; counts: Record<string, number>; createdAt: string; remadeOf: number | null },
): ExportResult {
  const key = activeRegionKey(ctx.sqlite);
  const data = sealFile(inner, key.x25519Public, key.fingerprint, office.slug, meta.fileSeq);
  const fileName = exchangeFileName(office.slug, meta.fileSeq);
  const f = ctx.services.outbox.put(fileName, MIME, data);
  const hash = sha256(data);
  const id = Number(
    ctx.sqlite
      .prepare(
        `INSERT INTO exchange_exports (file_seq, prev_file_seq, kind, from_change_seq, to_change_seq, counts, file_name, sha256, payload_sha256, size,
           recipient_fingerprint, remade_of, created_at, made_at, made_by, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        meta.fileSeq,
        meta.prevFileSeq,
        meta.type,
        meta.from,
        meta.to,
        JSON.stringify(meta.counts),
        fileName,
        hash,
        sha256(parseInner(inner).manifestBytes),
        data.length,
        key.fingerprint,
        meta.remadeOf,
        meta.createdAt,
        ctx.now(),
        actorLabel(ctx),
        inner,
      ).lastInsertRowid,
  );
  ctx.audit({
    entity: 'exchange_exports',
    entityId: String(id),
    changes: {
      file_seq: [null, meta.fileSeq],
      kind: [null, meta.type],
      change_range: [null, `${meta.from}..${meta.to}`],
      sha256: [null, hash],
      ...(meta.remadeOf ? { remade_of: [null, meta.remadeOf] } : {}),
    },
  });
  return {
    exportId: id,
    fileId: f.id,
    fileName,
    fileSeq: meta.fileSeq,
    prevFileSeq: meta.prevFileSeq,
    type: meta.type,
    changeSeq: { from: meta.from, to: meta.to },
    counts: meta.counts,
    sha256: hash,
    size: data.length,
    recipientFingerprint: key.fingerprint,
    createdAt: meta.createdAt,
    remadeOf: meta.remadeOf,
  };
}

type SideRow = { file_no: string; first_name_ar: string; last_name_ar: string; first_name_lat: string; last_name_lat: string; birth_date: string | null; cin: string | null; sex: 'F' | 'M'; phone: string | null; commune_ar: string | null; commune_fr: string | null; province_code: string | null };

/** One side of a review: what a coordinator needs to decide, side by side (names in both scripts, birth date, CIN, phone, commune, province, file number). */
function side(ctx: ReadContext, entity: string, id: string | null, officeId: string | null, slugs: Map<string, string>, raw?: { row?: SideRow }): ReviewSide | null {
  if (!id) return null;
  const office = officeId ? (slugs.get(officeId) ?? officeId) : '';
  if (entity !== 'applicants') return { id, office, fileNo: null, name: null, birthDate: null, cin: null };
  const a = ctx.sqlite
    .prepare(
      `SELECT a.file_no, a.first_name_ar, a.last_name_ar, a.first_name_lat, a.last_name_lat, a.birth_date, COALESCE(a.cin, x.cin) AS cin, a.sex, a.phone,
              c.name_ar AS commune_ar, c.name_fr AS commune_fr, COALESCE(c.province_code, o.province_code) AS province_code
         FROM applicants a LEFT JOIN exchange_cin_aside x ON x.applicant_id = a.id LEFT JOIN communes c ON c.code = a.commune_code
         LEFT JOIN offices o ON o.id = a.office_id WHERE a.id = ?`,
    )
    .get(id) as SideRow | undefined;
  if (!a) return { id, office, fileNo: null, name: null, birthDate: null, cin: null };
  if (raw) raw.row = a;
  const nameAr = [a.first_name_ar, a.last_name_ar].join(' ').trim();
  const nameLat = [a.first_name_lat, a.last_name_lat].join(' ').trim();
  return {
    id, office, fileNo: a.file_no, name: nameAr || nameLat, birthDate: a.birth_date, cin: a.cin,
    nameAr, nameLat, sex: a.sex, phone: a.phone, communeNameAr: a.commune_ar, communeNameFr: a.commune_fr, provinceCode: a.province_code,
  };
}

const personOf = (r: SideRow) => ({
  firstNameAr: r.first_name_ar, lastNameAr: r.last_name_ar, firstNameLat: r.first_name_lat, lastNameLat: r.last_name_lat, sex: r.sex, birthDate: r.birth_date, cin: r.cin,
});

interface ReviewRow {
  id: string;
  kind: ReviewItem['kind'];
  entity: string;
  entity_id: string;
  office_id: string;
  other_id: string | null;
  other_office_id: string | null;
  detail: string;
  status: ReviewItem['status'];
  note: string;
  created_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
}

function reviewItem(ctx: ReadContext, r: ReviewRow, slugs: Map<string, string>): ReviewItem {
  const ra: { row?: SideRow } = {};
  const rb: { row?: SideRow } = {};
  const a = side(ctx, r.entity, r.entity_id, r.office_id, slugs, ra)!;
  const b = r.kind === 'conflict' ? { id: r.other_id ?? '', office: r.other_office_id ? (slugs.get(r.other_office_id) ?? '') : '', fileNo: null, name: null, birthDate: null, cin: null } : side(ctx, r.entity, r.other_id, r.other_office_id, slugs, rb);
  // The matching engine's view of the pair (the same as the registration form's), with its reasons in words.
  const m = r.kind !== 'conflict' && ra.row && rb.row ? comparePeople(personOf(ra.row), personOf(rb.row)) : null;
  return {
    id: r.id,
    kind: r.kind,
    entity: r.entity,
    status: r.status,
    a,
    b,
    match: m ? { score: m.score, level: m.level, reasons: m.reasons } : null,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    note: r.note,
    createdAt: r.created_at,
    resolvedAt: r.resolved_at,
    resolvedBy: r.resolved_by,
  };
}

function officeSlugs(ctx: ReadContext): Map<string, string> {
  return new Map((ctx.sqlite.prepare('SELECT id, slug FROM offices').all() as { id: string; slug: string }[]).map((r) => [r.id, r.slug]));
}

function importOptions(ctx: HandlerContext, dryRun: boolean, job: ExchangeJob) {
  const pause = process.env.JISR_EXCHANGE_TEST_PAUSE_AFTER_ROWS;
  return { ...job.control, dryRun, now: ctx.now(), actorName: actorLabel(ctx), pauseAfterRows: pause ? Number(pause) : undefined };
}

/** Rows a file result went through (for the last progress step). */
const resultRows = (results: FileResult[]) =>
  results.reduce((a, r) => a + Object.values(r.tables ?? {}).reduce((b, t) => b + t.new + t.updated + t.unchanged + t.conflicts + t.deleted, 0), 0);

/** This feature's handler table, one per method of its contract (merged in core/handlers.ts). */
export type ExchangeHandlers = HandlersOf<typeof exchangeContract>;

export const exchangeHandlers = {
  'exchange.keysShow': async (_input, ctx) => {
    const office = ctx.requireOffice();
    const enc = office.kind === 'region' ? ensureOwnEncryptionKey(ctx.sqlite, ctx.now()) : ownEncryptionKey(ctx.sqlite);
    if (enc && 'created' in enc && enc.created) {
      ctx.audit({ entity: 'exchange_own_keys', entityId: '1', changes: { x25519_fingerprint: [null, enc.fingerprint] } });
    }
    const file = makeKeyFile(office, enc);
    return {
      office: { id: office.id, slug: office.slug, code: office.code, kind: office.kind },
      ed25519: file.ed25519,
      x25519: file.x25519,
      keyFile: JSON.stringify(file, null, 1),
    };
  },

  'exchange.keysTrust': async ({ keyFile }, ctx) => {
    requireRegion(ctx);
    const k = parseKeyFile(keyFile);
    if (k.officeKind !== 'province') throw new AppError('exchange.key_not_province');
    const bySlug = ctx.sqlite.prepare('SELECT * FROM offices WHERE slug = ?').get(k.slug) as Office | undefined;
    if (bySlug && bySlug.id !== k.officeId) throw new AppError('exchange.office_id_mismatch', { office: k.slug });
    const now = ctx.now();
    let created = false;
    let keyChanged = false;
    if (!bySlug) {
      created = true;
      ctx.sqlite
        .prepare(
          `INSERT INTO offices (id, slug, code, kind, province_code, name_ar, name_fr, public_key, trusted, created_at, updated_at, change_seq)
           VALUES (?, ?, ?, 'province', ?, ?, ?, ?, 1, ?, ?, 0)`,
        )
        .run(k.officeId, k.slug, k.code, k.provinceCode, k.nameAr, k.nameFr, k.ed25519.publicKey, now, now);
      ctx.audit({ entity: 'offices', entityId: k.officeId, changes: { slug: [null, k.slug], trusted: [null, 1], fingerprint: [null, k.ed25519.fingerprint] } });
    } else {
      keyChanged = bySlug.public_key !== k.ed25519.publicKey;
      ctx.sqlite.prepare('UPDATE offices SET public_key = ?, trusted = 1, updated_at = ? WHERE id = ?').run(k.ed25519.publicKey, now, bySlug.id);
      ctx.audit({
        entity: 'offices',
        entityId: bySlug.id,
        changes: {
          ...(bySlug.trusted !== 1 ? { trusted: [bySlug.trusted, 1] } : {}),
          ...(keyChanged ? { fingerprint: [bySlug.public_key ? keyFingerprint(bySlug.public_key) : null, k.ed25519.fingerprint] } : {}),
        },
      });
    }
    const o = ctx.sqlite.prepare('SELECT * FROM offices WHERE id = ?').get(k.officeId) as Office;
    return { ...trustedOffice(o), created, keyChanged };
  },

  'exchange.keysRegion': async ({ keyFile }, ctx) => {
    requireProvince(ctx);
    const k = parseKeyFile(keyFile);
    if (k.officeKind !== 'region' || !k.x25519) throw new AppError('exchange.key_not_region');
    const now = ctx.now();
    ctx.sqlite.prepare('UPDATE exchange_region_keys SET active = 0').run();
    const existing = ctx.sqlite.prepare('SELECT id FROM exchange_region_keys WHERE fingerprint = ?').pluck().get(k.x25519.fingerprint) as number | undefined;
    if (existing) {
      ctx.sqlite.prepare('UPDATE exchange_region_keys SET active = 1, ed25519_public = ?, loaded_at = ?, loaded_by = ? WHERE id = ?').run(k.ed25519.publicKey, now, actorLabel(ctx), existing);
    } else {
      ctx.sqlite
        .prepare(
          'INSERT INTO exchange_region_keys (office_slug, office_code, x25519_public, ed25519_public, fingerprint, active, loaded_at, loaded_by) VALUES (?, ?, ?, ?, ?, 1, ?, ?)',
        )
        .run(k.slug, k.code, k.x25519.publicKey, k.ed25519.publicKey, k.x25519.fingerprint, now, actorLabel(ctx));
    }
    ctx.audit({ entity: 'exchange_region_keys', entityId: k.x25519.fingerprint, changes: { fingerprint: [null, k.x25519.fingerprint], signing_fingerprint: [null, k.ed25519.fingerprint] } });
    return regionKeyInfo(activeRegionKey(ctx.sqlite));
  },

  'exchange.keysList': async (_input, ctx) => {
    ctx.requireOffice();
    const offices = ctx.sqlite.prepare(`SELECT * FROM offices ORDER BY kind, slug`).all() as Office[];
    return { trustedOffices: offices.map(trustedOffice), regionKeys: regionKeys(ctx.sqlite).map(regionKeyInfo) };
  },

  'exchange.export': async ({ full }, ctx) => {
    const office = requireProvince(ctx);
    activeRegionKey(ctx.sqlite); // before the work: a clear message when the region key is missing
    const last = ctx.sqlite.prepare('SELECT file_seq, to_change_seq FROM exchange_exports WHERE remade_of IS NULL ORDER BY file_seq DESC LIMIT 1').get() as
      | { file_seq: number; to_change_seq: number }
      | undefined;
    const fileSeq = (last?.file_seq ?? 0) + 1;
    const type = full || !last ? 'full' : 'delta';
    const from = type === 'full' ? 0 : last!.to_change_seq;
    const to = lastChangeSeq(ctx.db);
    const createdAt = ctx.now();
    const job = exchangeJob(ctx);
    job.step({ phase: 'export', done: 0, total: 0 });
    const { manifest, inner } = await buildExportContent(ctx.sqlite, {
      ...job.control,
      office,
      signingKeyPem: signingKey(ctx.sqlite),
      fileSeq,
      prevFileSeq: last?.file_seq ?? 0,
      type,
      from,
      to,
      createdAt,
      appVersion: ctx.services.appVersion,
      schemaVersion: ctx.services.schemaVersion,
      audit: manifestAudit(ctx.sqlite, office.id),
    });
    // The head this file anchors outside the office: the next file proves the chain still passes through it.
    if (manifest.audit) recordAnchor(ctx.sqlite, office.id, 'sent', manifest.audit, fileSeq, createdAt);
    const rows = Object.entries(manifest.counts).reduce((a, [k, n]) => a + (k.startsWith('changes.') ? 0 : n), 0);
    job.step({ phase: 'export', done: rows, total: rows });
    // Cancelled up to here: no file in the outbox, no row in the history (and the transaction rolls back).
    await job.beforeCommit();
    job.step({ phase: 'finish', done: rows, total: rows });
    return writeExport(ctx, office, inner, { fileSeq, prevFileSeq: manifest.prevFileSeq, type, from, to, counts: manifest.counts, createdAt, remadeOf: null });
  },

  'exchange.remake': async ({ exportId }, ctx) => {
    const office = requireProvince(ctx);
    const r = ctx.sqlite.prepare(`SELECT ${EXPORT_COLS}, content FROM exchange_exports WHERE id = ?`).get(exportId) as (ExportRow & { content: Buffer }) | undefined;
    if (!r) throw new AppError('exchange.export_not_found', { exportId });
    if (r.content.length === 0) throw new AppError('exchange.content_purged', { fileSeq: r.file_seq });
    parseInner(r.content); // the stored content is still whole
    return writeExport(ctx, office, r.content, {
      fileSeq: r.file_seq,
      prevFileSeq: r.prev_file_seq,
      type: r.kind,
      from: r.from_change_seq,
      to: r.to_change_seq,
      counts: JSON.parse(r.counts) as Record<string, number>,
      createdAt: r.created_at,
      remadeOf: r.remade_of ?? r.id,
    });
  },

  'exchange.history': async ({ limit }, ctx) => {
    requireProvince(ctx);
    return (ctx.sqlite.prepare(`SELECT ${EXPORT_COLS} FROM exchange_exports ORDER BY id DESC LIMIT ?`).all(limit) as ExportRow[]).map(historyRow);
  },

  'exchange.schedule': async (_input, ctx) => {
    const office = ctx.requireOffice();
    const c = cadence(ctx.sqlite);
    const last = ctx.sqlite.prepare('SELECT file_seq, to_change_seq, created_at FROM exchange_exports WHERE remade_of IS NULL ORDER BY file_seq DESC LIMIT 1').get() as
      | { file_seq: number; to_change_seq: number; created_at: string }
      | undefined;
    const nextDueAt = addCadence(last?.created_at ?? office.created_at, c);
    const rk = regionKeys(ctx.sqlite).find((k) => k.active);
    const rec = ctx.sqlite.prepare('SELECT last_file_seq, last_change_seq, counts, issued_at, loaded_at FROM exchange_receipts ORDER BY issued_at DESC LIMIT 1').get() as
      | { last_file_seq: number; last_change_seq: number; counts: string; issued_at: string; loaded_at: string }
      | undefined;
    return {
      cadence: c,
      lastFileAt: last?.created_at ?? null,
      lastFileSeq: last?.file_seq ?? 0,
      nextDueAt,
      ...lateness(nextDueAt, ctx.now()),
      pendingChanges: ctx.sqlite.prepare('SELECT COUNT(*) FROM change_log WHERE seq > ?').pluck().get(last?.to_change_seq ?? 0) as number,
      regionKey: rk ? regionKeyInfo(rk) : null,
      lastReceipt: rec
        ? { lastFileSeq: rec.last_file_seq, lastChangeSeq: rec.last_change_seq, counts: JSON.parse(rec.counts) as Record<string, number>, issuedAt: rec.issued_at, loadedAt: rec.loaded_at }
        : null,
    };
  },

  'exchange.setCadence': async ({ cadence: next }, ctx) => {
    ctx.requireOffice();
    const before = cadence(ctx.sqlite);
    ctx.sqlite.prepare(`INSERT INTO settings (key, value) VALUES ('exchange.cadence', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(JSON.stringify(next));
    if (before !== next) ctx.audit({ entity: 'settings', entityId: 'exchange.cadence', changes: { cadence: [before, next] } });
    return { cadence: next };
  },

  'exchange.import': async ({ files, dryRun }, ctx) => {
    const region = requireRegion(ctx);
    const job = exchangeJob(ctx);
    const incoming: IncomingFile[] = [];
    const results: FileResult[] = [];
    for (const [i, ref] of files.entries()) {
      job.step({ phase: 'read', table: 'path' in ref ? (ref.path.split(/[\\/]/).pop() ?? '') : (ctx.services.outbox.get(ref.uploadId)?.name ?? ''), done: i, total: files.length });
      if (job.control.signal?.aborted) throw new AppError('exchange.cancelled');
      try {
        incoming.push(readFileRef(ctx, ref));
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        const name = 'path' in ref ? ref.path : ref.uploadId;
        results.push({ file: name, office: null, fileSeq: null, status: 'refused', error: { code: e.code, params: e.params } });
      }
    }
    results.push(...(await importFiles(ctx.sqlite, incoming, importOptions(ctx, dryRun, job))));
    const rows = resultRows(results);
    job.step({ phase: 'import', done: rows, total: rows });
    // Cancelled up to here: every file's rows are rolled back with the transaction, no receipt is made.
    await job.beforeCommit();
    job.step({ phase: 'finish', done: rows, total: rows });
    const receipts: { office: string; fileId: string; name: string }[] = [];
    if (!dryRun) {
      const key = signingKey(ctx.sqlite);
      const offices = new Set(results.filter((r) => r.status === 'applied' && r.office).map((r) => r.office!));
      for (const slug of offices) {
        const o = ctx.sqlite.prepare('SELECT * FROM offices WHERE slug = ?').get(slug) as Office;
        const rc = makeReceipt(ctx.sqlite, region, key, o, ctx.now(), getVerifyUrl(ctx.sqlite));
        const f = ctx.services.outbox.put(rc.name, 'application/json', Buffer.from(rc.text, 'utf8'));
        receipts.push({ office: slug, fileId: f.id, name: rc.name });
      }
      for (const r of results) {
        ctx.audit({
          entity: 'exchange_imports',
          entityId: r.importId ? String(r.importId) : r.file,
          changes: {
            file: [null, r.file],
            office: [null, r.office],
            file_seq: [null, r.fileSeq],
            status: [null, r.status],
            ...(r.error ? { error: [null, r.error.code] } : {}),
            ...(r.tables ? { rows: [null, Object.fromEntries(Object.entries(r.tables).map(([t, s]) => [t, s.new + s.updated + s.deleted]))] } : {}),
          },
        });
      }
    }
    return { dryRun, results, receipts, refused: refusedCount(results) };
  },

  'exchange.acceptGap': async ({ office: slug }, ctx) => {
    requireRegion(ctx);
    const o = ctx.sqlite.prepare(`SELECT * FROM offices WHERE slug = ? AND kind = 'province'`).get(slug) as Office | undefined;
    if (!o) throw new AppError('exchange.unknown_office', { office: slug });
    const job = exchangeJob(ctx);
    const r = await acceptGap(ctx.sqlite, o.id, importOptions(ctx, false, job));
    await job.beforeCommit();
    ctx.audit({ entity: 'exchange_office_state', entityId: o.id, changes: { gap_accepted: [null, `${r.skipped.from}..${r.skipped.to}`] } });
    return r;
  },

  'exchange.offices': async (_input, ctx) => {
    requireRegion(ctx);
    const c = cadence(ctx.sqlite);
    const now = ctx.now();
    const offices = ctx.sqlite.prepare(`SELECT * FROM offices WHERE kind = 'province' ORDER BY slug`).all() as Office[];
    return offices.map((o) => {
      const st = ctx.sqlite.prepare('SELECT * FROM exchange_office_state WHERE office_id = ?').get(o.id) as
        | { last_file_seq: number; last_change_seq: number; last_file_created_at: string | null; last_imported_at: string | null }
        | undefined;
      const held = (
        ctx.sqlite.prepare('SELECT file_seq, file_name, received_at FROM exchange_held_files WHERE office_id = ? ORDER BY file_seq').all(o.id) as {
          file_seq: number;
          file_name: string;
          received_at: string;
        }[]
      ).map((h) => ({ fileSeq: h.file_seq, fileName: h.file_name, receivedAt: h.received_at }));
      const nextDueAt = addCadence(st?.last_file_created_at ?? o.created_at, c);
      return {
        officeId: o.id,
        slug: o.slug,
        code: o.code,
        trusted: o.trusted === 1,
        fingerprint: o.public_key ? keyFingerprint(o.public_key) : null,
        lastFileSeq: st?.last_file_seq ?? 0,
        lastChangeSeq: st?.last_change_seq ?? 0,
        lastFileCreatedAt: st?.last_file_created_at ?? null,
        lastImportedAt: st?.last_imported_at ?? null,
        nextDueAt,
        late: lateness(nextDueAt, now).late,
        held,
        counts: officeCounts(ctx.sqlite, o.id),
      };
    });
  },

  'exchange.imports': async ({ office, limit }, ctx) => {
    requireRegion(ctx);
    const rows = ctx.sqlite
      .prepare(
        `SELECT i.*, o.slug FROM exchange_imports i JOIN offices o ON o.id = i.office_id
          WHERE (? IS NULL OR o.slug = ?) ORDER BY i.id DESC LIMIT ?`,
      )
      .all(office ?? null, office ?? null, limit) as {
      id: number;
      slug: string;
      file_seq: number;
      prev_file_seq: number;
      kind: 'delta' | 'full' | 'gap_accepted';
      from_change_seq: number;
      to_change_seq: number;
      file_name: string;
      summary: string;
      file_created_at: string;
      imported_at: string;
      imported_by: string;
    }[];
    return rows.map((r) => ({
      id: r.id,
      office: r.slug,
      fileSeq: r.file_seq,
      prevFileSeq: r.prev_file_seq,
      kind: r.kind,
      changeSeq: { from: r.from_change_seq, to: r.to_change_seq },
      fileName: r.file_name,
      summary: JSON.parse(r.summary) as unknown,
      fileCreatedAt: r.file_created_at,
      importedAt: r.imported_at,
      importedBy: r.imported_by,
    }));
  },

  'exchange.reviews': async ({ status, kind, limit, offset }, ctx) => {
    requireRegion(ctx);
    const where = `(? IS NULL OR status = ?) AND (? IS NULL OR kind = ?)`;
    const p = [status ?? null, status ?? null, kind ?? null, kind ?? null];
    const total = ctx.sqlite.prepare(`SELECT COUNT(*) FROM exchange_reviews WHERE ${where}`).pluck().get(...p) as number;
    const rows = ctx.sqlite.prepare(`SELECT * FROM exchange_reviews WHERE ${where} ORDER BY created_at, id LIMIT ? OFFSET ?`).all(...p, limit, offset) as ReviewRow[];
    const slugs = officeSlugs(ctx);
    return { total, items: rows.map((r) => reviewItem(ctx, r, slugs)) };
  },

  'exchange.resolveReview': async ({ id, decision, note }, ctx) => {
    requireRegion(ctx);
    const r = ctx.sqlite.prepare('SELECT * FROM exchange_reviews WHERE id = ?').get(id) as ReviewRow | undefined;
    if (!r) throw new AppError('exchange.review_not_found', { id });
    const now = ctx.now();
    ctx.sqlite.prepare('UPDATE exchange_reviews SET status = ?, note = ?, resolved_at = ?, resolved_by = ? WHERE id = ?').run(decision, note, now, actorLabel(ctx), id);
    ctx.audit({ entity: 'exchange_reviews', entityId: id, changes: { status: [r.status, decision], ...(note !== r.note ? { note: [r.note, note] } : {}) } });
    return reviewItem(ctx, { ...r, status: decision, note, resolved_at: now, resolved_by: actorLabel(ctx) }, officeSlugs(ctx));
  },

  'exchange.receipt': async ({ office: slug }, ctx) => {
    const region = requireRegion(ctx);
    const o = ctx.sqlite.prepare(`SELECT * FROM offices WHERE slug = ? AND kind = 'province'`).get(slug) as Office | undefined;
    if (!o) throw new AppError('exchange.unknown_office', { office: slug });
    const rc = makeReceipt(ctx.sqlite, region, signingKey(ctx.sqlite), o, ctx.now(), getVerifyUrl(ctx.sqlite));
    const f = ctx.services.outbox.put(rc.name, 'application/json', Buffer.from(rc.text, 'utf8'));
    return { fileId: f.id, name: rc.name, lastFileSeq: rc.body.lastFileSeq, counts: rc.body.counts };
  },

  'exchange.loadReceipt': async (input, ctx) => {
    const office = requireProvince(ctx);
    const text = 'text' in input ? input.text : readFileRef(ctx, input).data.toString('utf8');
    const body = verifyReceipt(ctx.sqlite, office, text);
    const now = ctx.now();
    ctx.sqlite
      .prepare(
        `INSERT OR IGNORE INTO exchange_receipts (region_fingerprint, last_file_seq, last_change_seq, counts, issued_at, loaded_at) VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(body.region.fingerprint, body.lastFileSeq, body.lastChangeSeq, JSON.stringify(body.counts), body.issuedAt, now);
    // The region holds these files: their kept copy of personal data goes.
    const purged = purgeSentContents(ctx.sqlite, body.lastFileSeq);
    // The head of this office's audit chain the region holds: the trail is anchored outside up to there.
    if (body.audit) recordAnchor(ctx.sqlite, office.id, 'acknowledged', body.audit, body.lastFileSeq, now);
    // The region's verification page address, printed from now on in this office's QR codes.
    const oldUrl = getVerifyUrl(ctx.sqlite);
    if (body.verifyUrl && body.verifyUrl !== oldUrl) {
      setVerifyUrl(ctx.sqlite, normaliseVerifyUrl(body.verifyUrl));
      ctx.audit({ entity: 'settings', entityId: 'attestations.verify_url', changes: { verify_url: [oldUrl, body.verifyUrl] } });
    }
    ctx.audit({ entity: 'exchange_receipts', entityId: body.issuedAt, changes: { last_file_seq: [null, body.lastFileSeq], ...(purged ? { sent_contents_emptied: [null, purged] } : {}) } });
    const ours = officeCounts(ctx.sqlite, office.id);
    const sent = ctx.sqlite.prepare('SELECT MAX(file_seq) FROM exchange_exports').pluck().get() as number | null;
    const upToDate = body.lastFileSeq === (sent ?? 0) && Object.entries(ours).every(([t, n]) => body.counts[t] === n);
    return {
      receipt: {
        lastFileSeq: body.lastFileSeq,
        lastChangeSeq: body.lastChangeSeq,
        counts: body.counts,
        issuedAt: body.issuedAt,
        loadedAt: now,
        ...(body.audit ? { audit: { rows: body.audit.rows, intact: hashAtRow(ctx.sqlite, body.audit.rows) === body.audit.hash } } : {}),
      },
      ours,
      lastFileSeqSent: sent ?? 0,
      upToDate,
    };
  },
} satisfies Partial<Handlers>;
