import { useApiQuery } from '../../lib/useApi';

/** What the applicant screens read (lib/useApi.ts). */

/** The consent text to show before a registration (not asked when editing: `enabled` false). */
export const useConsentText = (enabled: boolean) => useApiQuery('applicants.consentText', {}, { enabled });
/** One applicant's file; `live`: read again when anyone saves. */
export const useApplicantFile = (id: string, live: boolean) => useApiQuery('applicants.get', { id }, { live });
/** The region's five provinces (a filter of its search); not asked by a province (`enabled` false). */
export const useProvinces = (enabled: boolean) => useApiQuery('territories.provinces', {}, { enabled });
