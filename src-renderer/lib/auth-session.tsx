import { createContext, useContext } from 'react';
import type { SystemStatus } from '../../src-main/shared/api/system.contract';
import type { UserInfo } from '../../src-main/shared/api/accounts.contract';
import type { Lang } from '../i18n';

export interface AuthSessionValue {
  status: SystemStatus;
  user: UserInfo;
  lang: Lang;
  /** Switches the language and remembers it for the user (users.setLanguage). */
  setLanguage(lang: Lang): Promise<void>;
  logout(): Promise<void>;
  /** Reloads the installation status (after the office settings changed). */
  refreshStatus(): Promise<void>;
}

export const AuthSessionContext = createContext<AuthSessionValue | null>(null);

/** The auth session: the logged-in user and office (not a training session); only inside the shell. */
export function useAuthSession(): AuthSessionValue {
  const v = useContext(AuthSessionContext);
  if (!v) throw new Error('useAuthSession outside the shell');
  return v;
}
