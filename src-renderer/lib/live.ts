import { useEffect, useRef } from 'react';
import { api } from '../api/client';
import type { ChangedEntity } from '../../src-main/shared/api/changes.contract';

/**
 * Live refresh (issue 17: several workstations, one registry). While a screen that shows registry data is open, it
 * is told when the registry changed — a colleague saved, an import ran — and reloads; a screen that names the
 * tables it shows (`topics`) reloads only when one of them changed.
 *
 * How it is told:
 * - In a browser (the web bridge, the office network, a workstation's bridge relaying the main PC): one event stream
 *   per tab (POST /api/events, src-main/web/events.ts) with the same credentials as the calls; each message says
 *   which tables (and records) changed and the latest change number. No polling while the stream is up.
 * - When the stream breaks (main PC restarted, network cut, session changed), it is opened again after 1, 2, 4 … up
 *   to 30 s (with jitter), asking for what changed since the last number it saw (nothing is missed); meanwhile a
 *   slow poll (`changes.since` every SLOW_POLL_MS) keeps the screens roughly current.
 * - Where there is no stream (the window, whose calls go over IPC), the poll runs every POLL_MS.
 * One stream (or poll) for all screens; none when no screen listens.
 */
export const POLL_MS = 1000;
export const SLOW_POLL_MS = 10_000;
export const BACKOFF_MS = [1000, 2000, 4000, 8000, 16_000, 30_000];

/** A table a screen shows (`'training_sessions'`), or one record of it (`{ entity: 'applicants', id }`). */
export type LiveTopic = string | { entity: string; id: string };

/** What changed: the tables (null: not known, every screen reloads). */
interface ChangeSet {
  seq: number;
  changes: ChangedEntity[] | null;
}

type Listener = { topics: readonly LiveTopic[] | null; fn: () => void };
const listeners = new Set<Listener>();
let cursor: number | null = null;
let generation = 0;
let abort: AbortController | null = null;
let pollTimer: ReturnType<typeof setTimeout> | null = null;
let retryTimer: ReturnType<typeof setTimeout> | null = null;
let attempt = 0;
/** The stream is up: no poll runs. */
let streaming = false;
let unsubscribeSession: (() => void) | null = null;
let running = false;
/** Going from one screen to the next keeps the stream: it is closed a moment after the last screen left. */
let idleTimer: ReturnType<typeof setTimeout> | null = null;
const LINGER_MS = 5000;

/** Whether a change set concerns a screen showing `topics` (null: everything). */
export function concerns(topics: readonly LiveTopic[] | null, changes: ChangedEntity[] | null): boolean {
  if (!topics || !changes) return true;
  return changes.some((c) =>
    topics.some((t) => (typeof t === 'string' ? t === c.entity : t.entity === c.entity && (c.ids === null || c.ids.includes(t.id)))),
  );
}

function tell(set: ChangeSet) {
  for (const l of [...listeners]) if (listeners.has(l) && concerns(l.topics, set.changes)) l.fn();
}

/** A message of the stream or an answer of the poll: moves the cursor, tells the screens concerned. */
function received(seq: number, changes: ChangedEntity[] | null, truncated: boolean) {
  if (cursor === null) {
    cursor = seq;
    return;
  }
  // A number lower than the cursor: the main PC's registry was restored; everything is reloaded.
  const all = truncated || seq < cursor;
  if (seq === cursor && !changes?.length && !all) return;
  cursor = seq;
  tell({ seq, changes: all ? null : changes });
}

async function poll(gen: number) {
  pollTimer = null;
  try {
    // The lock-free number first (never queued behind a running save); what changed only when it moved.
    const { seq } = await api.call('changes.latest', {}, { silent: true });
    if (gen !== generation) return;
    if (cursor === null) cursor = seq;
    else if (seq !== cursor) {
      const r = await api.call('changes.since', { after: cursor }, { silent: true });
      if (gen === generation) received(r.seq, r.changes, r.truncated);
    }
  } catch {
    // unreachable or logged out: the screens keep what they show; the next poll tries again
  }
  if (gen === generation && listeners.size && !streaming && !pollTimer) pollTimer = setTimeout(() => void poll(gen), api.kind === 'http' ? SLOW_POLL_MS : POLL_MS);
}

/** A refusal of the stream that concerns the whole app: the same as a call's (pairing screen, login screen). */
function refusedBy(code: string | undefined) {
  if (code !== 'network.device_revoked' && code !== 'network.unpaired' && code !== 'auth.session_expired') return;
  // Nothing more to listen to until a screen subscribes again (after pairing again, or logging in).
  halt();
  api.refused({ code });
}

/** Reads `event: …` / `data: …` blocks of a text/event-stream body until it ends. */
async function readStream(res: Response, gen: number): Promise<void> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done || gen !== generation) return;
    buffer += decoder.decode(value, { stream: true });
    let at: number;
    while ((at = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, at);
      buffer = buffer.slice(at + 2);
      let event = 'message';
      let data = '';
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data += line.slice(5).trim();
      }
      if (event === 'end') {
        // The stream was ended for a reason the whole app must hear (device revoked, session ended).
        if (data) refusedBy((JSON.parse(data) as { code?: string }).code);
        return;
      }
      if (!data) continue;
      const d = JSON.parse(data) as { seq: number; changes?: ChangedEntity[]; truncated?: boolean };
      if (event === 'hello') {
        if (cursor === null) cursor = d.seq;
        else received(d.seq, [], false);
      } else if (event === 'changes') received(d.seq, d.changes ?? null, d.truncated ?? false);
    }
  }
}

async function connect(gen: number) {
  retryTimer = null;
  abort = new AbortController();
  let opened = false;
  try {
    const res = await api.openEvents(cursor, abort.signal);
    if (gen !== generation) return;
    if (!res) {
      // No stream here (the window): the poll does the work. In a browser: no session or no pairing, nothing to hear.
      if (api.kind !== 'http') void poll(gen);
      return;
    }
    if (!res.ok) {
      try {
        refusedBy(((await res.json()) as { error?: { code?: string } }).error?.code);
      } catch {
        /* not a coded refusal */
      }
    } else if (res.body) {
      opened = true;
      streaming = true;
      attempt = 0;
      if (pollTimer) clearTimeout(pollTimer);
      pollTimer = null;
      await readStream(res, gen);
    }
  } catch {
    // network cut, main PC off, aborted
  }
  if (gen !== generation) return;
  streaming = false;
  // Broken or refused: the slow poll while the stream is tried again, later and later.
  if (!pollTimer) pollTimer = setTimeout(() => void poll(gen), opened ? 0 : SLOW_POLL_MS);
  const wait = BACKOFF_MS[Math.min(attempt++, BACKOFF_MS.length - 1)];
  retryTimer = setTimeout(() => void connect(gen), wait / 2 + Math.random() * (wait / 2));
}

function start() {
  const gen = ++generation;
  streaming = false;
  void connect(gen);
}

function stop() {
  generation++;
  abort?.abort();
  abort = null;
  if (pollTimer) clearTimeout(pollTimer);
  if (retryTimer) clearTimeout(retryTimer);
  pollTimer = retryTimer = null;
  streaming = false;
  attempt = 0;
  cursor = null;
}

/** Stops listening at once (the device or the session is gone); the next screen to subscribe starts again. */
let halted = false;
function halt() {
  halted = true;
  stop();
}

function subscribe(l: Listener): () => void {
  listeners.add(l);
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  if (!running) {
    running = true;
    // Another user logging in on this tab: the stream is opened again with the new session.
    unsubscribeSession = api.onSessionChanged(() => {
      stop();
      halted = false;
      start();
    });
    start();
  } else if (halted) {
    halted = false;
    start();
  }
  return () => {
    listeners.delete(l);
    if (!listeners.size && !idleTimer) {
      idleTimer = setTimeout(() => {
        idleTimer = null;
        if (listeners.size) return;
        running = false;
        halted = false;
        unsubscribeSession?.();
        unsubscribeSession = null;
        stop();
      }, LINGER_MS);
    }
  };
}

/**
 * Calls `onChange` whenever the registry changed (anyone's save) while the calling screen is shown; with `topics`,
 * only when one of those tables (or records) changed.
 */
export function useLiveChanges(onChange: () => void, enabled = true, topics?: readonly LiveTopic[]): void {
  const ref = useRef(onChange);
  ref.current = onChange;
  const key = topics ? JSON.stringify(topics) : null;
  useEffect(() => {
    if (!enabled) return;
    return subscribe({ topics: key ? (JSON.parse(key) as LiveTopic[]) : null, fn: () => ref.current() });
  }, [enabled, key]);
}
