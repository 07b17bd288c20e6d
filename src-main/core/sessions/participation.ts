import type { Sqlite } from '../db/connection';
import { readable, type ReadableDB } from '../db/handles';
import { participationRows, readSetting } from './sessions.repo';
import type { Participation, ParticipationCriteria } from '../../shared/api/sessions.contract';
import type { AttendanceStatus } from '../db/schema-sessions';

/**
 * A beneficiary's participation, computed from the attendance rows every time (never a stored total
 * that could drift after an edit, a correction, a withdrawal or a cancellation).
 *
 * Rules (documented for the attestation):
 * - hours attended = sum of the duration of the non-cancelled sessions where she is 'present';
 * - a session is "expected" for her when it has an attendance row for her that is not 'excused'
 *   (present or absent): an excused absence neither counts for nor against her;
 * - attendance rate = present / expected, 0 when nothing was expected yet;
 * - first/last session date = the first and last sessions she attended (present);
 * - eligible when hours ≥ minHours and rate ≥ minAttendanceRate (criteria from settings);
 * - a cohort session counts for her only inside the cohort's dates (start_date … end_date) and inside her
 *   enrolment (from enrolled_at, until withdrawn_at inclusive); a session outside (`outside` in sessions.repo.ts gives the reason)
 *   counts neither for nor against her: it is reported (sessionsOutside, hoursOutside) and marked on the
 *   cohort and on her training page. Individual mentoring (no cohort) always counts (the SQL of this rule:
 *   `outside` in sessions.repo.ts).
 */

/** Why a session she has an attendance row for does not count (null: it counts). */
export const OUTSIDE_REASONS = ['before_cohort', 'after_cohort', 'not_enrolled', 'before_enrolment', 'after_withdrawal'] as const;
export type OutsideReason = (typeof OUTSIDE_REASONS)[number];

export const DEFAULT_CRITERIA: ParticipationCriteria = { minHours: 30, minAttendanceRate: 0.8 };
export const CRITERIA_KEYS = { minHours: 'sessions.min_hours', minAttendanceRate: 'sessions.min_attendance_rate' } as const;

function settingNumber(db: ReadableDB, key: string, fallback: number): number {
  const r = readSetting(db, key);
  if (r === undefined) return fallback;
  try {
    const v = JSON.parse(r);
    return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
  } catch {
    return fallback;
  }
}

/** The configured criteria of the participation attestation (settings, with the defaults of the migration). */
export function getCriteria(db: ReadableDB): ParticipationCriteria {
  return {
    minHours: settingNumber(db, CRITERIA_KEYS.minHours, DEFAULT_CRITERIA.minHours),
    minAttendanceRate: settingNumber(db, CRITERIA_KEYS.minAttendanceRate, DEFAULT_CRITERIA.minAttendanceRate),
  };
}

export const round2 = (n: number) => Math.round(n * 100) / 100;
const round4 = (n: number) => Math.round(n * 10000) / 10000;

export interface ParticipationRow {
  topic: string;
  status: AttendanceStatus;
  minutes: number;
  date: string;
  label_ar: string | null;
  label_fr: string | null;
  /** Why the session does not count for her (null: it counts). */
  outside: OutsideReason | null;
}

export interface ParticipationOptions {
  /** Criteria to apply instead of the configured ones. */
  criteria?: ParticipationCriteria;
  /** Count only sessions on or before this day (YYYY-MM-DD), e.g. for an attestation dated in the past. */
  until?: string;
}

/**
 * Hours, attendance rate and eligibility of one beneficiary (see the rules above). Takes the call's handle; the CLI
 * and tests may pass the core's connection (read only here).
 */
export function getParticipation(db: ReadableDB | Sqlite, applicantId: string, opts: ParticipationOptions = {}): Participation {
  const rdb = 'prepare' in db ? readable(db) : db;
  return computeParticipation(participationRows(rdb, applicantId, opts.until ?? '9999-12-31'), opts.criteria ?? getCriteria(rdb));
}

/** The rules above over her attendance rows of non-cancelled sessions (shared with the timeline, which has them already). */
export function computeParticipation(rows: readonly ParticipationRow[], criteria: ParticipationCriteria): Participation {
  let minutes = 0;
  let expected = 0;
  let attended = 0;
  let excused = 0;
  let outside = 0;
  let outsideMinutes = 0;
  let first: string | null = null;
  let last: string | null = null;
  const byTopic = new Map<string, { labelAr: string; labelFr: string; minutes: number }>();
  for (const r of rows) {
    if (r.outside) {
      outside++;
      if (r.status === 'present') outsideMinutes += r.minutes;
      continue;
    }
    if (r.status === 'excused') {
      excused++;
      continue;
    }
    expected++;
    if (r.status !== 'present') continue;
    attended++;
    minutes += r.minutes;
    if (first === null || r.date < first) first = r.date;
    if (last === null || r.date > last) last = r.date;
    const t = byTopic.get(r.topic);
    if (t) t.minutes += r.minutes;
    else byTopic.set(r.topic, { labelAr: r.label_ar ?? r.topic, labelFr: r.label_fr ?? r.topic, minutes: r.minutes });
  }
  const hours = minutes / 60;
  const rate = expected ? attended / expected : 0;
  const missing: Participation['missing'] = {};
  if (hours < criteria.minHours) missing.hours = round2(criteria.minHours - hours);
  if (rate < criteria.minAttendanceRate) missing.attendanceRate = round4(criteria.minAttendanceRate - rate);
  return {
    totalHours: round2(hours),
    hoursByTopic: [...byTopic.entries()]
      .map(([topic, t]) => ({ topic, labelAr: t.labelAr, labelFr: t.labelFr, hours: round2(t.minutes / 60) }))
      .sort((a, b) => b.hours - a.hours || a.topic.localeCompare(b.topic)),
    sessionsExpected: expected,
    sessionsAttended: attended,
    sessionsExcused: excused,
    sessionsOutside: outside,
    hoursOutside: round2(outsideMinutes / 60),
    attendanceRate: round4(rate),
    firstSessionDate: first,
    lastSessionDate: last,
    eligible: missing.hours === undefined && missing.attendanceRate === undefined,
    missing,
    criteria,
  };
}
