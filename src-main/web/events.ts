import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Core } from '../core/core';
import type { Actor } from '../core/context';
import type { ChangesSince } from '../shared/api/changes.contract';
import type { Result } from '../shared/errors';
import { sendJson } from './http';

/**
 * The live refresh's event stream (issue 17): instead of every screen asking "did anything change?" every second,
 * the main PC (office network) and the web bridge keep one response open per tab and say, when the registry
 * changed, *what* changed — the tables (and records) touched and the latest change number — so a screen reloads only
 * when a table it shows changed.
 *
 *   POST /api/events  {after: number | null}  → text/event-stream
 *     event: hello    data: {"seq": N}                                  (after = null: where the stream starts)
 *     event: changes  data: {"seq": N, "changes": [{entity, seq, ids}], "truncated": false}
 *     event: end      data: {"code": "auth.session_expired"}            (the stream is over: reconnect or log in)
 *     : ping                                                             (every HEARTBEAT_MS: the stream is alive)
 *
 * A POST, not an EventSource GET: the request carries the same credentials as the API's calls (the web bridge's
 * key and the session in headers; on the office network the device's signature too), never a token in the URL.
 * Every message is the answer of an authenticated `changes.since` made with the listener's own session (and, on
 * the office network, after the device was checked again): a session that ended, a user deactivated or a device
 * revoked ends the stream at the next message or heartbeat.
 */
export const HEARTBEAT_MS = 20_000;
const WATCHER: Actor = { kind: 'cli', osUser: 'live-refresh' };

/** What changed between two numbers, read once for every open stream of a door. */
export interface ChangeDiff {
  from: number;
  value: ChangesSince;
}

/**
 * The change number, watched for the open streams of one door: one lock-free `changes.latest` every `everyMs`
 * while at least one stream is open (none otherwise), and soon after a call through the door (`poke`). When it
 * moved, what changed is read once (`changes.since` from the last number) and handed to every stream, which checks
 * its own session and device before passing it on. Writes made by another process on the same file (the CLI, an
 * import) are seen at the next tick.
 */
export class ChangeWatch {
  private readonly subs = new Set<(d: ChangeDiff) => void>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private soon: ReturnType<typeof setTimeout> | null = null;
  private last = -1;
  private running = false;
  private again = false;
  constructor(
    private readonly core: Pick<Core, 'call'>,
    private readonly everyMs = 250,
  ) {}

  get size(): number {
    return this.subs.size;
  }

  subscribe(fn: (d: ChangeDiff) => void): () => void {
    this.subs.add(fn);
    if (!this.timer) {
      this.timer = setInterval(() => this.tick(), this.everyMs);
      this.timer.unref?.();
    }
    return () => {
      this.subs.delete(fn);
      if (!this.subs.size && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    };
  }

  /** After a call through the door: its change is told within a few milliseconds (several calls, one look). */
  poke(): void {
    if (!this.subs.size || this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = null;
      this.tick();
    }, 10);
  }

  private tick(): void {
    if (!this.subs.size) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.look().finally(() => {
      this.running = false;
      if (this.again) {
        this.again = false;
        this.tick();
      }
    });
  }

  private async look(): Promise<void> {
    const r = await this.core.call('changes.latest', {}, { actor: WATCHER });
    if (!r.ok || r.value.seq === this.last) return;
    if (this.last < 0) {
      // The first look: where the watch starts. A stream that started before it asks for itself (from -1).
      this.last = r.value.seq;
      for (const s of [...this.subs]) s({ from: -1, value: { seq: this.last, changes: [], truncated: false } });
      return;
    }
    const from = this.last;
    const d = await this.core.call('changes.since', { after: from }, { actor: WATCHER });
    if (!d.ok) return;
    this.last = d.value.seq;
    for (const s of [...this.subs]) s({ from, value: d.value });
  }

  close(): void {
    this.subs.clear();
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
    this.timer = this.soon = null;
  }
}

/** `{after}` of a stream request: a change number, or null (start from now). Undefined when the body is not that. */
export function parseEventsBody(raw: Buffer): { after: number | null } | undefined {
  try {
    const b = JSON.parse(raw.toString('utf8')) as { after?: unknown };
    if (!b || typeof b !== 'object' || Array.isArray(b)) return undefined;
    if (b.after === null || b.after === undefined) return { after: null };
    if (typeof b.after === 'number' && Number.isSafeInteger(b.after) && b.after >= 0) return { after: b.after };
  } catch {
    /* not JSON */
  }
  return undefined;
}

export interface ChangeStreamOptions {
  after: number | null;
  /** `changes.since` with the listener's own credentials (the session; the workstation's name on the office network). */
  since(after: number): Promise<Result<ChangesSince>>;
  /**
   * The listener's session checked without the database (lock-free `changes.latest` with its token): before a
   * change read once for every stream is passed on. A refusal ends the stream.
   */
  alive(): Promise<Result<unknown>>;
  /** Checked before every message and heartbeat besides the session: a refusal code ends the stream (revoked device). */
  check?(): Promise<string | null>;
  watch: ChangeWatch;
  /** The door's own headers (HSTS on the office network). */
  headers?: Record<string, string>;
  heartbeatMs?: number;
  /** `check` also on its own this often (the office network: a revoked workstation is told within about a second). */
  checkEveryMs?: number;
}

/**
 * Serves one stream until the client goes away or its credentials stop being good. The first `since` is the door's
 * check: refused (no session, expired) → a coded JSON refusal (401), no stream opened.
 */
export async function serveChangeStream(req: IncomingMessage, res: ServerResponse, o: ChangeStreamOptions): Promise<void> {
  const blocked = (await o.check?.()) ?? null;
  if (blocked) return sendJson(res, 401, { ok: false, error: { code: blocked } }, o.headers);
  // `after` null: where the stream starts (a number past the last: nothing listed, the latest number answered).
  const first = await o.since(o.after ?? Number.MAX_SAFE_INTEGER);
  if (!first.ok) return sendJson(res, first.error.code === 'auth.forbidden' ? 403 : 401, first, o.headers);
  // The client went away meanwhile (the request itself is 'destroyed' once its body was read: not a sign).
  if (res.destroyed || !res.socket || res.socket.destroyed) return;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    connection: 'keep-alive',
    ...o.headers,
  });
  res.socket?.setNoDelay(true);
  let cursor = first.value.seq;
  let closed = false;
  const write = (event: string, data: unknown) => {
    if (!closed) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  if (o.after === null) write('hello', { seq: cursor });
  else if (first.value.changes.length || first.value.seq !== o.after) write('changes', first.value);

  let running = false;
  let again = false;
  const end = (code: string) => {
    write('end', { code });
    stop();
    res.end();
  };
  /**
   * Passes on what changed since the cursor: the watch's shared reading when it starts at the cursor (the session
   * checked in memory), else the stream's own `changes.since` (the session checked by the call). `ping`: the
   * heartbeat, always a full call, written as a comment when nothing changed.
   */
  let queued: ChangeDiff | null = null;
  const push = async (diff: ChangeDiff | null, ping: boolean) => {
    if (closed) return;
    if (running) {
      again = true;
      queued = diff ?? queued;
      return;
    }
    running = true;
    try {
      const no = (await o.check?.()) ?? null;
      if (no) return end(no);
      let value: ChangesSince;
      if (diff && diff.from === cursor && !ping) {
        const a = await o.alive();
        if (!a.ok) return end(a.error.code);
        value = diff.value;
      } else {
        const r = await o.since(cursor);
        if (!r.ok) return end(r.error.code);
        value = r.value;
      }
      if (closed) return;
      if (value.changes.length || value.seq !== cursor) {
        cursor = value.seq;
        write('changes', value);
      } else if (ping) res.write(': ping\n\n');
    } catch {
      end('internal.unexpected');
    } finally {
      running = false;
      if (again && !closed) {
        again = false;
        const next = queued;
        queued = null;
        void push(next, false);
      }
    }
  };
  const unsubscribe = o.watch.subscribe((d) => {
    if (d.value.seq !== cursor) void push(d, false);
  });
  const heartbeat = setInterval(() => void push(null, true), o.heartbeatMs ?? HEARTBEAT_MS);
  heartbeat.unref?.();
  let checking = false;
  const checker =
    o.check && o.checkEveryMs
      ? setInterval(() => {
          if (checking || closed) return;
          checking = true;
          void o.check!()
            .then((no) => {
              if (no && !closed) end(no);
            })
            .catch(() => undefined)
            .finally(() => (checking = false));
        }, o.checkEveryMs)
      : null;
  checker?.unref?.();
  function stop() {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearInterval(heartbeat);
    if (checker) clearInterval(checker);
  }
  // The response's close: the client went away (the request's own 'close' only says its body was read).
  res.on('close', stop);
  // A change between the first `since` and the subscription is not missed.
  o.watch.poke();
}
