/**
 * Wiring a composition: resolving `<component>.<port>` references, checking that types and units match,
 * binding every component input to exactly one source (another component's output, an external input tag,
 * a constant) and ordering the components so that outputs are evaluated after the outputs they depend on
 * directly. Every problem is collected and reported at once, each naming the connection at fault.
 * compose.ts turns the wiring into buffers and evaluates it.
 */
import { MODEL_LIBRARY } from "./index";
import { resolveKnownParams, type ComponentDefinition, type ComponentModel, type PortSpec, type PortType, type VariableSpec } from "./types";

export interface LatentSetting {
  initial?: number;
  sigma?: number;
  /** Random-walk intensity, unit²/s. */
  processNoise?: number;
  unit?: string;
}

export interface ComponentInstance {
  /** Instance id, usually the scene asset id; variables are named `<id>.<name>`. */
  id: string;
  type: string;
  /** Known parameters, or default values of estimable ones. */
  params?: Readonly<Record<string, number>>;
  /** States to start from a prior, parameters to estimate (they become latent random-walk states). */
  latent?: Readonly<Record<string, LatentSetting>>;
}

/** `<component>.<output>` → `<component>.<input>`. */
export interface Connection {
  from: string;
  to: string;
}

/** A tag that drives inputs (measured input: heater power, an outlet flow). */
export interface ExternalInput {
  tag: string;
  to: readonly string[];
  /** The tag's unit and type, checked against the ports when given. */
  unit?: string;
  type?: PortType;
}

export interface ConstantInput {
  to: string;
  value: number;
}

/** A measured tag and the output that predicts it. */
export interface MeasurementBinding {
  tag: string;
  from: string;
  unit?: string;
  type?: PortType;
}

export interface CompositionSpec {
  components: readonly ComponentInstance[];
  connections?: readonly Connection[];
  inputs?: readonly ExternalInput[];
  constants?: readonly ConstantInput[];
  measurements?: readonly MeasurementBinding[];
}

export class CompositionError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid model composition:\n  - ${problems.join("\n  - ")}`);
    this.name = "CompositionError";
  }
}

/** A state or parameter of the composed model, `<component>.<name>`, with its settings after overrides. */
export interface ComposedVariable extends VariableSpec {
  component: string;
  /** Name within the component. */
  local: string;
  /** Parameters only: estimated as a latent random-walk state. */
  estimated: boolean;
}

export const SOURCE_OUTPUT = 0;
export const SOURCE_EXTERNAL = 1;
export const SOURCE_CONSTANT = 2;

/** A component placed in the composition: offsets into the stacked vectors and the source of each input. */
export interface WiredPart {
  id: string;
  model: ComponentModel;
  xOff: number;
  pOff: number;
  yOff: number;
  gOff: number;
  /** Per input: SOURCE_* kind, index (stacked output or external input) and constant value. */
  srcKind: Int8Array;
  srcIndex: Int32Array;
  srcValue: Float64Array;
}

export interface Wiring {
  parts: WiredPart[];
  /** Components in output-evaluation order. */
  order: WiredPart[];
  states: ComposedVariable[];
  params: ComposedVariable[];
  inputTags: string[];
  measurementTags: string[];
  /** Stacked output index of each measured tag. */
  measureIndex: number[];
  outputNames: string[];
  sizes: { states: number; params: number; outputs: number; indicators: number };
}

/** Wires `spec`; throws a CompositionError listing every problem. */
export function wire(spec: CompositionSpec, library: Readonly<Record<string, ComponentDefinition>> = MODEL_LIBRARY): Wiring {
  const problems: string[] = [];
  const parts: WiredPart[] = [];
  const states: ComposedVariable[] = [];
  const params: ComposedVariable[] = [];
  const outputNames: string[] = [];
  let nx = 0, np = 0, ny = 0, ng = 0;

  for (const inst of spec.components) {
    const where = `component ${inst.id}`;
    if (parts.some((p) => p.id === inst.id)) {
      problems.push(`${where}: duplicate component id`);
      continue;
    }
    const def = Object.hasOwn(library, inst.type) ? library[inst.type] : undefined;
    if (!def) {
      problems.push(`${where}: unknown model type ${JSON.stringify(inst.type)}; the library has: ${Object.keys(library).join(", ")}`);
      continue;
    }
    const known: Record<string, number> = {};
    const defaults: Record<string, number> = {};
    for (const [k, v] of Object.entries(inst.params ?? {})) (Object.hasOwn(def.knownParams, k) ? known : defaults)[k] = v;
    let model: ComponentModel;
    try {
      model = def.create(resolveKnownParams(def, known, where));
    } catch (err) {
      problems.push(err instanceof Error && err.message.startsWith(where) ? err.message : `${where} (${inst.type}): ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    for (const k of Object.keys(defaults)) {
      if (!model.params.some((p) => p.name === k)) {
        const all = [...Object.keys(def.knownParams), ...model.params.map((p) => p.name)];
        problems.push(`${where}: unknown parameter ${JSON.stringify(k)} of ${inst.type}; parameters are: ${all.join(", ")}`);
      }
    }
    const latent = inst.latent ?? {};
    for (const name of Object.keys(latent)) {
      if (!model.states.some((s) => s.name === name) && !model.params.some((p) => p.name === name)) {
        problems.push(
          `${where}: latent ${JSON.stringify(name)} is neither a state nor a parameter of ${inst.type}; states: ${model.states.map((s) => s.name).join(", ") || "none"}; parameters: ${model.params.map((p) => p.name).join(", ") || "none"}`,
        );
      }
    }
    const variable = (v: VariableSpec, isParam: boolean): ComposedVariable => {
      const o = latent[v.name];
      if (o?.unit !== undefined && o.unit !== v.unit) problems.push(`${where}: latent ${v.name} has unit ${JSON.stringify(o.unit)}, the model's is ${JSON.stringify(v.unit)}`);
      const initial = o?.initial ?? (isParam ? defaults[v.name] : undefined) ?? v.initial;
      return {
        ...v,
        name: `${inst.id}.${v.name}`,
        local: v.name,
        component: inst.id,
        initial,
        sigma: o?.sigma ?? v.sigma,
        processNoise: o?.processNoise ?? v.processNoise,
        estimated: isParam && o !== undefined,
      };
    };
    for (const s of model.states) states.push(variable(s, false));
    for (const p of model.params) params.push(variable(p, true));
    for (const o of model.outputs) outputNames.push(`${inst.id}.${o.name}`);
    const nu = model.inputs.length;
    const ni = model.indicatorCount ?? 0;
    parts.push({
      id: inst.id,
      model,
      xOff: nx,
      pOff: np,
      yOff: ny,
      gOff: ng,
      srcKind: new Int8Array(nu).fill(-1),
      srcIndex: new Int32Array(nu),
      srcValue: new Float64Array(nu),
    });
    nx += model.states.length;
    np += model.params.length;
    ny += model.outputs.length;
    ng += ni;
  }

  const byId = new Map(parts.map((p) => [p.id, p]));
  const describe = (p: WiredPart, port: PortSpec) => `${p.id}.${port.name} (${port.type ?? "real"}${port.unit ? `, ${port.unit}` : ""})`;
  const findPort = (ref: string, kind: "input" | "output", where: string): { part: WiredPart; index: number; port: PortSpec } | undefined => {
    const dot = ref.indexOf(".");
    const part = dot > 0 ? byId.get(ref.slice(0, dot)) : undefined;
    if (!part) {
      problems.push(`${where}: unknown component in ${JSON.stringify(ref)}; components are: ${[...byId.keys()].join(", ")} (write <component>.<${kind}>)`);
      return undefined;
    }
    const ports = kind === "input" ? part.model.inputs : part.model.outputs;
    const index = ports.findIndex((q) => q.name === ref.slice(dot + 1));
    if (index < 0) {
      problems.push(`${where}: unknown ${kind} ${JSON.stringify(ref.slice(dot + 1))} of ${part.id} (${part.model.type}); its ${kind}s are: ${ports.map((q) => q.name).join(", ") || "none"}`);
      return undefined;
    }
    return { part, index, port: ports[index]! };
  };
  const sameUnit = (a: string, b: string) => a === "*" || b === "*" || a.trim() === b.trim();
  const bind = (target: { part: WiredPart; index: number; port: PortSpec }, where: string, kind: number, index: number, value: number) => {
    const { part, index: j } = target;
    if (part.srcKind[j] !== -1) {
      problems.push(`${where}: input ${part.id}.${target.port.name} is already fed by another source (an input takes exactly one)`);
      return;
    }
    part.srcKind[j] = kind;
    part.srcIndex[j] = index;
    part.srcValue[j] = value;
  };
  // A Boolean may feed a real port (as 0/1, e.g. a valve's opening); a real value never feeds a Boolean port.
  const typeFits = (from: PortType, to: PortType) => from === to || (from === "boolean" && to === "real");
  const checkTypes = (where: string, fromType: PortType | undefined, fromUnit: string | undefined, to: PortSpec, toName: string) => {
    if (fromType !== undefined && !typeFits(fromType, to.type ?? "real")) problems.push(`${where}: type mismatch, ${fromType} → ${toName}`);
    else if (fromUnit !== undefined && fromType !== "boolean" && !sameUnit(fromUnit, to.unit)) problems.push(`${where}: unit mismatch, ${JSON.stringify(fromUnit)} → ${toName}`);
  };

  const feedEdges: [WiredPart, WiredPart, string][] = [];
  for (const c of spec.connections ?? []) {
    const where = `connection ${c.from} → ${c.to}`;
    const from = findPort(c.from, "output", where);
    const to = findPort(c.to, "input", where);
    if (!from || !to) continue;
    checkTypes(where, from.port.type ?? "real", from.port.unit, to.port, describe(to.part, to.port));
    bind(to, where, SOURCE_OUTPUT, from.part.yOff + from.index, 0);
    if (to.part.model.feedthrough) feedEdges.push([from.part, to.part, where]);
  }
  const inputTags: string[] = [];
  for (const e of spec.inputs ?? []) {
    if (inputTags.includes(e.tag)) problems.push(`input tag ${e.tag}: listed twice`);
    const index = inputTags.length;
    inputTags.push(e.tag);
    for (const ref of e.to) {
      const where = `input tag ${e.tag} → ${ref}`;
      const to = findPort(ref, "input", where);
      if (!to) continue;
      checkTypes(where, e.type, e.unit, to.port, describe(to.part, to.port));
      bind(to, where, SOURCE_EXTERNAL, index, 0);
    }
  }
  for (const c of spec.constants ?? []) {
    const where = `constant ${c.value} → ${c.to}`;
    const to = findPort(c.to, "input", where);
    if (!to) continue;
    if (!Number.isFinite(c.value)) problems.push(`${where}: the value must be a finite number`);
    bind(to, where, SOURCE_CONSTANT, 0, c.value);
  }
  for (const part of parts) {
    part.model.inputs.forEach((port, j) => {
      if (part.srcKind[j] === -1) {
        problems.push(`input ${describe(part, port)} is not connected: connect it to a component output, an input tag or a constant`);
      }
    });
  }
  const measurementTags: string[] = [];
  const measureIndex: number[] = [];
  for (const m of spec.measurements ?? []) {
    const where = `measurement ${m.tag} ← ${m.from}`;
    if (measurementTags.includes(m.tag)) problems.push(`${where}: tag measured twice`);
    const from = findPort(m.from, "output", where);
    if (!from) continue;
    if (m.type !== undefined && !typeFits(from.port.type ?? "real", m.type)) problems.push(`${where}: type mismatch, ${describe(from.part, from.port)} → ${m.type} tag`);
    else if (m.unit !== undefined && !sameUnit(from.port.unit, m.unit)) problems.push(`${where}: unit mismatch, ${describe(from.part, from.port)} → tag unit ${JSON.stringify(m.unit)}`);
    measurementTags.push(m.tag);
    measureIndex.push(from.part.yOff + from.index);
  }

  const order = topologicalOrder(parts, feedEdges, problems);
  if (problems.length > 0) throw new CompositionError(problems);

  return { parts, order, states, params, inputTags, measurementTags, measureIndex, outputNames, sizes: { states: nx, params: np, outputs: ny, indicators: ng } };
}

/** Kahn's algorithm over feedthrough edges; a leftover cycle is an algebraic loop, reported with its connections. */
function topologicalOrder(parts: WiredPart[], edges: [WiredPart, WiredPart, string][], problems: string[]): WiredPart[] {
  const indegree = new Map(parts.map((p) => [p, 0]));
  for (const [, to] of edges) indegree.set(to, indegree.get(to)! + 1);
  const ready = parts.filter((p) => indegree.get(p) === 0);
  const order: WiredPart[] = [];
  while (ready.length > 0) {
    const p = ready.shift()!;
    order.push(p);
    for (const [from, to] of edges) {
      if (from !== p) continue;
      const d = indegree.get(to)! - 1;
      indegree.set(to, d);
      if (d === 0) ready.push(to);
    }
  }
  if (order.length < parts.length) {
    const stuck = new Set(parts.filter((p) => !order.includes(p)));
    const loop = edges.filter(([from, to]) => stuck.has(from) && stuck.has(to)).map(([, , where]) => where);
    problems.push(`algebraic loop through direct-feedthrough components: ${loop.join("; ")}`);
  }
  return order;
}

