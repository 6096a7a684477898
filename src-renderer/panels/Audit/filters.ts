/**
 * The audit viewer's filter form turned into an `audit.list` / `audit.export` filter, and the helpers around
 * it (paging, export file names, compact values). Pure functions.
 */
import type { AuditEntry, AuditFilter } from "../../../src-main/common/api/governance";

/** What the form holds: text as typed; times as `datetime-local` strings (local time, "2025-03-04T13:05"). */
export interface AuditFilterForm {
  actor: string;
  /** An exact action, or a prefix ending in "." (e.g. "proposal."). */
  action: string;
  target: string;
  since: string;
  until: string;
}

export const EMPTY_FORM: AuditFilterForm = { actor: "", action: "", target: "", since: "", until: "" };

/** Common action families, offered as suggestions (any exact action or prefix may be typed). */
export const ACTION_PREFIXES = ["proposal.", "write.", "alarm.", "auth.", "user.", "audit.", "policy.", "scene.", "certificate.", "api."] as const;

export type FilterResult = { filter: Omit<AuditFilter, "limit" | "afterSeq"> } | { error: string };

/** A `datetime-local` value as Unix ms in the local time zone; null when empty, NaN when unreadable. */
export function parseLocalTime(text: string): number | null {
  const t = text.trim();
  if (t === "") return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(t);
  if (!m) return NaN;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x))) as [number, number, number, number, number, number];
  const date = new Date(y, mo - 1, d, h, mi, s);
  // new Date rolls 31 February over into March: refuse instead of silently moving the range.
  if (date.getFullYear() !== y || date.getMonth() !== mo - 1 || date.getDate() !== d || date.getHours() !== h || date.getMinutes() !== mi) return NaN;
  return date.getTime();
}

/** The inverse of parseLocalTime, for filling the form ("2025-03-04T13:05"). */
export function toLocalInput(t: number): string {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function toAuditFilter(form: AuditFilterForm): FilterResult {
  const filter: Omit<AuditFilter, "limit" | "afterSeq"> = {};
  const actor = form.actor.trim();
  const action = form.action.trim();
  const target = form.target.trim();
  if (actor) filter.actor = actor;
  if (action) filter.action = action;
  if (target) filter.target = target;
  if (actor.length > 100 || action.length > 100) return { error: "actor and action: at most 100 characters" };
  if (target.length > 200) return { error: "target: at most 200 characters" };
  const since = parseLocalTime(form.since);
  const until = parseLocalTime(form.until);
  if (since !== null && Number.isNaN(since)) return { error: `from: "${form.since}" is not a date and time` };
  if (until !== null && Number.isNaN(until)) return { error: `to: "${form.until}" is not a date and time` };
  if (since !== null) filter.since = since;
  // The form's minutes are inclusive: "to 13:05" keeps entries of 13:05:59.
  if (until !== null) filter.until = until + 59_999;
  if (since !== null && until !== null && since > until) return { error: "the time range ends before it starts" };
  return { filter };
}

export function isFiltered(filter: Omit<AuditFilter, "limit" | "afterSeq">): boolean {
  return Object.values(filter).some((v) => v !== undefined);
}

/**
 * Forward paging by sequence number: the trail is listed oldest first, a page ends at its last entry's seq.
 * `starts` holds the afterSeq of every page seen so far, so "previous" goes back without a reverse query.
 */
export interface Paging {
  starts: readonly number[];
}

export const FIRST_PAGE: Paging = { starts: [0] };

export function currentStart(p: Paging): number {
  return p.starts[p.starts.length - 1] ?? 0;
}

export function nextPage(p: Paging, page: readonly AuditEntry[], limit: number): Paging | null {
  const last = page[page.length - 1];
  if (!last || page.length < limit) return null;
  return { starts: [...p.starts, last.seq] };
}

export function previousPage(p: Paging): Paging | null {
  return p.starts.length > 1 ? { starts: p.starts.slice(0, -1) } : null;
}

/**
 * The newest page of an unfiltered trail: sequence numbers run 1…n without gaps in an intact trail, so the
 * last `limit` entries start after n − limit. (With a filter the seqs have gaps; page forward instead.)
 */
export function newestPage(entries: number, limit: number): Paging {
  const start = Math.max(0, entries - limit);
  return start === 0 ? FIRST_PAGE : { starts: [0, start] };
}

/** "twinbench-audit-20250304-1305.csv" */
export function exportFileName(format: "csv" | "json", now: number): string {
  const d = new Date(now);
  const p = (n: number) => String(n).padStart(2, "0");
  return `twinbench-audit-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}.${format}`;
}

export const EXPORT_MIME = { csv: "text/csv;charset=utf-8", json: "application/json" } as const;

/** A JSON value on one line, cut to `max` characters; "" for null. */
export function compact(v: unknown, max = 120): string {
  if (v === null || v === undefined) return "";
  let text: string;
  try {
    text = typeof v === "string" ? v : (JSON.stringify(v) ?? String(v));
  } catch {
    text = String(v);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** "a1b2c3d4…" — enough of a hash to compare by eye. */
export function shortHash(hash: string): string {
  return hash.length > 12 ? `${hash.slice(0, 10)}…` : hash;
}

/** "13:05:09" for an entry of today (local time), "2025-03-04 13:05:09" otherwise. */
export function formatAuditTime(t: number, now: number): string {
  const d = new Date(t);
  const today = new Date(now);
  const p = (n: number) => String(n).padStart(2, "0");
  const time = `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  const sameDay = d.getFullYear() === today.getFullYear() && d.getMonth() === today.getMonth() && d.getDate() === today.getDate();
  return sameDay ? time : `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${time}`;
}
