/**
 * Data a panel keeps fresh: loaded on mount, again every `pollMs`, and at once when one of `events` arrives
 * (its payload checked against the contract; events carry ids only, so the details come from role-checked
 * requests). Refreshes never overlap: a trigger during one schedules one more. The last good value stays on
 * screen when a refresh fails, beside the error.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { events as contractEvents, type EventName } from "../../src-main/common/api/contract";
import { connectApi } from "./transport";

export interface RefreshingQuery<T> {
  /** Null until the first load succeeded. */
  value: T | null;
  /** The first load finished (with a value or an error). */
  loaded: boolean;
  /** Why the latest refresh failed, or null. */
  error: unknown;
  refresh(): void;
}

/** `load` and `events` must be stable (module-level), as they key the effect. */
export function useRefreshingQuery<T>(load: () => Promise<T>, pollMs: number, events: readonly EventName[]): RefreshingQuery<T> {
  const [data, setData] = useState<Omit<RefreshingQuery<T>, "refresh">>({ value: null, loaded: false, error: null });
  const running = useRef(false);
  const again = useRef(false);
  const alive = useRef(true);

  const refresh = useCallback(() => {
    if (running.current) {
      again.current = true;
      return;
    }
    running.current = true;
    load()
      .then((value) => {
        if (alive.current) setData({ value, loaded: true, error: null });
      })
      .catch((err: unknown) => {
        if (alive.current) setData((d) => ({ ...d, loaded: true, error: err }));
      })
      .finally(() => {
        running.current = false;
        if (again.current && alive.current) {
          again.current = false;
          refresh();
        }
      });
  }, [load]);

  useEffect(() => {
    alive.current = true;
    const client = connectApi();
    refresh();
    const offs = events.map((name) =>
      client.on(name, (payload) => {
        if (contractEvents[name].safeParse(payload).success) refresh();
      }),
    );
    const timer = setInterval(refresh, pollMs);
    return () => {
      alive.current = false;
      offs.forEach((off) => off());
      clearInterval(timer);
    };
  }, [refresh, pollMs, events]);

  return { ...data, refresh };
}
