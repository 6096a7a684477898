/**
 * The bottom line: is what I see live? Link to the host, each plant connection and its state, update rate,
 * data age (host clock, so a skewed local clock cannot fake freshness), host type and scene. A STALE
 * warning appears when data is older than 2 s or anything is not connected. With an estimator running, its
 * loop figures (rate, p99 jitter, step time, latency) follow: data-testid="estimator-timing".
 *
 * Test hooks: data-testid="status-bar" with data-state = the first plant connection's state
 * ("disconnected" while the link to the host is down), data-stale, data-link (the session phase).
 */
import { useShallow } from "zustand/react/shallow";
import { formatAge } from "../../format/value";
import { useTick } from "../../stores/tick";
import { hostNow, isDataStale, lastValueAt, useWorkbench } from "../../stores/workbench";

const PHASE_LABEL = {
  connecting: "connecting…",
  login: "login required",
  loading: "loading…",
  live: "live",
  disconnected: "disconnected",
  error: "error",
} as const;

export function StatusBar() {
  useTick(250);
  const { phase, transport, status, appInfo, sceneName, estimating, timing } = useWorkbench(
    useShallow((s) => ({
      phase: s.phase,
      transport: s.transport,
      status: s.plantStatus,
      appInfo: s.appInfo,
      sceneName: s.scene?.name,
      estimating: s.estimationInfo?.running ?? false,
      timing: s.estimate?.timing ?? null,
    })),
  );

  const now = hostNow();
  const last = lastValueAt();
  const age = last > 0 ? now - last : Infinity;
  const stale = isDataStale(now);
  const linkUp = phase === "live";
  const firstState = linkUp ? (status?.connections[0]?.state ?? "connecting") : "disconnected";

  return (
    <footer
      className={`status-bar${stale ? " is-stale" : ""}`}
      data-testid="status-bar"
      data-state={firstState}
      data-stale={stale ? "true" : "false"}
      data-link={phase}
      role="status"
    >
      <span className={`sb-item sb-link phase-${phase}`} title="Link from this window to the Twinbench host">
        <span className="dot" />
        host {transport === "bridge" ? "IPC" : "WebSocket"} · {PHASE_LABEL[phase]}
      </span>
      {(status?.connections ?? []).map((c) => (
        <span
          key={c.id}
          className={`sb-item conn state-${linkUp ? c.state : "unknown"}`}
          title={`${c.id}: ${c.state} since ${new Date(c.since).toLocaleTimeString()}${c.lastError ? `\n${c.lastError}` : ""}${c.reconnects ? `\nreconnects: ${c.reconnects}` : ""}`}
          data-testid="connection"
          data-connection={c.id}
          data-state={c.state}
        >
          <span className="dot" />
          <strong>{c.id}</strong> {c.endpoint} · {c.state}
          {c.reconnects > 0 ? ` (${c.reconnects}×)` : ""}
          {linkUp ? "" : " (last known)"}
        </span>
      ))}
      <span className="sb-item" data-testid="update-rate" title="Value notifications per second, all tags">
        {status && linkUp ? `${status.updateRateHz.toFixed(0)} upd/s` : "— upd/s"}
      </span>
      <span className={`sb-item${age > 2000 ? " warn" : ""}`} data-testid="data-age" title="Time since the newest value arrived">
        age {formatAge(age)}
      </span>
      {stale ? (
        <span className="sb-item stale-badge" data-testid="stale-warning">
          STALE
        </span>
      ) : null}
      {estimating ? (
        <span
          className="sb-item sb-estimator"
          data-testid="estimator-timing"
          title="Estimator loop: achieved rate, p99 period jitter, worker step time, input-to-estimate latency"
        >
          <strong>est</strong>
          {timing
            ? `${timing.rateHz.toFixed(1)} Hz · jitter p99 ${timing.jitterP99Ms.toFixed(1)} ms · step ${timing.stepUs.toFixed(0)} µs · latency ${timing.latencyMs.toFixed(0)} ms`
            : "waiting…"}
        </span>
      ) : null}
      <span className="sb-spacer" />
      {sceneName ? <span className="sb-item">{sceneName}</span> : null}
      {appInfo ? (
        <span className="sb-item sb-host" title={appInfo.sceneFile}>
          {appInfo.host} · v{appInfo.version}
        </span>
      ) : null}
    </footer>
  );
}
