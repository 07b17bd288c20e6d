import { useEffect, useRef, useState } from 'react';
import type { DuplicateCheckResult } from '../../../../src-main/shared/api/applicants.contract';
import { normalizeCin } from '../../../../src-main/shared/normalize/cin';
import { parseDateInput } from '../../../../src-main/shared/normalize/dates';
import { api } from '../../../api/client';
import type { FormState } from './model';

/**
 * The live duplicate check of the registration form: 350 ms after the person stops typing the CIN, the names,
 * the birth date or the sex, `applicants.checkDuplicates` is asked (only once there is a CIN of 4 characters or a
 * full name in one script); an older answer arriving after a newer question is dropped. It also keeps the staff's
 * "this is another person" decisions: strong candidates not decided block saving (`undecided`), weak ones are shown
 * and do not block (shared/matching).
 */
export function useDuplicateCheck(form: FormState, excludeId: string | undefined) {
  const [dups, setDups] = useState<DuplicateCheckResult | null>(null);
  const [checking, setChecking] = useState(false);
  const [distinct, setDistinct] = useState<Set<string>>(new Set());
  const checkSeq = useRef(0);
  const { cin: rawCin, firstNameAr, lastNameAr, firstNameLat, lastNameLat, birthDate, sex } = form;
  useEffect(() => {
    const cin = normalizeCin(rawCin);
    const hasName = (firstNameAr && lastNameAr) || (firstNameLat && lastNameLat);
    if (cin.length < 4 && !hasName) {
      setDups(null);
      return;
    }
    const seq = ++checkSeq.current;
    const timer = window.setTimeout(async () => {
      setChecking(true);
      try {
        const birth = parseDateInput(birthDate);
        const r = await api.call('applicants.checkDuplicates', {
          cin: cin || undefined,
          firstNameAr: firstNameAr || undefined,
          lastNameAr: lastNameAr || undefined,
          firstNameLat: firstNameLat || undefined,
          lastNameLat: lastNameLat || undefined,
          birthDate: birth ?? undefined,
          sex,
          excludeId,
        });
        if (seq === checkSeq.current) setDups(r);
      } catch (e) {
        if (seq === checkSeq.current) console.error('duplicate check failed', e);
      } finally {
        if (seq === checkSeq.current) setChecking(false);
      }
    }, 350);
    return () => window.clearTimeout(timer);
  }, [rawCin, firstNameAr, lastNameAr, firstNameLat, lastNameLat, birthDate, sex, excludeId]);

  const candidates = (dups?.candidates ?? []).filter((c) => c.reason !== 'cin');
  const undecided = candidates.filter((c) => c.level === 'strong' && c.decision !== 'distinct' && !distinct.has(c.id));
  /** Marks (or unmarks) a candidate as another person. */
  const markDistinct = (id: string, yes: boolean) =>
    setDistinct((d) => {
      const n = new Set(d);
      if (yes) n.add(id);
      else n.delete(id);
      return n;
    });
  return { dups, checking, candidates, undecided, distinct, markDistinct };
}
