// The core's clock. Production uses the machine's time; tests inject one (`createCore({ clock })`).
// Processes started by tests (the CLI, the web bridge) receive theirs through JISR_CLOCK: an ISO instant at which the
// clock starts when the process starts; it then runs at real speed (so session expiry, lockouts and durations still work).

export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** A clock that starts at `start` and advances with the machine's time. */
export function clockStartingAt(start: Date | string, realNow: () => number = Date.now): Clock {
  const startMs = typeof start === 'string' ? Date.parse(start) : start.getTime();
  if (!Number.isFinite(startMs)) throw new Error(`invalid clock start: ${String(start)}`);
  const offset = startMs - realNow();
  return () => new Date(realNow() + offset);
}

/** The clock a process uses: JISR_CLOCK when set (tests), else the machine's. */
export function clockFromEnv(env: NodeJS.ProcessEnv = process.env): Clock {
  const v = env.JISR_CLOCK?.trim();
  return v ? clockStartingAt(v) : systemClock;
}
