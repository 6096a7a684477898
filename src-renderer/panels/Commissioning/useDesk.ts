/**
 * The commissioning panel's data: the desk's status and the IO list (polled while the panel is shown: the IO
 * list once a second, the status every few seconds), the suites (once, and on demand), and the run in
 * progress or the latest one, followed through `commissioning.progress` and `commissioning.runChanged` events
 * (validated against the contract) with its results fetched when it ends. Polls never overlap.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { commissioningEvents, type CommissioningStatus, type IoRow, type RunDetail, type RunPosition, type RunSummary, type SuiteInfo } from "../../../src-main/common/api/commissioning";
import { call } from "../../api/request";
import { connectApi } from "../../api/transport";

const IO_POLL_MS = 1_000;
const STATUS_POLL_MS = 3_000;

export const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Calls `load` now and every `ms` while mounted, never two at once; the latest answer or error wins. */
function usePoll<T>(load: () => Promise<T>, ms: number): { data: T | null; error: string | null; refresh(): void } {
  const [state, setState] = useState<{ data: T | null; error: string | null }>({ data: null, error: null });
  const busy = useRef(false);
  const alive = useRef(true);
  const refresh = useCallback(() => {
    if (busy.current) return;
    busy.current = true;
    load()
      .then((data) => alive.current && setState({ data, error: null }))
      .catch((err: unknown) => alive.current && setState((s) => ({ data: s.data, error: errorText(err) })))
      .finally(() => (busy.current = false));
  }, [load]);
  useEffect(() => {
    alive.current = true;
    refresh();
    const timer = setInterval(refresh, ms);
    return () => {
      alive.current = false;
      clearInterval(timer);
    };
  }, [refresh, ms]);
  return { ...state, refresh };
}

const loadStatus = () => call(connectApi(), "commissioning.status", {});
const loadIo = () => call(connectApi(), "commissioning.io", {});

export function useDeskStatus(): { status: CommissioningStatus | null; error: string | null; refresh(): void } {
  const { data, error, refresh } = usePoll(loadStatus, STATUS_POLL_MS);
  return { status: data, error, refresh };
}

/** The IO list with live values; only polled while `enabled` (the desk has a plant). */
export function useIoList(enabled: boolean): { rows: IoRow[]; plantTimeS: number | null; error: string | null; refresh(): void } {
  const load = useCallback(() => (enabled ? loadIo() : Promise.resolve({ plantTimeS: null, rows: [] })), [enabled]);
  const { data, error, refresh } = usePoll(load, IO_POLL_MS);
  return { rows: data?.rows ?? [], plantTimeS: data?.plantTimeS ?? null, error, refresh };
}

export function useSuites(enabled: boolean): { suites: SuiteInfo[]; error: string | null; reload(): void } {
  const [state, setState] = useState<{ suites: SuiteInfo[]; error: string | null }>({ suites: [], error: null });
  const reload = useCallback(() => {
    if (!enabled) return;
    call(connectApi(), "commissioning.suites", {}).then(
      ({ suites }) => setState({ suites, error: null }),
      (err: unknown) => setState((s) => ({ ...s, error: errorText(err) })),
    );
  }, [enabled]);
  useEffect(reload, [reload]);
  return { ...state, reload };
}

export interface RunView {
  /** The run in progress, or the latest one. */
  run: RunSummary | null;
  /** Where the run in progress is (from the newest step-started event). */
  position: RunPosition | null;
  /** Results of the run shown (the tests finished so far while it runs). */
  detail: RunDetail | null;
}

/** Follows runs: `initial` is the status's run (on opening the panel); events keep it current. */
export function useRun(initial: RunSummary | null): RunView & { follow(run: RunSummary): void } {
  const [view, setView] = useState<RunView>({ run: null, position: null, detail: null });
  const shown = useRef<string | null>(null);

  const fetchDetail = useCallback((runId: string) => {
    call(connectApi(), "commissioning.result", { runId }).then(
      (detail) => shown.current === runId && setView((v) => ({ ...v, detail })),
      () => undefined,
    );
  }, []);

  const follow = useCallback(
    (run: RunSummary) => {
      if (shown.current !== run.id) {
        shown.current = run.id;
        setView({ run, position: run.position ?? null, detail: null });
      } else {
        setView((v) => ({ ...v, run, position: run.state === "running" ? (run.position ?? v.position) : null }));
      }
      fetchDetail(run.id);
    },
    [fetchDetail],
  );

  useEffect(() => {
    if (initial && shown.current === null) follow(initial);
  }, [initial, follow]);

  useEffect(() => {
    const client = connectApi();
    const offChanged = client.on("commissioning.runChanged", (raw) => {
      const r = commissioningEvents["commissioning.runChanged"].safeParse(raw);
      if (r.success) follow(r.data);
    });
    const offProgress = client.on("commissioning.progress", (raw) => {
      const p = commissioningEvents["commissioning.progress"].safeParse(raw);
      if (!p.success || p.data.runId !== shown.current) return;
      const event = p.data;
      if (event.kind === "step-started") setView((v) => ({ ...v, position: event.position }));
      if (event.kind === "test-finished") fetchDetail(event.runId);
    });
    return () => {
      offChanged();
      offProgress();
    };
  }, [follow, fetchDetail]);

  return { ...view, follow };
}
