/**
 * The connections panel's data: every connection with its statistics, and the certificates holding one up.
 * Polled every POLL_MS (statistics change all the time) and at once when a connection changes state or a
 * certificate starts waiting for a decision (payloads checked against the contract). Refreshes never
 * overlap: an event during one schedules one more.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { connectionsEvents, type BlockingCertificate, type ConnectionInfo } from "../../../src-main/common/api/connections";
import { call } from "../../api/request";
import { connectApi } from "../../api/transport";
import { errorText } from "./format";

const POLL_MS = 2_000;

export interface ConnectionsFeed {
  connections: ConnectionInfo[] | null;
  blocking: BlockingCertificate[];
  error: string | null;
  refresh(): void;
}

export function useConnections(): ConnectionsFeed {
  const [data, setData] = useState<Omit<ConnectionsFeed, "refresh">>({ connections: null, blocking: [], error: null });
  const running = useRef(false);
  const again = useRef(false);
  const alive = useRef(true);

  const refresh = useCallback(() => {
    if (running.current) {
      again.current = true;
      return;
    }
    running.current = true;
    const client = connectApi();
    Promise.all([call(client, "connections.list", {}), call(client, "certificates.pending", {})])
      .then(([connections, blocking]) => {
        if (alive.current) setData({ connections, blocking, error: null });
      })
      .catch((err: unknown) => {
        if (alive.current) setData((d) => ({ ...d, error: errorText(err) }));
      })
      .finally(() => {
        running.current = false;
        if (again.current && alive.current) {
          again.current = false;
          refresh();
        }
      });
  }, []);

  useEffect(() => {
    alive.current = true;
    refresh();
    const timer = setInterval(refresh, POLL_MS);
    const client = connectApi();
    const offChanged = client.on("connections.changed", (payload) => {
      if (connectionsEvents["connections.changed"].safeParse(payload).success) refresh();
    });
    const offAwaiting = client.on("certificates.awaitingDecision", (payload) => {
      if (connectionsEvents["certificates.awaitingDecision"].safeParse(payload).success) refresh();
    });
    return () => {
      alive.current = false;
      clearInterval(timer);
      offChanged();
      offAwaiting();
    };
  }, [refresh]);

  return { ...data, refresh };
}
