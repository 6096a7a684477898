/**
 * One typed request with its answer checked against the contract's result schema (the slow path: once per
 * connect, or a few times a minute for panels that poll).
 */
import type { z } from "zod";
import { ApiError, requests, type Method, type Result } from "../../src-main/common/api/contract";
import type { ApiClient } from "../../src-main/common/api/client";

const unauthorisedListeners = new Set<(err: ApiError) => void>();

/** Told of every call refused with `unauthorised` (the session layer returns to the login page). */
export function onUnauthorised(listener: (err: ApiError) => void): () => void {
  unauthorisedListeners.add(listener);
  return () => unauthorisedListeners.delete(listener);
}

export async function call<M extends Method>(client: ApiClient, method: M, params: Parameters<ApiClient["request"]>[1]) {
  let raw: unknown;
  try {
    raw = await client.request(method, params as never);
  } catch (err) {
    if (err instanceof ApiError && err.code === "unauthorised") for (const l of unauthorisedListeners) l(err);
    throw err;
  }
  const parsed = (requests[method].result as z.ZodType).safeParse(raw);
  if (!parsed.success) {
    throw new ApiError("bad_message", `${method}: the host's answer does not match the contract (${parsed.error.message})`);
  }
  return parsed.data as Result<M>;
}
