// Dates do not shift with the time zone (issue 12): a file, a session or a report period belongs to the day on the
// office's wall clock (Africa/Casablanca), whatever the machine's or the process's time zone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, setupOffice, tempCore } from '../helpers/core';

/** The calls are made as the CLI (no login session to expire while the test moves the clock by hours). */
const AS = { actor: cli };
import { localDate, localTime, startOfLocalDayUtc } from '../../src-main/shared/time';
import { parsePeriod } from '../../src-main/core/reports/period';
import type { ApplicantInput } from '../../src-main/shared/api/applicants.contract';

const ZONES = ['Africa/Casablanca', 'UTC', 'America/New_York', 'Asia/Tokyo'];

let seq = 0;
function person(day: string, over: Partial<ApplicantInput> = {}): ApplicantInput {
  seq++;
  return {
    cin: `U${String(200000 + seq)}`,
    firstNameAr: ['سلمى', 'نعيمة', 'حفيظة', 'زهرة'][seq % 4],
    lastNameAr: ['بوطالب', 'أوحمو', 'الإدريسي', 'أمزيان'][seq % 4],
    firstNameLat: ['Salma', 'Naima', 'Hafida', 'Zahra'][seq % 4],
    lastNameLat: ['Boutaleb', 'Ouhammou', 'Idrissi', 'Amziane'][seq % 4],
    sex: 'F',
    birthDate: `198${seq % 10}-0${1 + (seq % 9)}-1${seq % 10}`,
    phone: `06${String(10000000 + seq * 7919).slice(0, 8)}`,
    communeCode: '08.201.01.01',
    isProjectHolder: true,
    consent: { given: true, date: day, textVersion: '2026-01', channel: 'paper' },
    ...over,
  } as ApplicantInput;
}

describe('the office calendar (shared/time)', () => {
  it('reads instants on the Casablanca wall clock, in summer time and in Ramadan alike', () => {
    expect(localDate('2026-11-30T22:30:00Z')).toBe('2026-11-30'); // 23:30 in Casablanca
    expect(localDate('2026-11-30T23:30:00Z')).toBe('2026-12-01'); // 00:30 the next day
    expect(localTime('2026-11-30T22:30:00Z')).toBe('23:30');
    expect(startOfLocalDayUtc('2026-12-01')).toBe('2026-11-30T23:00:00.000Z');
    expect(startOfLocalDayUtc('2027-01-01')).toBe('2026-12-31T23:00:00.000Z');
    // Each day begins exactly where the wall clock turns to it, on odd days too (29 February 2028 falls in Ramadan: UTC+0).
    for (const day of ['2026-12-31', '2027-01-01', '2027-02-28', '2027-03-01', '2028-02-29', '2028-03-01', '2031-06-15', '2031-12-31']) {
      const t = Date.parse(startOfLocalDayUtc(day));
      expect(localDate(t), day).toBe(day);
      expect(localDate(t - 1), day).not.toBe(day);
      expect(localTime(t), day).toBe('00:00');
    }
    // Morocco goes back to UTC+0 during Ramadan (February–March 2027 in the time-zone database).
    expect(startOfLocalDayUtc('2027-02-20')).toBe('2027-02-20T00:00:00.000Z');
    expect(parsePeriod('2026-12')).toMatchObject({ startAt: '2026-11-30T23:00:00.000Z', endAt: '2026-12-31T23:00:00.000Z' });
  });
});

for (const zone of ZONES) {
  describe(`with the process in ${zone}`, () => {
    const saved = process.env.TZ;
    let now = new Date('2026-11-30T22:30:00Z');
    let core: ReturnType<typeof tempCore>;
    beforeAll(async () => {
      process.env.TZ = zone;
      now = new Date('2026-11-30T10:00:00Z');
      core = tempCore({ clock: () => now });
      await setupOffice(core);
    });
    afterAll(async () => {
      process.env.TZ = saved;
      await core?.dispose();
    });

    it('a file registered at 23:30 on the last day of the month counts in that month; at 00:30 the next day, in the next', async () => {
      now = new Date('2026-11-30T22:30:00Z'); // 23:30, 30 November, in Casablanca
      const late = await core.invoke('applicants.create', person('2026-11-30'), AS);
      now = new Date('2026-11-30T23:30:00Z'); // 00:30, 1 December, in Casablanca
      const early = await core.invoke('applicants.create', person('2026-12-01'), AS);
      expect([late.fileNo, early.fileNo].every((f) => f.startsWith('ERR-2026-'))).toBe(true);
      const nov = await core.invoke('reports.dashboard', { period: '2026-11' }, AS);
      const dec = await core.invoke('reports.dashboard', { period: '2026-12' }, AS);
      expect(nov.totals.registeredInPeriod).toBe(1);
      expect(dec.totals.registeredInPeriod).toBe(1);
      const nov12 = nov.registrationsByMonth.find((m) => m.key === '2026-11');
      const dec12 = dec.registrationsByMonth.find((m) => m.key === '2026-12');
      expect([nov12?.value, dec12?.value]).toEqual([1, 1]);
    });

    it('a session held 23:00–23:30 on 30 November is a November session', async () => {
      now = new Date('2026-11-30T22:45:00Z');
      const org = await core.invoke('organisations.create', { kind: 'incubator', nameAr: 'جمعية الأمل', nameFr: 'Association Al Amal' }, AS);
      const cohort = await core.invoke(
        'cohorts.create',
        { organisationId: org.id, name: 'Cohorte du soir', startDate: '2026-11-02', endDate: '2026-12-20', place: 'Centre culturel' },
        AS,
      );
      await core.invoke(
        'sessions.create',
        { kind: 'group_training', date: '2026-11-30', startTime: '23:00', endTime: '23:30', topic: 'entrepreneurship', organisationId: org.id, cohortId: cohort.id },
        AS,
      );
      const nov = await core.invoke('reports.dashboard', { period: '2026-11' }, AS);
      const dec = await core.invoke('reports.dashboard', { period: '2026-12' }, AS);
      expect(nov.totals.sessions).toBe(1);
      expect(dec.totals.sessions).toBe(0);
    });

    it('a file registered at 00:30 on 1 January takes the new year in its number', async () => {
      now = new Date('2026-12-31T23:30:00Z'); // 00:30, 1 January 2027, in Casablanca
      const r = await core.invoke('applicants.create', person('2027-01-01'), AS);
      expect(r.fileNo).toMatch(/^ERR-2027-\d{6}$/);
    });
  });
}
