/**
 * "Propose these setpoints" from a studied scenario: its setpoint edits become a recommendation (final
 * value per tag, from where it stands now), with the study's KPI comparison as the predicted effect. The
 * scenario's other edits (faults, disturbances) become assumptions, since the prediction depends on them.
 */
import { randomUUID } from "node:crypto";
import type { ConstraintCheck, Recommendation, ScenarioOutcome, SetpointChange } from "../common/whatif/results";
import type { PlantState, Scenario } from "../common/whatif/schema";
import { checkSetpoint, formatNumber } from "../common/whatif/validate";
import type { WhatifContext } from "./context";

export function recommendationFromScenario(ctx: WhatifContext, state: PlantState, scenario: Scenario, outcome: ScenarioOutcome): Recommendation {
  if (outcome.name !== scenario.name) throw new RangeError(`outcome "${outcome.name}" is not of scenario "${scenario.name}"`);
  const last = new Map<string, { value: number; atS: number }>();
  const others: string[] = [];
  for (const e of [...scenario.edits].sort((a, b) => a.atS - b.atS)) {
    if (e.kind === "setpoint") last.set(e.tag, { value: e.value, atS: e.atS });
    else others.push(`${e.kind}${e.kind === "fault" ? ` ${e.fault}` : ""} at ${formatNumber(e.atS)} s`);
  }
  if (last.size === 0) throw new RangeError(`scenario "${scenario.name}" changes no setpoint: nothing to propose`);

  const changes: SetpointChange[] = [];
  const constraints: ConstraintCheck[] = [];
  for (const [tag, { value }] of last) {
    const l = ctx.limits.get(tag)!;
    const from = state.inputs[tag];
    const current = typeof from === "number" ? from : undefined;
    const problem = checkSetpoint(l, tag, value, current, ctx.limits.keys());
    constraints.push({ name: `${tag} within its write policy`, satisfied: problem === null, detail: problem ?? `${formatNumber(current ?? Number.NaN)} → ${formatNumber(value)}${l.unit ? ` ${l.unit}` : ""}` });
    if (current === undefined || current === value) continue;
    const change: SetpointChange = { tag, from: current, to: value, rampS: l.maxRatePerS ? Math.abs(value - current) / l.maxRatePerS : 0 };
    if (l.unit !== undefined) change.unit = l.unit;
    changes.push(change);
  }
  const zero = { p05: 0, p50: 0, p95: 0 };
  return {
    id: randomUUID(),
    createdAt: Date.now(),
    model: state.model,
    state: { model: state.model, source: state.source, timeS: state.timeS },
    changes,
    objective: outcome.objective ? { baseline: outcome.objective.baseline, proposed: outcome.objective.scenario, delta: outcome.objective.delta } : { baseline: zero, proposed: zero, delta: zero },
    kpis: outcome.kpis,
    constraints,
    assumptions: [
      `Predicted by the what-if scenario "${scenario.name}" over ${formatNumber(scenario.horizonS / 3600)} h, setpoints written at ${[...last.values()].map((v) => `${formatNumber(v.atS)} s`).join(", ")} (proposed now).`,
      ...(others.length ? [`The prediction assumes the scenario's other edits happen: ${others.join(", ")}.`] : []),
      ...(outcome.objective ? [] : ["The scene declares no objective: the objective bands are zero; judge by the KPIs."]),
      "A recommendation only: nothing is written to the plant before the approval workflow accepts it.",
    ],
    search: { evaluations: 0, runs: 0, wallMs: 0, improved: changes.length > 0 },
  };
}
