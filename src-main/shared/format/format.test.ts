import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_TIME_ZONE,
  formatBytes,
  formatDate,
  formatDateLong,
  formatDateTime,
  formatHours,
  formatInteger,
  formatMonth,
  formatNumber,
  formatPercent,
  formatRange,
  formatTime,
  getDefaultTimeZone,
  localDay,
  parseDayMonthYear,
  setDefaultTimeZone,
} from './index';

// These tests must give the same answers whatever the machine's zone: run them with
// TZ=UTC, TZ=Africa/Casablanca and TZ=America/New_York (docs/FORMAT.md).

const NNBSP = '\u202F';
const NBSP = '\u00A0';

describe('numbers by language', () => {
  it.each([
    [33.5, 'fr', '33,5'],
    [33.5, 'ar', '33,5'],
    [1234.5, 'fr', `1${NNBSP}234,5`],
    [1234.5, 'ar', '1.234,5'],
    [1234567, 'ar', '1.234.567'],
    [0, 'fr', '0'],
    [-2.25, 'fr', '-2,25'],
    [2.675, 'fr', '2,68'],
    [1.005, 'ar', '1,01'],
    [5.5, 'ar', '5,5'],
    [100, 'fr', '100'],
  ] as const)('%s in %s → %s', (n, lang, out) => {
    expect(formatNumber(n, lang)).toBe(out);
  });

  it('decimals kept when asked, integers rounded', () => {
    expect(formatNumber(3, 'fr', { minDecimals: 2 })).toBe('3,00');
    expect(formatInteger(1999.6, 'fr')).toBe(`2${NNBSP}000`);
    expect(formatNumber(Number.NaN, 'fr')).toBe('—');
  });

  it('hours with their word (issue 14: "33,5 heures")', () => {
    expect(formatHours(33.5, 'fr')).toBe(`33,5${NBSP}heures`);
    expect(formatHours(1, 'fr')).toBe(`1${NBSP}heure`);
    expect(formatHours(33.5, 'ar')).toBe(`33,5${NBSP}ساعة`);
    expect(formatHours(5, 'ar')).toBe(`5${NBSP}ساعات`);
    expect(formatHours(2, 'ar')).toBe('ساعتان');
    expect(formatHours(102, 'ar')).toBe(`102${NBSP}ساعة`);
  });

  it('percentages and sizes', () => {
    expect(formatPercent(0.345, 'fr')).toBe(`34,5${NBSP}%`);
    expect(formatPercent(0.345, 'ar')).toBe('34,5%');
    expect(formatPercent(1, 'ar')).toBe('100%');
    expect(formatBytes(1536, 'fr')).toBe(`1,5${NBSP}Ko`);
    expect(formatBytes(500, 'fr')).toBe(`500${NBSP}o`);
    expect(formatBytes(5 * 1024 * 1024, 'ar')).toBe(`5${NBSP}م.ب`);
  });

  it('an Arabic number is one bidi run: no space between its digit groups', () => {
    expect(formatNumber(1234567.25, 'ar')).not.toMatch(/\s/);
  });
});

describe('dates and times in local time, whatever the machine zone', () => {
  afterEach(() => {
    setDefaultTimeZone(DEFAULT_TIME_ZONE);
  });

  it('default zone is Africa/Casablanca', () => {
    expect(getDefaultTimeZone()).toBe('Africa/Casablanca');
  });

  it('calendar dates are written dd/mm/yyyy and never shifted', () => {
    expect(formatDate('2026-02-12')).toBe('12/02/2026');
    expect(formatDate('2026-01-01', { tz: 'America/New_York' })).toBe('01/01/2026');
    expect(formatDate(null)).toBe('');
    expect(formatDate('')).toBe('');
  });

  it('an instant near midnight UTC is shown on the Moroccan day (UTC+1 outside Ramadan)', () => {
    const at = '2026-12-02T23:30:00.000Z';
    expect(formatDate(at)).toBe('03/12/2026');
    expect(formatTime(at)).toBe('00:30');
    expect(formatDateTime(at)).toBe('03/12/2026 00:30');
    expect(localDay(at)).toBe('2026-12-03');
    expect(formatDateTime(at, { tz: 'UTC' })).toBe('02/12/2026 23:30');
    expect(formatDateTime(at, { tz: 'America/New_York' })).toBe('02/12/2026 18:30');
  });

  it('Morocco goes back to UTC+0 during Ramadan (2026: from 15 February to 22 March)', () => {
    expect(formatTime('2026-03-01T12:00:00Z')).toBe('12:00');
    expect(formatTime('2026-04-01T12:00:00Z')).toBe('13:00');
  });

  it('24-hour times; wall-clock times kept as they are', () => {
    expect(formatTime('2026-12-02T16:05:09Z')).toBe('17:05');
    expect(formatTime('9:00')).toBe('09:00');
    expect(formatTime('17:30:00')).toBe('17:30');
    expect(formatDateTime('2026-12-02T16:05:09Z', { seconds: true })).toBe('02/12/2026 17:05:09');
    expect(formatDateTime(Date.UTC(2026, 11, 2, 8, 0))).toBe('02/12/2026 09:00');
    expect(formatDateTime(new Date(Date.UTC(2026, 11, 2, 8, 0)))).toBe('02/12/2026 09:00');
  });

  it('the default zone can be changed (an office elsewhere, tests)', () => {
    setDefaultTimeZone('UTC');
    expect(formatTime('2026-12-02T16:05:09Z')).toBe('16:05');
    expect(() => setDefaultTimeZone('Mars/Olympus')).toThrow();
    expect(getDefaultTimeZone()).toBe('UTC');
  });

  it('long dates and months in words', () => {
    expect(formatDateLong('2026-12-02', 'fr')).toBe('2 décembre 2026');
    expect(formatDateLong('2026-12-01', 'fr')).toBe('1er décembre 2026');
    expect(formatDateLong('2026-08-15', 'ar')).toBe('15 غشت 2026');
    expect(formatMonth('2026-11', 'ar')).toBe('نونبر 2026');
    expect(formatMonth('2026-07', 'fr')).toBe('juillet 2026');
  });
});

describe('ranges that read right in both directions', () => {
  it('in words, never an arrow', () => {
    expect(formatRange('2026-11-30', '2026-12-06', 'fr')).toBe('du 30/11/2026 au 06/12/2026');
    expect(formatRange('2026-11-30', '2026-12-06', 'ar')).toBe('من 30/11/2026 إلى 06/12/2026');
    expect(formatRange('09:00', '12:30', 'fr', { kind: 'time' })).toBe('de 09:00 à 12:30');
    expect(formatRange('09:00', '12:30', 'ar', { kind: 'time' })).toBe('من 09:00 إلى 12:30');
    expect(formatRange('2026-11-30', '2026-11-30', 'fr')).toBe('30/11/2026');
    expect(formatRange('2026-11-30', null, 'fr')).toBe('à partir du 30/11/2026');
    expect(formatRange(null, '2026-11-30', 'ar')).toBe('إلى غاية 30/11/2026');
    expect(formatRange('2026-11-30', '2026-12-06', 'ar')).not.toContain('→');
  });

  it('with a dash: held in right-to-left marks in Arabic so the first end is on the right', () => {
    const ar = formatRange('2026-11-30', '2026-12-06', 'ar', { style: 'dash' });
    expect(ar.startsWith('\u200F30/11/2026\u200F')).toBe(true);
    expect(ar.endsWith('\u200F06/12/2026\u200F')).toBe(true);
    expect(formatRange('2026-11-30', '2026-12-06', 'fr', { style: 'dash' })).toBe(`30/11/2026${NBSP}–${NBSP}06/12/2026`);
  });
});

describe('dates typed by a person', () => {
  it.each([
    ['12/02/2026', '2026-02-12'],
    ['1/2/2026', '2026-02-01'],
    ['١٢/٠٢/٢٠٢٦', '2026-02-12'],
    ['2026-02-12', '2026-02-12'],
    ['31/02/2026', null],
    ['12/13/2026', null],
    ['2026/02', null],
  ])('%s → %s', (s, out) => {
    expect(parseDayMonthYear(s)).toBe(out);
  });
});
