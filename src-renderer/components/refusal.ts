/**
 * What a failed request says, for showing next to the action that caused it. A governance refusal
 * (ApiError code `refused`) carries one issue per rule broken, `path` naming the rule: each is shown
 * verbatim, as the main process wrote it. Shared by the Approvals, Audit and Users panels.
 */
import { ApiError } from "../../src-main/common/api/contract";

export interface Problem {
  /** `refused`, `unauthorised`, `invalid_params`, `failed`, … or `error` for anything not from the API. */
  code: string;
  message: string;
  /** Each rule (or field) and its reason. */
  issues: { rule: string; message: string }[];
}

export function problemOf(err: unknown): Problem {
  if (err instanceof ApiError) {
    return { code: err.code, message: err.message, issues: (err.issues ?? []).map((i) => ({ rule: i.path, message: i.message })) };
  }
  if (err instanceof Error) return { code: "error", message: err.message, issues: [] };
  return { code: "error", message: String(err), issues: [] };
}
