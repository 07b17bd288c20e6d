import { settings } from './settings';
import { applicants } from './applicants';
import { sessions } from './sessions';
import { security } from './security';
import { matching } from './matching';
import { attestations } from './attestations';
import { reports } from './reports';
import { exchange } from './exchange';
import { pickers } from './pickers';
import { account } from './account';

/**
 * The namespaces of the screens after the login (i18n/index.ts registers them with `loadLaterStrings`): one chunk,
 * not in the first load (issue 15). A feature whose strings the login screen does not show adds its line here.
 */
export const later = {
  settings,
  applicants,
  sessions,
  security,
  matching,
  attestations,
  reports,
  exchange,
  pickers,
  account,
} satisfies Record<string, { ar: object; fr: object }>;
