/**
 * One typed request with its answer checked against the contract's result schema (the slow path: once per
 * connect, or a few times a minute for panels that poll).
 */
import type { z } from "zod";
import { ApiError, requests, type Method, type Result } from "../../src-main/common/api/contract";
import type { ApiClient } from "../../src-main/common/api/client";

export async function call<M extends Method>(client: ApiClient, method: M, params: Parameters<ApiClient["request"]>[1]) {
  const raw = await client.request(method, params as never);
  const parsed = (requests[method].result as z.ZodType).safeParse(raw);
  if (!parsed.success) {
    throw new ApiError("bad_message", `${method}: the host's answer does not match the contract (${parsed.error.message})`);
  }
  return parsed.data as Result<M>;
}
