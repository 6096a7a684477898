/**
 * The History panel's requests: chart series for the tags and range on screen (the previous answer stays
 * shown while the next one loads, and a late answer to an older question is dropped), and the validation
 * state of every tag, refreshed when the host says it changed and every few seconds.
 */
import { useEffect, useRef, useState } from "react";
import type { Result } from "../../../src-main/common/api/contract";
import { historyEvents, type TagValidation } from "../../../src-main/common/api/history";
import { call } from "../../api/request";
import { connectApi } from "../../api/transport";

export type HistoryAnswer = Result<"history.query">;

export interface SeriesState {
  data: HistoryAnswer | null;
  loading: boolean;
  error: string | null;
}

/** Waits this long after the last change (a wheel turn, a drag) before asking. */
const SETTLE_MS = 120;

/** `generation`: bump it to ask again for the same tags and range (after an import). */
export function useHistorySeries(tagIds: readonly string[], from: number, to: number, maxPoints: number, generation = 0): SeriesState {
  const [state, setState] = useState<SeriesState>({ data: null, loading: false, error: null });
  const asked = useRef(0);
  const key = tagIds.length === 0 ? null : JSON.stringify([tagIds, from, to, maxPoints, generation]);
  useEffect(() => {
    if (key === null) {
      setState({ data: null, loading: false, error: null });
      return;
    }
    const [ids, a, b, points] = JSON.parse(key) as [string[], number, number, number, number];
    const seq = ++asked.current;
    setState((s) => ({ ...s, loading: true }));
    const timer = setTimeout(() => {
      call(connectApi(), "history.query", { tagIds: ids, from: a, to: b, maxPoints: points }).then(
        (data) => {
          if (seq === asked.current) setState({ data, loading: false, error: null });
        },
        (err: unknown) => {
          if (seq === asked.current) setState((s) => ({ data: s.data, loading: false, error: err instanceof Error ? err.message : String(err) }));
        },
      );
    }, SETTLE_MS);
    return () => clearTimeout(timer);
  }, [key]);
  return state;
}

const VALIDATION_POLL_MS = 5_000;

/** Every tag's validation state; null until the first answer. */
export function useValidation(): { states: TagValidation[] | null; error: string | null } {
  const [state, setState] = useState<{ states: TagValidation[] | null; error: string | null }>({ states: null, error: null });
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let running = false;
    let again = false;
    const run = async () => {
      // One request at a time; a change announced meanwhile asks once more afterwards.
      if (running) {
        again = true;
        return;
      }
      running = true;
      clearTimeout(timer);
      try {
        const states = await call(connectApi(), "history.validation", {});
        if (!stopped) setState({ states, error: null });
      } catch (err) {
        if (!stopped) setState((s) => ({ states: s.states, error: err instanceof Error ? err.message : String(err) }));
      }
      running = false;
      if (stopped) return;
      if (again) {
        again = false;
        void run();
      } else timer = setTimeout(() => void run(), VALIDATION_POLL_MS);
    };
    const off = connectApi().on("history.validationChanged", (payload) => {
      if (historyEvents["history.validationChanged"].safeParse(payload).success) void run();
    });
    void run();
    return () => {
      stopped = true;
      clearTimeout(timer);
      off();
    };
  }, []);
  return state;
}
