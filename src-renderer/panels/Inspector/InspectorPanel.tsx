/**
 * The selected asset as the estimator sees it: its estimated variables (latent parameters first) with
 * their 95% interval, a band chart per latent parameter, the remaining useful life of its health targets
 * and the anomaly alarms naming its tags. Re-renders with each estimate kept in the store (≤ 5 Hz); the
 * band history is fetched every 2 s, the RUL (a Monte Carlo run on the host) every 10 s.
 *
 * Test hooks: data-testid="inspector" with data-asset; rows data-testid="estimate" data-variable (text = the
 * value shown); data-testid="rul" data-variable; data-testid="anomaly-alarm".
 */
import { useMemo } from "react";
import { useShallow } from "zustand/react/shallow";
import type { Asset } from "../../../src-main/common/scene/schema";
import type { EstimatedVariable } from "../../../src-main/common/api/estimation";
import { call } from "../../api/request";
import { connectApi } from "../../api/transport";
import { assetOfTag } from "../../stores/estimation";
import { hostNow, useWorkbench } from "../../stores/workbench";
import { BandChart } from "./BandChart";
import { formatDuration, formatEstimate, formatPercent, isDimensionless, shortName } from "./format";
import { usePoll } from "./usePoll";

const HISTORY_PERIOD_MS = 2_000;
const HISTORY_WINDOW_MS = 10 * 60_000;
const RUL_PERIOD_MS = 10_000;
/** How far ahead the RUL projection looks: 30 days. */
const RUL_HORIZON_S = 30 * 86_400;
const BAND_COLORS = ["#4cc9f0", "#c77dff", "#f8a13c", "#3ed1b0"];

export function InspectorPanel({ asset }: { asset: Asset }) {
  const { info, estimate, tagById } = useWorkbench(
    useShallow((s) => ({ info: s.estimationInfo, estimate: s.estimate, tagById: s.tagById })),
  );

  // Index into the snapshot arrays, latent parameters first, then states.
  const variables = useMemo(() => {
    const all = info?.variables ?? [];
    const mine = all.map((v, index) => ({ v, index })).filter(({ v }) => v.component === asset.id);
    return [...mine.filter(({ v }) => v.kind === "parameter"), ...mine.filter(({ v }) => v.kind === "state")];
  }, [info, asset.id]);
  const latent = variables.filter(({ v }) => v.kind === "parameter").map(({ v }) => v);
  const targets = useMemo(() => (info?.health ?? []).filter((h) => h.component === asset.id), [info, asset.id]);
  const running = info?.running ?? false;

  const latentKey = running && latent.length > 0 ? latent.map((v) => v.name).join(",") : null;
  const history = usePoll(latentKey, HISTORY_PERIOD_MS, () =>
    call(connectApi(), "estimation.history", {
      variables: latent.slice(0, 32).map((v) => v.name),
      since: hostNow() - HISTORY_WINDOW_MS,
    }),
  );
  const rul = usePoll(running && targets.length > 0 ? asset.id : null, RUL_PERIOD_MS, () =>
    call(connectApi(), "estimation.predict", { horizonS: RUL_HORIZON_S }),
  );

  const alarms = (estimate?.alarms ?? []).filter((a) => a.tags.some((t) => assetOfTag(t.tag, tagById) === asset.id));
  const seriesOf = (name: string) => history.data?.find((s) => s.variable === name);
  const predictions = (rul.data?.predictions ?? []).filter((p) => targets.some((h) => h.id === p.id));

  return (
    <section className="panel inspector" aria-label="Asset inspector" data-testid="inspector" data-asset={asset.id}>
      <header className="panel-header">
        <h2>Estimator · {asset.name}</h2>
        {info?.method ? <span className="panel-sub">{info.method}</span> : null}
        {estimate?.nis != null ? (
          <span
            className={`panel-sub nis${estimate.nisLow != null && estimate.nisHigh != null && (estimate.nis < estimate.nisLow || estimate.nis > estimate.nisHigh) ? " warn" : ""}`}
            title="Normalised innovation squared: inside its 95% bounds when the model and the measurements agree"
          >
            NIS {estimate.nis.toPrecision(3)}
            {estimate.nisLow != null && estimate.nisHigh != null ? ` [${estimate.nisLow.toFixed(1)}, ${estimate.nisHigh.toFixed(1)}]` : ""}
          </span>
        ) : null}
      </header>
      <div className="inspector-body">
        {info === null ? (
          <p className="inspector-note">Waiting for the estimator…</p>
        ) : !running ? (
          <p className="inspector-note is-error" data-testid="estimator-error">
            No estimator running{info.error ? `: ${info.error}` : " for this scene."}
          </p>
        ) : variables.length === 0 ? (
          <p className="inspector-note">The estimator infers nothing for this asset.</p>
        ) : (
          <>
            <table className="estimate-table">
              <tbody>
                {variables.map(({ v, index }) => (
                  <EstimateRow
                    key={v.name}
                    v={v}
                    mean={estimate?.mean[index] ?? null}
                    sd={estimate?.sd[index] ?? null}
                  />
                ))}
              </tbody>
            </table>
            {latent.map((v, k) => (
              <div key={v.name} className="band-block">
                <div className="band-title">
                  <span>{shortName(v.name)}</span>
                  <span className="band-legend">mean · 95% band · last 10 min</span>
                </div>
                <BandChart series={seriesOf(v.name)} unit={v.unit} color={BAND_COLORS[k % BAND_COLORS.length] ?? "#4cc9f0"} />
              </div>
            ))}
          </>
        )}
        {running && targets.length > 0 ? (
          <div className="inspector-section">
            <h3>
              Remaining useful life <span className="panel-sub">median · 90% interval · P(fail ≤ {formatDuration(RUL_HORIZON_S)})</span>
            </h3>
            {predictions.length === 0 ? (
              <p className="inspector-note">{rul.error ? `prediction failed: ${rul.error}` : "projecting…"}</p>
            ) : (
              predictions.map((p) => {
                const health = estimate?.health[info?.health.findIndex((h) => h.id === p.id) ?? -1] ?? null;
                return (
                  <div key={p.id} className="rul-row" data-testid="rul" data-variable={p.variable}>
                    <div className="rul-label">
                      <span>{p.label}</span>
                      <span className="panel-sub">
                        {shortName(p.variable)} → {p.threshold}
                        {isDimensionless(p.unit) ? "" : ` ${p.unit}`}
                        {health !== null ? ` · health ${(health * 100).toFixed(0)} %` : ""}
                      </span>
                    </div>
                    <div className="rul-figures">
                      <strong className={p.medianS === null ? "rul-beyond" : ""}>{formatDuration(p.medianS)}</strong>
                      <span className="rul-interval">
                        {formatDuration(p.lowS)} – {formatDuration(p.highS)}
                      </span>
                      <span className={`rul-prob${(p.failureProbability ?? 0) >= 0.1 ? " warn" : ""}`}>
                        P {formatPercent(p.failureProbability)}
                      </span>
                    </div>
                  </div>
                );
              })
            )}
          </div>
        ) : null}
        {running ? (
          <div className="inspector-section">
            <h3>Anomaly alarms</h3>
            {alarms.length === 0 ? (
              <p className="inspector-note">none active</p>
            ) : (
              alarms.map((a) => (
                <div key={a.id} className="anomaly-alarm" data-testid="anomaly-alarm" data-alarm={a.id}>
                  <div>
                    <strong>{a.message}</strong>
                    <span className="panel-sub">
                      {" "}
                      {a.detector} · active {formatDuration(a.sinceS)}
                    </span>
                  </div>
                  <div className="alarm-tags">
                    {a.tags.map((t) => (
                      <span key={t.tag} className="alarm-tag">
                        {t.tag} {(t.share * 100).toFixed(0)} %
                      </span>
                    ))}
                  </div>
                </div>
              ))
            )}
          </div>
        ) : null}
      </div>
    </section>
  );
}

function EstimateRow({ v, mean, sd }: { v: EstimatedVariable; mean: number | null; sd: number | null }) {
  return (
    <tr>
      <td className="estimate-name">
        {shortName(v.name)}
        <span className={`kind kind-${v.kind}`}>{v.kind === "parameter" ? "latent" : "state"}</span>
      </td>
      <td className="num estimate-value" data-testid="estimate" data-variable={v.name}>
        {formatEstimate(mean, sd, v.unit)}
      </td>
    </tr>
  );
}
