import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { formatNumber } from '../../shared/format';
import { join } from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../paths';
import { RLM } from './bidi-layout';

/** Loading and filling the editable templates of templates/attestations (see its README). */

export const KindCodeSchema = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/);

const KindFileSchema = z.object({
  code: KindCodeSchema,
  version: z.number().int().min(1),
  labelAr: z.string().min(1),
  labelFr: z.string().min(1),
  titleAr: z.string().min(1),
  titleFr: z.string().min(1),
  requires: z
    .object({
      participation: z.boolean().optional(),
      statusIn: z.array(z.string()).optional(),
      statusNotIn: z.array(z.string()).optional(),
    })
    .default({}),
});

export interface KindTemplate extends z.infer<typeof KindFileSchema> {
  bodyAr: string;
  bodyFr: string;
  source: string;
}

const LayoutSchema = z.object({
  version: z.number().int(),
  page: z.object({ size: z.string(), margins: z.tuple([z.number(), z.number(), z.number(), z.number()]) }),
  fontSizes: z.object({
    letterhead: z.number(),
    tifinagh: z.number(),
    meta: z.number(),
    titleAr: z.number(),
    titleFr: z.number(),
    bodyAr: z.number(),
    bodyFr: z.number(),
    signature: z.number(),
    small: z.number(),
  }),
  letterheadAr: z.array(z.string()),
  letterheadFr: z.array(z.string()),
  tifinagh: z.string(),
  referenceAr: z.string(),
  referenceFr: z.string(),
  placeDateAr: z.string(),
  placeDateFr: z.string(),
  closingAr: z.string(),
  closingFr: z.string(),
  stampAr: z.string(),
  stampFr: z.string(),
  duplicataAr: z.string(),
  duplicataFr: z.string(),
  previewAr: z.string(),
  previewFr: z.string(),
  verifyAr: z.string(),
  verifyFr: z.string(),
  footerAr: z.string(),
  footerFr: z.string(),
});
export type Layout = z.infer<typeof LayoutSchema>;

export function shippedTemplatesDir(): string {
  return join(projectRoot(), 'templates', 'attestations');
}

interface CacheEntry {
  stamp: string;
  value: unknown;
  checkedAt: number;
}
const cache = new Map<string, CacheEntry>();
/** Template files are looked at again (modification times) at most this often: edits show up without a restart. */
const RECHECK_MS = 1000;

function stampOf(dirs: string[]): string {
  const parts: string[] = [];
  for (const d of dirs) {
    if (!existsSync(d)) continue;
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = statSync(p);
      parts.push(`${p}:${st.mtimeMs}`);
      if (st.isDirectory()) for (const f of readdirSync(p)) parts.push(`${f}:${statSync(join(p, f)).mtimeMs}`);
    }
  }
  return parts.join('|');
}

/** The shared layout (read once; re-read when the file changes). */
export function loadLayout(dir = shippedTemplatesDir()): Layout {
  const file = join(dir, 'layout.json');
  const hit = cache.get(file);
  if (hit && Date.now() - hit.checkedAt < RECHECK_MS) return hit.value as Layout;
  const stamp = String(statSync(file).mtimeMs);
  if (hit && hit.stamp === stamp) {
    hit.checkedAt = Date.now();
    return hit.value as Layout;
  }
  const value = LayoutSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  cache.set(file, { stamp, value, checkedAt: Date.now() });
  return value;
}

function readKind(dir: string): KindTemplate {
  const meta = KindFileSchema.parse(JSON.parse(readFileSync(join(dir, 'kind.json'), 'utf8')));
  const body = (f: string) => readFileSync(join(dir, f), 'utf8').replace(/\r\n/g, '\n').trim();
  return { ...meta, bodyAr: body('body.ar.txt'), bodyFr: body('body.fr.txt'), source: dir };
}

/**
 * Every kind: the shipped ones, then the office's own (`extraDir`/kinds), which win on the same code.
 * A broken template is skipped with its error reported, not fatal to the others.
 */
export function loadKinds(extraDir?: string | null): { kinds: KindTemplate[]; errors: { dir: string; error: string }[] } {
  const dirs = [join(shippedTemplatesDir(), 'kinds'), ...(extraDir ? [join(extraDir, 'kinds')] : [])];
  const key = dirs.join(';');
  const hit = cache.get(key);
  if (hit && Date.now() - hit.checkedAt < RECHECK_MS) return hit.value as ReturnType<typeof loadKinds>;
  const stamp = stampOf(dirs);
  if (hit && hit.stamp === stamp) {
    hit.checkedAt = Date.now();
    return hit.value as ReturnType<typeof loadKinds>;
  }
  const byCode = new Map<string, KindTemplate>();
  const errors: { dir: string; error: string }[] = [];
  for (const d of dirs) {
    if (!existsSync(d)) continue;
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (!statSync(p).isDirectory()) continue;
      try {
        const k = readKind(p);
        byCode.set(k.code, k);
      } catch (e) {
        errors.push({ dir: p, error: (e as Error).message.slice(0, 300) });
      }
    }
  }
  const value = { kinds: [...byCode.values()], errors };
  cache.set(key, { stamp, value, checkedAt: Date.now() });
  return value;
}

const LATIN_OR_DIGIT = /[A-Za-z0-9\u00C0-\u024F]/;

/**
 * Fills `{{name}}` and `{{g:feminine|masculine}}`. In right-to-left texts a Latin value is followed by a
 * right-to-left mark, so that what follows it (a comma, a full stop) stays on the Arabic side.
 * A missing value is an error: a half-filled attestation must never be printed.
 */
export function fillTemplate(text: string, vars: Record<string, string | number | null | undefined>, opts: { sex: 'F' | 'M'; rtl: boolean }): string {
  return text.replace(/\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
    if (expr.startsWith('g:')) {
      const [f, m] = expr.slice(2).split('|');
      return opts.sex === 'F' ? f : (m ?? f);
    }
    const v = vars[expr];
    if (v === undefined || v === null || v === '') throw new MissingPlaceholderError(expr);
    // Numbers as the formatting module writes them for the text's language (33,5 — never 33.5).
    const s = typeof v === 'number' ? formatNumber(v, opts.rtl ? 'ar' : 'fr') : String(v);
    return opts.rtl && LATIN_OR_DIGIT.test(s) ? s + RLM : s;
  });
}

export class MissingPlaceholderError extends Error {
  constructor(readonly placeholder: string) {
    super(`missing value for {{${placeholder}}}`);
  }
}

export const MONTHS_AR = ['يناير', 'فبراير', 'مارس', 'أبريل', 'ماي', 'يونيو', 'يوليوز', 'غشت', 'شتنبر', 'أكتوبر', 'نونبر', 'دجنبر'];
export const MONTHS_FR = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

function parts(iso: string): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) throw new Error(`not a date: ${iso}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}
/** 12 ماي 2026 (Moroccan month names). */
export function longDateAr(iso: string): string {
  const [y, m, d] = parts(iso);
  return `${d} ${MONTHS_AR[m - 1]} ${y}`;
}
/** 12 mai 2026 (1er for the first day). */
export function longDateFr(iso: string): string {
  const [y, m, d] = parts(iso);
  return `${d === 1 ? '1er' : d} ${MONTHS_FR[m - 1]} ${y}`;
}
/** 12/05/1990 */
export function shortDate(iso: string): string {
  const [y, m, d] = parts(iso);
  return `${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}`;
}
