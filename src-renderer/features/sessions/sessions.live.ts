import type { LiveTopic } from '../../lib/live';

/**
 * The tables the sessions screens show (issue 17's live refresh): a screen reloads when one of them changed, not
 * on a colleague's registration or a user's password change. Tables read by these screens without change numbers
 * (ref_items, attachments) are not listed: their writes are not announced.
 */
export const SESSIONS_TABLES = ['training_sessions', 'attendance', 'cohort_members', 'cohorts', 'organisations', 'facilitators', 'business_plans'] as const;

/** Calendar, cohorts list, a cohort's sessions. */
export const SESSIONS_LIVE: readonly LiveTopic[] = SESSIONS_TABLES;
/** Screens that also show the women by name (a cohort's members, a session's checklist). */
export const SESSIONS_WITH_PEOPLE_LIVE: readonly LiveTopic[] = [...SESSIONS_TABLES, 'applicants'];
/** A woman's trainings: the sessions' tables and her own file. */
export const sessionsOfApplicantLive = (applicantId: string): readonly LiveTopic[] => [...SESSIONS_TABLES, { entity: 'applicants', id: applicantId }];
