/**
 * One what-if job followed from start to result: its progress from `whatif.progress` events (validated
 * against the contract), its end from `whatif.finished` (and a slow status poll in case an event was
 * missed), then its result fetched; more outputs of a finished study are fetched on demand.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { Result } from "../../../src-main/common/api/contract";
import { whatifEvents, type StudyResultInfo, type WhatifJob } from "../../../src-main/common/api/whatif";
import { call } from "../../api/request";
import { connectApi } from "../../api/transport";

export type JobResult = Result<"whatif.jobs.result">;

export interface JobView {
  job: WhatifJob | null;
  result: JobResult | null;
  /** The request or the job failed: the host's message, verbatim. */
  error: string | null;
  starting: boolean;
}

const POLL_MS = 2_000;
const MAX_POINTS = 360;

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function useWhatifJob() {
  const [view, setView] = useState<JobView>({ job: null, result: null, error: null, starting: false });
  const current = useRef<string | null>(null);
  const latest = useRef(view);
  latest.current = view;

  const fetchResult = useCallback((jobId: string) => {
    call(connectApi(), "whatif.jobs.result", { jobId, maxPoints: MAX_POINTS })
      .then((result) => current.current === jobId && setView((v) => ({ ...v, result })))
      .catch((err: unknown) => current.current === jobId && setView((v) => ({ ...v, error: message(err) })));
  }, []);

  /** The job whose result was asked for already (the finished event and a status poll may both say "done"). */
  const fetched = useRef<string | null>(null);

  const onJob = useCallback(
    (job: WhatifJob) => {
      if (job.id !== current.current) return;
      setView((v) => ({ ...v, job }));
      if (job.state === "done" && fetched.current !== job.id) {
        fetched.current = job.id;
        fetchResult(job.id);
      }
      if (job.state === "failed") setView((v) => ({ ...v, error: job.error ?? "the job failed" }));
    },
    [fetchResult],
  );

  useEffect(() => {
    const client = connectApi();
    const offProgress = client.on("whatif.progress", (raw) => {
      const p = whatifEvents["whatif.progress"].safeParse(raw);
      if (!p.success || p.data.jobId !== current.current) return;
      const { jobId: _id, kind: _kind, ...progress } = p.data;
      setView((v) => (v.job && v.job.state === "running" ? { ...v, job: { ...v.job, progress } } : v));
    });
    const offFinished = client.on("whatif.finished", (raw) => {
      const j = whatifEvents["whatif.finished"].safeParse(raw);
      if (j.success) onJob(j.data);
    });
    const timer = setInterval(() => {
      const id = current.current;
      if (id && latest.current.job?.state === "running") call(client, "whatif.jobs.status", { jobId: id }).then(onJob, () => undefined);
    }, POLL_MS);
    return () => {
      offProgress();
      offFinished();
      clearInterval(timer);
    };
  }, [onJob]);

  /** Starts a job with `request`; a refusal (e.g. a setpoint above its limit) shows verbatim. */
  const start = useCallback((request: () => Promise<WhatifJob>) => {
    current.current = null;
    setView({ job: null, result: null, error: null, starting: true });
    request().then(
      (job) => {
        current.current = job.id;
        setView({ job, result: null, error: null, starting: false });
      },
      (err: unknown) => setView({ job: null, result: null, error: message(err), starting: false }),
    );
  }, []);

  const cancel = useCallback(() => {
    const id = current.current;
    if (!id) return;
    call(connectApi(), "whatif.jobs.cancel", { jobId: id }).then(onJob, (err: unknown) => setView((v) => ({ ...v, error: message(err) })));
  }, [onJob]);

  /** Fetches outputs of a finished study not yet in its result, and merges them in. */
  const fetchOutputs = useCallback((outputs: string[]) => {
    const id = current.current;
    if (!id || outputs.length === 0) return;
    call(connectApi(), "whatif.jobs.result", { jobId: id, outputs, maxPoints: MAX_POINTS })
      .then((more) => {
        if (current.current !== id || more.kind !== "study") return;
        setView((v) => (v.result?.kind === "study" ? { ...v, result: { kind: "study", study: mergeSeries(v.result.study, more.study) } } : v));
      })
      .catch((err: unknown) => setView((v) => ({ ...v, error: message(err) })));
  }, []);

  return { ...view, start, cancel, fetchOutputs };
}

function mergeSeries(into: StudyResultInfo, more: StudyResultInfo): StudyResultInfo {
  return {
    ...into,
    scenarios: into.scenarios.map((s, i) => {
      const extra = (more.scenarios[i]?.series ?? []).filter((x) => !s.series.some((y) => y.output === x.output));
      return { ...s, series: [...s.series, ...extra] };
    }),
  };
}
