/**
 * Composes library components into one model by declared connections: the continuous right-hand side
 * f(t, x, u, θ) → dx/dt and the measurement function h(x, u, θ) → y on Float64Arrays, where x stacks every
 * component's states, θ every estimable parameter, u the external inputs (tags that drive the model) and y
 * the measured tags. Each component input is fed by exactly one source: another component's output, an
 * external input or a constant. Outputs are evaluated in an order that respects direct feedthrough, so an
 * algebraic loop is an error.
 *
 * Validation (library/wiring.ts) collects every problem and throws one CompositionError naming the
 * connection at fault. Evaluation allocates nothing: components work on views of preallocated buffers.
 */
import type { HybridSystem } from "../solvers/discrete-events";
import type { Derivative } from "../solvers/rk4";
import type { ComponentDefinition, DegradationSpec } from "./library/types";
import { SOURCE_EXTERNAL, SOURCE_OUTPUT, wire, type ComposedVariable, type CompositionSpec, type WiredPart } from "./library/wiring";

export {
  CompositionError,
  type ComponentInstance,
  type ComposedVariable,
  type CompositionSpec,
  type Connection,
  type ConstantInput,
  type ExternalInput,
  type LatentSetting,
  type MeasurementBinding,
} from "./library/wiring";

/** A degradation of the composed model, with global indices. */
export interface ComposedDegradation {
  component: string;
  componentIndex: number;
  spec: DegradationSpec;
  stateIndex: number;
  rateParamIndex: number;
}

/** A wired part with its views on the model's buffers. */
interface Part extends WiredPart {
  x: Float64Array;
  p: Float64Array;
  u: Float64Array;
  y: Float64Array;
  dx: Float64Array;
  g: Float64Array;
}

export class ComposedModel {
  readonly states: readonly ComposedVariable[];
  readonly params: readonly ComposedVariable[];
  readonly inputTags: readonly string[];
  readonly measurementTags: readonly string[];
  readonly outputNames: readonly string[];
  readonly degradations: readonly ComposedDegradation[];
  readonly indicatorCount: number;
  private readonly parts: Part[];
  /** Components in output-evaluation order. */
  private readonly order: Part[];
  private readonly xBuf: Float64Array;
  private readonly pBuf: Float64Array;
  private readonly dxBuf: Float64Array;
  private readonly yAll: Float64Array;
  private readonly gAll: Float64Array;
  private readonly measureIndex: Int32Array;

  constructor(spec: CompositionSpec, library?: Readonly<Record<string, ComponentDefinition>>) {
    const w = wire(spec, library);
    const { states: nx, params: np, outputs: ny, indicators: ng } = w.sizes;
    this.xBuf = new Float64Array(nx);
    this.pBuf = new Float64Array(np);
    this.dxBuf = new Float64Array(nx);
    this.yAll = new Float64Array(ny);
    this.gAll = new Float64Array(ng);
    const parts: Part[] = w.parts.map((wp) => {
      const m = wp.model;
      return {
        ...wp,
        x: this.xBuf.subarray(wp.xOff, wp.xOff + m.states.length),
        p: this.pBuf.subarray(wp.pOff, wp.pOff + m.params.length),
        u: new Float64Array(m.inputs.length),
        dx: this.dxBuf.subarray(wp.xOff, wp.xOff + m.states.length),
        y: this.yAll.subarray(wp.yOff, wp.yOff + m.outputs.length),
        g: this.gAll.subarray(wp.gOff, wp.gOff + (m.indicatorCount ?? 0)),
      };
    });
    this.parts = parts;
    this.order = w.order.map((wp) => parts[w.parts.indexOf(wp)]!);
    this.states = w.states;
    this.params = w.params;
    this.inputTags = w.inputTags;
    this.measurementTags = w.measurementTags;
    this.outputNames = w.outputNames;
    this.measureIndex = Int32Array.from(w.measureIndex);
    this.indicatorCount = ng;
    const degradations: ComposedDegradation[] = [];
    parts.forEach((part, componentIndex) => {
      for (const d of part.model.degradation ?? []) {
        degradations.push({
          component: part.id,
          componentIndex,
          spec: d,
          stateIndex: part.xOff + part.model.states.findIndex((s) => s.name === d.state),
          rateParamIndex: part.pOff + part.model.params.findIndex((p) => p.name === d.rateParam),
        });
      }
    });
    this.degradations = degradations;
  }

  get stateSize(): number {
    return this.xBuf.length;
  }
  get paramSize(): number {
    return this.pBuf.length;
  }

  /** Initial states (after latent overrides). */
  initialState(): Float64Array {
    return Float64Array.from(this.states, (s) => s.initial);
  }

  /** Parameter values (defaults, scene values, latent initial guesses). */
  initialParams(): Float64Array {
    return Float64Array.from(this.params, (p) => p.initial);
  }

  /** dx/dt = f(t, x, u, θ). */
  derivative(t: number, x: Float64Array, u: Float64Array, theta: Float64Array, dxdt: Float64Array): void {
    this.evaluate(t, x, u, theta);
    for (const part of this.parts) {
      if (!part.model.feedthrough) this.gather(part, u);
      part.model.derivative(t, part.x, part.u, part.p, part.dx);
    }
    dxdt.set(this.dxBuf);
  }

  /** Every component output, in `outputNames` order. */
  outputs(t: number, x: Float64Array, u: Float64Array, theta: Float64Array, y: Float64Array): void {
    this.evaluate(t, x, u, theta);
    y.set(this.yAll);
  }

  /** y = h(x, u, θ): the measured tags, in `measurementTags` order. */
  measure(t: number, x: Float64Array, u: Float64Array, theta: Float64Array, y: Float64Array): void {
    this.evaluate(t, x, u, theta);
    const idx = this.measureIndex;
    for (let i = 0; i < idx.length; i++) y[i] = this.yAll[idx[i]!]!;
  }

  /** The operating point of a degradation at (t, x, u, θ), written into `out` (spec.operatingPointSize long). */
  operatingPoint(d: ComposedDegradation, t: number, x: Float64Array, u: Float64Array, theta: Float64Array, out: Float64Array): void {
    this.evaluate(t, x, u, theta);
    const part = this.parts[d.componentIndex]!;
    this.gather(part, u);
    d.spec.operatingPoint(part.x, part.u, part.p, out);
  }

  /** Event indicators of the hybrid components, in component order. */
  indicators(t: number, x: Float64Array, u: Float64Array, theta: Float64Array, g: Float64Array): void {
    this.evaluate(t, x, u, theta);
    for (const part of this.parts) {
      if (!part.model.indicators) continue;
      this.gather(part, u);
      part.model.indicators(t, part.x, part.u, part.p, part.g);
    }
    g.set(this.gAll);
  }

  /** Dispatches state event `index` (global) to its component; the component may change x in place. */
  onStateEvent(index: number, t: number, x: Float64Array, u: Float64Array, theta: Float64Array, direction: 1 | -1): void {
    const part = this.parts.find((p) => index >= p.gOff && index < p.gOff + (p.model.indicatorCount ?? 0));
    if (!part?.model.onStateEvent) throw new RangeError(`onStateEvent: no component has event indicator ${index}`);
    this.evaluate(t, x, u, theta);
    this.gather(part, u);
    part.model.onStateEvent(index - part.gOff, t, part.x, part.u, part.p, direction);
    x.set(this.xBuf);
  }

  /** The model as a hybrid system for the event scheduler, with inputs and parameters read from `u` and `theta`. */
  hybridSystem(u: Float64Array, theta: Float64Array): HybridSystem {
    const derivative: Derivative = (t, x, dxdt) => this.derivative(t, x, u, theta, dxdt);
    return {
      size: this.stateSize,
      derivative,
      indicatorCount: this.indicatorCount,
      indicators: (t, x, g) => this.indicators(t, x, u, theta, g),
      onStateEvent: (i, t, x, dir) => this.onStateEvent(i, t, x, u, theta, dir),
    };
  }

  /** Index of a component by id, -1 if absent. */
  componentIndex(id: string): number {
    return this.parts.findIndex((p) => p.id === id);
  }

  /** Loads x and θ and evaluates every output in dependency order. */
  private evaluate(t: number, x: Float64Array, u: Float64Array, theta: Float64Array): void {
    this.xBuf.set(x);
    this.pBuf.set(theta);
    for (const part of this.order) {
      this.gather(part, u);
      part.model.output(t, part.x, part.u, part.p, part.y);
    }
  }

  private gather(part: Part, u: Float64Array): void {
    const { srcKind, srcIndex, srcValue } = part;
    const local = part.u;
    for (let j = 0; j < local.length; j++) {
      const kind = srcKind[j];
      local[j] = kind === SOURCE_OUTPUT ? this.yAll[srcIndex[j]!]! : kind === SOURCE_EXTERNAL ? u[srcIndex[j]!]! : srcValue[j]!;
    }
  }
}

/** Composes `spec` with the model library; throws a CompositionError listing every problem. */
export function compose(spec: CompositionSpec, library?: Readonly<Record<string, ComponentDefinition>>): ComposedModel {
  return new ComposedModel(spec, library);
}
