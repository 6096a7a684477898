/**
 * The inbox's data: open proposals, recently decided ones and open write alarms. Loaded on mount, again
 * whenever `proposals.changed` or `alarms.raised` arrives (the events carry ids only; the details come from
 * role-checked requests) and every POLL_MS (listing also lets the host expire proposals whose time ran out).
 * Refreshes never overlap: an event during a refresh schedules one more.
 */
import { useEffect, useRef, useState } from "react";
import type { Proposal, WriteAlarm } from "../../../src-main/common/api/governance";
import { call } from "../../api/request";
import { connectApi } from "../../api/transport";
import { useRefreshingQuery } from "../../api/useRefreshingQuery";
import { DECIDED_STATES, OPEN_STATES } from "./format";

const POLL_MS = 10_000;
const RECENT_LIMIT = 25;
const EVENTS = ["proposals.changed", "alarms.raised"] as const;

export interface GovernanceFeed {
  open: Proposal[];
  recent: Proposal[];
  alarms: WriteAlarm[];
  loaded: boolean;
  error: string | null;
  refresh(): void;
}

async function loadFeed() {
  const client = connectApi();
  const [open, recent, alarms] = await Promise.all([
    call(client, "proposals.list", { states: [...OPEN_STATES], limit: 200 }),
    call(client, "proposals.list", { states: [...DECIDED_STATES], limit: RECENT_LIMIT }),
    call(client, "alarms.list", { open: true }),
  ]);
  return { open, recent, alarms };
}

export function useGovernanceFeed(): GovernanceFeed {
  const q = useRefreshingQuery(loadFeed, POLL_MS, EVENTS);
  return {
    open: q.value?.open ?? [],
    recent: q.value?.recent ?? [],
    alarms: q.value?.alarms ?? [],
    loaded: q.loaded,
    error: q.error === null ? null : q.error instanceof Error ? q.error.message : String(q.error),
    refresh: q.refresh,
  };
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
