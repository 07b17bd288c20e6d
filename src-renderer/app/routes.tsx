import { lazy, type ComponentType } from 'react';
import type { MethodName } from '../../src-main/shared/api/contract';
import type { PageProps } from '../lib/page';

/**
 * The sections of the app, in navigation order. A feature adds (or fills in) its page with one line.
 * `label` is an i18n key; `access` names a method whose role check decides who sees the section;
 * a section without a page shows an honest "not available in this version yet" notice.
 *
 * Each page is its own chunk of the built renderer (issue 15: first load ≤ 1.5 s): `load` fetches it, `page` is the
 * lazy component the shell shows inside a Suspense. The shell fetches the sections a user can open while idle.
 */
export interface FeatureRoute {
  key: string;
  label: string;
  access?: MethodName;
  page?: ComponentType<PageProps>;
  load?: () => Promise<unknown>;
}

function route(key: string, label: string, access: MethodName | undefined, load: () => Promise<ComponentType<PageProps>>): FeatureRoute {
  let loading: Promise<ComponentType<PageProps>> | null = null;
  const once = () => (loading ??= load());
  return { key, label, access, load: once, page: lazy(() => once().then((c) => ({ default: c }))) };
}

export const featureRoutes: FeatureRoute[] = [
  route('applicants', 'common:nav.applicants', 'applicants.search', () => import('../features/applicants/ApplicantsRoute').then((m) => m.ApplicantsRoute)),
  route('sessions', 'common:nav.sessions', 'cohorts.list', () => import('../features/sessions/SessionsPage').then((m) => m.SessionsPage)),
  route('attestations', 'common:nav.attestations', 'attestations.verify', () => import('../features/attestations/AttestationsPage').then((m) => m.AttestationsPage)),
  route('reports', 'common:nav.reports', 'reports.dashboard', () => import('../features/reports/ReportsPage').then((m) => m.ReportsPage)),
  route('exchange', 'common:nav.exchange', 'exchange.keysList', () => import('../features/exchange/ExchangePage').then((m) => m.ExchangePage)),
  route('audit', 'security:nav.audit', 'audit.list', () => import('../features/security/AuditPage').then((m) => m.AuditPage)),
  route('backups', 'security:nav.backups', 'backup.settings', () => import('../features/security/BackupsPage').then((m) => m.BackupsPage)),
  route('privacy', 'security:nav.dataProtection', 'retention.preview', () => import('../features/security/DataProtectionPage').then((m) => m.DataProtectionPage)),
  route('settings', 'common:nav.settings', undefined, () => import('../features/settings/SettingsPage').then((m) => m.SettingsPage)),
  route('account', 'account:nav', undefined, () => import('../features/account/AccountPage').then((m) => m.AccountPage)),
];
