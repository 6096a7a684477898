/**
 * Checking a scenario against the scene's write policies and the model's capabilities, and turning its
 * edits into the timeline a worker executes. Every refusal names the edit, the tag and the limit, e.g.
 * `edits[0]: bufferTank.temperatureSetpoint: 95 °C is above write.max 80 °C`.
 */
import type { Scene } from "../scene/schema";
import type { Scenario, ScenarioEdit } from "./schema";

/** A writable tag's limits, from the scene's write policy. */
export interface WriteLimits {
  tag: string;
  dataType: string;
  unit?: string;
  min: number;
  max: number;
  maxStep?: number;
  maxRatePerS?: number;
}

/** What a plant model lets a scenario touch (plain data, from the model adapter in the workers). */
export interface ModelCapabilities {
  model: string;
  /** Names a KPI or an output may read: the model's signals plus its latent names. */
  readable: string[];
  /**
   * Latent parameters and rate factors with their valid range. A degrading one names the factor that
   * scales its growth (1 = nominal), which a fasterDegradation fault sets.
   */
  latent: { name: string; min: number; max: number; unit?: string; rateFactor?: string }[];
  disturbances: string[];
  valves: string[];
  sensors: string[];
  /** Command tags a line stop pulses. */
  lineStop?: { stop: string; start: string };
}

/** One step of the executed timeline, in time order. */
export type CompiledEdit =
  | { atS: number; kind: "write"; tag: string; value: number | boolean; ratePerS?: number }
  | { atS: number; kind: "latent"; name: string; value: number }
  | { atS: number; kind: "disturbance"; input: string; offsetK: number }
  | { atS: number; kind: "valve"; tag: string; stuck: boolean; value?: number }
  | { atS: number; kind: "sensor"; tag: string; failed: boolean; value?: number };

export class ScenarioError extends Error {
  constructor(
    readonly scenario: string,
    readonly problems: string[],
  ) {
    super(`Scenario "${scenario}" is refused (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n  ${problems.join("\n  ")}`);
    this.name = "ScenarioError";
  }
}

export function writeLimitsOfScene(scene: Scene): Map<string, WriteLimits> {
  const out = new Map<string, WriteLimits>();
  for (const asset of scene.assets) {
    for (const [key, tag] of Object.entries(asset.tags)) {
      if (!tag.write || tag.access !== "readWrite") continue;
      const id = `${asset.id}.${key}`;
      const { min, max, maxStep, maxRatePerS } = tag.write;
      out.set(id, { tag: id, dataType: tag.dataType, unit: tag.unit, min, max, maxStep, maxRatePerS });
    }
  }
  return out;
}

/** A number as people write it: 0.3, not 0.30000000000000004. */
export function formatNumber(v: number): string {
  return String(Number(v.toPrecision(6)));
}

/** A value with its unit; dimensionless ("1") values go bare. */
export function withUnit(v: number, unit?: string): string {
  return unit && unit !== "1" ? `${formatNumber(v)} ${unit}` : formatNumber(v);
}

export interface ScenarioContext {
  limits: ReadonlyMap<string, WriteLimits>;
  model: ModelCapabilities;
  /** Inputs at the fork, for maxStep: the first write of a tag is measured from here. */
  inputs: Readonly<Record<string, number | boolean>>;
}

/** Checks a setpoint against its write policy; returns the problem or null. `from` enables the maxStep check. */
export function checkSetpoint(limits: WriteLimits | undefined, tag: string, value: number, from: number | undefined, all: Iterable<string>): string | null {
  if (!limits) return `${tag}: not a writable tag of the scene; writable: ${[...all].join(", ")}`;
  if (limits.dataType === "Boolean") return `${tag}: is a command, not a setpoint (use a lineStop edit for demand)`;
  const u = limits.unit;
  if (value > limits.max) return `${tag}: ${withUnit(value, u)} is above write.max ${withUnit(limits.max, u)}`;
  if (value < limits.min) return `${tag}: ${withUnit(value, u)} is below write.min ${withUnit(limits.min, u)}`;
  if (from !== undefined && limits.maxStep !== undefined && Math.abs(value - from) > limits.maxStep * (1 + 1e-9)) {
    return `${tag}: ${formatNumber(from)} → ${withUnit(value, u)} changes by ${withUnit(Math.abs(value - from), u)}, more than write.maxStep ${withUnit(limits.maxStep, u)}`;
  }
  return null;
}

/** Validates every edit; throws a ScenarioError listing all problems, else returns the timeline. */
export function compileScenario(scenario: Scenario, ctx: ScenarioContext): CompiledEdit[] {
  const problems: string[] = [];
  const out: CompiledEdit[] = [];
  const last = new Map<string, number>();
  const latent = new Map(ctx.model.latent.map((l) => [l.name, l] as const));
  const order = scenario.edits.map((edit, index) => ({ edit, index })).sort((a, b) => a.edit.atS - b.edit.atS || a.index - b.index);
  const until = (edit: { atS: number; durationS?: number }) => (edit.durationS === undefined ? undefined : edit.atS + edit.durationS);
  const oneOf = (names: readonly string[]) => (names.length ? names.join(", ") : "none in this model");

  for (const { edit, index } of order) {
    const problem = (message: string) => problems.push(`edits[${index}] (${edit.kind} at ${formatNumber(edit.atS)} s): ${message}`);
    if (edit.atS > scenario.horizonS) {
      problem(`is after the horizon (${formatNumber(scenario.horizonS)} s)`);
      continue;
    }
    switch (edit.kind) {
      case "setpoint": {
        const limits = ctx.limits.get(edit.tag);
        const from = last.get(edit.tag) ?? numeric(ctx.inputs[edit.tag]);
        const p = checkSetpoint(limits, edit.tag, edit.value, from, ctx.limits.keys());
        if (p) problem(p);
        else out.push({ atS: edit.atS, kind: "write", tag: edit.tag, value: edit.value, ratePerS: limits!.maxRatePerS });
        last.set(edit.tag, edit.value);
        break;
      }
      case "parameter": {
        const l = latent.get(edit.name);
        if (!l) problem(`${edit.name}: not a latent parameter of ${ctx.model.model}; known: ${oneOf([...latent.keys()])}`);
        else if (edit.value < l.min || edit.value > l.max) problem(`${edit.name}: ${withUnit(edit.value, l.unit)} is outside [${formatNumber(l.min)}, ${formatNumber(l.max)}]`);
        else out.push({ atS: edit.atS, kind: "latent", name: edit.name, value: edit.value });
        break;
      }
      case "disturbance": {
        if (!ctx.model.disturbances.includes(edit.input)) problem(`${edit.input}: not a disturbance input of ${ctx.model.model}; known: ${oneOf(ctx.model.disturbances)}`);
        else {
          out.push({ atS: edit.atS, kind: "disturbance", input: edit.input, offsetK: edit.offsetK });
          const end = until(edit);
          if (end !== undefined) out.push({ atS: end, kind: "disturbance", input: edit.input, offsetK: 0 });
        }
        break;
      }
      case "lineStop": {
        const cmd = ctx.model.lineStop;
        if (!cmd) problem(`${ctx.model.model} has no line to stop`);
        else {
          out.push({ atS: edit.atS, kind: "write", tag: cmd.stop, value: true });
          out.push({ atS: edit.atS + edit.durationS, kind: "write", tag: cmd.start, value: true });
        }
        break;
      }
      case "fault":
        compileFault(edit, ctx.model, latent, out, problem);
        break;
    }
  }
  if (problems.length > 0) throw new ScenarioError(scenario.name, problems);
  // Clearing edits may land after the horizon; they never run then. Stable sort keeps same-time order.
  return out.filter((e) => e.atS <= scenario.horizonS).sort((a, b) => a.atS - b.atS);
}

function compileFault(
  edit: Extract<ScenarioEdit, { kind: "fault" }>,
  model: ModelCapabilities,
  latent: ReadonlyMap<string, ModelCapabilities["latent"][number]>,
  out: CompiledEdit[],
  problem: (message: string) => void,
): void {
  const end = "durationS" in edit && edit.durationS !== undefined ? edit.atS + edit.durationS : undefined;
  switch (edit.fault) {
    case "fasterDegradation": {
      const factor = latent.get(edit.latent)?.rateFactor;
      if (!factor) {
        const known = [...latent.values()].filter((l) => l.rateFactor).map((l) => l.name);
        problem(`${edit.latent}: no growth rate to speed up in ${model.model}; known: ${known.join(", ") || "none"}`);
      } else out.push({ atS: edit.atS, kind: "latent", name: factor, value: edit.factor });
      break;
    }
    case "valveStuck":
      if (!model.valves.includes(edit.tag)) problem(`${edit.tag}: no valve of ${model.model} sets this flow; known: ${model.valves.join(", ") || "none"}`);
      else if (edit.value !== undefined && edit.value < 0) problem(`${edit.tag}: a stuck valve's flow must be ≥ 0, got ${formatNumber(edit.value)}`);
      else {
        out.push({ atS: edit.atS, kind: "valve", tag: edit.tag, stuck: true, value: edit.value });
        if (end !== undefined) out.push({ atS: end, kind: "valve", tag: edit.tag, stuck: false });
      }
      break;
    case "sensorFailed":
      if (!model.sensors.includes(edit.tag)) problem(`${edit.tag}: not a sensor of ${model.model} that can fail; known: ${model.sensors.join(", ") || "none"}`);
      else {
        out.push({ atS: edit.atS, kind: "sensor", tag: edit.tag, failed: true, value: edit.value });
        if (end !== undefined) out.push({ atS: end, kind: "sensor", tag: edit.tag, failed: false });
      }
      break;
  }
}

function numeric(v: number | boolean | undefined): number | undefined {
  return typeof v === "number" ? v : undefined;
}
