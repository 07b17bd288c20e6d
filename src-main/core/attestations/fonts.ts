import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../paths';

/**
 * The TTF faces of attestations, parsed once per process.
 *
 * pdfkit parses a font (fontkit.create) every time a document asks for it, which is most of the cost of
 * a one-page PDF. Here each face is parsed once: the first document that needs it opens it the normal way
 * and the parsed fontkit font, the pdfkit EmbeddedFont class and a shared layout cache (shaped words,
 * already scaled) are kept. Every later document gets a fresh EmbeddedFont (its own subset and widths)
 * built on the shared parsed font. Faces are the OFL TTFs shipped in npm packages (licences in
 * templates/fonts/LICENSES.md); WOFF2 would embed but draw nothing.
 */
export const FONT_FILES = {
  amiri: '@expo-google-fonts/amiri/400Regular/Amiri_400Regular.ttf',
  amiriBold: '@expo-google-fonts/amiri/700Bold/Amiri_700Bold.ttf',
  tifinagh: '@expo-google-fonts/noto-sans-tifinagh/400Regular/NotoSansTifinagh_400Regular.ttf',
} as const;
export type FaceName = keyof typeof FONT_FILES;

const MARK = 'jisr-face:';

/** pdfmake font descriptors: names resolved by the patched provideFont below, never read from disk by pdfmake. */
export const PDFMAKE_FONTS = {
  Amiri: { normal: `${MARK}amiri`, bold: `${MARK}amiriBold`, italics: `${MARK}amiri`, bolditalics: `${MARK}amiriBold` },
  Tifinagh: { normal: `${MARK}tifinagh`, bold: `${MARK}tifinagh`, italics: `${MARK}tifinagh`, bolditalics: `${MARK}tifinagh` },
};

const req = createRequire(join(projectRoot(), 'package.json'));

function fontPath(face: FaceName): string {
  const local = join(projectRoot(), 'templates', 'fonts', FONT_FILES[face].split('/').pop()!);
  if (existsSync(local)) return local;
  return req.resolve(FONT_FILES[face]);
}

const buffers = new Map<FaceName, Buffer>();
export function fontBuffer(face: FaceName): Buffer {
  let b = buffers.get(face);
  if (!b) buffers.set(face, (b = readFileSync(fontPath(face))));
  return b;
}

/** The parts of fontkit's font object we use. */
export interface FontkitFont {
  unitsPerEm: number;
  layout(text: string): { advanceWidth: number; direction: 'ltr' | 'rtl'; glyphs: { id: number }[] };
  glyphForCodePoint(cp: number): { id: number };
}

interface ParsedFace {
  font: FontkitFont;
  EmbeddedFont: new (doc: unknown, font: FontkitFont, id: string) => { layoutCache?: Record<string, unknown>; id: string };
  layoutCache: Record<string, unknown>;
}

const parsed = new Map<FaceName, ParsedFace>();
type PdfKitCtor = new (opts?: object) => { font(src: Buffer): unknown; _font: { font: FontkitFont; constructor: ParsedFace['EmbeddedFont'] } };
let PDFKitDocument: PdfKitCtor | undefined; // loaded on first use: pdfkit/fontkit cost start-up time to every call that prints nothing

/** Parses a face once (through pdfkit, so that its EmbeddedFont class comes along). */
export function face(name: FaceName): ParsedFace {
  let p = parsed.get(name);
  if (!p) {
    PDFKitDocument ??= req('pdfkit') as PdfKitCtor;
    const doc = new PDFKitDocument({ autoFirstPage: false });
    doc.font(fontBuffer(name));
    p = { font: doc._font.font, EmbeddedFont: doc._font.constructor, layoutCache: Object.create(null) };
    parsed.set(name, p);
  }
  return p;
}

/** Caches keyed by text grow with every new name and number: they are emptied past this many entries. */
const CACHE_LIMIT = 20_000;
/** Shaped runs hold glyph objects (heavy): fewer of them are kept. */
const LAYOUT_CACHE_LIMIT = 12_000;

/** Empties, in place, the shared caches of shaped runs that have grown large (called between chunks of pages). */
export function trimFontCaches(): void {
  for (const p of parsed.values()) {
    const keys = Object.keys(p.layoutCache);
    if (keys.length > LAYOUT_CACHE_LIMIT) for (const k of keys) delete p.layoutCache[k];
  }
}

const widthCache = new Map<FaceName, Map<string, number>>();
/** Width in points of a run of text (shaped: logical order, as fontkit lays it out). */
export function textWidth(name: FaceName, text: string, size: number): number {
  let m = widthCache.get(name);
  if (!m || m.size > CACHE_LIMIT) widthCache.set(name, (m = new Map()));
  let w = m.get(text);
  if (w === undefined) {
    const f = face(name).font;
    w = f.layout(text).advanceWidth / f.unitsPerEm;
    m.set(text, w);
  }
  return w * size;
}

/** Unicode scripts that fontkit lays out right to left (its RTL table, by Unicode script name). */
const RTL_SCRIPTS = new Set([
  'Arabic', 'Hebrew', 'Syriac', 'Thaana', 'Cypriot', 'Kharoshthi', 'Phoenician', 'Nko', 'Lydian', 'Avestan', 'Imperial_Aramaic',
  'Inscriptional_Pahlavi', 'Inscriptional_Parthian', 'Old_South_Arabian', 'Old_Turkic', 'Samaritan', 'Mandaic', 'Meroitic_Cursive',
  'Meroitic_Hieroglyphs', 'Manichaean', 'Mende_Kikakui', 'Nabataean', 'Old_North_Arabian', 'Palmyrene', 'Psalter_Pahlavi',
]);
let unicodeProperties: { getScript(cp: number): string } | undefined;

/**
 * The direction fontkit gives a run, decided as fontkit decides it (without shaping the run): the script of
 * the first character that has one (not Common, Inherited or Unknown); an RTL script's run comes out with
 * its glyphs reversed.
 */
export function runDirection(text: string): 'ltr' | 'rtl' {
  unicodeProperties ??= req('unicode-properties') as { getScript(cp: number): string };
  for (const ch of text) {
    const script = unicodeProperties.getScript(ch.codePointAt(0)!);
    if (script !== 'Common' && script !== 'Inherited' && script !== 'Unknown') return RTL_SCRIPTS.has(script) ? 'rtl' : 'ltr';
  }
  return 'ltr';
}

let patched = false;
/** Teaches pdfmake's PDFDocument to use the parsed faces for our `jisr-face:` names (others are untouched). */
export function installFontCache(): void {
  if (patched) return;
  patched = true;
  const mod = req('pdfmake/js/PDFDocument') as { default: { prototype: Record<string, unknown> } };
  const proto = mod.default.prototype as {
    provideFont(this: PdfDoc, family: string, bold: boolean, italics: boolean): unknown;
    getFontType(bold: boolean, italics: boolean): string;
  };
  type PdfDoc = {
    fonts: Record<string, Record<string, unknown>>;
    fontCache: Record<string, Record<string, unknown>>;
    _fontCount: number;
    _fontFamilies: Record<string, unknown>;
    getFontType(bold: boolean, italics: boolean): string;
  };
  const original = proto.provideFont;
  proto.provideFont = function (this: PdfDoc, family: string, bold: boolean, italics: boolean) {
    const type = this.getFontType(bold, italics);
    const def = this.fonts[family]?.[type];
    if (typeof def !== 'string' || !def.startsWith(MARK)) return original.call(this, family, bold, italics);
    this.fontCache[family] = this.fontCache[family] || {};
    const cached = this.fontCache[family][type];
    if (cached) return cached;
    const name = def.slice(MARK.length) as FaceName;
    // One EmbeddedFont per document and face (bold/italic variants may share a face).
    const key = `${MARK}${name}`;
    let f = this._fontFamilies[key] as { layoutCache?: Record<string, unknown> } | undefined;
    if (!f) {
      const p = face(name);
      // Shaped runs of earlier documents are reused (the cache is trimmed when it grows large).
      trimFontCaches();
      const id = `F${++this._fontCount}`;
      const ef = new p.EmbeddedFont(this, p.font, id);
      if (ef.layoutCache) ef.layoutCache = p.layoutCache;
      this._fontFamilies[key] = ef;
      f = ef;
    }
    this.fontCache[family][type] = f;
    return f;
  };
}
