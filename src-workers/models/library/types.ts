/**
 * What a component model of the library offers to a composition: named states, estimable parameters, typed
 * input and output ports with units, the right-hand side and the outputs on local Float64Arrays. A scene
 * composes components by connecting outputs to inputs (compose.ts); the estimator then sees one model.
 *
 * Known parameters (a pump's rated speed) are fixed when the component is created; estimable parameters
 * (a wear-rate factor) live in the parameter vector `p` so the estimator can make them latent states.
 * Every function writes into arrays it is given and allocates nothing: they run for every sigma point.
 */

/** A state or an estimable parameter. */
export interface VariableSpec {
  name: string;
  unit: string;
  /** Default initial value of a state, default value of a parameter. */
  initial: number;
  /** Default prior standard deviation when estimated. */
  sigma: number;
  /**
   * Default random-walk intensity when estimated, unit²/s: the process noise of a state, the drift allowed to
   * a latent parameter. Over dt seconds the variance grows by processNoise·dt.
   */
  processNoise: number;
  /** Physical bounds: an estimate's mean is kept inside them. */
  min?: number;
  max?: number;
  description?: string;
}

export type PortType = "real" | "boolean";

export interface PortSpec {
  name: string;
  /** Unit as written in scenes (`m³/h`, `°C`, `1` for dimensionless, `` for Booleans). Connections must match exactly. */
  unit: string;
  /** Default `real`. A Boolean port carries 0/1 (inputs read ≥ 0.5 as true). */
  type?: PortType;
  description?: string;
}

/** A known parameter a scene may set (`model.params`). */
export interface KnownParamSpec {
  unit: string;
  default: number;
  description?: string;
}

/**
 * A slow degradation the twin projects forward (remaining useful life): the state that grows towards a
 * threshold, the parameter that scales its rate (uncertain, sampled), and the rate at an operating point.
 *
 * The operating point is what the plant holds constant while the component degrades, which the component
 * knows best: a level-controlled pump delivers the demanded flow, so as its bearing wears it must turn
 * faster (and wears faster still); holding its speed instead would overstate its life.
 */
export interface DegradationSpec {
  state: string;
  /** Estimable parameter that multiplies the rate. */
  rateParam: string;
  /** Default threshold (failure, maintenance due). */
  threshold: number;
  /** Length of the operating-point vector. */
  operatingPointSize: number;
  /** The operating point now, from the component's states, inputs and parameters. */
  operatingPoint(x: Float64Array, u: Float64Array, p: Float64Array, out: Float64Array): void;
  /** d(state)/dt at `value` with the operating point `op` held and parameters `p`. */
  rate(value: number, op: Float64Array, p: Float64Array): number;
}

export interface ComponentModel {
  readonly type: string;
  readonly states: readonly VariableSpec[];
  /** Estimable parameters, in the order of `p`. */
  readonly params: readonly VariableSpec[];
  readonly inputs: readonly PortSpec[];
  readonly outputs: readonly PortSpec[];
  /** Outputs depend on inputs directly (not only through states); orders the algebraic evaluation. */
  readonly feedthrough: boolean;
  derivative(t: number, x: Float64Array, u: Float64Array, p: Float64Array, dxdt: Float64Array): void;
  output(t: number, x: Float64Array, u: Float64Array, p: Float64Array, y: Float64Array): void;
  /** Hybrid components: event indicators whose sign changes are state events (compose.ts, discrete-events.ts). */
  readonly indicatorCount?: number;
  indicators?(t: number, x: Float64Array, u: Float64Array, p: Float64Array, g: Float64Array): void;
  /** Handles a state event: may change x and the component's discrete mode. */
  onStateEvent?(index: number, t: number, x: Float64Array, u: Float64Array, p: Float64Array, direction: 1 | -1): void;
  readonly degradation?: readonly DegradationSpec[];
}

/** A library entry: its known parameters and a factory that builds the component from their values. */
export interface ComponentDefinition {
  type: string;
  description: string;
  knownParams: Readonly<Record<string, KnownParamSpec>>;
  create(known: Readonly<Record<string, number>>): ComponentModel;
}

/** Fills known parameters from their defaults; throws a RangeError naming an unknown or non-finite one. */
export function resolveKnownParams(
  def: ComponentDefinition,
  given: Readonly<Record<string, number>>,
  where: string,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, spec] of Object.entries(def.knownParams)) out[key] = spec.default;
  for (const [key, value] of Object.entries(given)) {
    if (!Object.hasOwn(def.knownParams, key)) {
      throw new RangeError(`${where}: unknown parameter ${JSON.stringify(key)} of ${def.type}; known parameters: ${Object.keys(def.knownParams).join(", ")}`);
    }
    if (!Number.isFinite(value)) throw new RangeError(`${where}: parameter ${key} must be a finite number, got ${value}`);
    out[key] = value;
  }
  return out;
}

/**
 * A copy of a demo-plant parameter object with the known values applied. Spread, then assigned key by key,
 * it keeps the original's shape (hidden class): hot physics functions then read it through monomorphic
 * property accesses, however many components are created (Object.fromEntries would give each copy a
 * shape of its own and slow every instance down).
 */
export function withKnown<T extends object>(defaults: T, known: Readonly<Record<string, number>>): T {
  const out = { ...defaults };
  for (const key of Object.keys(defaults) as (keyof T & string)[]) {
    const v = known[key];
    if (v !== undefined) (out as Record<string, unknown>)[key] = v;
  }
  return out;
}

/** Reads a Boolean input (0/1, interpolated values included). */
export function isOn(value: number): boolean {
  return value >= 0.5;
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
