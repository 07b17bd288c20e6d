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

/** Reorders one line (logical order, no line breaks) into visual pieces. */
export function orderLine(line: string, dir: Direction, opts: { bold?: boolean; size?: number } = {}): LaidLine {
  const size = opts.size ?? 12;
  const levelsResult = bidi.getEmbeddingLevels(line, dir);
  const { levels } = levelsResult;
  const mirrored = bidi.getMirroredCharactersMap(line, levels);
  const order = Array.from({ length: line.length }, (_, i) => i);
  for (const [start, end] of bidi.getReorderSegments(line, levelsResult)) {
    const part = order.slice(start, end + 1).reverse();
    for (let i = 0; i < part.length; i++) order[start + i] = part[i];
  }
  // Visual characters with their levels, controls dropped, brackets of RTL runs mirrored.
  const chars: { ch: string; level: number }[] = [];
  for (const i of order) {
    const ch = line[i];
    if (CONTROLS.test(ch)) continue;
    chars.push({ ch: mirrored.get(i) ?? ch, level: levels[i] });
  }
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
 * Breaks a paragraph into lines (logical order) that fit `maxWidth` points at `size`, measuring each word
 * with its font as it will be shaped. Explicit newlines start a new line. A word longer than a line keeps
 * a line of its own.
 */
export function breakParagraph(text: string, maxWidth: number, size: number, opts: { bold?: boolean } = {}): string[] {
  const out: string[] = [];
  const space = textWidth('amiri', ' ', size);
  for (const para of text.split(/\r?\n/)) {
    const words = para.split(/ +/).filter((w) => w.length > 0);
    let cur: string[] = [];
    let w = 0;
    for (const word of words) {
      const clean = stripControls(word);
      const ww = textWidth(faceFor(clean, opts.bold), clean, size);
      const add = cur.length ? space + ww : ww;
      if (cur.length && w + add > maxWidth) {
        out.push(cur.join(' '));
        cur = [word];
        w = ww;
      } else {
        cur.push(word);
        w += add;
      }
    }
    out.push(cur.join(' '));
  }
  return out;
}

/** Breaks and reorders a paragraph: the visual lines, top to bottom. */
export function layoutParagraph(text: string, dir: Direction, maxWidth: number, size: number, opts: { bold?: boolean } = {}): LaidLine[] {
  return breakParagraph(text, maxWidth, size, opts).map((l) => orderLine(l, dir, { bold: opts.bold, size }));
}
