/**
 * Turns an incoming envelope into a response: checks the envelope, the method and its params against the
 * contract, runs the handler, and turns every failure into an error reply. It never throws, so a
 * malformed message cannot take the host down.
 */
import {
  ApiError,
  RequestMessage,
  requests,
  type Method,
  type Params,
  type ResponseMessage,
  type Result,
} from "../common/api/contract";
import { formatPath } from "../common/scene/parse";

/** Who is calling: one per API connection (a WebSocket or the Electron window), stable for its lifetime. */
export interface CallContext {
  /** e.g. `ws:3` or `ipc:1`. */
  connectionId: string;
  transport: "ws" | "ipc" | "in-process";
  /**
   * The session token of this connection's latest request envelope. The dispatcher keeps it here so that the
   * host can tell whether the connection is logged in before it pushes events to it.
   */
  session?: string;
}

/** One handler per contract method; the compiler checks the set is complete. */
export type ApiHandlers = { [M in Method]: (params: Params<M>, ctx: CallContext) => Result<M> | Promise<Result<M>> };

export interface Dispatcher {
  handle(raw: unknown, ctx: CallContext): Promise<ResponseMessage>;
}

const MAX_MESSAGE_BYTES = 1_000_000;

export function createDispatcher(handlers: ApiHandlers, onError?: (err: unknown, method: string) => void): Dispatcher {
  return {
    async handle(raw, ctx) {
      let message: unknown = raw;
      if (typeof raw === "string") {
        if (raw.length > MAX_MESSAGE_BYTES) return fail(null, "bad_message", `message too large (${raw.length} bytes, limit ${MAX_MESSAGE_BYTES})`);
        try {
          message = JSON.parse(raw);
        } catch (err) {
          return fail(null, "bad_message", `not JSON: ${(err as Error).message}`);
        }
      }
      const envelope = RequestMessage.safeParse(message);
      if (!envelope.success) {
        const id = idOf(message);
        return fail(id, "bad_message", "not a request envelope {type: \"request\", id, method, params}", envelope.error.issues.map(toIssue));
      }
      const { id, method } = envelope.data;
      ctx.session = envelope.data.session;
      if (!Object.hasOwn(requests, method)) {
        return fail(id, "unknown_method", `unknown method "${method}"; known: ${Object.keys(requests).join(", ")}`);
      }
      const spec = requests[method as Method];
      const params = spec.params.safeParse(envelope.data.params ?? {});
      if (!params.success) {
        return fail(id, "invalid_params", `${method}: invalid params`, params.error.issues.map(toIssue));
      }
      try {
        const handler = handlers[method as Method] as (p: unknown, c: CallContext) => unknown;
        const result = await handler(params.data, ctx);
        return { type: "response", id, ok: true, result };
      } catch (err) {
        if (err instanceof ApiError) return fail(id, err.code, err.message, err.issues);
        onError?.(err, method);
        return fail(id, "failed", `${method} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
  };
}

function fail(id: number | null, code: ApiError["code"], message: string, issues?: ApiError["issues"]): ResponseMessage {
  return { type: "response", id, ok: false, error: issues ? { code, message, issues } : { code, message } };
}

function idOf(message: unknown): number | null {
  if (message && typeof message === "object" && "id" in message) {
    const id = (message as { id: unknown }).id;
    if (typeof id === "number" && Number.isInteger(id) && id >= 0) return id;
  }
  return null;
}

function toIssue(issue: { path: PropertyKey[]; message: string }) {
  return { path: formatPath(issue.path), message: issue.message };
}
