/**
 * Logging in and out, first-run setup, and turning a session token into the user behind it. Every login,
 * failed login, lock and expiry is audited; failures are throttled per username.
 */
import type { SessionGrant, User } from "../common/api/governance";
import type { UserActor } from "./actor";
import type { AuditLog } from "./audit-log";
import type { Clock } from "./clock";
import type { LoginThrottle } from "./login-throttle";
import { Refusal } from "./refusal";
import type { Session, Sessions } from "./sessions";
import type { UserDirectory } from "./users";

/** Who is calling: the live session and its user as the database has it now (role changes apply at once). */
export interface AuthContext {
  session: Session;
  user: User;
  /** The token the caller presented (to log out with). */
  token: string;
}

export function userActor(auth: AuthContext): UserActor {
  return { kind: "user", userId: auth.user.id, username: auth.user.username, role: auth.user.role };
}

/** The one message for any failed login: it does not tell whether the username exists. */
const WRONG = "wrong username or password";

export class Authenticator {
  constructor(
    private readonly users: UserDirectory,
    readonly sessions: Sessions,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  /** The user behind a token, or null (none, unknown, expired, or the user was disabled meanwhile). */
  resolve(token: string | undefined, touch = true): AuthContext | null {
    const session = this.sessions.resolve(token, touch);
    if (!session || !token) return null;
    const user = this.users.get(session.userId);
    if (!user || user.disabled) {
      this.sessions.close(token);
      return null;
    }
    return { session, user, token };
  }

  whoami(auth: AuthContext | null): { setupRequired: boolean; user: User | null; expiresAt: number | null } {
    return {
      setupRequired: this.users.setupRequired(),
      user: auth?.user ?? null,
      expiresAt: auth ? this.sessions.expiresAt(auth.session) : null,
    };
  }

  async setupAdmin(input: { username: string; password: string; displayName?: string }): Promise<SessionGrant> {
    const user = await this.users.setupAdmin(input);
    return this.grant(user);
  }

  async login(username: string, password: string): Promise<SessionGrant> {
    const name = username.trim().toLowerCase();
    const wait = this.throttle.lockedFor(name);
    if (wait > 0) {
      this.audit.append({ actor: "anonymous", action: "auth.login-locked", target: `user:${name}`, reason: `locked for ${Math.ceil(wait / 1000)} s after failed logins` });
      throw Refusal.of("loginThrottle", `login ${name}: too many failed logins; try again in ${Math.ceil(wait / 1000)} s`);
    }
    const user = this.users.byUsername(name);
    const ok = await this.users.checkPassword(user?.id ?? null, password);
    if (!ok || !user || user.disabled) {
      this.throttle.failed(name);
      const why = !user ? "unknown user" : user.disabled ? "account disabled" : "wrong password";
      this.audit.append({ actor: "anonymous", action: "auth.login-failed", target: `user:${name}`, reason: why });
      throw Refusal.of("login", `login ${name}: ${WRONG}`);
    }
    this.throttle.succeeded(name);
    return this.grant(user);
  }

  logout(auth: AuthContext): void {
    this.sessions.close(auth.token);
    this.audit.append({ actor: auth.user.username, action: "auth.logout", target: `user:${auth.user.username}`, details: { session: auth.session.id } });
  }

  /**
   * The caller types their password again (approving a critical write). A wrong password is audited and
   * counts towards the login throttle, so re-entry cannot be used to guess.
   */
  async reauthenticate(auth: AuthContext, password: string | undefined, purpose: string): Promise<void> {
    const name = auth.user.username;
    if (password === undefined) throw Refusal.of("reauthentication", `${purpose}: password re-entry required`);
    const wait = this.throttle.lockedFor(name);
    if (wait > 0) throw Refusal.of("loginThrottle", `${purpose}: too many failed password entries; try again in ${Math.ceil(wait / 1000)} s`);
    if (!(await this.users.checkPassword(auth.user.id, password))) {
      this.throttle.failed(name);
      this.audit.append({ actor: name, action: "auth.reauth-failed", target: `user:${name}`, reason: purpose });
      throw Refusal.of("reauthentication", `${purpose}: password re-entry failed`);
    }
  }

  private grant(user: User): SessionGrant {
    const { token, session } = this.sessions.open(user.id);
    this.users.recordLogin(user.id);
    this.audit.append({ actor: user.username, action: "auth.login", target: `user:${user.username}`, details: { session: session.id, role: user.role } });
    return { token, user: this.users.get(user.id) ?? user, idleTimeoutMs: this.sessions.options.idleTimeoutMs, expiresAt: this.sessions.expiresAt(session) };
  }
}

/** The audit entry of a session that ran out (wired as the Sessions expiry callback). */
export function auditExpiry(audit: AuditLog, users: UserDirectory, clock: Clock) {
  return (session: Session, why: "idle" | "lifetime") => {
    const name = users.get(session.userId)?.username ?? `#${session.userId}`;
    audit.append({
      actor: "system:host",
      action: "auth.session-expired",
      target: `user:${name}`,
      reason: why === "idle" ? "inactivity" : "maximum session lifetime",
      details: { session: session.id, lastSeenAt: session.lastSeenAt, at: clock() },
    });
  };
}
