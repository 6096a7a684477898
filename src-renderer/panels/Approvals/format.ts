/** How proposals read in the inbox: values with units, changes, ages and times left, states. Pure functions. */
import type { Proposal, ProposalState, SetpointValue } from "../../../src-main/common/api/governance";
import { formatAge } from "../../format/value";

/** "42.5 °C", "ON", "—" for an unknown value. */
export function formatSetpoint(v: SetpointValue | null | undefined, unit?: string): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "boolean") return v ? "ON" : "OFF";
  const n = String(Number(v.toPrecision(6)));
  return unit ? `${n} ${unit}` : n;
}

/** "40 → 45 °C" (the unit once, at the end). */
export function formatChange(from: SetpointValue | null, to: SetpointValue, unit?: string): string {
  return `${formatSetpoint(from)} → ${formatSetpoint(to, unit)}`;
}

/** "3 min ago"; "just now" under a second. */
export function formatAgo(then: number, now: number): string {
  const ms = now - then;
  if (ms < 1_000) return "just now";
  return `${formatAge(ms)} ago`;
}

/** "in 12 min", "expired". */
export function formatTimeLeft(expiresAt: number, now: number): string {
  const ms = expiresAt - now;
  if (ms <= 0) return "expired";
  return `in ${formatAge(ms)}`;
}

/** Local date and time, "2025-03-04 13:05:09": unambiguous in an audit context. */
export function formatDateTime(t: number): string {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** States still on their way to the plant: shown in the inbox. */
export const OPEN_STATES: readonly ProposalState[] = ["proposed", "pending", "approved", "modified-and-approved", "applying"];
/** States whose story is told: shown under "Recent". */
export const DECIDED_STATES: readonly ProposalState[] = ["applied", "failed", "rejected", "expired", "superseded", "rolled-back"];

/** What happened to a proposal, in a word or two for a badge. */
export const STATE_LABEL: Readonly<Record<ProposalState, string>> = {
  proposed: "proposed",
  pending: "pending",
  approved: "approved, writing",
  "modified-and-approved": "modified, writing",
  applying: "writing",
  applied: "applied",
  failed: "FAILED",
  rejected: "rejected",
  expired: "expired",
  superseded: "superseded",
  "rolled-back": "rolled back",
};

/** Tone of a state, for its colour: grey is normal, colour means something needs a look. */
export function stateTone(s: ProposalState): "wait" | "busy" | "ok" | "bad" | "off" {
  switch (s) {
    case "proposed":
    case "pending":
      return "wait";
    case "approved":
    case "modified-and-approved":
    case "applying":
      return "busy";
    case "applied":
      return "ok";
    case "failed":
      return "bad";
    default:
      return "off";
  }
}

/** "1 of 2" approvals (a modification discards approvals of the old value, so only those of the current value count). */
export function approvalsOf(p: Pick<Proposal, "approvals" | "approvalsNeeded" | "value">): string {
  const valid = p.approvals.filter((a) => a.value === p.value).length;
  return `${valid} of ${p.approvalsNeeded}`;
}

/** The short id a person can read aloud: the first block of the UUID. */
export function shortId(id: string): string {
  const dash = id.indexOf("-");
  return dash > 0 ? id.slice(0, dash) : id.slice(0, 8);
}
