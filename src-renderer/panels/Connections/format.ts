/** Wording and number formats of the connections panel (pure). */
import type { BlockedBecause, CertificateTrust, ConnectionInfo, PlantConnectionState } from "../../../src-main/common/api/connections";

export const STATE_LABEL: Record<PlantConnectionState, string> = {
  connecting: "connecting",
  connected: "connected",
  stalled: "stalled",
  reconnecting: "reconnecting",
  "certificate-untrusted": "certificate?",
  blocked: "blocked",
  disconnected: "disconnected",
};

export const TRUST_LABEL: Record<CertificateTrust, string> = {
  trusted: "trusted",
  pending: "awaiting decision",
  rejected: "rejected",
  expired: "expired",
  "not-yet-valid": "not yet valid",
  undecided: "not decided",
};

export const BLOCKED_LABEL: Record<BlockedBecause, string> = {
  untrusted: "not trusted yet",
  rejected: "rejected",
  expired: "expired",
  "not-yet-valid": "not yet valid",
};

/** Whether the retry button means something in this state (a connected link has nothing to retry). */
export function mayRetry(state: PlantConnectionState): boolean {
  return state !== "connected" && state !== "disconnected";
}

export function formatRate(perS: number): string {
  if (perS >= 10_000) return `${(perS / 1000).toFixed(0)} k/s`;
  if (perS >= 1000) return `${(perS / 1000).toFixed(1)} k/s`;
  return `${perS.toFixed(perS < 10 ? 1 : 0)} /s`;
}

function ms(value: number): string {
  return value < 10 ? value.toFixed(1) : String(Math.round(value));
}

/** Median and 95th percentile, e.g. `4.2 / 18 ms`; a dash before any value. */
export function formatLatency(p50: number | null, p95: number | null): string {
  if (p50 === null) return "–";
  return p95 === null ? `${ms(p50)} ms` : `${ms(p50)} / ${ms(p95)} ms`;
}

/** A timestamp as local date and time to the second. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function formatIsoDate(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? formatTime(ms) : iso;
}

/** A thumbprint in byte pairs, as UaExpert and Windows show it. */
export function formatThumbprint(thumbprint: string): string {
  return thumbprint.replace(/(..)(?!$)/g, "$1:");
}

/** The CN of a subject such as `CN=PLC 1, O=Acme`, or the whole subject. */
export function commonName(subject: string): string {
  return /(?:^|,\s*)CN=([^,]+)/.exec(subject)?.[1] ?? subject;
}

export function identityText(identity: ConnectionInfo["identity"]): string {
  return identity.kind === "anonymous" ? "anonymous" : `user ${identity.user ?? "?"}`;
}

export function securityText(c: { securityMode: string; securityPolicy: string }): string {
  return c.securityMode === "None" ? "None" : `${c.securityMode} · ${c.securityPolicy}`;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
