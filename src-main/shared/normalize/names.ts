/**
 * Name normalisation and cross-script matching (pure TypeScript: used by the core, the renderer and the import).
 *
 * Three levels:
 * - `normalizeArabic` / `normalizeLatin`: the search keys (what is stored in name_key_ar / name_key_lat and what
 *   a typed query is turned into). Spelling noise is removed but the name stays readable.
 * - `skeleton`: a phonetic consonant skeleton in a shared Latin alphabet, made from either script, so that
 *   فاطمة الزهراء أيت علي and Fatima Zahra Ait Ali give the same string ("ftmzhr" + "tl"). Vowels (short vowels are
 *   not written in Arabic), و/ي/ا and w/y, ع and hamza are dropped; the article ال / el- is dropped; letters that
 *   Moroccan transliteration merges are merged (خ/kh → k, ش/ch → c, ق/q → k, ث/ت/ط → t, ذ/ض/ظ → d, ص/س → s).
 * - a dictionary of common first names (`FIRST_NAME_VARIANTS`), because consonants alone cannot tell
 *   Mohamed from Mahmoud or Fatima from Fatma's neighbour Fatiha: when both first names are known, their
 *   canonical forms decide.
 */
import { FIRST_NAME_VARIANTS } from './names-dict';

// ---------------------------------------------------------------------------------------------
// Arabic
// ---------------------------------------------------------------------------------------------

/** Harakat, Quranic marks, superscript alef, tatweel, direction marks. */
const AR_MARKS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640\u200c-\u200f\u202a-\u202e]/g;

/** Canonical Arabic letters: hamza forms of alef → ا, ة → ه, ى → ي, ؤ → و, ئ → ي, Persian forms → Arabic. */
function foldArabicLetters(s: string): string {
  return s
    .replace(/[أإآٱٲٳ]/g, 'ا')
    .replace(/ة/g, 'ه')
    .replace(/[ىی]/g, 'ي')
    .replace(/ؤ/g, 'و')
    .replace(/ئ/g, 'ي')
    .replace(/ء/g, '')
    .replace(/ک/g, 'ك')
    .replace(/[ھۀ]/g, 'ه');
}

const NON_ARABIC_LETTERS = /[^\u0620-\u064A\u066E-\u06D3\u06FA-\u06FF\u0750-\u077F]+/g;

/** The Arabic search key: letters folded, marks removed, punctuation → space, spaces collapsed. */
export function normalizeArabic(raw: string): string {
  return foldArabicLetters(String(raw ?? '').normalize('NFKC').replace(AR_MARKS, ''))
    .replace(NON_ARABIC_LETTERS, ' ')
    .trim();
}

// ---------------------------------------------------------------------------------------------
// Latin
// ---------------------------------------------------------------------------------------------

/**
 * The Latin search key: lowercase, accents stripped (Aït → ait), apostrophes dropped (M'barek → mbarek),
 * hyphens and other punctuation → space, doubled letters single (Mohammed → mohamed, Idrissi → idrisi).
 */
export function normalizeLatin(raw: string): string {
  return String(raw ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/['’`ʼʻ]/g, '')
    .replace(/[^a-z]+/g, ' ')
    .replace(/([a-z])\1+/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

export function hasArabic(s: string): boolean {
  return /[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/.test(s);
}

// ---------------------------------------------------------------------------------------------
// Skeleton (cross-script phonetic key)
// ---------------------------------------------------------------------------------------------

const AR_SKELETON: Record<string, string> = {
  ب: 'b', پ: 'b', ت: 't', ث: 't', ط: 't', ج: 'j', ژ: 'j', ح: 'h', ه: 'h', خ: 'k', ق: 'k', ك: 'k', ڭ: 'k', گ: 'k',
  غ: 'k', د: 'd', ذ: 'd', ض: 'd', ظ: 'd', ر: 'r', ز: 'z', س: 's', ص: 's', ش: 'c', چ: 'c', ف: 'f', ڤ: 'f', ل: 'l',
  م: 'm', ن: 'n',
  // ا و ي ى ع ء and the carriers of hamza: dropped
};
const SUN_LETTERS = new Set('تثدذرزسشصضطظلن'.split(''));

/** Skeleton of one Arabic word (already NFKC, marks removed; hamza forms not yet folded). */
function arabicWordSkeleton(word: string, afterAbd: boolean): string {
  let w = word.replace(AR_MARKS, '');
  if (/^[اٱ]?لله$/.test(w)) return 'lh'; // الله (Abdellah, Abdallah)
  // The article: ال (plain or wasla alef), not إل… (إلهام is a name). After عبد it stays, as Latin keeps "el".
  let article = '';
  const m = /^[اٱ]ل(.{2,})$/.exec(w);
  if (m) {
    w = m[1];
    if (afterAbd && !SUN_LETTERS.has(w[0])) article = 'l';
  } else if (/^لل/.test(w) && w.length > 3) {
    w = w.slice(1); // لله / للحسن: preposition + article
  }
  w = foldArabicLetters(w).replace(/ه$/, (h, i) => (i >= 2 && w[i - 1] === 'ل' && w[i - 2] === 'ل' ? h : '')); // final ة/ه: silent (not in الله)
  let out = article;
  let prev = '';
  for (const c of w) {
    if (c === prev) continue; // doubled letter (no shadda written)
    prev = c;
    const k = AR_SKELETON[c];
    if (k) out += k;
  }
  // A consonant written twice around a long vowel (فيلالي, لالة) is heard once, as Latin writes it (Filali, Lalla).
  return out.replace(/([a-z])\1+/g, '$1');
}

/** Skeleton of one Latin word (normalizeLatin output). */
function latinWordSkeleton(word: string): string {
  // (An assimilated article glued to the name, ezzahra / essaidi, needs nothing: its vowel is dropped.)
  const w = word
    .replace(/^rh/, 'g') // غ written rh (Rhazi, Rhizlane)
    .replace(/kh/g, 'k')
    .replace(/gh/g, 'g')
    .replace(/dj/g, 'j')
    .replace(/tch/g, 'c')
    .replace(/[cs]h/g, 'C')
    .replace(/th/g, 't')
    .replace(/dh/g, 'd')
    .replace(/ph/g, 'f')
    .replace(/ck/g, 'k')
    .replace(/qu/g, 'k')
    .replace(/q/g, 'k')
    .replace(/c(?=[eiy])/g, 's')
    .replace(/c/g, 'k')
    .replace(/C/g, 'c')
    .replace(/x/g, 'k') // خ written x (Xalid)
    .replace(/g/g, 'k') // ق written g (Gadiri), غ written gh: one letter with k and q
    .replace(/p/g, 'b')
    .replace(/v/g, 'f')
    .replace(/[aeiouyw]/g, '');
  return w.replace(/([a-z])\1+/g, '$1');
}

/** Latin articles written as their own word (el idrissi, el-alaoui). */
const LATIN_ARTICLES = new Set(['el', 'al', 'l', 'ed', 'ad', 'es', 'as', 'et', 'ez', 'az', 'er', 'en', 'ech', 'ach']);

function latinTokens(s: string): string[] {
  const toks = normalizeLatin(s).split(' ').filter(Boolean);
  const out: string[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    const prevAbd = i > 0 && /^ab?d$/.test(toks[i - 1]);
    if (LATIN_ARTICLES.has(t) && i + 1 < toks.length && !prevAbd) continue;
    // Attached article before a long name: elidrissi → idrissi, elalaoui → alaoui (not elham: a known first name).
    // Not "al…": in Alami / Alaoui the l is the article before a silent ع, which the Arabic side keeps as l.
    if (/^el[a-z]{4,}$/.test(t) && !FIRST_NAME_INDEX.latin.has(t) && !/^ell/.test(t)) {
      out.push(t.slice(2));
      continue;
    }
    out.push(t);
  }
  return out;
}

function arabicTokens(s: string): string[] {
  return String(s ?? '')
    .normalize('NFKC')
    .replace(AR_MARKS, '')
    .split(/[^\u0620-\u064A\u066E-\u06D3\u06FA-\u06FF\u0750-\u077F]+/)
    .filter(Boolean);
}

/** A small memo: names repeat a lot (duplicate checks compare the same few names with many candidates). */
function memo<T>(fn: (s: string) => T, max = 20000): (s: string) => T {
  const cache = new Map<string, T>();
  return (s: string) => {
    let v = cache.get(s);
    if (v === undefined && !cache.has(s)) {
      v = fn(s);
      if (cache.size >= max) cache.clear();
      cache.set(s, v);
    }
    return v as T;
  };
}

/** The skeleton of a name (any script, one or several words), without spaces. */
export const skeleton = memo(computeSkeleton);

function computeSkeleton(name: string): string {
  if (hasArabic(name)) {
    const toks = arabicTokens(name);
    return toks.map((t, i) => arabicWordSkeleton(t, i > 0 && foldArabicLetters(toks[i - 1]) === 'عبد')).join('');
  }
  return latinTokens(name).map(latinWordSkeleton).join('');
}

// ---------------------------------------------------------------------------------------------
// First-name dictionary
// ---------------------------------------------------------------------------------------------

interface FirstNameIndex {
  latin: Map<string, string[]>;
  arabic: Map<string, string[]>;
}

function buildIndex(): FirstNameIndex {
  const latin = new Map<string, string[]>();
  const arabic = new Map<string, string[]>();
  for (const [canon, lat, ar] of FIRST_NAME_VARIANTS) {
    const c = canon.split(' ');
    for (const v of lat.split('|')) if (v.trim()) latin.set(normalizeLatin(v).replace(/ /g, ''), c);
    for (const v of ar.split('|')) if (v.trim()) arabic.set(normalizeArabic(v).replace(/ /g, ''), c);
  }
  return { latin, arabic };
}
const FIRST_NAME_INDEX: FirstNameIndex = buildIndex();

/** Canonical first names (e.g. ['fatima','zahra']) when every word is a known name; null otherwise. */
export const canonicalFirstName = memo(computeCanonicalFirstName);

function computeCanonicalFirstName(name: string): string[] | null {
  if (!name || !name.trim()) return null;
  const out: string[] = [];
  if (hasArabic(name)) {
    const norm = normalizeArabic(name);
    const whole = FIRST_NAME_INDEX.arabic.get(norm.replace(/ /g, ''));
    if (whole) return whole;
    const toks = norm.split(' ');
    for (let i = 0; i < toks.length; i++) {
      // عبد + word: one name
      if (toks[i] === 'عبد' && i + 1 < toks.length) {
        const c = FIRST_NAME_INDEX.arabic.get(toks[i] + toks[i + 1]);
        if (!c) return null;
        out.push(...c);
        i++;
        continue;
      }
      const c = FIRST_NAME_INDEX.arabic.get(toks[i]);
      if (!c) return null;
      out.push(...c);
    }
    return out;
  }
  const norm = normalizeLatin(name);
  const whole = FIRST_NAME_INDEX.latin.get(norm.replace(/ /g, ''));
  if (whole) return whole;
  const toks = norm.split(' ');
  for (let i = 0; i < toks.length; i++) {
    if (/^ab?d$|^abdel$|^abdal$/.test(toks[i]) && i + 1 < toks.length) {
      const joined = FIRST_NAME_INDEX.latin.get(toks.slice(i, i + 3).join('')) ?? FIRST_NAME_INDEX.latin.get(toks[i] + toks[i + 1]);
      if (joined) {
        out.push(...joined);
        i += FIRST_NAME_INDEX.latin.get(toks.slice(i, i + 3).join('')) ? 2 : 1;
        continue;
      }
    }
    const c = FIRST_NAME_INDEX.latin.get(toks[i]);
    if (!c) return null;
    out.push(...c);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Similarity
// ---------------------------------------------------------------------------------------------

let levenshteinRow = new Int32Array(64);

/** Edit distance (UTF-16 code units), in one reused row: the duplicate checks call it for every candidate. */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  const m = a.length;
  const n = b.length;
  if (!m) return n;
  if (!n) return m;
  if (levenshteinRow.length <= n) levenshteinRow = new Int32Array(n + 1);
  const row = levenshteinRow;
  for (let j = 0; j <= n; j++) row[j] = j;
  for (let i = 1; i <= m; i++) {
    const ca = a.charCodeAt(i - 1);
    let diag = row[0]; // the previous row's [j - 1]
    row[0] = i;
    for (let j = 1; j <= n; j++) {
      const up = row[j]; // the previous row's [j]
      let v = diag + (ca === b.charCodeAt(j - 1) ? 0 : 1);
      if (up + 1 < v) v = up + 1;
      if (row[j - 1] + 1 < v) v = row[j - 1] + 1;
      row[j] = v;
      diag = up;
    }
  }
  return row[n];
}

/** 0..1 similarity of two skeletons. Short skeletons must be equal (one letter is too much of a change). */
export function skeletonSimilarity(a: string, b: string): number {
  if (a === b) return a.length ? 1 : 0.5;
  const len = Math.max(a.length, b.length);
  if (len <= 2) return 0;
  return Math.max(0, 1 - levenshtein(a, b) / len);
}

/** Similarity of two first names (any scripts): the dictionary when it knows both, the skeletons otherwise. */
export function firstNameSimilarity(a: string, b: string): number {
  if (!a.trim() || !b.trim()) return 0;
  const ca = canonicalFirstName(a);
  const cb = canonicalFirstName(b);
  if (ca && cb) {
    const ja = ca.join(' ');
    const jb = cb.join(' ');
    if (ja === jb) return 1;
    // Fatima vs Fatima Zahra: related, not the same name.
    if (ja.startsWith(jb + ' ') || jb.startsWith(ja + ' ')) return 0.6;
    return 0;
  }
  return skeletonSimilarity(skeleton(a), skeleton(b));
}

/** A family name normalised in its own script, without spaces (memoised: compared with many candidates). */
const lastNameKey = memo((s: string) => (hasArabic(s) ? normalizeArabic(s) : normalizeLatin(s)).replace(/ /g, ''));

/**
 * The skeletons of a family name with and without its articles: Arabic ال dropped or kept (العلوي / علوي), Latin
 * el / al / l glued or apart and the assimilated forms (Lidrissi, Elhaj, Lghazi, Es-Seghir, Er-Rachidi).
 */
export const familySkeletons = memo((name: string): string[] => {
  const raw = skeleton(name);
  let bare: string;
  if (hasArabic(name)) {
    bare = arabicTokens(name)
      .map((t) => arabicWordSkeleton(t.replace(/^[اٱ]ل(?=.{2,})/, '').replace(/^لل(?=.{2,})/, 'ل'), false))
      .join('');
  } else {
    bare = latinTokens(name)
      .map((t) => t.replace(/^(?:el|al|l)(?=[^aeiouy]{1,2}[aeiouy])(?=.{3,})/, '').replace(/^l(?=[aeiouy].{3,})/, '').replace(/^e([a-z])(?=[aeiouy])/, '$1'))
      .map(latinWordSkeleton)
      .join('');
  }
  return bare && bare !== raw ? [raw, bare] : [raw];
});

/** Similarity of two family names (any scripts). */
export function lastNameSimilarity(a: string, b: string): number {
  if (!a.trim() || !b.trim()) return 0;
  if (hasArabic(a) === hasArabic(b) && lastNameKey(a) === lastNameKey(b)) return 1;
  let best = 0;
  for (const x of familySkeletons(a)) for (const y of familySkeletons(b)) best = Math.max(best, skeletonSimilarity(x, y));
  return best;
}

/** A person's name as stored: either script may be empty. */
export interface PersonName {
  firstNameAr?: string | null;
  lastNameAr?: string | null;
  firstNameLat?: string | null;
  lastNameLat?: string | null;
}

export interface NameMatch {
  /** 0..1 */
  score: number;
  first: number;
  last: number;
  /** Both the first and the family name agree (the threshold used for likely duplicates). */
  match: boolean;
}

export const NAME_MATCH_THRESHOLD = 0.8;

function forms(p: PersonName): { first: string; last: string }[] {
  const out: { first: string; last: string }[] = [];
  if ((p.firstNameAr ?? '').trim() || (p.lastNameAr ?? '').trim()) out.push({ first: p.firstNameAr ?? '', last: p.lastNameAr ?? '' });
  if ((p.firstNameLat ?? '').trim() || (p.lastNameLat ?? '').trim()) out.push({ first: p.firstNameLat ?? '', last: p.lastNameLat ?? '' });
  return out;
}

/**
 * How alike two people's names are, across scripts and spellings: the best agreement over every pair of
 * written forms (Arabic/Arabic, Latin/Latin, Arabic/Latin), allowing first and family names to have been swapped.
 */
export function compareNames(a: PersonName, b: PersonName): NameMatch {
  let best: NameMatch = { score: 0, first: 0, last: 0, match: false };
  for (const fa of forms(a)) {
    for (const fb of forms(b)) {
      for (const swapped of [false, true]) {
        const f = firstNameSimilarity(fa.first, swapped ? fb.last : fb.first);
        const l = lastNameSimilarity(fa.last, swapped ? fb.first : fb.last);
        const penalty = swapped ? 0.95 : 1;
        const score = ((f + l) / 2) * penalty;
        if (score > best.score) {
          best = { score, first: f, last: l, match: f * penalty >= NAME_MATCH_THRESHOLD && l * penalty >= NAME_MATCH_THRESHOLD };
        }
      }
    }
  }
  return best;
}

/** Convenience: do two full names (single strings "first last", any script) denote the same name? */
export function namesMatch(a: PersonName, b: PersonName): boolean {
  return compareNames(a, b).match;
}

/** The keys stored with an applicant for search and duplicate blocking. */
export function applicantNameKeys(p: PersonName): { nameKeyAr: string; nameKeyLat: string; nameSkel: string; nameWords: string } {
  const ar = `${p.firstNameAr ?? ''} ${p.lastNameAr ?? ''}`;
  const lat = `${p.firstNameLat ?? ''} ${p.lastNameLat ?? ''}`;
  const nameKeyLat = normalizeLatin(lat);
  const skelLat = latSkel(p);
  return {
    nameKeyAr: normalizeArabic(ar),
    nameKeyLat,
    nameSkel: skelLat || arSkel(p),
    nameWords: nameWords(p),
  };
}

function latSkel(p: PersonName): string {
  return (p.firstNameLat ?? '').trim() || (p.lastNameLat ?? '').trim()
    ? skeleton(p.firstNameLat ?? '') + skeleton(p.lastNameLat ?? '')
    : '';
}
function arSkel(p: PersonName): string {
  return (p.firstNameAr ?? '').trim() || (p.lastNameAr ?? '').trim()
    ? skeleton(p.firstNameAr ?? '') + skeleton(p.lastNameAr ?? '')
    : '';
}

/** Every skeleton of a person's name (Arabic- and Latin-derived), for duplicate blocking. */
export function nameSkeletons(p: PersonName): string[] {
  return [...new Set([latSkel(p), arSkel(p)].filter(Boolean))];
}

/**
 * A search query split into normalised fragments, each in its script: Arabic words with normalizeArabic,
 * Latin words with normalizeLatin.
 */
export function searchFragments(q: string): string[] {
  const out: string[] = [];
  for (const w of String(q ?? '').split(/[\s\-_.,;،]+/)) {
    if (!w) continue;
    const n = hasArabic(w) ? normalizeArabic(w) : normalizeLatin(w);
    for (const part of n.split(' ')) if (part) out.push(part);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Cross-script word keys for search (issue 13)
// ---------------------------------------------------------------------------------------------

/**
 * The key of a word whose skeleton has one consonant or none (علي, العلوي, أيت: l, l, t — far too common to search
 * on): the consonants with the long vowels written in both scripts, و/ou/o/u/w → w, ي/i/y → y (Ali ly, Alaoui lwy,
 * Ouali wly, Ait yt).
 */
function arabicLongKey(word: string): string {
  let w = word.replace(AR_MARKS, '');
  const m = /^[اٱ]ل(.{2,})$/.exec(w);
  if (m) w = m[1];
  let out = '';
  for (const c of foldArabicLetters(w).replace(/ه$/, '')) out += c === 'و' ? 'w' : c === 'ي' ? 'y' : (AR_SKELETON[c] ?? '');
  return out.replace(/([a-z])\1+/g, '$1');
}
function latinLongKey(word: string): string {
  const marked = word.replace(/ou|oo|[ouw]/g, 'W').replace(/[iy]/g, 'Y');
  return latinWordSkeleton(marked).replace(/W/g, 'w').replace(/Y/g, 'y').replace(/([a-z])\1+/g, '$1');
}

/** The cross-script keys of one written word (either script): its skeleton, and without an article if it has one. */
function wordKeys(word: string): string[] {
  const out = new Set<string>();
  const add = (k: string, long: () => string) => out.add(k.length <= 1 ? long() || k : k);
  if (hasArabic(word)) {
    for (const t of arabicTokens(word)) add(arabicWordSkeleton(t, false), () => arabicLongKey(t));
  } else {
    for (const t of latinTokens(word)) {
      add(latinWordSkeleton(t), () => latinLongKey(t));
      const bare = t.replace(/^(?:el|al|l)(?=[^aeiouy]{1,2}[aeiouy])(?=.{3,})/, '').replace(/^l(?=[aeiouy].{3,})/, '').replace(/^e([a-z])(?=[aeiouy])/, '$1');
      if (bare !== t) add(latinWordSkeleton(bare), () => latinLongKey(bare));
    }
  }
  out.delete('');
  return [...out];
}

/**
 * What the search index holds besides the written names: every word's cross-script key, each between '#'
 * ("#ftm# #zhr# #t# #l#"), from both scripts and from the first-name dictionary's canonical words, so that an
 * Arabic query finds a file written in Latin letters only, and "fatma" finds Fatima (shared keys, not letters).
 */
export function nameWords(p: PersonName): string {
  const keys = new Set<string>();
  for (const v of [p.firstNameAr, p.lastNameAr, p.firstNameLat, p.lastNameLat]) {
    const s = (v ?? '').trim();
    if (!s) continue;
    const parts = s.split(/[\s\-_.,;،]+/).filter(Boolean);
    for (const w of parts) {
      for (const k of wordKeys(w)) keys.add(k);
      // A particle glued to the name (Aitbaha, Benmoussa, بنعلي): also the two words apart.
      const glued = hasArabic(w)
        ? /^(ايت|أيت|آيت|بن|بو|أو|او)(.{3,})$/.exec(w)
        : /^(ait|ayt|ben|bent|bou|ou|bel|ibn)([a-z]{3,})$/.exec(normalizeLatin(w));
      if (glued) for (const x of [glued[1], glued[2]]) for (const k of wordKeys(x)) keys.add(k);
    }
    // Several words written apart (Ait Baha, بن موسى): also joined, as they are often typed.
    if (parts.length > 1) for (const k of wordKeys(parts.join(''))) keys.add(k);
  }
  for (const f of [p.firstNameAr, p.firstNameLat]) {
    const c = (f ?? '').trim() ? canonicalFirstName(f!) : null;
    if (c) for (const w of c) for (const k of wordKeys(w)) keys.add(k);
  }
  return [...keys].map((k) => `#${k}#`).join(' ');
}

/**
 * A query's words as cross-script keys for the search index: one group per typed word (any of its keys may match).
 * A key of one letter must be a whole word key (#l#); a longer one may be the start of one (#ftm…), as the
 * last word is often still being typed. Empty when a word has no consonant (no key to look for).
 */
export function queryWordKeys(q: string): { key: string; whole: boolean }[][] {
  const groups: { key: string; whole: boolean }[][] = [];
  for (const w of String(q ?? '').split(/[\s\-_.,;،]+/)) {
    if (!w) continue;
    const keys = wordKeys(w);
    const canon = hasArabic(w) ? null : canonicalFirstName(w);
    if (canon?.length === 1) for (const k of wordKeys(canon[0])) if (!keys.includes(k)) keys.push(k);
    if (!keys.length) return [];
    groups.push(keys.map((key) => ({ key, whole: key.length < 2 })));
  }
  return groups;
}
