import { useEffect, useRef, useState } from 'react';
import type { MethodOutput } from '../../../src-main/shared/api/contract';
import { api } from '../../api/client';
import { errorText } from '../../lib/errors';
import { loadLookups } from '../../lib/lookups';
import { useApiQuery } from '../../lib/useApi';

/** What the applicant screens read (lib/useApi.ts). */

type ConsentText = MethodOutput<'applicants.consentText'>;
let consentAhead: Promise<ConsentText> | null = null;
/** The answer asked ahead, once it came (the form then shows it at its first render, with no loader first). */
let consentReady: ConsentText | null = null;

/**
 * Asks ahead, while the list is shown, for what the registration form waits on (the consent text, the reference
 * lists and communes): the form then opens at once (issue 15: first opening ≤ 300 ms). The consent text asked ahead
 * is used by one opening only; the next one asks again.
 */
export function prefetchRegistration(provinceCode: string | null): void {
  if (!consentAhead) {
    const p = api.call('applicants.consentText', {}, { silent: true });
    consentAhead = p;
    p.then(
      (text) => {
        if (consentAhead === p) consentReady = text;
      },
      () => {
        if (consentAhead === p) consentAhead = null;
      },
    );
  }
  loadLookups(provinceCode).catch(() => {
    /* the form asks again and shows the failure */
  });
}

/** The consent text to show before a registration (not asked when editing: `enabled` false). */
export function useConsentText(enabled: boolean): { data: ConsentText | null; error: string | null } {
  const [state, setState] = useState<{ data: ConsentText | null; error: string | null }>(() => ({ data: enabled ? consentReady : null, error: null }));
  const tookReady = useRef(state.data !== null);
  useEffect(() => {
    if (!enabled) return;
    // The answer asked ahead was already there at the first render: used, nothing more to wait for.
    if (tookReady.current) {
      tookReady.current = false;
      consentAhead = null;
      consentReady = null;
      return;
    }
    let live = true;
    const p = consentAhead ?? api.call('applicants.consentText', {});
    consentAhead = null;
    consentReady = null;
    p.then(
      (data) => live && setState({ data, error: null }),
      (e) => live && setState({ data: null, error: errorText(e) }),
    );
    return () => {
      live = false;
    };
  }, [enabled]);
  return state;
}
/** One applicant's file; `live`: read again when anyone saves. */
export const useApplicantFile = (id: string, live: boolean) => useApiQuery('applicants.get', { id }, { live });
/** The region's five provinces (a filter of its search); not asked by a province (`enabled` false). */
export const useProvinces = (enabled: boolean) => useApiQuery('territories.provinces', {}, { enabled });
