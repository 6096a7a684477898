/**
 * Local accounts: who exists, their role, whether they may log in. Passwords are only ever stored as scrypt
 * hashes. Every change is audited in the same transaction as the change.
 */
import { randomBytes } from "node:crypto";
import type Database from "better-sqlite3";
import type { Role, User } from "../common/api/governance";
import { Username } from "../common/api/governance";
import { actorName, assertActor, type Actor } from "./actor";
import type { AuditLog } from "./audit-log";
import type { Clock } from "./clock";
import { DEFAULT_SCRYPT_COST, hashPassword, passwordProblem, verifyPassword, type ScryptCost } from "./passwords";
import { Refusal } from "./refusal";

interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  disabled: number;
  created_at: number;
  created_by: string;
  last_login_at: number | null;
}

export interface NewUser {
  username: string;
  password: string;
  role: Role;
  displayName?: string;
}

export class UserDirectory {
  constructor(
    private readonly db: Database.Database,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly cost: ScryptCost = DEFAULT_SCRYPT_COST,
  ) {}

  /** No account exists yet: the only thing allowed is creating the first admin. */
  setupRequired(): boolean {
    return (this.db.prepare("SELECT count(*) AS n FROM users").get() as { n: number }).n === 0;
  }

  /** First run: creates the first admin. Refused once any account exists (there is no default password). */
  async setupAdmin(input: Omit<NewUser, "role">): Promise<User> {
    if (!this.setupRequired()) throw Refusal.of("setup", "setup: an admin already exists; log in instead");
    const hash = await this.checkedHash(input.username, input.password);
    return this.db.transaction(() => {
      // Checked again after the (slow) hash: two first-run requests must not both create an admin.
      if (!this.setupRequired()) throw Refusal.of("setup", "setup: an admin already exists; log in instead");
      const user = this.insert({ ...input, role: "admin" }, hash, "system:setup");
      this.audit.append({ actor: "system:setup", action: "auth.setup-admin", target: `user:${user.username}`, after: publicFields(user) });
      return user;
    })();
  }

  async create(actor: Actor, input: NewUser): Promise<User> {
    assertActor(actor);
    const hash = await this.checkedHash(input.username, input.password);
    return this.db.transaction(() => {
      if (this.byUsername(input.username)) throw Refusal.of("usernameTaken", `user ${input.username}: the username is taken`);
      const user = this.insert(input, hash, actorName(actor));
      this.audit.append({ actor: actorName(actor), action: "user.created", target: `user:${user.username}`, after: publicFields(user) });
      return user;
    })();
  }

  setRole(actor: Actor, userId: number, role: Role): User {
    assertActor(actor);
    return this.db.transaction(() => {
      const before = this.require(userId);
      if (before.role === "admin" && role !== "admin") this.keepAnAdmin(before, `demote ${before.username}`);
      this.db.prepare("UPDATE users SET role = ? WHERE id = ?").run(role, userId);
      const after = this.require(userId);
      this.audit.append({ actor: actorName(actor), action: "user.role-changed", target: `user:${after.username}`, before: { role: before.role }, after: { role } });
      return after;
    })();
  }

  disable(actor: Actor, userId: number, reason: string): User {
    assertActor(actor);
    return this.db.transaction(() => {
      const before = this.require(userId);
      if (before.role === "admin") this.keepAnAdmin(before, `disable ${before.username}`);
      this.db.prepare("UPDATE users SET disabled = 1 WHERE id = ?").run(userId);
      const after = this.require(userId);
      this.audit.append({ actor: actorName(actor), action: "user.disabled", target: `user:${after.username}`, before: { disabled: before.disabled }, after: { disabled: true }, reason });
      return after;
    })();
  }

  enable(actor: Actor, userId: number): User {
    assertActor(actor);
    return this.db.transaction(() => {
      const before = this.require(userId);
      this.db.prepare("UPDATE users SET disabled = 0 WHERE id = ?").run(userId);
      const after = this.require(userId);
      this.audit.append({ actor: actorName(actor), action: "user.enabled", target: `user:${after.username}`, before: { disabled: before.disabled }, after: { disabled: false } });
      return after;
    })();
  }

  /** An admin sets someone's password (e.g. forgotten). */
  async resetPassword(actor: Actor, userId: number, password: string): Promise<User> {
    assertActor(actor);
    const user = this.require(userId);
    const hash = await this.checkedHash(user.username, password);
    return this.db.transaction(() => {
      this.db.prepare("UPDATE users SET password_hash = ? WHERE id = ?").run(hash, userId);
      this.audit.append({ actor: actorName(actor), action: "user.password-reset", target: `user:${user.username}` });
      return this.require(userId);
    })();
  }

  /** A user changes their own password; the current one is required. */
  async changePassword(userId: number, current: string, next: string): Promise<void> {
    const user = this.require(userId);
    if (!(await this.checkPassword(userId, current))) throw Refusal.of("reauthentication", `user ${user.username}: the current password is wrong`);
    const hash = await this.checkedHash(user.username, next);
    this.db.transaction(() => {
      this.db.prepare("UPDATE users SET password_hash = ? WHERE id = ?").run(hash, userId);
      this.audit.append({ actor: user.username, action: "auth.password-changed", target: `user:${user.username}` });
    })();
  }

  /** Whether `password` is this user's. Always runs scrypt, so timing does not tell which users exist. */
  async checkPassword(userId: number | null, password: string): Promise<boolean> {
    const row = userId === null ? undefined : (this.db.prepare("SELECT password_hash FROM users WHERE id = ?").get(userId) as { password_hash: string } | undefined);
    const ok = await verifyPassword(password, row?.password_hash ?? (await this.decoyHash()));
    return ok && row !== undefined;
  }

  recordLogin(userId: number): void {
    this.db.prepare("UPDATE users SET last_login_at = ? WHERE id = ?").run(this.clock(), userId);
  }

  list(): User[] {
    return (this.db.prepare("SELECT * FROM users ORDER BY username").all() as UserRow[]).map(toUser);
  }

  get(userId: number): User | null {
    const row = this.db.prepare("SELECT * FROM users WHERE id = ?").get(userId) as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  byUsername(username: string): User | null {
    const row = this.db.prepare("SELECT * FROM users WHERE username = ?").get(username.trim().toLowerCase()) as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  private require(userId: number): User {
    const user = this.get(userId);
    if (!user) throw Refusal.of("notFound", `user #${userId}: no such user`);
    return user;
  }

  /** Nobody may remove the last enabled admin: the installation would have no one to manage it. */
  private keepAnAdmin(user: User, what: string): void {
    const others = this.db.prepare("SELECT count(*) AS n FROM users WHERE role = 'admin' AND disabled = 0 AND id != ?").get(user.id) as { n: number };
    if (!user.disabled && others.n === 0) throw Refusal.of("lastAdmin", `${what}: refused, ${user.username} is the last enabled admin`);
  }

  private async checkedHash(username: string, password: string): Promise<string> {
    const name = Username.safeParse(username);
    if (!name.success) throw Refusal.of("username", `username "${username}": ${name.error.issues[0]?.message ?? "invalid"}`);
    const problem = passwordProblem(password, username);
    if (problem) throw Refusal.of("passwordRule", problem);
    return hashPassword(password, this.cost);
  }

  private insert(input: Omit<NewUser, "role"> & { role: Role }, hash: string, createdBy: string): User {
    const r = this.db
      .prepare("INSERT INTO users (username, display_name, role, password_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)")
      .run(input.username, input.displayName?.trim() || input.username, input.role, hash, this.clock(), createdBy);
    return this.require(Number(r.lastInsertRowid));
  }

  private decoy: Promise<string> | undefined;
  /** A hash of nothing, with the same cost, to verify against when the user does not exist. */
  private decoyHash(): Promise<string> {
    this.decoy ??= hashPassword(randomBytes(18).toString("base64url"), this.cost);
    return this.decoy;
  }
}

function toUser(r: UserRow): User {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    disabled: r.disabled === 1,
    createdAt: r.created_at,
    createdBy: r.created_by,
    lastLoginAt: r.last_login_at,
  };
}

/** What the audit trail records of a user (never the hash). */
function publicFields(u: User): Record<string, unknown> {
  return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, disabled: u.disabled };
}
