import { AppError } from '../../../shared/errors';
import { PROVINCE_NAMES } from '../../../shared/offices';
import type { ReadableDB } from '../../db/handles';
import type { Office } from '../../db/schema';
import { verifyBytes } from '../../crypto/keys';
import { FORMAT_VERSION, openFile, parseInner, peekFile, sha256, type Manifest, type PeekedFile } from '../file-format';
import { ownEncryptionKey } from '../keys';
import { officeById } from '../repo/offices.repo';
import { getOfficeState, importedAtBySha } from '../repo/imports.repo';
import { settingValue } from '../repo/settings.repo';

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

export function maxFileBytes(db: ReadableDB): number {
  const v = settingValue(db, 'exchange.max_file_bytes');
  const n = v ? Number(JSON.parse(v)) : DEFAULT_MAX_FILE_BYTES;
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_MAX_FILE_BYTES;
}

/**
 * Checks a file completely before anything is written: size, format, version, the recipient key, decryption
 * (AES-GCM authenticates every byte), the manifest, the sending office (known and trusted), its signature.
 * The checksum of each part is checked as the part is read.
 */
export function verifyFile(db: ReadableDB, data: Buffer, fileName: string): VerifiedFile {
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
  const office = officeById(db, manifest.office.id);
  if (!office) throw new AppError('exchange.unknown_office', { office: manifest.office.slug });
  if (office.slug !== manifest.office.slug || office.kind !== 'province') throw new AppError('exchange.unknown_office', { office: manifest.office.slug });
  if (office.trusted !== 1 || !office.public_key) throw new AppError('exchange.untrusted_office', { office: office.slug });
  if (!verifyBytes(office.public_key, manifestBytes, signature)) throw new AppError('exchange.bad_signature', { office: office.slug });
  // The manifest names every part by its sha256 and is signed: its hash identifies the content (a replay, a file
  // made again) without hashing the whole payload once more.
  return { fileName, data, peeked, manifest, inner, partsStart, payloadSha256: sha256(manifestBytes), office };
}

/** Where an office stands in its sequence of files (0, 0 before its first). */
export function officePosition(db: ReadableDB, officeId: string): { last_file_seq: number; last_change_seq: number } {
  const st = getOfficeState(db, officeId);
  return st ? { last_file_seq: st.last_file_seq, last_change_seq: st.last_change_seq } : { last_file_seq: 0, last_change_seq: 0 };
}

export type Decision = { action: 'apply' } | { action: 'already'; importedAt: string } | { action: 'hold'; missing: { from: number; to: number } };

/**
 * A file whose number the region already applied, whose content it never received (the caller checked the content
 * first), and which the office made after the last file the region applied: the office numbers its files again from
 * an older point — it restored a backup older than its last file sent (its main PC died). Not a replay: the
 * coordinator can accept the restart (exchange.acceptNumberingRestart). A file made before the last one applied is
 * an older file the region no longer needs (superseded by a full snapshot or an accepted gap): a replay.
 */
export function isNumberingRestart(db: ReadableDB, f: VerifiedFile): boolean {
  const st = getOfficeState(db, f.office.id);
  if (!st || f.manifest.fileSeq > st.last_file_seq) return false;
  if (importedAtBySha(db, f.payloadSha256) !== undefined) return false;
  return st.last_file_created_at !== null && f.manifest.createdAt > st.last_file_created_at;
}

/** The office named in words in both languages (its province's name), for the messages. */
export function officeNames(o: Office): { nameAr: string; nameFr: string; ofNameFr: string } {
  const n = PROVINCE_NAMES[o.slug];
  const fr = n?.fr ?? o.name_fr;
  return { nameAr: n?.ar ?? o.name_ar, nameFr: fr, ofNameFr: /^[AEIOUYÂÉÈaeiouy]/.test(fr) ? `d’${fr}` : `de ${fr}` };
}

function numberingRestarted(f: VerifiedFile, last: number): AppError {
  return new AppError('exchange.numbering_restarted', { office: f.office.slug, ...officeNames(f.office), fileSeq: f.manifest.fileSeq, last });
}

/** Where a verified file stands in its office's sequence. Throws for a replayed, superseded or renumbered file. */
export function decide(db: ReadableDB, f: VerifiedFile): Decision {
  const prior = importedAtBySha(db, f.payloadSha256);
  if (prior !== undefined) return { action: 'already', importedAt: prior };
  const st = officePosition(db, f.office.id);
  const m = f.manifest;
  if (m.fileSeq <= st.last_file_seq) {
    if (isNumberingRestart(db, f)) throw numberingRestarted(f, st.last_file_seq);
    throw new AppError('exchange.replayed', { office: f.office.slug, fileSeq: m.fileSeq, last: st.last_file_seq });
  }
  if (m.type === 'full') return { action: 'apply' };
  if (m.prevFileSeq > st.last_file_seq) return { action: 'hold', missing: { from: st.last_file_seq + 1, to: m.prevFileSeq } };
  if (m.prevFileSeq < st.last_file_seq || m.changeSeq.from < st.last_change_seq) {
    throw new AppError('exchange.out_of_order', { office: f.office.slug, fileSeq: m.fileSeq, last: st.last_file_seq });
  }
  return { action: 'apply' };
}
