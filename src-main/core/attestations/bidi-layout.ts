import bidiFactory from 'bidi-js';
import { runDirection, textWidth, type FaceName } from './fonts';

/**
 * Right-to-left layout for pdfmake, which has no bidi of its own (it shapes Arabic through fontkit but lays
 * the words of a line out left to right). Lines are broken here, in logical order, measuring words with the
 * font; each line is then reordered with the Unicode Bidirectional Algorithm (bidi-js: embedding levels,
 * reordering of level runs, mirrored brackets) and handed to pdfmake as a row of unbreakable pieces in
 * visual order, left to right.
 *
 * One subtlety: fontkit reverses the glyphs of any run it classifies as right-to-left (Arabic script),
 * and needs an Arabic word in logical order to join its letters. So each piece is handed over in the order
 * that makes fontkit's output equal the visual order: an Arabic word in logical order (fontkit reverses it,
 * joined), anything fontkit keeps left to right (Latin, European digits, brackets) already in visual order.
 * Arabic-Indic digits are the trap: fontkit calls them Arabic and would reverse ٢٠٢٦, so they are handed
 * over reversed and come out in their reading order.
 */
const bidi = bidiFactory();

export type Direction = 'rtl' | 'ltr';

/** Marks with no glyph: they steer the algorithm and are dropped before drawing. */
const CONTROLS = /[\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/;
const CONTROLS_G = /[\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/g;
export const RLM = '\u200F';
const TIFINAGH = /[\u2D30-\u2D7F]/;

export function faceFor(text: string, bold = false): FaceName {
  if (TIFINAGH.test(text)) return 'tifinagh';
  return bold ? 'amiriBold' : 'amiri';
}

/** One unbreakable piece of a line: `text` goes to pdfkit, `visual` is what a reader sees left to right. */
export interface Piece {
  text: string;
  visual: string;
  face: FaceName;
  level: number;
}

export interface LaidLine {
  /** One piece per word or run of spaces (what the tests look at). */
  pieces: Piece[];
  /** The same line in as few pieces as pdfkit can take (what is handed to pdfmake): see `mergePieces`. */
  inlines: Piece[];
  /** The whole line as seen on paper, left to right (mirrored brackets included). */
  visual: string;
  width: number;
}

function reverse(s: string): string {
  return Array.from(s).reverse().join('');
}

/** Reorders one line (logical order, no line breaks) into visual pieces: a paragraph of one line. */
export function orderLine(line: string, dir: Direction, opts: { bold?: boolean; size?: number } = {}): LaidLine {
  const para = resolveParagraph(line, dir);
  return orderRange(para, 0, line.length, opts);
}

/** A paragraph with its embedding levels resolved once, on the whole paragraph (UAX #9 P2–I2). */
export interface ResolvedParagraph {
  text: string;
  levels: Uint8Array;
  paraLevel: number;
}

export function resolveParagraph(text: string, dir: Direction): ResolvedParagraph {
  const r = bidi.getEmbeddingLevels(text, dir);
  return { text, levels: r.levels, paraLevel: r.paragraphs[0]?.level ?? (dir === 'rtl' ? 1 : 0) };
}

const TRAILING = /[\s\u2066-\u2069\u200E\u200F\u061C\u202A-\u202E]/;

/**
 * The visual order of the characters [start, end) of a resolved paragraph, one line of it (UAX #9 L1–L2):
 * whitespace at the end of the line goes back to the paragraph level (L1), then from the highest level down to
 * the lowest odd one, every run at that level or higher is reversed (L2). The levels are the paragraph's: a
 * number or a neutral at a line break keeps the direction the whole paragraph gave it.
 * (bidi-js has getReorderSegments(start, end) for this, but its L1 writes the reset level at the paragraph's
 * index into the line's slice, which misplaces it on any line but the first.)
 */
export function lineOrder(p: ResolvedParagraph, start: number, end: number): { order: number[]; levels: number[] } {
  const slots = Array.from({ length: end - start }, (_, k) => ({ i: start + k, level: p.levels[start + k] }));
  for (let k = slots.length - 1; k >= 0 && TRAILING.test(p.text[slots[k].i]); k--) slots[k].level = p.paraLevel;
  let max = 0;
  let minOdd = Infinity;
  for (const s of slots) {
    if (s.level > max) max = s.level;
    if (s.level % 2 === 1 && s.level < minOdd) minOdd = s.level;
  }
  for (let lvl = max; lvl >= minOdd; lvl--) {
    for (let k = 0; k < slots.length; k++) {
      if (slots[k].level < lvl) continue;
      let e = k;
      while (e + 1 < slots.length && slots[e + 1].level >= lvl) e++;
      const run = slots.slice(k, e + 1).reverse();
      for (let m = 0; m < run.length; m++) slots[k + m] = run[m];
      k = e;
    }
  }
  return { order: slots.map((s) => s.i), levels: slots.map((s) => s.level) };
}

/** Lays out one line [start, end) of a resolved paragraph into visual pieces. */
export function orderRange(p: ResolvedParagraph, start: number, end: number, opts: { bold?: boolean; size?: number } = {}): LaidLine {
  const size = opts.size ?? 12;
  const { order, levels } = lineOrder(p, start, end);
  const mirrored = end > start ? bidi.getMirroredCharactersMap(p.text, p.levels, start, end - 1) : new Map<number, string>();
  // Visual characters with their levels, controls dropped, brackets of RTL runs mirrored.
  const chars: { ch: string; level: number }[] = [];
  order.forEach((i, k) => {
    const ch = p.text[i];
    if (CONTROLS.test(ch)) return;
    chars.push({ ch: mirrored.get(i) ?? ch, level: levels[k] });
  });
  const pieces: Piece[] = [];
  let i = 0;
  while (i < chars.length) {
    const isSpace = chars[i].ch === ' ';
    let j = i + 1;
    if (isSpace) while (j < chars.length && chars[j].ch === ' ') j++;
    else while (j < chars.length && chars[j].ch !== ' ' && chars[j].level === chars[i].level) j++;
    const visual = chars
      .slice(i, j)
      .map((c) => c.ch)
      .join('');
    const rev = reverse(visual);
    // The order that fontkit turns into `visual`.
    const text = isSpace ? visual : runDirection(rev) === 'rtl' ? rev : visual;
    pieces.push({ text, visual, face: faceFor(visual, opts.bold), level: chars[i].level });
    i = j;
  }
  const width = pieces.reduce((w, p) => w + textWidth(p.face, p.text, size), 0);
  return { pieces, inlines: mergePieces(pieces), visual: pieces.map((p) => p.visual).join(''), width };
}

const NBSP = '\u00A0';

/**
 * Fewer, longer pieces for pdfmake (its cost is per piece). pdfkit cuts a text after every space and lays
 * each cut out with fontkit, which reverses an Arabic cut: a trailing space would move to the wrong side.
 * So a right-to-left group of words goes as ONE cut, its spaces made no-break spaces, in logical order:
 * fontkit joins each word and reverses the whole group into visual order. A left-to-right group keeps its
 * ordinary spaces (each word is laid out left to right). A word that fontkit would reverse inside a
 * left-to-right group (Arabic-Indic digits) and a change of font end the group.
 */
export function mergePieces(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  let group: Piece[] = [];
  let odd = false;
  const flush = () => {
    if (!group.length) return;
    const visual = group.map((p) => p.visual).join('');
    const level = group.find((p) => p.visual.trim())?.level ?? group[0].level;
    if (odd) {
      const v = visual.replace(/ /g, NBSP);
      const rev = reverse(v);
      out.push({ text: runDirection(rev) === 'rtl' ? rev : v, visual, face: group[0].face, level });
    } else {
      out.push({ text: group.map((p) => p.text).join(''), visual, face: group[0].face, level });
    }
    group = [];
  };
  for (const p of pieces) {
    const isSpace = p.visual.trim() === '';
    const pOdd = p.level % 2 === 1;
    const selfReversing = !isSpace && !pOdd && p.text !== p.visual; // handed reversed: must stand alone
    if (selfReversing) {
      flush();
      out.push(p);
      continue;
    }
    if (group.length && ((!isSpace && pOdd !== odd) || p.face !== group[0].face)) flush();
    if (!group.length) odd = isSpace ? pOdd : pOdd;
    group.push(p);
  }
  flush();
  return out;
}

/** The words of a line as they stand on paper, left to right, each given in its logical (typed) form. */
export function visualWords(line: string, dir: Direction): string[] {
  const laid = orderLine(line, dir);
  return laid.pieces
    .filter((p) => p.visual.trim() !== '')
    .map((p) => (p.level % 2 === 1 ? reverse(p.visual) : p.visual));
}

export function stripControls(s: string): string {
  return s.replace(CONTROLS_G, '');
}

/**
 * Breaks a paragraph (one line of `text`, no newline) into lines in LOGICAL order that fit `maxWidth` points at
 * `size`, measuring each word with its font as it will be shaped: the [start, end) ranges of each line, the spaces
 * at a break belonging to neither. A word longer than a line keeps a line of its own.
 */
export function breakRanges(para: string, maxWidth: number, size: number, opts: { bold?: boolean } = {}): [number, number][] {
  const space = textWidth('amiri', ' ', size);
  const words: [number, number][] = [];
  for (const m of para.matchAll(/[^ ]+/g)) words.push([m.index!, m.index! + m[0].length]);
  const out: [number, number][] = [];
  let cur: [number, number] | null = null;
  let w = 0;
  for (const [a, b] of words) {
    const clean = stripControls(para.slice(a, b));
    const ww = textWidth(faceFor(clean, opts.bold), clean, size);
    if (cur && w + space + ww > maxWidth) {
      out.push(cur);
      cur = [a, b];
      w = ww;
    } else if (cur) {
      cur = [cur[0], b];
      w += space + ww;
    } else {
      cur = [a, b];
      w = ww;
    }
  }
  out.push(cur ?? [0, 0]);
  return out;
}

/** The lines of a text in logical order (explicit newlines start a new paragraph). */
export function breakParagraph(text: string, maxWidth: number, size: number, opts: { bold?: boolean } = {}): string[] {
  return text.split(/\r?\n/).flatMap((para) => breakRanges(para, maxWidth, size, opts).map(([a, b]) => para.slice(a, b)));
}

/**
 * Lays a text out as UAX #9 says: for each paragraph, the embedding levels are resolved on the WHOLE paragraph,
 * the line breaks are chosen in logical order, then each line is reordered on its own (L1–L2). The visual lines,
 * top to bottom.
 */
export function layoutParagraph(text: string, dir: Direction, maxWidth: number, size: number, opts: { bold?: boolean } = {}): LaidLine[] {
  return text.split(/\r?\n/).flatMap((para) => {
    const resolved = resolveParagraph(para, dir);
    return breakRanges(para, maxWidth, size, opts).map(([a, b]) => orderRange(resolved, a, b, { bold: opts.bold, size }));
  });
}
