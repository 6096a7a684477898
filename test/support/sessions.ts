/**
 * Logins for tests of the real runtime: the first admin is created through the public `auth.setupAdmin`
 * method (as the first-run page does), other users through `users.create`, each logged in with `auth.login`.
 */
import type { Role } from "../../src-main/common/api/governance";
import type { ScryptCost } from "../../src-main/governance/passwords";
import type { TwinRuntime } from "../../src-main/runtime/twin-runtime";

/** Cheap scrypt for tests (the product's default is OWASP's minimum, N = 2^17). */
export const TEST_PASSWORD_COST: ScryptCost = { N: 2 ** 12, r: 8, p: 1 };
export const TEST_PASSWORD = "correct horse battery";

/** Creates the first admin on a fresh runtime and returns its session token. */
export async function setupAdmin(runtime: TwinRuntime, username = "admin"): Promise<string> {
  const grant = await runtime.handlers["auth.setupAdmin"]({ username, password: TEST_PASSWORD }, { session: undefined } as never);
  return grant.token;
}

/** Creates a user with `role` (as the admin) and returns a session token of it. */
export async function userSession(runtime: TwinRuntime, adminToken: string, username: string, role: Role): Promise<string> {
  await runtime.handlers["users.create"]({ username, password: TEST_PASSWORD, role }, { session: adminToken } as never);
  const grant = await runtime.handlers["auth.login"]({ username, password: TEST_PASSWORD }, { session: undefined } as never);
  return grant.token;
}

/** The call context an in-process handler call needs for a session. */
export function as(session: string): never {
  return { connectionId: "test", transport: "in-process", session } as never;
}
