import { lazy, type ComponentType } from 'react';
import type { MethodName } from '../../src-main/shared/api/contract';
import type { PageProps } from '../lib/page';

/**
 * The sections of the app, in navigation order. A feature adds (or fills in) its page with one line.
 * `label` is an i18n key; `access` names a method whose role check decides who sees the section;
 * a section without a page shows an honest "not available in this version yet" notice.
 *
 * Each page is its own chunk of the built renderer (issue 15: first load ≤ 1.5 s): `lazyPage` makes the component the
 * shell shows inside a Suspense, and its `load` fetches the chunk ahead (the shell does so for the sections a user can
 * open, while the page is idle).
 */
export interface FeatureRoute {
  key: string;
  label: string;
  access?: MethodName;
  page?: LazyPage;
}

export type LazyPage = ComponentType<PageProps> & { load: () => Promise<unknown> };

function lazyPage(load: () => Promise<ComponentType<PageProps>>): LazyPage {
  let loading: Promise<ComponentType<PageProps>> | null = null;
  const once = () => (loading ??= load());
  return Object.assign(lazy(() => once().then((c) => ({ default: c }))), { load: once }) as unknown as LazyPage;
}

export const featureRoutes: FeatureRoute[] = [
  { key: 'applicants', label: 'common:nav.applicants', access: 'applicants.search', page: lazyPage(() => import('./ApplicantsSection').then((m) => m.ApplicantsSection)) },
  { key: 'sessions', label: 'common:nav.sessions', access: 'cohorts.list', page: lazyPage(() => import('../features/sessions/SessionsPage').then((m) => m.SessionsPage)) },
  { key: 'attestations', label: 'common:nav.attestations', access: 'attestations.verify', page: lazyPage(() => import('../features/attestations/AttestationsPage').then((m) => m.AttestationsPage)) },
  { key: 'reports', label: 'common:nav.reports', access: 'reports.dashboard', page: lazyPage(() => import('../features/reports/ReportsPage').then((m) => m.ReportsPage)) },
  { key: 'exchange', label: 'common:nav.exchange', access: 'exchange.keysList', page: lazyPage(() => import('../features/exchange/ExchangePage').then((m) => m.ExchangePage)) },
  { key: 'audit', label: 'security:nav.audit', access: 'audit.list', page: lazyPage(() => import('../features/security/AuditPage').then((m) => m.AuditPage)) },
  { key: 'backups', label: 'security:nav.backups', access: 'backup.settings', page: lazyPage(() => import('../features/security/BackupsPage').then((m) => m.BackupsPage)) },
  { key: 'privacy', label: 'security:nav.dataProtection', access: 'retention.preview', page: lazyPage(() => import('../features/security/DataProtectionPage').then((m) => m.DataProtectionPage)) },
  { key: 'settings', label: 'common:nav.settings', page: lazyPage(() => import('../features/settings/SettingsPage').then((m) => m.SettingsPage)) },
  { key: 'account', label: 'account:nav', page: lazyPage(() => import('../features/account/AccountPage').then((m) => m.AccountPage)) },
];
