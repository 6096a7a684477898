/** The role ladder: viewer < operator < engineer < admin. Each role may do what the roles below it may. */
import type { Access, Role } from "../common/api/governance";

export const ROLES: readonly Role[] = ["viewer", "operator", "engineer", "admin"];

const RANK: Record<Role, number> = { viewer: 0, operator: 1, engineer: 2, admin: 3 };

/** True when `role` is `required` or above it. */
export function atLeast(role: Role, required: Role): boolean {
  return RANK[role] >= RANK[required];
}

/** True when a caller with `role` (null: no session) may use something guarded by `access`. */
export function grants(access: Access, role: Role | null): boolean {
  if (access === "public") return true;
  return role !== null && atLeast(role, access);
}
