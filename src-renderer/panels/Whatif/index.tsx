/**
 * The what-if panel: pick or create a scenario, edit its timeline of edits (setpoint changes, disturbances,
 * faults, parameter overrides), run it against the baseline from the live estimate (optionally Monte Carlo
 * over the estimator's posterior) with a progress bar and cancel, compare on a trend with 90 % bands and a
 * KPI table, and propose its setpoints; or ask the optimiser for a recommendation.
 */
import { useCallback, useState } from "react";
import type { Scenario } from "../../../src-main/common/whatif/schema";
import { call } from "../../api/request";
import { connectApi } from "../../api/transport";
import { roleAtLeast } from "../../stores/auth";
import { useWorkbench } from "../../stores/workbench";
import { RecommendBox } from "./RecommendBox";
import { ResultView } from "./ResultView";
import { localNow, RunControls, stateSource, type RunOptions } from "./RunControls";
import { ScenarioEditor } from "./ScenarioEditor";
import { useWhatifInfo } from "./useWhatifInfo";
import { useWhatifJob } from "./useWhatifJob";

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

function blank(n: number): Scenario {
  return { name: `scenario-${n}`, horizonS: 3600, edits: [] };
}

export default function WhatifPanel() {
  const user = useWorkbench((s) => s.user);
  const catalog = useWhatifInfo();
  const job = useWhatifJob();
  const [draft, setDraft] = useState<Scenario>(() => blank(1));
  const [loadedFrom, setLoadedFrom] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const [options, setOptions] = useState<RunOptions>(() => ({ source: "live", at: localNow(-60_000), runs: 20, posterior: true }));
  const operator = roleAtLeast(user?.role, "operator");

  const pick = useCallback((name: string) => {
    setNotice(null);
    call(connectApi(), "whatif.scenarios.get", { name }).then(
      (r) => {
        setDraft(r.scenario);
        setLoadedFrom(name);
      },
      (err: unknown) => setNotice({ text: message(err), error: true }),
    );
  }, []);

  const act = (what: () => Promise<string>) => {
    setBusy(true);
    setNotice(null);
    what().then(
      (text) => setNotice({ text, error: false }),
      (err: unknown) => setNotice({ text: message(err), error: true }),
    ).finally(() => setBusy(false));
  };

  const info = catalog.info;
  const objective = info?.objective ? `minimise ${info.objective.terms.map((t) => `${t.weight}·${t.kpi}`).join(" + ")} over ${info.objective.setpoints.join(", ")}` : null;

  return (
    <section className="whatif-panel" data-testid="whatif-panel">
      <div className="whatif-left">
        {catalog.error ? (
          <p className="whatif-error" data-testid="whatif-error">
            {catalog.error}
          </p>
        ) : null}
        {info ? (
          <>
            <ScenarioEditor
              info={info}
              scenarios={catalog.scenarios}
              draft={draft}
              loadedFrom={loadedFrom}
              canSave={operator}
              busy={busy}
              notice={notice}
              onPick={pick}
              onNew={() => {
                setDraft(blank(catalog.scenarios.length + 1));
                setLoadedFrom(null);
                setNotice(null);
              }}
              onChange={setDraft}
              onSave={() =>
                act(async () => {
                  await call(connectApi(), "whatif.scenarios.save", { scenario: draft });
                  setLoadedFrom(draft.name);
                  return `Saved "${draft.name}".`;
                })
              }
              onDelete={() =>
                act(async () => {
                  const { deleted } = await call(connectApi(), "whatif.scenarios.delete", { name: draft.name });
                  if (deleted) setLoadedFrom(null);
                  return deleted ? `Deleted "${draft.name}".` : `"${draft.name}" was not saved.`;
                })
              }
            />
            <RunControls
              options={options}
              onOptions={setOptions}
              job={job.job}
              starting={job.starting}
              liveDetail={info.liveState.detail}
              onRun={() =>
                job.start(() =>
                  call(connectApi(), "whatif.study.start", {
                    scenarios: [draft],
                    from: stateSource(options),
                    ...(options.runs > 1 ? { monteCarlo: { runs: options.runs, posterior: options.posterior } } : {}),
                  }),
                )
              }
              onCancel={job.cancel}
            />
            {job.error ? (
              <p className="whatif-error" data-testid="run-error">
                {job.error}
              </p>
            ) : null}
            <RecommendBox canPropose={operator} objective={objective} />
          </>
        ) : catalog.error ? null : (
          <p className="whatif-hint">loading…</p>
        )}
      </div>
      <div className="whatif-right">
        {job.result?.kind === "study" ? (
          <ResultView key={job.result.study.jobId} study={job.result.study} canPropose={operator} fetchOutputs={job.fetchOutputs} />
        ) : (
          <p className="whatif-hint whatif-empty">{job.job?.state === "running" ? "Running…" : "Run a scenario to compare it with the baseline."}</p>
        )}
      </div>
    </section>
  );
}
