import { readFileSync } from 'node:fs';
/**
 * Import of an office's existing Excel/CSV list: header row, mapping, validation of every row with the
 * registry's rules, classification (new / duplicate / invalid with reasons), the rejected rows workbook, and
 * the import of the valid new rows in the call's transaction (all or nothing).
 *
 * Imported people have no recorded consent: consent_status 'to_confirm', source 'import'; staff record it at
 * the next contact (imports.consentPending / imports.recordConsent).
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import ExcelJS from 'exceljs';
import { AppError } from '../../../shared/errors';
import { translateError } from '../../../shared/i18n/translate-error';
import type { ImportMapping, ImportPreview, ImportSummary, ImportRowIssue, ImportField } from '../../../shared/api/reports.contract';
import { IMPORT_FIELDS } from '../../../shared/api/reports.contract';
import { type HandlerContext, type ReadContext } from '../../context';
import { DuplicateIndex, type CandidateMatch, type DuplicateHit } from './duplicate-index';
import { activeRefItems, insertDuplicateDecision, nextFileNo, officeFileCount } from '../../applicants/applicants.repo';
import { connectionOf } from '../../db/handles';
import { rebuildPays, setSummariesAside } from '../summaries-bulk';
import { registryRules, writeNewApplicants } from '../../applicants/applicants.service';
import { importedFiles, insertBatch, insertImportRows } from './import.repo';
import { CommuneMatcher } from './communes';
import { findHeaderRow, missingFields, proposeMapping } from './mapping';
import { isBlankRow, readLegacyFile, readLegacyPath, rawText, type RawSheet } from './read';
import { buildRefLookup, validateRow, type ValidatedRow } from './validate';
import { HEADER_FILL, printSetup, setText, XLSX_MIME } from '../xlsx';

export interface ImportSourceInput {
  uploadId?: string;
  path?: string;
  fileName?: string;
  sheet?: string | number;
  /** 1-based header row chosen by the user (default: detected). */
  headerRow?: number;
  mapping?: ImportMapping;
  lang?: 'ar' | 'fr';
  /** Per row: 'new' (another person) or 'attach' (the registry's file is her), for rows with candidates. */
  decisions?: Record<string, 'new' | 'attach'>;
  /** Per pair of rows of the list that may be the same person ("40:12": row 40, earlier row 12): same or different. */
  rowPairs?: RowPairs;
  /** The approximately matched communes were checked (the real import refuses them until then). */
  confirmCommunes?: boolean;
}

export type RowPairs = Record<string, 'same' | 'different'>;
/** The key of a pair of rows of one list in `rowPairs`: the later row, then the earlier one. */
export const pairKey = (rowNo: number, otherRow: number) => `${rowNo}:${otherRow}`;

export interface LoadedFile {
  fileName: string;
  fileHash: string;
  sheet: RawSheet;
  headerIndex: number;
  headers: string[];
  mapping: ImportMapping;
}

/** Reads the file of an import call (an upload, or a path for the command line only). */
export async function loadSource(input: ImportSourceInput, ctx: ReadContext): Promise<LoadedFile> {
  let data: Buffer;
  let fileName: string;
  if (input.path) {
    if (ctx.actor.kind !== 'cli') throw new AppError('import.path_cli_only');
    data = readLegacyPath(input.path);
    fileName = input.fileName ?? basename(input.path);
  } else {
    const f = ctx.services.outbox.get(input.uploadId!);
    if (!f) throw new AppError('import.upload_not_found', { uploadId: input.uploadId });
    try {
      data = readFileSync(f.path);
    } catch {
      // The upload's place in the outbox is the app's business: the message names the upload, never a path.
      throw new AppError('import.upload_not_found', { uploadId: input.uploadId });
    }
    fileName = input.fileName ?? f.name;
  }
  const sheet = await readLegacyFile(data, fileName, input.sheet);
  if (input.headerRow !== undefined && input.headerRow > sheet.rows.length) {
    throw new AppError('import.header_row_out_of_range', { row: input.headerRow, rows: sheet.rows.length });
  }
  const headerIndex = input.headerRow !== undefined ? input.headerRow - 1 : findHeaderRow(sheet.rows);
  if (headerIndex < 0 && !input.mapping) throw new AppError('import.header_not_found', { sheet: sheet.sheet });
  const hi = Math.max(headerIndex, 0);
  const headers = (sheet.rows[hi] ?? []).map(rawText);
  let mapping = input.mapping ?? proposeMapping(headers);
  mapping = Object.fromEntries(Object.entries(mapping).filter(([, f]) => (IMPORT_FIELDS as readonly string[]).includes(f)));
  return { fileName, fileHash: createHash('sha256').update(data).digest('hex'), sheet, headerIndex: hi, headers, mapping };
}

export function previewOf(f: LoadedFile, limit = 10): ImportPreview {
  const width = Math.max(f.headers.length, ...f.sheet.rows.slice(f.headerIndex + 1, f.headerIndex + 1 + limit).map((r) => r.length));
  const { rows: data } = dataRows(f);
  return {
    fileName: f.fileName,
    sheet: f.sheet.sheet,
    sheets: f.sheet.sheets,
    headerRow: f.headerIndex + 1,
    columns: Array.from({ length: width }, (_, i) => ({ index: i, header: f.headers[i] ?? '', field: (f.mapping[String(i)] as ImportField | undefined) ?? null })),
    missing: missingFields(f.mapping),
    rows: data.slice(0, limit).map(({ rowNo, raw }) => ({ rowNo, cells: raw.map(rawText) })),
    totalRows: data.length,
  };
}

/** A totals line ("المجموع", "Total", "Total général", "Sous-total"): a count, not a person. */
const TOTALS = /^(ال)?مجموع( العام| الكلي)?$|^(sous[ -]?)?totaux?( general| generale)?$/;
const cellKey = (s: string) => s.normalize('NFKD').replace(/[\u0300-\u036f\u064B-\u065F\u0640]/g, '').toLowerCase().replace(/[:：.]/g, '').replace(/\s+/g, ' ').trim();

/**
 * The lines of the sheet that are people, and those that are not, counted apart with the reason: blank lines
 * (between people: the empty lines after the last one are not counted), totals lines, repeated header lines (lists
 * pasted one under another).
 */
function dataRows(f: LoadedFile): { rows: { rowNo: number; raw: (typeof f.sheet.rows)[number] }[]; skipped: ImportSummary['skipped'] } {
  const out: { rowNo: number; raw: (typeof f.sheet.rows)[number] }[] = [];
  const skipped: ImportSummary['skipped'] = [];
  const header = f.headers.join('\u0001');
  let last = f.sheet.rows.length - 1;
  while (last > f.headerIndex && (!f.sheet.rows[last] || isBlankRow(f.sheet.rows[last]))) last--;
  for (let i = f.headerIndex + 1; i <= last; i++) {
    const raw = f.sheet.rows[i];
    if (!raw || isBlankRow(raw)) {
      skipped.push({ rowNo: i + 1, reason: 'blank' });
      continue;
    }
    const cells = raw.map(rawText);
    if (cells.join('\u0001') === header) {
      skipped.push({ rowNo: i + 1, reason: 'header' });
      continue;
    }
    if (cells.some((c) => TOTALS.test(cellKey(c)))) {
      skipped.push({ rowNo: i + 1, reason: 'total' });
      continue;
    }
    out.push({ rowNo: i + 1, raw });
  }
  return { rows: out, skipped };
}

type Classified =
  | { kind: 'new'; row: ValidatedRow; candidates?: CandidateMatch[]; decision?: 'new' }
  | { kind: 'attached'; row: ValidatedRow; candidates: CandidateMatch[]; fileNo: string; applicantId: string }
  /** Decided the same person as an earlier row of the list: no file of its own, it goes with that row's file. */
  | { kind: 'sameRow'; row: ValidatedRow; candidates: CandidateMatch[]; otherRow: number }
  | { kind: 'duplicate'; row: ValidatedRow; reason: ImportSummary['duplicates'][number]['reason']; fileNo: string | null; otherRow: number | null; candidates?: CandidateMatch[] }
  | { kind: 'invalid'; row: ValidatedRow };

/**
 * Validates and classifies every row, the same way for a dry run and for a commit (so the dry run's counts are
 * what the import will do): a row is compared with the registry and with the rows of the list accepted before it.
 */
function classify(f: LoadedFile, ctx: ReadContext, decisions: Record<string, 'new' | 'attach'> = {}, rowPairs: RowPairs = {}): Classified[] {
  const office = ctx.requireOffice();
  const communes = new CommuneMatcher(ctx.db, office.kind === 'province' ? office.province_code : null);
  const refs = buildRefLookup(activeRefItems(ctx.db, ['education', 'marital']));
  const today = ctx.today();
  const rules = registryRules(ctx);
  const validated = dataRows(f).rows.map(({ rowNo, raw }) => validateRow(rowNo, raw, f.mapping, { communes, refs, today, rules }));
  const dups = new DuplicateIndex(ctx.db, validated.flatMap((r) => (r.values ? [r.values] : [])));
  const imported = alreadyImported(ctx, validated.flatMap((r) => (r.values ? [r.hash] : [])));
  const seenCin = new Map<string, number>();
  const seenHash = new Map<string, number>();
  const out: Classified[] = [];
  for (const row of validated) {
    const rowNo = row.rowNo;
    if (!row.values) {
      out.push({ kind: 'invalid', row });
      continue;
    }
    const v = row.values;
    const prevHash = seenHash.get(row.hash);
    const importedAs = imported.get(row.hash);
    if (importedAs) {
      out.push({ kind: 'duplicate', row, reason: 'already_imported', fileNo: importedAs, otherRow: null });
      continue;
    }
    const prevCin = seenCin.get(v.cin);
    // The same person written twice in the list is the matching engine's to say (below), not the name skeleton's: Karim
    // (M) and Karima (F) born the same day share a skeleton and are two people.
    if (prevHash !== undefined || prevCin !== undefined) {
      out.push({ kind: 'duplicate', row, reason: 'repeated_in_file', fileNo: null, otherRow: prevHash ?? prevCin ?? null });
      continue;
    }
    seenHash.set(row.hash, rowNo);
    seenCin.set(v.cin, rowNo);
    const cinTaken = dups.cinTaken(v.cin);
    if (cinTaken) {
      out.push(duplicateOf(row, 'cin', cinTaken));
      continue;
    }
    // The matching engine, as the registration form: strong candidates stop the row until someone decides, weak
    // ones are shown. An earlier row of the same list that is the same person makes this one a repeat.
    const found = dups.candidates(v);
    const strongRow = found.find((c) => c.match.level === 'strong' && c.hit.fileNo === null);
    if (strongRow) {
      out.push(duplicateOf(row, 'name_birth', strongRow.hit));
      continue;
    }
    const inRegistry = found.filter((c) => c.hit.fileNo !== null);
    // Earlier rows of the list that may be her (weak: a strong one made this row a repeat above), best first.
    const inList = found.filter((c) => c.hit.fileNo === null).slice(0, MAX_SHOWN);
    const decision = decisions[String(rowNo)];
    if (decision === 'attach' && inRegistry.length && inRegistry[0].hit.id) {
      out.push({ kind: 'attached', row, candidates: inRegistry, fileNo: inRegistry[0].hit.fileNo!, applicantId: inRegistry[0].hit.id });
      continue;
    }
    const strong = inRegistry.find((c) => c.match.level === 'strong');
    if (strong && decision !== 'new') {
      out.push({ ...duplicateOf(row, 'name_birth', strong.hit), candidates: inRegistry } as Classified);
      continue;
    }
    // A weak pair within the list, shown with the earlier row for a decision, as weak registry candidates are (and,
    // like them, not blocking: undecided, both rows are imported). 'same': this row goes with the earlier row's file;
    // 'different': both files, the decision recorded.
    const shown = [...inRegistry.slice(0, MAX_SHOWN), ...inList];
    const sameAs = inList.find((c) => rowPairs[pairKey(rowNo, c.hit.rowNo!)] === 'same');
    if (sameAs) {
      out.push({ kind: 'sameRow', row, candidates: shown, otherRow: sameAs.hit.rowNo! });
      continue;
    }
    dups.add(rowNo, v);
    out.push(shown.length ? { kind: 'new', row, candidates: shown, ...(decision === 'new' ? { decision } : {}) } : { kind: 'new', row });
  }
  return out;
}

/** Candidates shown per row: the best registry files, and the best earlier rows of the list. */
const MAX_SHOWN = 5;

/** A duplicate of a registry file, or of an earlier row of the list (the same person written twice). */
function duplicateOf(row: ValidatedRow, reason: 'cin' | 'name_birth', hit: DuplicateHit): Classified {
  return hit.fileNo !== null
    ? { kind: 'duplicate', row, reason, fileNo: hit.fileNo, otherRow: null }
    : { kind: 'duplicate', row, reason: 'repeated_in_file', fileNo: null, otherRow: hit.rowNo };
}

/** Rows of earlier imports with these hashes → the file each created (one query for the whole list). */
function alreadyImported(ctx: ReadContext, hashes: string[]): Map<string, string> {
  return importedFiles(ctx.db, hashes);
}

const DUP_CODES: Record<ImportSummary['duplicates'][number]['reason'], string> = {
  cin: 'import.duplicate_cin',
  name_birth: 'import.duplicate_person',
  already_imported: 'import.already_imported',
  repeated_in_file: 'import.repeated_in_file',
};

/** The rejected rows (invalid and duplicate) with their reasons, in the file's own columns, to fix and import again. */
async function rejectsWorkbook(f: LoadedFile, rows: Classified[], lang: 'ar' | 'fr', ctx: ReadContext): Promise<{ fileId: string; name: string } | null> {
  const rejected = rows.filter((r): r is Extract<Classified, { kind: 'duplicate' } | { kind: 'invalid' }> => r.kind === 'duplicate' || r.kind === 'invalid');
  if (!rejected.length) return null;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Jisr Desk';
  const ws = wb.addWorksheet(lang === 'ar' ? 'الأسطر المرفوضة' : 'Lignes rejetées', {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 1, rightToLeft: lang === 'ar' }],
  });
  const width = Math.max(f.headers.length, ...rejected.map((r) => r.row.cells.length));
  const headers = Array.from({ length: width }, (_, i) => f.headers[i] ?? '');
  const extra = lang === 'ar' ? ['السطر في الملف الأصلي', 'سبب الرفض'] : ['Ligne du fichier d’origine', 'Motif du rejet'];
  const hr = ws.getRow(1);
  [...headers, ...extra].forEach((h, i) => {
    const c = hr.getCell(i + 1);
    setText(c, h);
    c.font = { bold: true };
    c.fill = HEADER_FILL;
  });
  ws.columns = [...headers.map((h) => ({ width: Math.min(40, Math.max(12, h.length + 4)) })), { width: 12 }, { width: 60 }];
  let r = 2;
  for (const x of rejected) {
    const xr = ws.getRow(r++);
    for (let i = 0; i < width; i++) setText(xr.getCell(i + 1), x.row.cells[i] ?? '');
    xr.getCell(width + 1).value = x.row.rowNo;
    const reasons =
      x.kind === 'invalid'
        ? x.row.reasons.map((re) => `${re.field}: ${translateError({ code: re.code, params: re.params }, lang)}`)
        : [translateError({ code: DUP_CODES[x.reason], params: { fileNo: x.fileNo ?? '', row: x.otherRow ?? '' } }, lang)];
    setText(xr.getCell(width + 2), reasons.join(' | '));
    xr.getCell(width + 2).alignment = { wrapText: true, vertical: 'top' };
  }
  printSetup(ws, 1);
  const name = `${lang === 'ar' ? 'مرفوضة' : 'rejets'}-${f.fileName.replace(/\.(xlsx|csv|txt)$/i, '')}.xlsx`;
  const file = ctx.services.outbox.put(name, XLSX_MIME, Buffer.from(await wb.xlsx.writeBuffer()));
  return { fileId: file.id, name };
}

/** A row's candidates as the check shows them: the row and each file side by side, with score, level and reasons. */
function candidateRow(r: Classified, decisions: Record<string, 'new' | 'attach'>, rowPairs: RowPairs): ImportSummary['candidates'][number] | null {
  const list = 'candidates' in r ? r.candidates : undefined;
  if (!list?.length || !r.row.values) return null;
  const v = r.row.values;
  const rowNo = r.row.rowNo;
  const outcome =
    r.kind === 'attached' ? 'attached' : r.kind === 'sameRow' ? 'same_row' : r.kind === 'new' ? 'new' : 'stopped';
  return {
    rowNo,
    row: { firstNameAr: v.firstNameAr, lastNameAr: v.lastNameAr, firstNameLat: v.firstNameLat, lastNameLat: v.lastNameLat, birthDate: v.birthDate, cin: v.cin },
    decision: decisions[String(rowNo)] ?? null,
    outcome,
    // Registry files (the first five) then rows of the list (classify keeps at most five of each).
    matches: [...list.filter((c) => c.hit.fileNo !== null).slice(0, MAX_SHOWN), ...list.filter((c) => c.hit.fileNo === null)].map((c) => ({
      fileNo: c.hit.fileNo,
      otherRow: c.hit.rowNo,
      pairDecision: c.hit.rowNo !== null ? (rowPairs[pairKey(rowNo, c.hit.rowNo)] ?? null) : null,
      ...c.person,
      score: c.match.score,
      level: c.match.level,
      reasons: c.match.reasons,
    })),
  };
}

function summarise(
  f: LoadedFile,
  rows: Classified[],
  dryRun: boolean,
  decisions: Record<string, 'new' | 'attach'> = {},
  rowPairs: RowPairs = {},
): Omit<ImportSummary, 'rejects' | 'batchId' | 'created'> {
  const invalidRows: ImportRowIssue[] = [];
  const duplicates: ImportSummary['duplicates'] = [];
  const approximateCommunes: ImportSummary['approximateCommunes'] = [];
  const candidates: ImportSummary['candidates'] = [];
  const attached: ImportSummary['attached'] = [];
  let n = 0;
  for (const r of rows) {
    if (r.kind === 'invalid') invalidRows.push({ rowNo: r.row.rowNo, reasons: r.row.reasons });
    else if (r.kind === 'duplicate') duplicates.push({ rowNo: r.row.rowNo, reason: r.reason, fileNo: r.fileNo, otherRow: r.otherRow });
    else if (r.kind === 'attached') attached.push({ rowNo: r.row.rowNo, fileNo: r.fileNo });
    else if (r.kind === 'sameRow') attached.push({ rowNo: r.row.rowNo, fileNo: null, otherRow: r.otherRow });
    else n++;
    if (r.kind === 'new' && r.row.approximateCommune) approximateCommunes.push({ rowNo: r.row.rowNo, ...r.row.approximateCommune });
    const c = candidateRow(r, decisions, rowPairs);
    if (c) candidates.push(c);
  }
  return {
    fileName: f.fileName,
    fileHash: f.fileHash,
    sheet: f.sheet.sheet,
    headerRow: f.headerIndex + 1,
    mapping: f.mapping,
    dryRun,
    total: rows.length,
    new: n,
    duplicate: duplicates.length,
    invalid: invalidRows.length,
    approximateCommunes,
    duplicates,
    invalidRows,
    candidates,
    attached,
    skipped: dataRows(f).skipped,
  };
}

function requireUsableMapping(f: LoadedFile) {
  const missing = missingFields(f.mapping);
  if (missing.length) throw new AppError('import.mapping_incomplete', { missing: missing.join(', ') });
}

export async function analyseImport(input: ImportSourceInput, ctx: ReadContext): Promise<ImportSummary> {
  const f = await loadSource(input, ctx);
  requireUsableMapping(f);
  const decisions = input.decisions ?? {};
  const rowPairs = input.rowPairs ?? {};
  const rows = classify(f, ctx, decisions, rowPairs);
  return { ...summarise(f, rows, true, decisions, rowPairs), rejects: await rejectsWorkbook(f, rows, input.lang ?? 'ar', ctx), batchId: null, created: [] };
}

/**
 * Runs inside the dispatcher's transaction: any failure leaves the database as it was.
 *
 * The valid new rows are written in bulk: file numbers from the office's next number on, their change numbers,
 * the applicants and their first path step written by the applicants feature (writeNewApplicants, in bulk: the
 * search index written once, not row by row), their import rows likewise; then each one's audit entry (who imported her, from which batch and row).
 */
export async function commitImport(input: ImportSourceInput, ctx: HandlerContext): Promise<ImportSummary> {
  const office = ctx.requireOffice();
  const f = await loadSource(input, ctx);
  requireUsableMapping(f);
  const now = ctx.now();
  const year = Number(ctx.today().slice(0, 4));
  const userName = ctx.actorName;
  const userId = ctx.actor.kind === 'user' ? ctx.actor.userId : null;
  const batchId = ctx.newId();
  const decisions = input.decisions ?? {};
  const rowPairs = input.rowPairs ?? {};
  const rows = classify(f, ctx, decisions, rowPairs);
  const summary = summarise(f, rows, false, decisions, rowPairs);
  // Communes recognised approximately are shown by the dry run; the import waits until staff confirm them.
  if (summary.approximateCommunes.length && !input.confirmCommunes) {
    throw new AppError('import.communes_to_confirm', { count: summary.approximateCommunes.length });
  }
  const fresh = rows.filter((r) => r.kind === 'new').map((r) => r.row);
  const attachedRows = rows.filter((r): r is Extract<Classified, { kind: 'attached' }> => r.kind === 'attached');
  const sameRows = rows.filter((r): r is Extract<Classified, { kind: 'sameRow' }> => r.kind === 'sameRow');
  const created: ImportSummary['created'] = [];
  if (fresh.length || attachedRows.length) {
    const nextNo = fileNumbers(ctx, office.code, year);
    for (const row of fresh) created.push({ rowNo: row.rowNo, id: ctx.newId(), fileNo: nextNo() });
    const createdByRow = new Map(created.map((c) => [c.rowNo, c.id]));
    const seqs = ctx.changes('applicants', created.map((c) => c.id), 'insert', office.id);
    // Her first path step ('registered', as the registration writes it): ids and change numbers after the files'.
    const statusIds = created.map(() => ctx.newId());
    const statusSeqs = ctx.changes('status_history', statusIds, 'insert', office.id);
    // Written by the applicants feature, as the registration form writes a file: no consent recorded yet. A list
    // large against the office's files is written with the report summaries set aside and the office's rebuilt once
    // after it (in this call's transaction: a failure brings the triggers back with the rollback).
    const rebuild = rebuildPays(fresh.length * 2, () => officeFileCount(ctx.db, office.id)) ? setSummariesAside(connectionOf(ctx.db), { offices: [office.id] }) : null;
    writeNewApplicants(
      ctx.db,
      { officeId: office.id, userId, userName, at: now, source: 'import' },
      fresh.map((row, i) => ({
        id: created[i].id,
        fileNo: created[i].fileNo,
        values: row.values!,
        nameKeys: row.nameKeys!,
        consent: { status: 'to_confirm', date: null, textVersion: null, channel: null },
        changeSeq: seqs.get(created[i].id)!,
        status: { id: statusIds[i], changeSeq: statusSeqs.get(statusIds[i])! },
      })),
    );
    rebuild?.();
    insertBatch(ctx.db, {
      id: batchId,
      office_id: office.id,
      file_name: f.fileName,
      file_hash: f.fileHash,
      rows_total: summary.total,
      rows_created: created.length,
      rows_duplicate: summary.duplicate,
      rows_invalid: summary.invalid,
      mapping_json: JSON.stringify(f.mapping),
      imported_at: now,
      imported_by: userName,
    });
    insertImportRows(ctx.db, [
      ...fresh.map((row, i) => ({ row_hash: row.hash, batch_id: batchId, row_no: row.rowNo, applicant_id: created[i].id })),
      // A row attached to an existing file: linked to it (the same list again finds it already imported).
      ...attachedRows.map((r) => ({ row_hash: r.row.hash, batch_id: batchId, row_no: r.row.rowNo, applicant_id: r.applicantId })),
      // A row decided the same person as an earlier row: linked to that row's new file, likewise.
      ...sameRows.map((r) => ({ row_hash: r.row.hash, batch_id: batchId, row_no: r.row.rowNo, applicant_id: createdByRow.get(r.otherRow)! })),
    ]);
    // 'Another person' decisions, recorded as the registration form records them: about a registry file, and about
    // an earlier row of the list (both files made by this import).
    for (const r of rows) {
      if (r.kind !== 'new' || !r.candidates) continue;
      for (const c of r.candidates) {
        if (c.hit.rowNo !== null && rowPairs[pairKey(r.row.rowNo, c.hit.rowNo)] === 'different') {
          const decId = ctx.newId();
          const mine = createdByRow.get(r.row.rowNo)!;
          const other = createdByRow.get(c.hit.rowNo)!;
          insertDuplicateDecision(ctx.db, {
            id: decId, applicant_id: mine, other_id: other, decision: 'distinct', at: now, user_name: userName, office_id: office.id,
            change_seq: ctx.change('duplicate_decisions', decId, 'insert', office.id),
          });
          ctx.audit({ entity: 'duplicate_decisions', entityId: decId, changes: { applicant_id: [null, mine], other_id: [null, other], decision: [null, 'distinct'], importRow: [null, r.row.rowNo], otherRow: [null, c.hit.rowNo] } });
          continue;
        }
        if (r.decision !== 'new' || c.match.level !== 'strong' || !c.hit.id) continue;
        const decId = ctx.newId();
        insertDuplicateDecision(ctx.db, {
          id: decId, applicant_id: createdByRow.get(r.row.rowNo)!, other_id: c.hit.id, decision: 'distinct', at: now, user_name: userName, office_id: office.id,
          change_seq: ctx.change('duplicate_decisions', decId, 'insert', office.id),
        });
        ctx.audit({ entity: 'duplicate_decisions', entityId: decId, changes: { applicant_id: [null, createdByRow.get(r.row.rowNo)], other_id: [null, c.hit.id], decision: [null, 'distinct'], importRow: [null, r.row.rowNo] } });
      }
    }
    for (const r of attachedRows) {
      ctx.audit({ entity: 'applicants', entityId: r.applicantId, changes: { importAttached: [null, { batch: batchId, row: r.row.rowNo }] } });
    }
    for (const r of sameRows) {
      ctx.audit({ entity: 'applicants', entityId: createdByRow.get(r.otherRow)!, changes: { importAttached: [null, { batch: batchId, row: r.row.rowNo, sameAsRow: r.otherRow }] } });
    }
    fresh.forEach((row, i) => {
      const { id, fileNo } = created[i];
      // A compact entry: who (the audit row's actor), which batch (its own entry names the file and its hash) and
      // which row. Her fields as imported are the file's row itself (import_rows keeps its hash), not copied here.
      ctx.audit({ entity: 'applicants', entityId: id, changes: { fileNo: [null, fileNo], source: [null, 'import'], consentStatus: [null, 'to_confirm'], importBatch: [null, batchId], importRow: [null, row.rowNo] } });
    });
    ctx.audit({ entity: 'import_batches', entityId: batchId, changes: { fileName: [null, f.fileName], fileHash: [null, f.fileHash], sheet: [null, f.sheet.sheet], created: [null, created.length], duplicate: [null, summary.duplicate], invalid: [null, summary.invalid] } });
  }
  return {
    ...summary,
    rejects: await rejectsWorkbook(f, rows, input.lang ?? 'ar', ctx),
    batchId: created.length ? batchId : null,
    created,
  };
}

/** The office's file numbers for the year, from the next free one on (read once, then counted: one transaction). */
function fileNumbers(ctx: HandlerContext, officeCode: string, year: number): () => string {
  const prefix = `${officeCode}-${year}-`;
  let n = Number(nextFileNo(ctx.db, officeCode, year).slice(prefix.length));
  return () => `${prefix}${String(n++).padStart(6, '0')}`;
}
