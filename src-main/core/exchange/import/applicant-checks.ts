import { comparePeople, strongBirthDates } from '../../../shared/matching';
import type { RowStatements } from '../repo/sync-tables.repo';
import { clearCinAside, samePersonCandidates, setCinAside } from '../repo/reviews.repo';
import { applicantOtherCin, hasApplicantsOfOtherOffices, writeApplicantWithoutCin } from '../../applicants/consolidation.repo';
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
  samePerson(row: readonly unknown[]): void;
}

export function applicantChecks(run: ApplyRun, columns: readonly string[], statements: RowStatements): ApplicantChecks {
  const { db, officeId } = run;
  const idx = (c: string) => columns.indexOf(c);
  const cinIdx = idx('cin');
  let asideJustNow = false;
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
    samePerson: samePersonCheck(run, columns),
  };
}

/**
 * The same woman in another province: the registry's matching engine (shared/matching comparePeople, as the
 * registration form and the Excel import) finds a strong candidate — names across scripts and spellings, birth date
 * the same, one day apart or day and month swapped, the same sex. Its score and reasons go with the review item.
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
    for (const o of samePersonCandidates(db, strongBirthDates(birth), officeId)) {
      if (cin && o.cin === cin) continue; // already in the list as the same CIN
      const m = comparePeople(mine, { firstNameAr: o.first_name_ar, lastNameAr: o.last_name_ar, firstNameLat: o.first_name_lat, lastNameLat: o.last_name_lat, sex: o.sex, birthDate: o.birth_date });
      if (!m || m.level !== 'strong') continue;
      const id = row[iId] as string;
      if (run.review('same_person', 'applicants', { id, office: officeId }, { id: o.id, office: o.office_id }, { birthDate: birth, score: Math.round(m.score * 100) / 100, reasons: m.reasons })) {
        run.samePerson++;
        if (run.dups.length < 50) run.dups.push({ kind: 'same_person', applicantId: id, otherId: o.id, otherOffice: run.slug(o.office_id), cin, birthDate: birth });
      }
    }
  };
}
