import { useEffect, useRef } from 'react';
import { api } from '../api/client';

/**
 * Live refresh (issue 17: several workstations, one registry). While a screen that shows registry data is open,
 * the latest change number is asked for every POLL_MS (the lock-free `changes.latest`, through whichever door the
 * app uses: the web bridge, the office network, the window's IPC); when it moves — a colleague saved, or an
 * import ran — every subscribed screen reloads its list, file or counts. One poll for all screens; none when no
 * screen listens; a failed poll (main PC unreachable, session ended) is simply tried again at the next tick.
 */
export const POLL_MS = 1000;

type Listener = (seq: number) => void;
const listeners = new Set<Listener>();
let timer: ReturnType<typeof setTimeout> | null = null;
let last: number | null = null;

async function tick() {
  timer = null;
  try {
    const { seq } = await api.call('changes.latest', {});
    if (last !== null && seq !== last) for (const l of [...listeners]) l(seq);
    last = seq;
  } catch {
    // unreachable or logged out: the screens keep what they show; the next tick tries again
  }
  if (listeners.size && !timer) timer = setTimeout(tick, POLL_MS);
}

function subscribe(l: Listener): () => void {
  listeners.add(l);
  if (!timer) timer = setTimeout(tick, listeners.size === 1 && last === null ? 0 : POLL_MS);
  return () => {
    listeners.delete(l);
    if (!listeners.size && timer) {
      clearTimeout(timer);
      timer = null;
      last = null;
    }
  };
}

/** Calls `onChange` whenever the registry changed (anyone's save), while the calling screen is shown. */
export function useLiveChanges(onChange: () => void, enabled = true): void {
  const ref = useRef(onChange);
  ref.current = onChange;
  useEffect(() => {
    if (!enabled) return;
    return subscribe(() => ref.current());
  }, [enabled]);
}
