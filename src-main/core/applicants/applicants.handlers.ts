import { AppError } from '../../shared/errors';
import type { Handlers } from '../handlers';

// The contract is in place (src-main/shared/api/applicants.contract.ts); the handlers land in the next commits.
const notYet = async (): Promise<never> => {
  throw new AppError('internal.unexpected', { ref: 'applicants-not-landed' });
};

export const applicantsHandlers = {
  'refs.list': notYet,
  'applicants.consentText': notYet,
  'applicants.checkDuplicates': notYet,
  'applicants.create': notYet,
  'applicants.update': notYet,
  'applicants.recordDuplicateDecision': notYet,
  'applicants.setStatus': notYet,
  'applicants.get': notYet,
  'applicants.search': notYet,
} satisfies Partial<Handlers>;
