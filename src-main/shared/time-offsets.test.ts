// The backend's zone offsets (system.timeZone) used in place of the engine's zone data (docs/FORMAT.md).
// Everything here is computed in UTC: the answers are the same whatever the machine's zone
// (run with TZ=UTC, TZ=Africa/Casablanca, TZ=America/New_York).
import { afterEach, describe, expect, it } from 'vitest';
import { clearZoneOffsets, computeZoneOffsets, installZoneOffsets, localDate, startOfLocalDayUtc, wallClock, zoneOffsetMs, type ZoneOffsetTable } from './time';
import { formatDate, formatDateTime, formatTime, localDay } from './format';

const CASA = 'Africa/Casablanca';
const H = 3_600_000;
const AT = Date.UTC(2026, 11, 2, 12, 42); // 2026-12-02T12:42Z: 13:42 in Casablanca (UTC+1)

afterEach(() => clearZoneOffsets());

describe('offsets computed from the engine (the backend, Node)', () => {
  const table = computeZoneOffsets(CASA, Date.UTC(2025, 0, 1), Date.UTC(2028, 0, 1));

  it('agree with the engine every five hours over three years, Ramadan included', () => {
    installZoneOffsets(table);
    for (let t = table.from; t < table.to; t += 5 * H + 17_000) {
      clearZoneOffsets();
      const engine = wallClock(t, CASA);
      installZoneOffsets(table);
      expect(wallClock(t, CASA), new Date(t).toISOString()).toEqual(engine);
    }
  });

  it('find each change to the second (UTC+1 → UTC+0 for Ramadan and back)', () => {
    expect(table.changes[0]).toEqual([table.from, H]);
    for (const [at, off] of table.changes.slice(1)) {
      expect(zoneOffsetMs(at - 1000, CASA)).not.toBe(off);
      expect(zoneOffsetMs(at, CASA)).toBe(off);
    }
    // Two changes a year around Ramadan (2025, 2026, 2027).
    expect(table.changes.length).toBe(7);
    expect(new Set(table.changes.map(([, o]) => o))).toEqual(new Set([0, H]));
  });
});

describe('an installed table replaces the engine for its zone', () => {
  /** Deliberately not the real offset (+2 h around the instant): proves the table, not Intl, answers. */
  const fake: ZoneOffsetTable = {
    zone: CASA,
    from: Date.UTC(2026, 0, 1),
    to: Date.UTC(2027, 0, 1),
    changes: [
      [Date.UTC(2026, 0, 1), H],
      [Date.UTC(2026, 10, 1), 2 * H],
    ],
  };

  it('formats an instant with the table: 12:42Z is 14:42 by the table', () => {
    expect(formatTime(new Date(AT).toISOString())).toBe('13:42'); // the engine (Node's data is right)
    installZoneOffsets(fake);
    expect(formatTime(new Date(AT).toISOString())).toBe('14:42');
    expect(formatDateTime(AT)).toBe('02/12/2026 14:42');
    expect(formatTime(Date.UTC(2026, 9, 31, 23, 30))).toBe('00:30'); // before the table's change: +1 h
    expect(formatDate(Date.UTC(2026, 11, 31, 22, 30))).toBe('01/01/2027'); // +2 h crosses the year
    expect(localDay(Date.UTC(2026, 11, 31, 22, 30))).toBe('2027-01-01');
    expect(localDate(AT)).toBe('2026-12-02');
    expect(zoneOffsetMs(AT)).toBe(2 * H);
    expect(startOfLocalDayUtc('2026-12-02')).toBe('2026-12-01T22:00:00.000Z');
    // A calendar date is never shifted, table or not.
    expect(formatDate('2026-12-02')).toBe('02/12/2026');
  });

  it('answers with the engine outside its span, for other zones, and once cleared', () => {
    installZoneOffsets(fake);
    expect(formatTime(Date.UTC(2027, 5, 1, 12, 0))).toBe('13:00'); // after `to`: the engine
    expect(formatTime(AT, { tz: 'UTC' })).toBe('12:42');
    clearZoneOffsets();
    expect(formatTime(AT)).toBe('13:42');
  });

  it('keeps unreadable input unreadable and refuses a malformed table', () => {
    installZoneOffsets(fake);
    expect(formatDate('not a date')).toBe('not a date');
    expect(formatTime('')).toBe('');
    expect(() => installZoneOffsets({ ...fake, changes: [] })).toThrow(RangeError);
    expect(() => installZoneOffsets({ ...fake, changes: [fake.changes[1], fake.changes[0]] })).toThrow(RangeError);
  });
});
