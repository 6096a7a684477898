/** Who does something: a logged-in user, or a part of the system (the optimiser, the policy, the write path). */
import type { Role } from "../common/api/governance";

export type Actor =
  | { kind: "user"; userId: number; username: string; role: Role }
  | { kind: "system"; name: "optimiser" | "what-if" | "policy" | "auto-approve" | "write-path" | "host" | "setup" };

export type UserActor = Extract<Actor, { kind: "user" }>;

/** The actor as the audit trail names it: a username, or `system:<name>`. */
export function actorName(actor: Actor): string {
  return actor.kind === "user" ? actor.username : `system:${actor.name}`;
}

const SYSTEM_NAMES = new Set(["optimiser", "what-if", "policy", "auto-approve", "write-path", "host", "setup"]);

/** Refuses anything that is not an Actor (the API is typed, but plug-ins and scripts are JavaScript). */
export function assertActor(actor: unknown): asserts actor is Actor {
  const a = actor as Partial<Record<string, unknown>> | null;
  const ok =
    !!a &&
    ((a.kind === "user" && typeof a.userId === "number" && typeof a.username === "string" && typeof a.role === "string") ||
      (a.kind === "system" && typeof a.name === "string" && SYSTEM_NAMES.has(a.name)));
  if (!ok) throw new TypeError("not an actor: expected { kind: 'user', userId, username, role } or { kind: 'system', name }");
}

export const system = (name: Extract<Actor, { kind: "system" }>["name"]): Actor => ({ kind: "system", name });
