// Calendar dates in the office's time zone, whatever the time zone of the machine or the process.
// Timestamps are stored as UTC instants (ISO-8601, "…Z"); the day, month and year they belong to — a registration's
// month in the report, the year in a file number, the date printed on an attestation — are those of the office's
// clock on the wall: Morocco (Africa/Casablanca, UTC+1, UTC+0 during Ramadan).

export const OFFICE_TIME_ZONE = 'Africa/Casablanca';

const partsFormatters = new Map<string, Intl.DateTimeFormat>();
function partsFormatter(tz: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormatters.set(tz, f);
  }
  return f;
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock reading of an instant in a time zone. */
export function wallClock(instant: Date | string | number, tz: string = OFFICE_TIME_ZONE): WallClock {
  const d = instant instanceof Date ? instant : new Date(instant);
  const out: Record<string, number> = {};
  for (const p of partsFormatter(tz).formatToParts(d)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return { year: out.year, month: out.month, day: out.day, hour: out.hour === 24 ? 0 : out.hour, minute: out.minute, second: out.second };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** YYYY-MM-DD of an instant on the office's calendar. */
export function localDate(instant: Date | string | number, tz: string = OFFICE_TIME_ZONE): string {
  const w = wallClock(instant, tz);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** HH:MM of an instant on the office's clock (24-hour). */
export function localTime(instant: Date | string | number, tz: string = OFFICE_TIME_ZONE): string {
  const w = wallClock(instant, tz);
  return `${pad(w.hour)}:${pad(w.minute)}`;
}

/** The zone's offset from UTC at an instant, in milliseconds (Casablanca: +3,600,000, or 0 during Ramadan). */
export function zoneOffsetMs(instant: number, tz: string = OFFICE_TIME_ZONE): number {
  const w = wallClock(instant, tz);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The UTC instant (ISO, "…Z") at which a local calendar day begins in the zone. Compared with stored UTC timestamps,
 * it puts a registration made at 00:30 on 1 December in Casablanca (23:30 UTC on 30 November) in December.
 */
export function startOfLocalDayUtc(ymd: string, tz: string = OFFICE_TIME_ZONE): string {
  const [y, m, d] = ymd.split('-').map(Number);
  const guess = Date.UTC(y, m - 1, d);
  let t = guess - zoneOffsetMs(guess, tz);
  // Across an offset change the first guess can be an hour off: settle on the offset in force at the result.
  const again = guess - zoneOffsetMs(t, tz);
  if (again !== t && localDate(again, tz) === ymd) t = again;
  return new Date(t).toISOString();
}
