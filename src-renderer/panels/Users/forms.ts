/**
 * The user-management forms checked before they are sent: the username rule comes from the contract, a new
 * password must be typed twice. The password rules themselves (length) are the main process's: its refusal
 * names the rule and is shown as is.
 */
import { Role, Username, type User } from "../../../src-main/common/api/governance";

export interface NewUserForm {
  username: string;
  displayName: string;
  role: Role;
  password: string;
  confirm: string;
}

export const EMPTY_NEW_USER: NewUserForm = { username: "", displayName: "", role: "viewer", password: "", confirm: "" };

export type NewUserParams = { username: string; password: string; role: Role; displayName?: string };

export function checkNewUser(f: NewUserForm): { params: NewUserParams } | { error: string } {
  const name = Username.safeParse(f.username.trim());
  if (!name.success) return { error: `username: ${name.error.issues[0]?.message ?? "not allowed"}` };
  if (!Role.safeParse(f.role).success) return { error: `role: one of ${Role.options.join(", ")}` };
  const password = checkPasswordPair(f.password, f.confirm);
  if (password) return { error: password };
  const displayName = f.displayName.trim();
  if (displayName.length > 100) return { error: "display name: at most 100 characters" };
  return { params: { username: name.data, password: f.password, role: f.role, ...(displayName ? { displayName } : {}) } };
}

/** Null when the two entries are a usable pair. */
export function checkPasswordPair(password: string, confirm: string): string | null {
  if (password.length === 0) return "password: enter the initial password";
  if (password.length > 1024) return "password: at most 1024 characters";
  if (password !== confirm) return "password: the two entries differ";
  return null;
}

/** Admins first, then by name; disabled accounts last. */
export function sortUsers(users: readonly User[]): User[] {
  const rank = (u: User) => (u.disabled ? 10 : 0) + (Role.options.length - 1 - Role.options.indexOf(u.role));
  return [...users].sort((a, b) => rank(a) - rank(b) || a.username.localeCompare(b.username));
}

/** The admin may not take away their own admin role or disable themselves (the main process refuses the last admin too). */
export function isSelf(u: Pick<User, "id">, me: Pick<User, "id"> | null): boolean {
  return me !== null && u.id === me.id;
}
