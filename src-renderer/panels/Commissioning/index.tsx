/**
 * The Commissioning panel: virtual commissioning of the simulated plant this workbench started. The IO list
 * with live and forced values and per-signal faults on the left; the suites beside the scene, the run in
 * progress and its results (with HTML and JUnit reports to download) on the right. Viewers watch; engineers
 * force, inject faults, drop the connection and run suites. Refusals show the host's message verbatim.
 */
import { useCallback, useState } from "react";
import type { FaultSpecInput } from "../../../src-main/common/api/commissioning";
import { call } from "../../api/request";
import { connectApi } from "../../api/transport";
import { roleAtLeast } from "../../stores/auth";
import { useWorkbench } from "../../stores/workbench";
import { download, formatPlantTime } from "./format";
import { IoTable, type IoActions } from "./IoTable";
import { RunView } from "./RunView";
import { SuiteList, type RunRequest } from "./SuiteList";
import { errorText, useDeskStatus, useIoList, useRun, useSuites } from "./useDesk";

export default function CommissioningPanel() {
  const role = useWorkbench((s) => s.user?.role);
  const canAct = roleAtLeast(role, "engineer");
  const { status, error: statusError } = useDeskStatus();
  const available = status?.available === true;
  const io = useIoList(available);
  const refreshIo = io.refresh;
  const suites = useSuites(available);
  const run = useRun(status?.run ?? null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [dropSeconds, setDropSeconds] = useState("5");

  /** Runs one action; its refusal (or failure) is shown verbatim, the IO list refreshed after it. */
  const act = useCallback(
    (work: () => Promise<unknown>) => {
      setBusy(true);
      setProblem(null);
      work()
        .catch((err: unknown) => setProblem(errorText(err)))
        .finally(() => {
          setBusy(false);
          refreshIo();
        });
    },
    [refreshIo],
  );
  const client = connectApi();
  const actions: IoActions = {
    force: (tag, value) => act(() => call(client, "commissioning.force", { tag, value })),
    release: (tag) => act(() => call(client, "commissioning.unforce", { tags: [tag] })),
    inject: (fault: FaultSpecInput) => act(() => call(client, "commissioning.injectFault", { fault })),
    clear: (tag) => act(() => call(client, "commissioning.clearFaults", { tags: [tag] })),
    problem: setProblem,
  };
  const start = (request: RunRequest) => act(() => call(client, "commissioning.run", request).then(run.follow));
  const exportReport = (format: "html" | "junit") =>
    run.run && act(() => call(client, "commissioning.report", { runId: run.run!.id, format }).then((r) => download(r.fileName, r.mimeType, r.content)));
  const forcedCount = io.rows.filter((r) => r.forced !== undefined).length;
  const faultCount = io.rows.filter((r) => r.fault).length;

  return (
    <section className="panel cx-panel" data-testid="commissioning-panel" data-available={status ? String(available) : "unknown"}>
      <header className="panel-header">
        <h2>Commissioning</h2>
        {status?.available && (
          <span className="panel-sub" data-testid="commissioning-status">
            plant {formatPlantTime(io.plantTimeS ?? status.plantTimeS)} · ×{status.speed ?? "?"} · {status.connected ? "plant server connected" : "plant server not answering"} · {forcedCount} forced · {faultCount} faulted
          </span>
        )}
        {available && canAct && (
          <span className="cx-drop">
            <input className="cx-input cx-short" value={dropSeconds} onChange={(e) => setDropSeconds(e.target.value)} title="Plant seconds without a connection" />
            <button
              className="ghost"
              data-testid="drop-connection"
              disabled={busy}
              onClick={() => {
                const seconds = Number(dropSeconds);
                if (!(seconds > 0)) setProblem(`connection loss: "${dropSeconds}" is not a positive number of seconds`);
                else act(() => call(client, "commissioning.dropConnection", { seconds }));
              }}
            >
              Drop connection
            </button>
          </span>
        )}
      </header>
      {!status && !statusError && <p className="cx-note">Asking the host…</p>}
      {statusError && <pre className="cx-problem">{statusError}</pre>}
      {status && !available && (
        <p className="cx-note" data-testid="commissioning-unavailable">
          {status.reason}
        </p>
      )}
      {problem && (
        <pre className="cx-problem" data-testid="commissioning-problem">
          {problem}
        </pre>
      )}
      {available && (
        <div className="cx-body">
          <div className="cx-io-pane">
            {io.error && <pre className="cx-problem">{io.error}</pre>}
            <IoTable rows={io.rows} canAct={canAct} busy={busy} actions={actions} />
          </div>
          <div className="cx-side">
            <h3 className="cx-heading">Suites</h3>
            {suites.error && <pre className="cx-problem">{suites.error}</pre>}
            <SuiteList suites={suites.suites} canRun={canAct} running={run.run?.state === "running" || busy} onRun={start} />
            {run.run && (
              <RunView run={run.run} position={run.position} detail={run.detail} canAct={canAct} busy={busy} onCancel={() => act(() => call(client, "commissioning.cancel", { runId: run.run!.id }))} onExport={exportReport} />
            )}
          </div>
        </div>
      )}
    </section>
  );
}
