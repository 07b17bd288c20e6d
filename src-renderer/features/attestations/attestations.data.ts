import type { MethodInput } from '../../../src-main/shared/api/contract';
import { useApiQuery } from '../../lib/useApi';

/** What the attestation screens read (lib/useApi.ts). */

/** The kinds of attestation (labels in both languages); an empty list until loaded or when the call fails. */
export function useAttestationKinds() {
  return useApiQuery('attestations.kinds', {}).data ?? [];
}
/** Whether `applicantId` may receive an attestation of `kind` now; nothing is asked while no one is picked. */
export const useEligibility = (applicantId: string | null, kind: string) =>
  useApiQuery('attestations.check', applicantId ? { applicantId, kind } : null);
export const useVerifySettings = () => useApiQuery('attestations.verifySettings', {});
export const useCohortList = () => useApiQuery('cohorts.list', {});
export const useAttestationRegister = (filter: MethodInput<'attestations.list'>) => useApiQuery('attestations.list', filter);
