import { createContext, useContext } from 'react';
import type { SystemStatus } from '../../src-main/shared/api/system.contract';
import type { UserInfo } from '../../src-main/shared/api/accounts.contract';
import type { Lang } from '../i18n';

export interface SessionValue {
  status: SystemStatus;
  user: UserInfo;
  lang: Lang;
  /** Switches the language and remembers it for the user (users.setLanguage). */
  setLanguage(lang: Lang): Promise<void>;
  logout(): Promise<void>;
  /** Reloads the installation status (after the office settings changed). */
  refreshStatus(): Promise<void>;
}

export const SessionContext = createContext<SessionValue | null>(null);

/** The logged-in user and office; only inside the shell. */
export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside the shell');
  return v;
}
