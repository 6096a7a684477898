/**
 * The whatif methods of the API, implemented over the runtime's services: studies and recommendations
 * from the live estimate or a historian moment (src-main/whatif/studies.ts), saved scenarios, and
 * proposals handed to the approval workflow as `system:what-if` / `system:optimiser` (the user who asked
 * is named in the reason). The worker pool starts on first use and closes when the runtime stops.
 */
import { ApiError } from "../../common/api/contract";
import { WHATIF_LIMITS, type whatifRequests } from "../../common/api/whatif";
import type { Scenario } from "../../common/whatif/schema";
import { system } from "../../governance/actor";
import type { AuditRecord } from "../../governance/audit-log";
import type { AuthContext } from "../../governance/auth";
import { atLeast } from "../../governance/roles";
import { kpiDirections } from "../../whatif/api-shapes";
import { loadWhatifContext, type WhatifContext } from "../../whatif/context";
import { RecommenderSchedule } from "../../whatif/recommender-schedule";
import { ScenarioLibrary } from "../../whatif/scenario-library";
import type { LiveSources } from "../../whatif/state-source";
import { WhatifStudies, type Requester } from "../../whatif/studies";
import type { TwinRuntime } from "../twin-runtime";
import type { AreaHandlers } from "./area-handlers";

/** The what-if desk of a runtime once it exists (tests look at its pool; nothing else should need it). */
const desks = new WeakMap<TwinRuntime, WhatifStudies>();
export function whatifStudiesOf(runtime: TwinRuntime): WhatifStudies | undefined {
  return desks.get(runtime);
}


export function whatifHandlers(runtime: TwinRuntime): AreaHandlers<typeof whatifRequests> {
  let ctx: WhatifContext | null = null;
  let studies: WhatifStudies | null = null;
  let library: ScenarioLibrary | null = null;
  let stopped = false;

  const context = (): WhatifContext => {
    if (!ctx) {
      try {
        ctx = loadWhatifContext(runtime.sceneFile, runtime.scene);
      } catch (err) {
        throw new ApiError("failed", `what-if is not available for this scene: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return ctx;
  };
  const scenarios = () => (library ??= new ScenarioLibrary(context(), runtime.dataFolder));
  const desk = (): WhatifStudies => {
    if (stopped) throw new ApiError("failed", "the runtime is stopping: no new what-if jobs");
    studies ??= new WhatifStudies({
      ctx: context(),
      sources: liveSources(runtime),
      events: {
        progress: (p) => runtime.emit("whatif.progress", p),
        finished: (job) => runtime.emit("whatif.finished", job),
      },
      propose: (origin, input) => runtime.governance.proposals.propose(system(origin), input),
      log: (line) => runtime.log(`what-if: ${line}`),
    });
    desks.set(runtime, studies);
    return studies;
  };
  const schedule = new RecommenderSchedule(desk, (line) => runtime.log(`what-if: ${line}`));
  runtime.onStop(async () => {
    stopped = true;
    schedule.close();
    await studies?.close();
  });

  const audit = (record: AuditRecord) => runtime.governance.audit.append(record);
  const user = (caller: AuthContext | null): AuthContext => {
    if (!caller) throw new ApiError("unauthorised", "what-if: log in first");
    return caller;
  };
  const requester = (caller: AuthContext | null): Requester => {
    const c = user(caller);
    return { userId: c.user.id, name: c.user.username };
  };
  const resolveScenarios = (list: readonly (string | Scenario)[]): Scenario[] => list.map((s) => (typeof s === "string" ? scenarios().get(s).scenario : s));

  return {
    "whatif.info": () => {
      const c = context();
      const dir = kpiDirections(c);
      const latest = runtime.estimator.latest();
      const info = runtime.estimator.info();
      return {
        model: c.model.model,
        kpis: c.declarations.kpis.map((k) => ({ id: k.id, label: k.label ?? k.id, unit: k.unit, better: dir.get(k.id) ?? "lower" })),
        objective: c.declarations.objective
          ? { setpoints: c.declarations.objective.setpoints, horizonS: c.declarations.objective.horizonS, terms: c.declarations.objective.terms.map((t) => ({ kpi: t.kpi, weight: t.weight })) }
          : null,
        writable: [...c.limits.values()]
          .filter((l) => l.dataType !== "Boolean")
          .map((l) => {
            const t = runtime.table.tag(l.tag);
            const v = t ? runtime.table.latestOf(t.index)?.v : undefined;
            return {
              tagId: l.tag,
              ...(l.unit !== undefined ? { unit: l.unit } : {}),
              min: l.min,
              max: l.max,
              ...(l.maxStep !== undefined ? { maxStep: l.maxStep } : {}),
              ...(l.maxRatePerS !== undefined ? { maxRatePerS: l.maxRatePerS } : {}),
              value: typeof v === "number" ? v : null,
            };
          }),
        latent: c.model.latent.map((l) => ({ name: l.name, min: l.min, max: l.max, ...(l.unit ? { unit: l.unit } : {}), ...(l.rateFactor ? { rateFactor: l.rateFactor } : {}) })),
        disturbances: c.model.disturbances,
        valves: c.model.valves,
        sensors: c.model.sensors,
        outputs: c.model.outputs,
        defaultOutputs: c.model.outputs.slice(0, 8),
        liveState: latest
          ? { estimate: true, detail: `the twin's estimate at ${new Date(latest.t).toISOString()}` }
          : { estimate: false, detail: `no estimate (${info.error ?? (info.running ? "none yet" : "the estimator is not running")}): the latest measured values` },
        limits: { ...WHATIF_LIMITS },
      };
    },

    "whatif.scenarios.list": () => scenarios().list(),
    "whatif.scenarios.get": ({ name }) => scenarios().get(name),
    "whatif.scenarios.save": ({ scenario }, caller) => {
      const by = user(caller);
      const file = scenarios().save(scenario);
      audit({ actor: by.user.username, action: "whatif.scenario-saved", target: `scenario:${scenario.name}`, after: scenario });
      runtime.emit("whatif.scenarios.changed", { name: scenario.name, deleted: false });
      return { name: scenario.name, file };
    },
    "whatif.scenarios.delete": ({ name }, caller) => {
      const by = user(caller);
      const deleted = scenarios().remove(name);
      if (deleted) {
        audit({ actor: by.user.username, action: "whatif.scenario-deleted", target: `scenario:${name}` });
        runtime.emit("whatif.scenarios.changed", { name, deleted: true });
      }
      return { deleted };
    },

    "whatif.study.start": (p, caller) =>
      desk().startStudy(
        {
          scenarios: resolveScenarios(p.scenarios),
          from: p.from,
          ...(p.monteCarlo ? { monteCarlo: p.monteCarlo } : {}),
          ...(p.settings ? { settings: p.settings } : {}),
          ...(p.outputs ? { outputs: p.outputs } : {}),
        },
        requester(caller),
      ),
    "whatif.recommend": ({ from, seed }, caller) => desk().startRecommendation(from, requester(caller), seed),
    "whatif.jobs.list": () => (studies ? studies.jobs() : []),
    "whatif.jobs.status": ({ jobId }) => desk().job(jobId),
    "whatif.jobs.result": ({ jobId, outputs, maxPoints }) => desk().result(jobId, outputs, maxPoints),
    "whatif.jobs.cancel": ({ jobId }, caller) => desk().cancel(jobId, requester(caller), atLeast(user(caller).user.role, "operator")),
    "whatif.propose": ({ jobId, scenario, reason }, caller) => desk().propose(jobId, scenario, reason, requester(caller)),

    "whatif.recommender.get": () => schedule.get(),
    "whatif.recommender.set": ({ periodS, autoPropose }, caller) => {
      const by = user(caller);
      if (periodS !== null && !context().declarations.objective) throw new ApiError("refused", `scene "${runtime.scene.name}" declares no objective: nothing to recommend for`);
      const before = schedule.get();
      const after = schedule.set(periodS, autoPropose);
      audit({ actor: by.user.username, action: "whatif.recommender-changed", target: "whatif:recommender", before: { periodS: before.periodS, autoPropose: before.autoPropose }, after: { periodS, autoPropose } });
      return after;
    },
  };
}

/** The runtime's live services as the what-if state sources see them. */
function liveSources(runtime: TwinRuntime): LiveSources {
  return {
    estimation: runtime.estimator,
    latest: (tagId) => {
      const t = runtime.table.tag(tagId);
      return t ? runtime.table.latestOf(t.index) : undefined;
    },
    degradationSpeedup: runtime.degradationSpeedup,
    historianValue: (tagId, at, lookBackMs) => {
      let series;
      try {
        series = runtime.historian.query(tagId, at - lookBackMs, at, 4_000);
      } catch {
        return null;
      }
      for (let i = series.t.length - 1; i >= 0; i--) {
        const v = series.v[i];
        if (series.t[i]! <= at && typeof v === "number" && Number.isFinite(v)) return v;
      }
      return null;
    },
  };
}
