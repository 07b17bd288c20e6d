import { errorMessages } from './errors';
import { applicantsErrorMessages } from './errors-applicants';
import { sessionsErrorMessages } from './errors-sessions';
import { attestationsErrorMessages } from './errors-attestations';
import { reportsErrorMessages } from './errors-reports';
import { exchangeErrorMessages } from './errors-exchange';
import { securityErrorMessages } from './errors-security';
import { desktopErrorMessages } from './errors-desktop';
import { jobsErrorMessages } from './errors-jobs';
import { hardeningErrorMessages } from './errors-hardening';
import { encryptionErrorMessages } from './errors-encryption';
import { matchingErrorMessages } from './errors-matching';
import { networkErrorMessages } from './errors-network';

/** Every error table, in one list: the only place a table is registered (translate-error reads it). */
export const ERROR_TABLES = [
  errorMessages,
  applicantsErrorMessages,
  sessionsErrorMessages,
  attestationsErrorMessages,
  reportsErrorMessages,
  exchangeErrorMessages,
  securityErrorMessages,
  desktopErrorMessages,
  jobsErrorMessages,
  hardeningErrorMessages,
  encryptionErrorMessages,
  matchingErrorMessages,
  networkErrorMessages,
] as const;

/** A code with a message in both languages: `new AppError(code)` accepts nothing else, so a typo does not compile. */
type CodesOf<T> = T extends { ar: Record<infer K, string> } ? K & string : never;
export type ErrorCode = CodesOf<(typeof ERROR_TABLES)[number]>;
