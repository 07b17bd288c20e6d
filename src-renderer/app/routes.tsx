import type { ComponentType } from 'react';
import type { MethodName } from '../../src-main/shared/api/contract';
import type { PageProps } from '../lib/page';
import { SettingsPage } from '../features/settings/SettingsPage';
import { ApplicantsRoute } from '../features/applicants/ApplicantsRoute';
import { SessionsPage } from '../features/sessions/SessionsPage';
import { ExchangePage } from '../features/exchange/ExchangePage';
import { ReportsPage } from '../features/reports/ReportsPage';
import { AttestationsPage } from '../features/attestations/AttestationsPage';
import { AuditPage } from '../features/security/AuditPage';
import { BackupsPage } from '../features/security/BackupsPage';
import { DataProtectionPage } from '../features/security/DataProtectionPage';

/**
 * The sections of the app, in navigation order. A feature adds (or fills in) its page with one line.
 * `label` is an i18n key; `access` names a method whose role check decides who sees the section;
 * a section without a page shows an honest "not available in this version yet" notice.
 */
export interface FeatureRoute {
  key: string;
  label: string;
  access?: MethodName;
  page?: ComponentType<PageProps>;
}

export const featureRoutes: FeatureRoute[] = [
  { key: 'applicants', label: 'common:nav.applicants', access: 'applicants.search', page: ApplicantsRoute },
  { key: 'sessions', label: 'common:nav.sessions', access: 'cohorts.list', page: SessionsPage },
  { key: 'attestations', label: 'common:nav.attestations', access: 'attestations.verify', page: AttestationsPage },
  { key: 'reports', label: 'common:nav.reports', access: 'reports.dashboard', page: ReportsPage },
  { key: 'exchange', label: 'common:nav.exchange', access: 'exchange.keysList', page: ExchangePage },
  { key: 'audit', label: 'security:nav.audit', access: 'audit.list', page: AuditPage },
  { key: 'backups', label: 'security:nav.backups', access: 'backup.settings', page: BackupsPage },
  { key: 'privacy', label: 'security:nav.dataProtection', access: 'retention.preview', page: DataProtectionPage },
  { key: 'settings', label: 'common:nav.settings', page: SettingsPage },
];
