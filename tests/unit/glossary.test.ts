import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GLOSSARY, PROGRAMME_NAME, glossaryViolations } from '../../src-main/shared/i18n/glossary';

// Issue 15: one glossary (src-main/shared/i18n/glossary.ts) and every string checked against it: the renderer's
// tables, the shared tables (errors, field labels, audit sentences), the attestation templates and the texts the
// core writes into PDFs and workbooks. No forbidden variant anywhere; the programme's name exactly as official.

const ROOT = join(import.meta.dirname, '..', '..');

function files(dir: string, keep: (p: string) => boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p, keep));
    else if (keep(p)) out.push(p);
  }
  return out;
}

/** Every string under a value, with its path and its language (from an `ar` / `fr` key on the way, if any). */
function strings(v: unknown, path: string, lang: 'ar' | 'fr' | null, out: { path: string; lang: 'ar' | 'fr' | null; text: string }[]) {
  if (typeof v === 'string') out.push({ path, lang, text: v });
  else if (Array.isArray(v)) v.forEach((x, i) => strings(x, `${path}[${i}]`, lang, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) strings(x, `${path}.${k}`, k === 'ar' || k === 'fr' ? k : lang, out);
  }
  return out;
}

/** The string tables: every export of src-renderer/i18n/<feature>.ts and src-main/shared/i18n/*.ts. */
async function tables() {
  const mods = [
    ...files(join(ROOT, 'src-renderer', 'i18n'), (p) => p.endsWith('.ts') && !p.endsWith('index.ts')),
    ...files(join(ROOT, 'src-main', 'shared', 'i18n'), (p) => p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.endsWith('glossary.ts')),
  ];
  const out: { path: string; lang: 'ar' | 'fr' | null; text: string }[] = [];
  for (const m of mods) {
    const mod = (await import(pathToFileURL(m).href)) as Record<string, unknown>;
    for (const [name, v] of Object.entries(mod)) strings(v, `${relative(ROOT, m)}:${name}`, null, out);
  }
  return out;
}

/** Texts written by the core (PDFs, workbooks, consent text) and the attestation templates, read as source. */
function sources() {
  return [
    ...files(join(ROOT, 'templates'), (p) => p.endsWith('.txt') && !p.includes('fonts')),
    ...files(join(ROOT, 'src-main', 'core'), (p) => p.endsWith('.ts') && !p.endsWith('.test.ts')),
  ].map((p) => ({ path: relative(ROOT, p), text: readFileSync(p, 'utf8') }));
}

describe('glossary', () => {
  it('names the programme first, in both languages', () => {
    expect(GLOSSARY[0]).toMatchObject({ ar: PROGRAMME_NAME.ar, fr: PROGRAMME_NAME.fr });
    expect(PROGRAMME_NAME).toEqual({ ar: 'جسر للتمكين والريادة', fr: "Jisr pour l'autonomisation et le leadership" });
  });

  it('catches the variants that drifted in (and leaves the words it keeps)', () => {
    const ar = (s: string) => glossaryViolations(s, 'ar').map(([, m]) => m);
    const fr = (s: string) => glossaryViolations(s, 'fr').map(([, m]) => m);
    expect(ar('برنامج جسر للتمكين والقيادة')).not.toEqual([]);
    expect(ar('برنامج جسر للتمكين والريادة')).toEqual([]);
    expect(ar('إصدار الشواهد')).toEqual(['شواهد']);
    expect(ar('الهيئات')).toEqual(['هيئات']);
    expect(ar('تهيئة التطبيق')).toEqual([]);
    expect(ar('تحميل الأسطر المرفوضة')).toEqual(['تحميل']);
    expect(ar('جار التحميل…')).toEqual([]);
    expect(ar('{{who}} حمل مفتاح الجهة')).toEqual(['حمل']);
    expect(ar('الحامل للبطاقة')).toEqual([]);
    expect(fr("Charger l'accusé de réception")).toEqual(['Charger']);
    expect(fr("La clé n'est pas encore chargée.")).toEqual(['chargée']);
    expect(fr('Chargement…')).toEqual([]);
    expect(fr("L'ancien format n'est pas pris en charge")).toEqual([]);
    expect(fr('programme « Jisr pour l’autonomisation et le leadership »')).not.toEqual([]);
    // Upload: the file chosen (المرفوع / المرسل named the same thing); المرسل stays for what goes to the region.
    expect(ar('الملف المرفوع لم يعد متاحا: ارفعه من جديد.')).toEqual(['مرفوع', 'ارفعه']);
    expect(ar('الملف المرسل لم يعد متوفرا. أرسله من جديد.')).toEqual(['الملف المرسل', 'أرسله من جديد']);
    expect(ar('الملف المختار لم يعد متوفرا: اختره من جديد.')).toEqual([]);
    expect(ar('الملف المرسل إلى الجهة')).toEqual([]);
    expect(ar('رفع القفل')).toEqual([]);
    expect(fr('Le fichier téléversé n’est plus disponible : téléversez-le à nouveau.')).toEqual(['télévers']);
    expect(fr('Le fichier envoyé n’est plus disponible. Envoyez-le à nouveau.')).toEqual(['fichier envoyé', 'Envoyez-le à nouveau']);
    expect(fr('Le fichier choisi n’est plus disponible : choisissez-le à nouveau.')).toEqual([]);
    expect(fr('Dernier fichier envoyé à la région')).toEqual([]);
    // The dashboard is لوحة القيادة (steering); the programme is والريادة, « leadership » in French.
    expect(ar('التقارير ولوحة القيادة')).toEqual([]);
    expect(ar('لوحة التحكم')).toEqual(['لوحة التحكم']);
    expect(fr("Programme Jisr pour l'autonomisation et le leadership")).toEqual([]);
  });

  it('every string table uses the glossary: no forbidden variant, the programme named exactly', async () => {
    const all = await tables();
    expect(all.length).toBeGreaterThan(1000);
    const found: string[] = [];
    for (const s of all) {
      for (const lang of s.lang ? [s.lang] : (['ar', 'fr'] as const)) {
        for (const [concept, m] of glossaryViolations(s.text, lang)) found.push(`${s.path} (${lang}): «${m}» — ${concept}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('the templates and the texts of PDFs and workbooks use the glossary too', () => {
    const found: string[] = [];
    for (const s of sources()) {
      for (const lang of ['ar', 'fr'] as const) {
        for (const [concept, m] of glossaryViolations(s.text, lang)) found.push(`${s.path}: «${m}» — ${concept}`);
      }
    }
    expect(found).toEqual([]);
  });
});
