/**
 * The role check in front of every API method: `guardHandlers` wraps a map of handlers so that each call
 * first turns the envelope's session token into a user, then checks the method's required role, and only
 * then runs the handler (which receives the AuthContext). Methods without a declared role are refused when
 * the guard is built: the check fails closed.
 */
import { ApiError } from "../common/api/contract";
import type { Access, Role } from "../common/api/governance";
import type { AuthContext } from "./auth";
import { Refusal } from "./refusal";
import { grants } from "./roles";

/** What the transport passes along with the params: the `session` field of the request envelope. */
export interface CallContext {
  session?: string;
}

export interface SessionResolver {
  /** `touch`: whether this request counts as activity that keeps the session alive. */
  resolve(token: string | undefined, touch: boolean): AuthContext | null;
}

export interface GuardOptions {
  /** Methods the UI calls by itself (polling): they do not keep a session alive. */
  passive?: ReadonlySet<string>;
  /** Role of a caller without a session. Default null: every non-public method needs a login. */
  anonymousRole?: Role | null;
  /** Told of every refused call (to audit it). */
  onRefused?: (method: string, auth: AuthContext | null, required: Access) => void;
}

type Handler = (params: never, auth: AuthContext | null) => unknown;

export type GuardedHandlers<H extends Record<string, Handler>> = {
  [K in keyof H]: (params: Parameters<H[K]>[0], call?: CallContext) => Promise<Awaited<ReturnType<H[K]>>>;
};

export function guardHandlers<H extends Record<string, Handler>>(
  handlers: H,
  requiredRoleByMethod: { readonly [K in keyof H]: Access },
  sessions: SessionResolver,
  options: GuardOptions = {},
): GuardedHandlers<H> {
  const passive = options.passive ?? new Set<string>();
  const guarded: Record<string, (params: unknown, call?: CallContext) => Promise<unknown>> = {};
  for (const method of Object.keys(handlers)) {
    const access = (requiredRoleByMethod as Record<string, Access | undefined>)[method];
    if (access === undefined) throw new Error(`guardHandlers: no required role declared for "${method}"; every method needs one`);
    const handler = handlers[method] as unknown as (params: unknown, auth: AuthContext | null) => unknown;
    guarded[method] = async (params, call) => {
      const auth = sessions.resolve(call?.session, !passive.has(method));
      const role = auth?.user.role ?? options.anonymousRole ?? null;
      if (!grants(access, role)) {
        options.onRefused?.(method, auth, access);
        const message = auth
          ? `${method} needs role ${access} or above; ${auth.user.username} is ${auth.user.role}`
          : `${method} needs a login (no session, or it expired)`;
        throw new ApiError("unauthorised", message, [{ path: auth ? "role" : "session", message }]);
      }
      try {
        return await handler(params, auth);
      } catch (err) {
        throw err instanceof Refusal ? refusalToApiError(method, err) : err;
      }
    };
  }
  return guarded as GuardedHandlers<H>;
}

/**
 * A governance refusal as the API reports it: the message names the rules, and `issues` lists each reason
 * under its rule, so the inbox can show them one by one.
 */
export function refusalToApiError(method: string, refusal: Refusal): ApiError {
  return new ApiError("refused", `${method} refused: ${refusal.message}`, refusal.reasons.map((message) => ({ path: refusal.rule, message })));
}
