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

/** The wall-clock reading of an instant in a zone, from the JavaScript engine's own zone data (Intl). */
function intlWallClock(d: Date, tz: string): WallClock {
  const out: Record<string, number> = {};
  for (const p of partsFormatter(tz).formatToParts(d)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return { year: out.year, month: out.month, day: out.day, hour: out.hour === 24 ? 0 : out.hour, minute: out.minute, second: out.second };
}

/* ------------------------------------------------------------------ offsets given by the backend */

/**
 * A zone's offsets from UTC over a span of years, as the backend (Node, whose zone data is right) computes them.
 *
 * Why: a browser ships its own copy of the zone data, and an old one gets Morocco wrong. Debian's Chromium puts
 * 2026-12-02T12:42Z at 12:42 in Africa/Casablanca (an old rule) where Node and the system's tzdata say 13:42: every
 * time the renderer wrote would have been an hour early. The renderer asks the backend for this table at start
 * (`system.timeZone`) and installs it; from then on every instant it puts in local time goes through the table.
 */
export interface ZoneOffsetTable {
  zone: string;
  /** The span covered, epoch milliseconds, `from` included, `to` excluded: outside it, Intl answers. */
  from: number;
  to: number;
  /** Each offset and the instant from which it holds (epoch ms), in order; the first holds from `from`. */
  changes: [at: number, offsetMs: number][];
}

const installedTables = new Map<string, ZoneOffsetTable>();

/** Use these offsets for their zone from now on (the renderer, at start; tests). Refuses an empty or unordered table. */
export function installZoneOffsets(table: ZoneOffsetTable): void {
  if (!table.changes.length || !(table.to > table.from)) throw new RangeError('empty zone offset table');
  for (let i = 1; i < table.changes.length; i++) {
    if (!(table.changes[i][0] > table.changes[i - 1][0])) throw new RangeError('zone offset changes out of order');
  }
  installedTables.set(table.zone, table);
}

/** Back to the engine's zone data (tests). */
export function clearZoneOffsets(zone?: string): void {
  if (zone === undefined) installedTables.clear();
  else installedTables.delete(zone);
}

/** The installed table's offset at an instant, or null (no table for the zone, or the instant outside its span). */
function tableOffset(tz: string, ms: number): number | null {
  const t = installedTables.get(tz);
  if (!t || !Number.isFinite(ms) || ms < t.from || ms >= t.to) return null;
  const c = t.changes;
  let lo = 0;
  let hi = c.length - 1;
  if (ms < c[0][0]) return c[0][1];
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (c[mid][0] <= ms) lo = mid;
    else hi = mid - 1;
  }
  return c[lo][1];
}

/**
 * The wall-clock reading of an instant in a time zone. The one place where an instant becomes a local date and time
 * (shared/format, the office calendar, the renderer's "today"): with the backend's offsets when they are installed
 * for the zone (the renderer), else the engine's zone data (Node).
 */
export function wallClock(instant: Date | string | number, tz: string = OFFICE_TIME_ZONE): WallClock {
  const d = instant instanceof Date ? instant : new Date(instant);
  const ms = d.getTime();
  const off = tableOffset(tz, ms);
  if (off === null) return intlWallClock(d, tz);
  const l = new Date(ms + off);
  return { year: l.getUTCFullYear(), month: l.getUTCMonth() + 1, day: l.getUTCDate(), hour: l.getUTCHours(), minute: l.getUTCMinutes(), second: l.getUTCSeconds() };
}

/** The engine's offset of a zone at an instant (whole seconds), ignoring any installed table. */
function intlOffsetMs(instant: number, tz: string): number {
  const w = intlWallClock(new Date(instant), tz);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(instant / 1000) * 1000;
}

/** The sampling step: no zone changes its offset twice within a week (Morocco's Ramadan break lasts a month). */
const STEP_MS = 7 * 86_400_000;

/**
 * The zone's offsets from UTC between two instants, read from this engine's zone data (call it in Node: the backend's
 * `system.timeZone`). Sampled week by week (no zone changes its offset twice within a week), each change then found
 * to the second by bisection: about 6,000 readings for 80 years (some 60 ms of CPU, once per process).
 */
export function computeZoneOffsets(tz: string, from: number, to: number): ZoneOffsetTable {
  let prevT = from;
  let prev = intlOffsetMs(from, tz);
  const changes: [number, number][] = [[from, prev]];
  for (let t = from + STEP_MS; prevT < to; t += STEP_MS) {
    const at = Math.min(t, to - 1000);
    const o = intlOffsetMs(at, tz);
    if (o !== prev) {
      let lo = prevT;
      let hi = at;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (intlOffsetMs(mid, tz) === prev) lo = mid;
        else hi = mid;
      }
      changes.push([hi, o]);
      prev = o;
    }
    prevT = at === to - 1000 ? to : at;
  }
  return { zone: tz, from, to, changes };
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
