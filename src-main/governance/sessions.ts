/**
 * Login sessions: a random token per login, known to the main process only by its SHA-256. A session ends at
 * logout, after a period without requests (inactivity), or at an absolute lifetime. In memory on purpose:
 * restarting the workbench logs everyone out.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Clock } from "./clock";

export interface SessionOptions {
  /** A session without requests for this long ends. Default 30 minutes. */
  idleTimeoutMs: number;
  /** A session ends this long after login whatever happens. Default 12 hours. */
  maxLifetimeMs: number;
}

export const DEFAULT_SESSION_OPTIONS: SessionOptions = { idleTimeoutMs: 30 * 60_000, maxLifetimeMs: 12 * 3_600_000 };

export interface Session {
  /** A short public id for the audit trail (not the token). */
  id: string;
  userId: number;
  createdAt: number;
  lastSeenAt: number;
}

export type SessionEnd = "idle" | "lifetime";

export class Sessions {
  private readonly byTokenHash = new Map<string, Session>();

  constructor(
    private readonly clock: Clock,
    readonly options: SessionOptions = DEFAULT_SESSION_OPTIONS,
    private readonly onExpired: (session: Session, why: SessionEnd) => void = () => {},
  ) {}

  open(userId: number): { token: string; session: Session } {
    const token = randomBytes(32).toString("base64url");
    const now = this.clock();
    const session: Session = { id: randomBytes(6).toString("hex"), userId, createdAt: now, lastSeenAt: now };
    this.byTokenHash.set(hashToken(token), session);
    return { token, session };
  }

  /**
   * The live session of `token`, or null. `touch` counts the request as activity (polling by the UI should
   * not keep a session alive, so passive requests resolve without touching).
   */
  resolve(token: string | undefined, touch = true): Session | null {
    if (!token) return null;
    const key = hashToken(token);
    const session = this.byTokenHash.get(key);
    if (!session) return null;
    const why = this.endOf(session);
    if (why) {
      this.byTokenHash.delete(key);
      this.onExpired(session, why);
      return null;
    }
    if (touch) session.lastSeenAt = this.clock();
    return session;
  }

  /** When the session ends if nothing more happens. */
  expiresAt(session: Session): number {
    return Math.min(session.lastSeenAt + this.options.idleTimeoutMs, session.createdAt + this.options.maxLifetimeMs);
  }

  close(token: string): Session | null {
    const key = hashToken(token);
    const session = this.byTokenHash.get(key) ?? null;
    this.byTokenHash.delete(key);
    return session;
  }

  /** Ends every session of a user (disabled, role changed); returns how many. */
  closeAllOf(userId: number): number {
    let n = 0;
    for (const [key, s] of this.byTokenHash) {
      if (s.userId === userId) {
        this.byTokenHash.delete(key);
        n++;
      }
    }
    return n;
  }

  /** Ends sessions that ran out; call now and then so expiries are audited even without a request. */
  sweep(): void {
    for (const [key, s] of this.byTokenHash) {
      const why = this.endOf(s);
      if (why) {
        this.byTokenHash.delete(key);
        this.onExpired(s, why);
      }
    }
  }

  count(): number {
    return this.byTokenHash.size;
  }

  private endOf(s: Session): SessionEnd | null {
    const now = this.clock();
    if (now - s.createdAt >= this.options.maxLifetimeMs) return "lifetime";
    if (now - s.lastSeenAt >= this.options.idleTimeoutMs) return "idle";
    return null;
  }
}

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
