/**
 * The connections panel's data: every connection with its statistics, and the certificates holding one up.
 * Polled every POLL_MS (statistics change all the time) and at once when a connection changes state or a
 * certificate starts waiting for a decision (payloads checked against the contract). Refreshes never
 * overlap: an event during one schedules one more.
 */
import type { BlockingCertificate, ConnectionInfo } from "../../../src-main/common/api/connections";
import { call } from "../../api/request";
import { connectApi } from "../../api/transport";
import { useRefreshingQuery } from "../../api/useRefreshingQuery";
import { errorText } from "./format";

const POLL_MS = 2_000;
const EVENTS = ["connections.changed", "certificates.awaitingDecision"] as const;

export interface ConnectionsFeed {
  connections: ConnectionInfo[] | null;
  blocking: BlockingCertificate[];
  error: string | null;
  refresh(): void;
}

async function loadConnections() {
  const client = connectApi();
  const [connections, blocking] = await Promise.all([call(client, "connections.list", {}), call(client, "certificates.pending", {})]);
  return { connections, blocking };
}

export function useConnections(): ConnectionsFeed {
  const q = useRefreshingQuery(loadConnections, POLL_MS, EVENTS);
  return {
    connections: q.value?.connections ?? null,
    blocking: q.value?.blocking ?? [],
    error: q.error === null ? null : errorText(q.error),
    refresh: q.refresh,
  };
}
