import { randomBytes } from 'node:crypto';

export interface AuthSessionRecord {
  userId: string;
  createdAt: number;
  lastSeen: number;
}

/** Auth sessions (logins; not training sessions, see core/sessions) of one core (one process). Tokens are random and never stored on disk. */
export class AuthSessionStore {
  private readonly sessions = new Map<string, AuthSessionRecord>();
  constructor(
    private readonly now: () => number,
    /** A session unused this long is ended (the UI locks the screen much sooner). */
    private readonly idleMs = 12 * 60 * 60 * 1000,
  ) {}

  create(userId: string): string {
    const token = randomBytes(32).toString('base64url');
    const t = this.now();
    this.sessions.set(token, { userId, createdAt: t, lastSeen: t });
    return token;
  }

  /** Returns the user id of a live session and refreshes it. */
  touch(token: string): string | null {
    const s = this.sessions.get(token);
    if (!s) return null;
    const t = this.now();
    if (t - s.lastSeen > this.idleMs) {
      this.sessions.delete(token);
      return null;
    }
    s.lastSeen = t;
    return s.userId;
  }

  end(token: string): void {
    this.sessions.delete(token);
  }

  endAllFor(userId: string): void {
    for (const [t, s] of this.sessions) if (s.userId === userId) this.sessions.delete(t);
  }
}
