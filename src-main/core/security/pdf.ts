import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces';
import { projectRoot } from '../paths';

/**
 * A small pdfmake setup for the security documents (access request, CNDP description): the Amiri TTF
 * (Arabic and Latin glyphs) from @expo-google-fonts/amiri.
 *
 * Arabic: fontkit shapes each word and draws an Arabic word right-to-left, but pdfmake places words left
 * to right, so `rtl()` gives pdfmake the words of a right-to-left line in visual order (runs of Latin
 * words and numbers keep their own order). Lines are kept short (table cells) because a wrapped
 * right-to-left cell would start with its last line. The attestations' full bidi line layout was not
 * committed when this was written.
 */
const req = createRequire(join(projectRoot(), 'package.json'));

type PdfKitDoc = NodeJS.ReadableStream & { end(): void; on(ev: string, f: (c?: Buffer) => void): void };
type PrinterCtor = new (
  fonts: object,
  vfs: object,
  resolver: object,
  policy?: (p: string) => boolean,
) => { createPdfKitDocument(def: object, opts?: object): Promise<PdfKitDoc> };

let printer: InstanceType<PrinterCtor> | null = null;

function getPrinter(): InstanceType<PrinterCtor> {
  if (printer) return printer;
  const Printer = (req('pdfmake/js/Printer') as { default: PrinterCtor }).default;
  const URLResolver = (req('pdfmake/js/URLResolver') as { default: new (vfs: object) => object }).default;
  const vfs = (req('pdfmake/js/virtual-fs') as { default: { writeFileSync(name: string, data: Buffer): void } }).default;
  const fs = req('node:fs') as typeof import('node:fs');
  vfs.writeFileSync('jisr-security-amiri.ttf', fs.readFileSync(req.resolve('@expo-google-fonts/amiri/400Regular/Amiri_400Regular.ttf')));
  vfs.writeFileSync('jisr-security-amiri-bold.ttf', fs.readFileSync(req.resolve('@expo-google-fonts/amiri/700Bold/Amiri_700Bold.ttf')));
  const fonts = {
    Amiri: {
      normal: 'jisr-security-amiri.ttf',
      bold: 'jisr-security-amiri-bold.ttf',
      italics: 'jisr-security-amiri.ttf',
      bolditalics: 'jisr-security-amiri-bold.ttf',
    },
  };
  printer = new Printer(fonts, vfs, new URLResolver(vfs), () => false);
  return printer;
}

const ARABIC = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/;

export function hasArabic(s: string): boolean {
  return ARABIC.test(s);
}

const MIRROR: Record<string, string> = { '(': ')', ')': '(', '[': ']', ']': '[', '«': '»', '»': '«', '<': '>', '>': '<' };
const mirror = (s: string) => [...s].map((c) => MIRROR[c] ?? c).join('');

/**
 * The pieces of a right-to-left line in the order pdfmake must place them (left to right), with the
 * spaces as pieces of their own (a space inside an Arabic piece would be drawn on the wrong side).
 * Arabic words get their brackets mirrored (fontkit reverses the glyphs but does not mirror them);
 * runs of Latin words and numbers keep their reading order, their outer brackets taking the line's
 * direction.
 */
export function rtlPieces(text: string): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const groups: string[][] = [];
  for (const w of words) {
    const last = groups.at(-1);
    if (!hasArabic(w) && last && !hasArabic(last[0])) last.push(w);
    else groups.push([w]);
  }
  const pieces: string[] = [];
  for (const g of groups.reverse()) {
    let t = g.join(' ');
    if (hasArabic(t)) t = mirror(t);
    else {
      const m = /^([()[\]«»]*)(.*?)([()[\]«»]*)$/.exec(t)!;
      t = mirror([...m[3]].reverse().join('')) + m[2] + mirror([...m[1]].reverse().join(''));
    }
    if (pieces.length) pieces.push(' ');
    pieces.push(t);
  }
  return pieces;
}

/** pdfmake text for a line: Arabic lines as visual-order pieces, anything else as is. */
export function rtl(text: string): string | { text: string }[] {
  return hasArabic(text) ? rtlPieces(text).map((t) => ({ text: t })) : text;
}

/** A cell: Arabic text right-aligned in visual order, anything else as is. */
export function cell(value: unknown, opts: { bold?: boolean; fontSize?: number } = {}): Content {
  const text = value === null || value === undefined ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return (hasArabic(text) ? { text: rtl(text), alignment: 'right', ...opts } : { text, ...opts }) as Content;
}

export async function renderPdf(def: TDocumentDefinitions): Promise<Buffer> {
  const doc = await getPrinter().createPdfKitDocument({ defaultStyle: { font: 'Amiri', fontSize: 9 }, ...def });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c) => chunks.push(c as Buffer));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', (e) => reject(e));
    doc.end();
  });
}
