/**
 * The inbox's data: open proposals, recently decided ones and open write alarms. Loaded on mount, again
 * whenever `proposals.changed` or `alarms.raised` arrives (the events carry ids only; the details come from
 * role-checked requests) and every POLL_MS (listing also lets the host expire proposals whose time ran out).
 * Refreshes never overlap: an event during a refresh schedules one more.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { governanceEvents, type Proposal, type WriteAlarm } from "../../../src-main/common/api/governance";
import { call } from "../../api/request";
import { connectApi } from "../../api/transport";
import { DECIDED_STATES, OPEN_STATES } from "./format";

const POLL_MS = 10_000;
const RECENT_LIMIT = 25;

export interface GovernanceFeed {
  open: Proposal[];
  recent: Proposal[];
  alarms: WriteAlarm[];
  loaded: boolean;
  error: string | null;
  refresh(): void;
}

export function useGovernanceFeed(): GovernanceFeed {
  const [data, setData] = useState<{ open: Proposal[]; recent: Proposal[]; alarms: WriteAlarm[]; loaded: boolean; error: string | null }>({
    open: [],
    recent: [],
    alarms: [],
    loaded: false,
    error: null,
  });
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
    Promise.all([
      call(client, "proposals.list", { states: [...OPEN_STATES], limit: 200 }),
      call(client, "proposals.list", { states: [...DECIDED_STATES], limit: RECENT_LIMIT }),
      call(client, "alarms.list", { open: true }),
    ])
      .then(([open, recent, alarms]) => {
        if (alive.current) setData({ open, recent, alarms, loaded: true, error: null });
      })
      .catch((err: unknown) => {
        if (alive.current) setData((d) => ({ ...d, loaded: true, error: err instanceof Error ? err.message : String(err) }));
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
    const client = connectApi();
    refresh();
    const offChanged = client.on("proposals.changed", (payload) => {
      if (governanceEvents["proposals.changed"].safeParse(payload).success) refresh();
    });
    const offAlarm = client.on("alarms.raised", (payload) => {
      if (governanceEvents["alarms.raised"].safeParse(payload).success) refresh();
    });
    const timer = setInterval(refresh, POLL_MS);
    return () => {
      alive.current = false;
      offChanged();
      offAlarm();
      clearInterval(timer);
    };
  }, [refresh]);

  return { ...data, refresh };
}

/** The host's clock, re-read every `periodMs` so ages and countdowns move. */
export function useNow(periodMs: number, now: () => number): number {
  const [t, setT] = useState(now);
  const latest = useRef(now);
  latest.current = now;
  useEffect(() => {
    const timer = setInterval(() => setT(latest.current()), periodMs);
    return () => clearInterval(timer);
  }, [periodMs]);
  return t;
}
