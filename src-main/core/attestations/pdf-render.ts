import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces';
import { projectRoot } from '../paths';
import { layoutParagraph, orderLine, type Direction, type LaidLine } from './bidi-layout';
import { installFontCache, PDFMAKE_FONTS, trimFontCaches } from './fonts';
import { qrPng } from './qr-image';
import type { Layout } from './templates';

/**
 * Attestation pages as pdfmake content. Every piece of text goes through bidi-layout (lines broken and
 * reordered here), so pdfmake only places pre-ordered, unbreakable pieces.
 */

/** Everything printed on an attestation, filled at issue time and kept in the register (a reprint shows the same). */
export interface AttestationContent {
  v: 1;
  kind: string;
  kindVersion: number;
  serial: string;
  issueDate: string;
  sex: 'F' | 'M';
  texts: {
    letterheadAr: string[];
    letterheadFr: string[];
    referenceAr: string;
    referenceFr: string;
    placeDateAr: string;
    placeDateFr: string;
    titleAr: string;
    titleFr: string;
    bodyAr: string;
    bodyFr: string;
    closingAr: string;
    closingFr: string;
    signatoryAr: string;
    signatoryFr: string;
    verifyAr: string;
    verifyFr: string;
    footerAr: string;
    footerFr: string;
  };
}

export type PrintMode = 'original' | 'duplicata' | 'preview';

export interface PageInput {
  content: AttestationContent;
  /** The signed text of the QR code (JISR1.…); the preview carries none. */
  qrText: string | null;
  mode: PrintMode;
  /**
   * The verification page's address (region setting): the QR code then holds `<address>#<qrText>`, which a phone
   * opens on the page (the fragment after # is never sent to a server). Without it the QR holds the bare text.
   */
  qrUrl?: string | null;
}

/** What the QR code of a page holds. */
export function qrPayload(p: Pick<PageInput, 'qrText' | 'qrUrl'>): string | null {
  if (!p.qrText) return null;
  return p.qrUrl ? `${p.qrUrl}#${p.qrText}` : p.qrText;
}

const A4_WIDTH = 595.28;
const FONT = 'Amiri';

interface LinesOpts {
  bold?: boolean;
  align?: 'left' | 'right' | 'center';
  color?: string;
  lineHeight?: number;
  margin?: [number, number, number, number];
}

function lineNode(l: LaidLine, size: number, o: LinesOpts): Content {
  return {
    text: l.inlines.map((p) => ({ text: p.text, noWrap: true, font: p.face === 'tifinagh' ? 'Tifinagh' : FONT })),
    alignment: o.align,
    fontSize: size,
    bold: o.bold,
    color: o.color,
    lineHeight: o.lineHeight ?? 1,
  } as Content;
}

/** A paragraph broken into lines of at most `width` points, each line in visual order. */
export function paragraph(text: string, dir: Direction, width: number, size: number, o: LinesOpts = {}): Content {
  const align = o.align ?? (dir === 'rtl' ? 'right' : 'left');
  const laid = layoutParagraph(text, dir, width - 1, size, { bold: o.bold });
  return { stack: laid.map((l) => lineNode(l, size, { ...o, align })), margin: o.margin } as Content;
}

function paragraphs(text: string, dir: Direction, width: number, size: number, o: LinesOpts = {}): Content[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .filter(Boolean)
    .map((p) => paragraph(p, dir, width, size, o));
}

/** One attestation page. */
export function pageContent(p: PageInput, layout: Layout, qrImageKey: string | null): Content[] {
  const fs = layout.fontSizes;
  const [ml, , mr] = layout.page.margins;
  const width = A4_WIDTH - ml - mr;
  const side = 205;
  const t = p.content.texts;
  const out: Content[] = [];

  // Letterhead: Arabic chain on the right, French mirror on the left, Tifinagh in the middle.
  out.push({
    columns: [
      { width: side, stack: t.letterheadFr.map((l, i) => paragraph(l, 'ltr', side, fs.letterhead, { align: 'center', bold: i === 0 || i === t.letterheadFr.length - 1 })) },
      { width: '*', stack: [paragraph(layout.tifinagh, 'ltr', width - 2 * side, fs.tifinagh, { align: 'center', margin: [0, 14, 0, 0] })] },
      { width: side, stack: t.letterheadAr.map((l, i) => paragraph(l, 'rtl', side, fs.letterhead + 1, { align: 'center', bold: i === 0 || i === t.letterheadAr.length - 1 })) },
    ],
  } as Content);
  out.push({ canvas: [{ type: 'line', x1: 0, y1: 4, x2: width, y2: 4, lineWidth: 0.6, lineColor: '#555555' }], margin: [0, 2, 0, 6] } as Content);

  // Reference number and "place في date".
  const half = width / 2;
  out.push({
    columns: [
      { width: half, stack: [paragraph(t.referenceFr, 'ltr', half, fs.meta), paragraph(t.placeDateFr, 'ltr', half, fs.meta)] },
      { width: half, stack: [paragraph(t.referenceAr, 'rtl', half, fs.meta + 0.5), paragraph(t.placeDateAr, 'rtl', half, fs.meta + 0.5)] },
    ],
  } as Content);

  // Title.
  out.push(paragraph(t.titleAr, 'rtl', width, fs.titleAr, { align: 'center', bold: true, margin: [0, 14, 0, 0] }));
  out.push(paragraph(t.titleFr, 'ltr', width, fs.titleFr, { align: 'center', bold: true, margin: [0, 0, 0, 4] }));
  if (p.mode === 'duplicata') {
    out.push(paragraph(`${layout.duplicataAr} — ${layout.duplicataFr}`, 'rtl', width, fs.titleFr, { align: 'center', bold: true, color: '#b00020', margin: [0, 0, 0, 4] }));
  } else if (p.mode === 'preview') {
    out.push(paragraph(`${layout.previewAr} — ${layout.previewFr}`, 'rtl', width, fs.titleFr, { align: 'center', bold: true, color: '#b00020', margin: [0, 0, 0, 4] }));
  }

  // Bodies: Arabic first, then the French version.
  out.push(...paragraphs(t.bodyAr, 'rtl', width, fs.bodyAr, { lineHeight: 1, margin: [0, 8, 0, 2] }));
  out.push(paragraph(t.closingAr, 'rtl', width, fs.bodyAr, { margin: [0, 2, 0, 6] }));
  out.push({ canvas: [{ type: 'line', x1: width * 0.3, y1: 2, x2: width * 0.7, y2: 2, lineWidth: 0.4, lineColor: '#999999' }], margin: [0, 0, 0, 4] } as Content);
  out.push(...paragraphs(t.bodyFr, 'ltr', width, fs.bodyFr, { margin: [0, 2, 0, 2] }));
  out.push(paragraph(t.closingFr, 'ltr', width, fs.bodyFr, { margin: [0, 2, 0, 10] }));

  // Signature block (titles and room for the stamp) and the QR code with its serial.
  const qrCol = 120;
  const sigCol = 230;
  const qrStack: Content[] = qrImageKey
    ? [
        { image: qrImageKey, width: 96, height: 96, margin: [12, 0, 0, 2] } as Content,
        paragraph(p.content.serial, 'ltr', qrCol, fs.small + 1, { align: 'center', bold: true }),
      ]
    : [paragraph(layout.previewFr, 'ltr', qrCol, fs.small, { align: 'center', color: '#b00020', margin: [0, 40, 0, 0] })];
  const stampBox: Content = {
    stack: [
      { canvas: [{ type: 'rect', x: 0, y: 0, w: sigCol - 20, h: 86, r: 4, dash: { length: 3 }, lineWidth: 0.5, lineColor: '#888888' }] },
      {
        ...(paragraph(`${layout.stampAr} — ${layout.stampFr}`, 'rtl', sigCol - 20, fs.small, { align: 'center', color: '#888888' }) as object),
        relativePosition: { x: 0, y: -14 },
      } as Content,
    ],
    margin: [10, 4, 0, 0],
  } as Content;
  out.push({
    columns: [
      { width: qrCol, stack: qrStack },
      { width: '*', text: '' },
      {
        width: sigCol,
        stack: [paragraph(t.signatoryAr, 'rtl', sigCol, fs.signature, { align: 'center', bold: true }), paragraph(t.signatoryFr, 'ltr', sigCol, fs.signature - 1.5, { align: 'center', bold: true }), stampBox],
      },
    ],
    unbreakable: true,
  } as Content);
  if (qrImageKey) {
    out.push(paragraph(t.verifyAr, 'rtl', width, fs.small, { align: 'left', color: '#555555', margin: [0, 4, 0, 0] }));
    out.push(paragraph(t.verifyFr, 'ltr', width, fs.small, { align: 'left', color: '#555555' }));
  }
  return out;
}

/** pdfmake's document for one or more attestation pages (one page each). */
export function buildDocDefinition(pages: PageInput[], layout: Layout, opts: { title?: string; keyPrefix?: string } = {}): TDocumentDefinitions {
  const images: Record<string, string> = {};
  const content: Content[] = [];
  pages.forEach((p, i) => {
    let key: string | null = null;
    if (p.qrText && p.mode !== 'preview') {
      key = `${opts.keyPrefix ?? ''}qr${i}`;
      images[key] = `data:image/png;base64,${qrPng(qrPayload(p)!).toString('base64')}`;
    }
    const page = pageContent(p, layout, key);
    if (i > 0) (page[0] as { pageBreak?: string }).pageBreak = 'before';
    content.push(...page);
  });
  const [ml, mt, mr, mb] = layout.page.margins;
  const footerSize = layout.fontSizes.small;
  const footers = pages.map((p) => [p.content.texts.footerAr, p.content.texts.footerFr].filter((s) => s.trim()).join(' — '));
  const allPreview = pages.every((p) => p.mode === 'preview');
  return {
    pageSize: layout.page.size as 'A4',
    pageMargins: [ml, mt, mr, mb + 14],
    info: { title: opts.title ?? 'Attestation', creator: 'Jisr Desk', producer: 'Jisr Desk' },
    defaultStyle: { font: FONT, fontSize: 11 },
    images,
    content,
    footer: (currentPage: number) => {
      const text = footers[currentPage - 1];
      if (!text) return null as unknown as Content;
      const w = A4_WIDTH - ml - mr;
      return { ...(paragraph(text, 'rtl', w, footerSize, { align: 'center', color: '#555555' }) as object), margin: [ml, 4, mr, 0] } as Content;
    },
    ...(allPreview
      ? { watermark: { text: `${orderLine(layout.previewAr, 'rtl').inlines.map((x) => x.text).join('')} ${layout.previewFr}`, color: '#b00020', opacity: 0.12, bold: true, fontSize: 70, angle: -40 } }
      : {}),
    compress: true,
  } as TDocumentDefinitions;
}

const req = createRequire(join(projectRoot(), 'package.json'));
type PdfKitDoc = NodeJS.ReadableStream & { end(): void; on(ev: string, f: (c?: Buffer) => void): void };
type PrinterCtor = new (fonts: object, vfs: object, resolver: object, policy?: (p: string) => boolean) => { createPdfKitDocument(def: object, opts?: object): Promise<PdfKitDoc> };
type PdfKitFull = PdfKitDoc & { images: Record<string, string>; _pdfMakePages?: unknown };

/** pdfmake's pieces, loaded on the first PDF: requiring pdfmake (pdfkit, fontkit) costs ~0.3 s that a start-up need not pay. */
let pdfmakeParts:
  | {
      PdfPrinter: PrinterCtor;
      URLResolver: new (vfs: object) => object;
      virtualfs: object;
      PDFDocumentClass: new (...args: unknown[]) => PdfKitFull;
      LayoutBuilder: new (pageSize: object, margins: object, svg: object) => {
        registerTableLayouts(l: object): void;
        layoutDocument(content: unknown, doc: unknown, styles: object, defaultStyle: object, background: unknown, header: unknown, footer: unknown, watermark: unknown, pageBreakBefore: unknown): unknown[];
      };
      SVGMeasure: new () => object;
      PageSize: { normalizePageSize(size: unknown, orientation: unknown): { width: number; height: number }; normalizePageMargin(m: unknown): object };
      tableLayouts: object;
      Renderer: new (doc: unknown, progress?: unknown) => { renderPages(pages: unknown[]): void };
    }
  | undefined;
function pdfmake(): NonNullable<typeof pdfmakeParts> {
  return (pdfmakeParts ??= {
    PdfPrinter: (req('pdfmake/js/Printer') as { default: PrinterCtor }).default,
    URLResolver: (req('pdfmake/js/URLResolver') as { default: new (vfs: object) => object }).default,
    virtualfs: (req('pdfmake/js/virtual-fs') as { default: object }).default,
    PDFDocumentClass: (req('pdfmake/js/PDFDocument') as { default: new (...args: unknown[]) => PdfKitFull }).default,
    LayoutBuilder: (req('pdfmake/js/LayoutBuilder') as { default: NonNullable<typeof pdfmakeParts>['LayoutBuilder'] }).default,
    SVGMeasure: (req('pdfmake/js/SVGMeasure') as { default: new () => object }).default,
    PageSize: req('pdfmake/js/PageSize') as NonNullable<typeof pdfmakeParts>['PageSize'],
    tableLayouts: (req('pdfmake/js/tableLayouts') as { tableLayouts: object }).tableLayouts,
    Renderer: (req('pdfmake/js/Renderer') as { default: new (doc: unknown, progress?: unknown) => { renderPages(pages: unknown[]): void } }).default,
  });
}

/** Renders a document to PDF bytes with the process-wide parsed fonts. */
export async function renderPdf(def: TDocumentDefinitions, opts: { progress?: (ratio: number) => void } = {}): Promise<Buffer> {
  installFontCache();
  const { PdfPrinter, URLResolver, virtualfs } = pdfmake();
  const printer = new PdfPrinter(PDFMAKE_FONTS, virtualfs, new URLResolver(virtualfs), () => false);
  const doc = await printer.createPdfKitDocument(def, opts.progress ? { progressCallback: opts.progress } : {});
  return streamToBuffer(doc);
}

/** Collects the bytes of a pdfkit document; `end` (default) finishes the document now. */
export function streamToBuffer(doc: PdfKitDoc, end = true): Promise<Buffer> {
  const p = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c) => chunks.push(c as Buffer));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', (e) => reject(e));
  });
  if (end) doc.end();
  return p;
}


export interface RenderPagesOptions {
  /** Pages laid out and drawn per step; the event loop runs between steps. */
  chunk?: number;
  onProgress?: (done: number, total: number) => void;
  /** Checked between steps: true stops the rendering (the result is then null). */
  isCancelled?: () => boolean;
  title?: string;
}

/**
 * Renders attestation pages into one PDF, a chunk of pages at a time into the same pdfkit document (the same
 * steps as pdfmake's Printer, split), so that a batch of a thousand pages reports progress, can be cancelled
 * and leaves the event loop free between chunks.
 */
export async function renderPages(pages: PageInput[], layout: Layout, opts: RenderPagesOptions = {}): Promise<Buffer | null> {
  installFontCache();
  const { PDFDocumentClass, LayoutBuilder, SVGMeasure, PageSize, tableLayouts, Renderer, virtualfs } = pdfmake();
  const chunk = Math.max(1, opts.chunk ?? 25);
  const first = buildDocDefinition(pages.slice(0, 1), layout, { title: opts.title }) as TDocumentDefinitions & { pageMargins: unknown; watermark?: unknown };
  const pageSize = PageSize.normalizePageSize(first.pageSize, undefined);
  const doc = new PDFDocumentClass(
    PDFMAKE_FONTS,
    {},
    {},
    {},
    {
      size: [pageSize.width, pageSize.height],
      pdfVersion: '1.3',
      compress: true,
      autoFirstPage: false,
      fontLayoutCache: true,
      bufferPages: false,
      info: { Title: opts.title ?? 'Attestation', Creator: 'Jisr Desk', Producer: 'Jisr Desk' },
      font: null,
    },
    virtualfs,
    () => false,
  );
  const done = streamToBuffer(doc, false);
  for (let start = 0; start < pages.length; start += chunk) {
    if (opts.isCancelled?.()) {
      doc.end();
      await done.catch(() => undefined);
      return null;
    }
    const part = pages.slice(start, start + chunk);
    const def = buildDocDefinition(part, layout, { keyPrefix: `p${start}_` }) as TDocumentDefinitions & { images: Record<string, string>; footer: unknown; watermark?: unknown };
    Object.assign(doc.images, def.images);
    const builder = new LayoutBuilder(pageSize, PageSize.normalizePageMargin(def.pageMargins), new SVGMeasure());
    builder.registerTableLayouts(tableLayouts);
    const laid = builder.layoutDocument(def.content, doc, {}, def.defaultStyle ?? {}, undefined, undefined, def.footer, def.watermark, undefined);
    new Renderer(doc).renderPages(laid);
    trimFontCaches();
    opts.onProgress?.(Math.min(pages.length, start + part.length), pages.length);
    if (start + chunk < pages.length) await new Promise((r) => setImmediate(r));
  }
  doc.end();
  return done;
}
