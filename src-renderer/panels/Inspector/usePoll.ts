/**
 * Asks the host for something now and again every `periodMs` while mounted and `key` stays the same.
 * The next request is only scheduled once the previous answer is in, so a slow host is never flooded.
 */
import { useEffect, useRef, useState } from "react";

export interface Polled<T> {
  data: T | null;
  error: string | null;
}

export function usePoll<T>(key: string | null, periodMs: number, fetch: () => Promise<T>): Polled<T> {
  const [state, setState] = useState<Polled<T> & { key: string | null }>({ key: null, data: null, error: null });
  // The latest `fetch` (it is rebuilt every render); `key` alone says when what it asks for changes.
  const latest = useRef(fetch);
  latest.current = fetch;
  useEffect(() => {
    if (key === null) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      try {
        const data = await latest.current();
        if (!stopped) setState({ key, data, error: null });
      } catch (err) {
        if (!stopped) setState((s) => ({ key, data: s.key === key ? s.data : null, error: err instanceof Error ? err.message : String(err) }));
      }
      if (!stopped) timer = setTimeout(() => void run(), periodMs);
    };
    void run();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [key, periodMs]);
  return state.key === key ? state : { data: null, error: null };
}
