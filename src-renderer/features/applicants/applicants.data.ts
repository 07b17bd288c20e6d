import { useApiQuery } from '../../lib/useApi';

/** What the applicant screens read (lib/useApi.ts). */

/** The consent text to show before a registration (not asked when editing: `enabled` false). */
export const useConsentText = (enabled: boolean) => useApiQuery('applicants.consentText', {}, { enabled });
