/**
 * Search as you type over the whole registry.
 *
 * The query is read as a file number (ERR-2026-…), a CIN prefix (1–2 letters then digits), a phone number in any
 * spelling (06…, +212…, 00212…, Arabic-Indic digits), or name fragments in either script. Name fragments are
 * normalised like the stored keys (shared/normalize) and matched with the FTS5 trigram index (fragments of three
 * letters or more: any part of a name, "idris" finds El Idrissi) or, for one- and two-letter queries, as a prefix of
 * the full name on the B-tree indexes. Results come best first: names where the typed words start words (as a
 * phrase, so a short last word counts: "fatima z"), then the other matches; newest registrations first in each group.
 */
import { AppError } from '../../shared/errors';
import type { ApplicantListItem, ApplicantSearchResult } from '../../shared/api/applicants.contract';
import type { MethodParsed } from '../../shared/api/contract';
import { looksLikeCinPrefix, normalizeCin } from '../../shared/normalize/cin';
import { normalizePhone, phonePrefix } from '../../shared/normalize/phone';
import { ageOn, birthDateForAge } from '../../shared/normalize/dates';
import { toAsciiDigits } from '../../shared/normalize/digits';
import { queryWordKeys, searchFragments } from '../../shared/normalize/names';
import type { ReadContext } from '../context';
import { candidateFields, disabilityOfFiles, refIndex, type CandidateRow } from './applicants.repo';
import { countFts, countMatches, iterateFts, pageFts, pageMatches, rowsByFtsRowids, textsOfFtsRowids, type Where } from './repo/search.repo';
import { seesSensitive } from '../../shared/roles';

type SearchInput = MethodParsed<'applicants.search'>;


/** A list row is a duplicate candidate's row: the same columns, read by the same SELECT list. */
type ListRow = CandidateRow;

const SORT_SQL: Record<Exclude<SearchInput['sort'], 'relevance'>, string> = {
  name_ar: 'a.name_key_ar',
  name_lat: 'a.name_key_lat',
  registered: 'a.created_at',
  birth_date: 'a.birth_date',
  file_no: 'a.file_no',
  status: 'a.status',
};

/** Up to how many letters' matches the search sorts into its groups itself (from their indexed text). */
const HEAD = 100;

/** Upper bound of a prefix range on an index (prefix ≤ x < prefix + U+FFFF). */
const upper = (p: string) => p + '\uffff';

function filterSql(f: SearchInput['filters'], ctx: ReadContext): Where {
  const w: Where = { sql: [], params: [] };
  const sensitive = seesSensitive(ctx.role);
  if (!sensitive && (f.hasDisability !== undefined || f.category === 'disability')) throw new AppError('applicant.sensitive_filter_forbidden');
  if (f.situation && !sensitive && refIndex(ctx.db).get('situation')?.get(f.situation)?.sensitive === 1) {
    throw new AppError('applicant.sensitive_filter_forbidden');
  }
  const today = ctx.today();
  if (f.communeCode) {
    w.sql.push('a.commune_code = ?');
    w.params.push(f.communeCode);
  }
  if (f.provinceCode) {
    // The commune's province; a file without a commune counts for the province of the office that owns it.
    w.sql.push(
      '(a.commune_code IN (SELECT code FROM communes WHERE province_code = ?) OR (a.commune_code IS NULL AND a.office_id IN (SELECT id FROM offices WHERE province_code = ?)))',
    );
    w.params.push(f.provinceCode, f.provinceCode);
  }
  if (f.category === 'project_holder') w.sql.push('a.is_project_holder = 1');
  if (f.category === 'difficult_situation') w.sql.push('a.is_difficult_situation = 1');
  if (f.category === 'disability') w.sql.push('a.has_disability = 1');
  if (f.hasDisability !== undefined) {
    w.sql.push('a.has_disability = ?');
    w.params.push(f.hasDisability ? 1 : 0);
  }
  if (f.situation) {
    w.sql.push('EXISTS (SELECT 1 FROM applicant_situations s WHERE s.applicant_id = a.id AND s.code = ?)');
    w.params.push(f.situation);
  }
  if (f.status?.length) {
    w.sql.push(`a.status IN (${f.status.map(() => '?').join(', ')})`);
    w.params.push(...f.status);
  }
  if (f.sex) {
    w.sql.push('a.sex = ?');
    w.params.push(f.sex);
  }
  if (f.ageMin !== undefined) {
    w.sql.push('a.birth_date <= ?');
    w.params.push(birthDateForAge(f.ageMin, today));
  }
  if (f.ageMax !== undefined) {
    w.sql.push('a.birth_date > ?');
    w.params.push(birthDateForAge(f.ageMax + 1, today));
  }
  if (f.registeredFrom) {
    w.sql.push('a.created_at >= ?');
    w.params.push(f.registeredFrom);
  }
  if (f.registeredTo) {
    w.sql.push('a.created_at < ?');
    w.params.push(f.registeredTo + 'T\uffff');
  }
  return w;
}

function toItem(r: ListRow, today: string): ApplicantListItem {
  return { ...candidateFields(r), sex: r.sex, age: r.birth_date ? ageOn(r.birth_date, today) : null, provinceCode: r.province_code };
}

/** An FTS5 query: each fragment a quoted phrase (trigram: a substring), all required. */
function ftsQuery(fragments: string[]): string {
  return fragments.map((f) => `"${f.replace(/"/g, '""')}"`).join(' AND ');
}

export function classify(q: string): { mode: ApplicantSearchResult['mode']; value: string; fragments: string[]; tail?: boolean } {
  const t = q.trim();
  if (!t) return { mode: 'all', value: '', fragments: [] };
  if (/^[A-Za-z]{3}-\d/.test(t)) return { mode: 'file_no', value: t.toUpperCase(), fragments: [] };
  if (looksLikeCinPrefix(t)) return { mode: 'cin', value: normalizeCin(t), fragments: [] };
  if (/^[+\d\u0660-\u0669\u06F0-\u06F9][\d\s.\-()\u0660-\u0669\u06F0-\u06F9]*$/.test(t)) {
    // A whole number in any spelling (661234567 without its 0, +212…, 00212…, spaces): that number.
    const whole = normalizePhone(t);
    if (whole) return { mode: 'phone', value: whole, fragments: [] };
    const p = phonePrefix(t);
    if (p) return { mode: 'phone', value: p, fragments: [] };
    // Up to six digits that are not the start of a phone number: the end of a file number (000003, or 3).
    const digits = toAsciiDigits(t).replace(/\D/g, '');
    if (/^\d{1,6}$/.test(digits)) return { mode: 'file_no', value: digits.padStart(6, '0'), fragments: [], tail: true };
  }
  return { mode: 'name', value: t, fragments: searchFragments(t) };
}

/**
 * The cross-script part of a name query: each typed word's keys (shared/normalize queryWordKeys) as FTS5 phrases
 * over the name_words part of the search text (migration 0010): "#ftm" (keys starting with ftm) or "#l#" (exactly l).
 * Null when a word has no key.
 */
function wordsQuery(groups: WordGroups): string | null {
  if (!groups.length) return null;
  return groups.map((g) => '(' + g.map((k) => `"${wordPhrase(k)}"`).join(' OR ') + ')').join(' AND ');
}
type WordGroups = ReturnType<typeof queryWordKeys>;
const wordPhrase = (k: WordGroups[number][number]) => `#${k.key}${k.whole ? '#' : ''}`;

/**
 * Whether a file's indexed text matches what an FTS5 query of the search matches, read in the text itself: a trigram
 * phrase matches where its text is a substring (the index folds case: the names and keys are stored in lower case).
 */
function hasPhrase(text: string, phrase: string): boolean {
  return text.includes(phrase);
}
function hasWords(text: string, groups: WordGroups): boolean {
  return groups.every((g) => g.some((k) => text.includes(wordPhrase(k))));
}

/**
 * Which rows a query and filters select, as FROM (over `applicants a`) and WHERE: the search pages and orders
 * them, the exported beneficiary list writes them all — the same rows by construction.
 */
export type Match =
  | { mode: ApplicantSearchResult['mode']; kind: 'none' }
  | { mode: ApplicantSearchResult['mode']; kind: 'all'; from: string; where: Where }
  | { mode: ApplicantSearchResult['mode']; kind: 'short_names'; from: string; where: Where }
  | { mode: ApplicantSearchResult['mode']; kind: 'range'; col: string; from: string; where: Where }
  | {
      mode: ApplicantSearchResult['mode'];
      kind: 'fts';
      filters: Where;
      all: string;
      best: string;
      words: string | null;
      any: string;
      /** The text the best group's phrase stands for, and the word keys: the same tests in the text (hasPhrase, hasWords). */
      phrase: string;
      wordGroups: WordGroups;
      from: string;
      where: Where;
    };

export function matchSql(q: string, filters: SearchInput['filters'], ctx: ReadContext): Match {
  const w = filterSql(filters, ctx);
  const { mode, value, fragments, tail } = classify(q);
  if (mode === 'all') return { mode, kind: 'all', from: 'applicants a', where: w };
  if (tail) {
    // The end of a file number, on the index of the last six characters (migration 0010).
    return { mode, kind: 'range', col: 'a.file_no', from: 'applicants a', where: { sql: ['substr(a.file_no, -6) = ?', ...w.sql], params: [value, ...w.params] } };
  }
  if (mode === 'cin' || mode === 'file_no' || mode === 'phone') {
    const col = mode === 'cin' ? 'a.cin' : mode === 'file_no' ? 'a.file_no' : 'a.phone';
    return { mode, kind: 'range', col, from: 'applicants a', where: { sql: [`${col} >= ?`, `${col} < ?`, ...w.sql], params: [value, upper(value), ...w.params] } };
  }
  // Names.
  const long = fragments.filter((f) => [...f].length >= 3);
  if (!fragments.length) return { mode, kind: 'none' };
  if (!long.length) {
    // One- or two-letter fragments: the full name starts with them (either script), on the B-tree indexes.
    const p = fragments.join(' ');
    return {
      mode,
      kind: 'short_names',
      from: 'applicants a',
      where: { sql: ['((a.name_key_lat >= ? AND a.name_key_lat < ?) OR (a.name_key_ar >= ? AND a.name_key_ar < ?))', ...w.sql], params: [p, upper(p), p, upper(p), ...w.params] },
    };
  }
  // All matches: every fragment of three letters or more appears somewhere (the index does not see shorter ones).
  // Best matches: the typed words, in order, at the start of a word (" fatima zah" in " fatima zahra ait ali").
  // Variant spellings and the other script: the words' cross-script keys (a third group, after the letters' matches).
  const all = ftsQuery(long);
  const wordGroups = queryWordKeys(q);
  const words = wordsQuery(wordGroups);
  const any = words ? `(${all}) OR (${words})` : all;
  const phrase = ' ' + fragments.join(' ');
  return {
    mode,
    kind: 'fts',
    filters: w,
    all,
    best: `"${phrase.replace(/"/g, '""')}"`,
    words,
    any,
    phrase,
    wordGroups: words ? wordGroups : [],
    from: 'applicants_fts f JOIN applicant_search s ON s.rowid = f.rowid JOIN applicants a ON a.id = s.applicant_id',
    where: { sql: ['f.names MATCH ?', ...w.sql], params: [any, ...w.params] },
  };
}

/**
 * The registry's search. The roles that see sensitive data get each file's disability in words (the list's column);
 * for the others the field is not in the answer at all, whatever the screen shows.
 */
export function searchApplicants(input: SearchInput, ctx: ReadContext): ApplicantSearchResult {
  const r = searchPage(input, ctx);
  if (!seesSensitive(ctx.role) || !r.items.length) return r;
  const byId = disabilityOfFiles(ctx.db, r.items.map((i) => i.id));
  const types = refIndex(ctx.db).get('disability_type');
  for (const item of r.items) {
    const d = byId.get(item.id);
    item.disability = {
      has: d?.has ?? false,
      types: (d?.codes ?? []).map((code) => {
        const ref = types?.get(code);
        return { code, labelAr: ref?.label_ar ?? code, labelFr: ref?.label_fr ?? code };
      }),
    };
  }
  return r;
}

function searchPage(input: SearchInput, ctx: ReadContext): ApplicantSearchResult {
  const today = ctx.today();
  const m = matchSql(input.q, input.filters, ctx);
  const mode = m.mode;
  const dir = input.dir === 'desc' ? 'DESC' : 'ASC';
  const db = ctx.db;

  const run = (from: string, where: Where, order: string, orderParams: unknown[] = []): ApplicantSearchResult => {
    const total = countMatches(db, from, where);
    const rows = pageMatches(db, from, where, order, orderParams, input.limit, input.offset);
    return { mode, total, items: rows.map((r) => toItem(r, today)) };
  };
  const sortOr = (relevance: string) => (input.sort === 'relevance' ? relevance : `${SORT_SQL[input.sort]} ${dir}, a.id`);

  if (m.kind === 'none') return { mode, total: 0, items: [] };
  if (m.kind === 'all') return run(m.from, m.where, sortOr(`a.created_at ${input.dir === 'asc' ? 'DESC' : 'ASC'}, a.id`));
  if (m.kind === 'range') return run(m.from, m.where, sortOr(`${m.col} ${dir}, a.id`));
  if (m.kind === 'short_names') return run(m.from, m.where, sortOr(`a.name_key_lat ${dir}, a.name_key_ar ${dir}, a.id`));

  const { all, best, words, any } = m;
  const rest = `${all} NOT ${best}`;
  const rowsByRowids = (rowids: number[]): ListRow[] => rowsByFtsRowids(db, rowids);

  if (input.sort === 'relevance' && !m.filters.sql.length) {
    // No filter: count and page inside the index (newest registrations first within each group), then read the page's rows.
    const count = (q: string) => countFts(db, q);
    const page = (q: string, limit: number, offset: number) => pageFts(db, q, limit, offset);
    /**
     * The other matches, newest first. While the best group is small, walk the matches in rowid order skipping it
     * (lazy, stops at the page's end); an FTS5 NOT query evaluates both sides in full.
     */
    const restPage = (nBest: number, limit: number, offset: number): number[] => {
      if (nBest > 5000) return page(rest, limit, offset);
      const skip = new Set(nBest ? page(best, nBest, 0) : []);
      const out: number[] = [];
      let seen = 0;
      for (const { rowid } of iterateFts(db, all)) {
        if (skip.has(rowid)) continue;
        if (seen++ < offset) continue;
        out.push(rowid);
        if (out.length >= limit) break;
      }
      return out;
    };
    /** Third group: files found only through the cross-script keys (other script, variant spellings), newest first. */
    const fuzzyPage = (nAll: number, limit: number, offset: number): number[] => {
      if (nAll > 5000) return page(`(${words}) NOT (${all})`, limit, offset);
      return fuzzyPageAfter(new Set(nAll ? page(all, nAll, 0) : []), limit, offset);
    };
    /** The same, skipping the letters' matches already known. */
    const fuzzyPageAfter = (skip: ReadonlySet<number>, limit: number, offset: number): number[] => {
      const out: number[] = [];
      let seen = 0;
      for (const { rowid } of iterateFts(db, words!)) {
        if (skip.has(rowid)) continue;
        if (seen++ < offset) continue;
        out.push(rowid);
        if (out.length >= limit) break;
      }
      return out;
    };
    // Few letters' matches (a name found only through another spelling: Zaynab, Lalaoui, none; a full name: a few):
    // all of them in hand from one pass over the index, sorted into their groups here by their indexed text, and the
    // index asked only for the cross-script keys. Many: the index is asked group by group below.
    const first = page(all, HEAD + 1, 0);
    if (first.length <= HEAD) {
      const texts = first.length ? textsOfFtsRowids(db, first) : new Map<number, string>();
      const best: number[] = [];
      const rest: number[] = [];
      let inBoth = 0;
      for (const rowid of first) {
        const text = texts.get(rowid) ?? '';
        (hasPhrase(text, m.phrase) ? best : rest).push(rowid);
        if (words && hasWords(text, m.wordGroups)) inBoth++;
      }
      const letters = [...best, ...rest];
      const nAll = letters.length;
      const ids = letters.slice(input.offset, input.offset + input.limit);
      const total = words ? nAll + count(words) - inBoth : nAll;
      if (words && ids.length < input.limit && total > nAll) {
        ids.push(...fuzzyPageAfter(new Set(letters), input.limit - ids.length, Math.max(0, input.offset + ids.length - nAll)));
      }
      return { mode, total, items: rowsByRowids(ids).map((r) => toItem(r, today)) };
    }

    const total = count(any);
    const ids: number[] = page(best, input.limit, input.offset);
    // How many the letters match (the first two groups): counted only when this page goes past the best group.
    const nAll = ids.length < input.limit ? (words ? count(all) : total) : 0;
    if (ids.length < input.limit && nAll > 0) {
      // The best group ends on this page (or before it): go on with the other matches.
      const nBest = ids.length > 0 || input.offset === 0 ? input.offset + ids.length : count(best);
      if (nAll > nBest) ids.push(...restPage(nBest, input.limit - ids.length, Math.max(0, input.offset - nBest)));
    }
    if (words && ids.length < input.limit && total > nAll) {
      // The letters' matches end on this page (or before it): go on with the cross-script ones.
      ids.push(...fuzzyPage(nAll, input.limit - ids.length, Math.max(0, input.offset + ids.length - nAll)));
    }
    return { mode, total, items: rowsByRowids(ids).map((r) => toItem(r, today)) };
  }

  return run(
    m.from,
    m.where,
    sortOr(
      words
        ? '(f.rowid IN (SELECT rowid FROM applicants_fts WHERE names MATCH ?)) DESC, (f.rowid IN (SELECT rowid FROM applicants_fts WHERE names MATCH ?)) DESC, f.rowid DESC'
        : '(f.rowid IN (SELECT rowid FROM applicants_fts WHERE names MATCH ?)) DESC, f.rowid DESC',
    ),
    input.sort === 'relevance' ? (words ? [best, all] : [best]) : [],
  );
}
