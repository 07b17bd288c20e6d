import { comparePeople, strongBirthDates, type PersonMatch } from '../../../shared/matching';
import { nameSkeletons } from '../../../shared/normalize/names';
import type { RowStatements } from '../repo/sync-tables.repo';
import { clearCinAside, maybePersonCandidates, samePersonCandidates, setCinAside, type SamePersonCandidate } from '../repo/reviews.repo';
import { applicantIdentity, applicantOtherCin, hasApplicantsOfOtherOffices, writeApplicantWithoutCin, type ApplicantIdentity } from '../../applicants/consolidation.repo';
import type { ApplyRun } from './apply-run';

/**
 * What the region checks of each applicant a province sends: her CIN held by another office's record (the row is
 * stored without it, the CIN kept aside, a review opened) and the same woman registered in another province.
 */
export interface ApplicantChecks {
  readonly cinIdx: number;
  /** Stores the row with its CIN aside when another office's record holds the CIN; false when none does. */
  cinAside(row: readonly unknown[], id: string, update?: boolean): boolean;
  /** After an update: whether the row's CIN was just put aside (otherwise nothing stays aside). */
  takeAsideJustNow(): boolean;
  clearAside(id: string): void;
  /** Before a held row is updated: its identity as held, so that an update that leaves it as it was is not checked again. */
  noteHeld(id: string): void;
  samePerson(row: readonly unknown[]): void;
}

export function applicantChecks(run: ApplyRun, columns: readonly string[], statements: RowStatements): ApplicantChecks {
  const { db, officeId } = run;
  const idx = (c: string) => columns.indexOf(c);
  const cinIdx = idx('cin');
  let asideJustNow = false;
  let held: { id: string; identity: ApplicantIdentity | undefined } | null = null;
  const samePerson = samePersonCheck(run, columns);
  const iId = idx('id');
  const fields = (['first_name_ar', 'last_name_ar', 'first_name_lat', 'last_name_lat', 'sex', 'birth_date', 'cin'] as const).map((c) => [c, idx(c)] as const);
  return {
    cinIdx,
    cinAside(row, id, update = false) {
      const cin = row[cinIdx] as string | null;
      if (!cin) return false;
      const other = applicantOtherCin(db, cin, id);
      if (!other) return false;
      writeApplicantWithoutCin(db, statements, columns, row, update);
      setCinAside(db, id, cin, other.id);
      if (run.review('same_cin', 'applicants', { id, office: officeId }, { id: other.id, office: other.office_id }, { cin })) run.sameCin++;
      if (run.dups.length < 50) run.dups.push({ kind: 'same_cin', applicantId: id, otherId: other.id, otherOffice: run.slug(other.office_id), cin, birthDate: other.birth_date });
      asideJustNow = true;
      return true;
    },
    takeAsideJustNow() {
      const v = asideJustNow;
      asideJustNow = false;
      return v;
    },
    clearAside: (id) => clearCinAside(db, id),
    noteHeld(id) {
      held = { id, identity: applicantIdentity(db, id) };
    },
    samePerson(row) {
      // An update that leaves her names, birth date, sex and CIN as they were (a status move, a new phone number: most
      // of a month's file) was checked when she arrived or last changed: any other office's record that looks like her
      // was compared then, or is compared when it arrives. Only a new file or a changed identity is checked.
      const before = held && held.id === row[iId] ? held.identity : undefined;
      held = null;
      if (before && fields.every(([c, i]) => i >= 0 && (before[c] ?? null) === ((row[i] as string | null) ?? null))) return;
      samePerson(row);
    },
  };
}

/** Weak candidates opened for review per incoming file, best first (a common name has many look-alikes). */
const MAX_WEAK = 5;

/**
 * The same woman in another province: the registry's matching engine (shared/matching comparePeople, as the
 * registration form and the Excel import) finds strong candidates — names across scripts and spellings, birth date
 * the same, one day apart or day and month swapped, the same sex — and weak ones (maybe her: the same names, the
 * birth year close or unknown; found on the name-skeleton index, as the form finds them). Each pair opens a review
 * with its score, level and reasons; the review list marks the weak ones.
 */
function samePersonCheck(run: ApplyRun, columns: readonly string[]): (row: readonly unknown[]) => void {
  const { db, officeId } = run;
  const idx = (c: string) => columns.indexOf(c);
  const [iId, iBirth, iCin] = [idx('id'), idx('birth_date'), idx('cin')];
  const [iFa, iLa, iFl, iLl, iSex] = [idx('first_name_ar'), idx('last_name_ar'), idx('first_name_lat'), idx('last_name_lat'), idx('sex')];
  if (iBirth < 0 || iFa < 0 || iLa < 0 || iFl < 0 || iLl < 0) return () => {};
  // Nobody else's applicants at the region yet (the first province to send): nothing to compare with.
  if (!hasApplicantsOfOtherOffices(db, officeId)) return () => {};
  return (row) => {
    const birth = row[iBirth] as string | null;
    if (!birth) return;
    const mine = {
      firstNameAr: row[iFa] as string,
      lastNameAr: row[iLa] as string,
      firstNameLat: row[iFl] as string,
      lastNameLat: row[iLl] as string,
      sex: iSex >= 0 ? (row[iSex] as 'F' | 'M' | null) : null,
      birthDate: birth,
    };
    const cin = iCin >= 0 ? (row[iCin] as string | null) : null;
    const found = new Map<string, { o: SamePersonCandidate; m: PersonMatch }>();
    const consider = (o: SamePersonCandidate) => {
      if (found.has(o.id) || (cin && o.cin === cin)) return; // (the same CIN is already in the list as such)
      const m = comparePeople(mine, { firstNameAr: o.first_name_ar, lastNameAr: o.last_name_ar, firstNameLat: o.first_name_lat, lastNameLat: o.last_name_lat, sex: o.sex, birthDate: o.birth_date });
      if (m) found.set(o.id, { o, m });
    };
    for (const o of samePersonCandidates(db, strongBirthDates(birth), officeId)) consider(o);
    const year = Number(birth.slice(0, 4));
    for (const o of maybePersonCandidates(db, nameSkeletons(mine), `${year - 1}-01-01`, `${year + 1}-12-31`, officeId)) consider(o);
    const ranked = [...found.values()].sort((a, b) => b.m.score - a.m.score);
    const id = row[iId] as string;
    let weak = 0;
    for (const { o, m } of ranked) {
      if (m.level === 'weak' && weak++ >= MAX_WEAK) continue;
      const detail = { birthDate: birth, score: Math.round(m.score * 100) / 100, level: m.level, reasons: m.reasons };
      if (run.review('same_person', 'applicants', { id, office: officeId }, { id: o.id, office: o.office_id }, detail)) {
        if (m.level === 'strong') run.samePerson++;
        else run.maybePerson++;
        if (run.dups.length < 50) run.dups.push({ kind: 'same_person', level: m.level, applicantId: id, otherId: o.id, otherOffice: run.slug(o.office_id), cin, birthDate: birth });
      }
    }
  };
}
