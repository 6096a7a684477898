/**
 * Discrete events stepped together with a continuous system: time events from a queue (a bottle arrives at
 * t = 12.4 s, a sequence step times out) and state events where an indicator function g(t, y) changes sign
 * (a level reaches a switch, a bottle is full). Between events the continuous part is integrated by RK4
 * (fixed step) or DOPRI5 (adaptive); a state event is located to `eventTolerance` seconds by the Illinois
 * variant of regula falsi (bisection's guaranteed bracket, near-secant speed), on DOPRI5's dense output or
 * by re-taking the RK4 step to the trial time.
 *
 * An event handler may change the state (a jump) and the system's discrete mode; the integrator restarts
 * after it, so derivatives may be discontinuous at events.
 */
import { Dopri5, type Dopri5Options } from "./dopri5";
import { Rk4, type Derivative } from "./rk4";

export interface HybridSystem {
  readonly size: number;
  readonly derivative: Derivative;
  /** Number of event indicators (0: time events only). */
  readonly indicatorCount: number;
  /** Writes the indicators g_i(t, y); a state event fires where one changes sign. */
  indicators?(t: number, y: Float64Array, g: Float64Array): void;
  /** State event `index` at time t, `direction` +1 when g rose through zero. May change y and the mode. */
  onStateEvent?(index: number, t: number, y: Float64Array, direction: 1 | -1): void;
}

/** A time event's action; it may change y and schedule further events. */
export type TimeEventAction = (t: number, y: Float64Array) => void;

interface QueuedEvent {
  time: number;
  seq: number;
  id: number;
  label: string;
  action: TimeEventAction;
}

/** Time events ordered by time, events at the same time in the order they were scheduled. A binary heap. */
export class EventQueue {
  private heap: QueuedEvent[] = [];
  private seq = 0;
  private cancelled = new Set<number>();

  get size(): number {
    return this.heap.length - this.cancelled.size;
  }

  /** Schedules `action` at `time`; returns an id for `cancel`. */
  schedule(time: number, action: TimeEventAction, label = "event"): number {
    if (!Number.isFinite(time)) throw new RangeError(`EventQueue: event ${JSON.stringify(label)} needs a finite time, got ${time}`);
    const id = ++this.seq;
    this.heap.push({ time, seq: id, id, label, action });
    this.up(this.heap.length - 1);
    return id;
  }

  cancel(id: number): void {
    if (this.heap.some((e) => e.id === id)) this.cancelled.add(id);
  }

  /** Time of the next event, Infinity when none. */
  peekTime(): number {
    this.dropCancelled();
    return this.heap[0]?.time ?? Infinity;
  }

  pop(): { time: number; label: string; action: TimeEventAction } | undefined {
    this.dropCancelled();
    const top = this.heap[0];
    if (!top) return undefined;
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
    return top;
  }

  private dropCancelled(): void {
    while (this.heap[0] && this.cancelled.has(this.heap[0].id)) {
      this.cancelled.delete(this.heap[0].id);
      const last = this.heap.pop()!;
      if (this.heap.length > 0) {
        this.heap[0] = last;
        this.down(0);
      }
    }
  }

  private before(a: QueuedEvent, b: QueuedEvent): boolean {
    return a.time < b.time || (a.time === b.time && a.seq < b.seq);
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.before(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.before(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}

export interface HybridIntegratorOptions {
  /** `rk4`: fixed steps of `step` seconds. `dopri5`: adaptive, `step` is the largest step. */
  method?: "rk4" | "dopri5";
  /** Default 0.01 s. */
  step?: number;
  tolerances?: Pick<Dopri5Options, "rtol" | "atol">;
  /** State events are located to within this many seconds (the event fires at most this late). Default 1e-10. */
  eventTolerance?: number;
}

/** What happened during `advance`, for logs and tests. */
export interface FiredEvent {
  time: number;
  kind: "time" | "state";
  /** Time event label, or the indicator index of a state event. */
  label: string;
}

export class HybridIntegrator {
  readonly queue = new EventQueue();
  /** Events fired since the last `takeFired` call. */
  private fired: FiredEvent[] = [];
  private readonly method: "rk4" | "dopri5";
  private readonly h: number;
  private readonly eventTol: number;
  private readonly rk4: Rk4;
  private readonly dopri?: Dopri5;
  private readonly g0: Float64Array;
  private readonly g1: Float64Array;
  private readonly gTrial: Float64Array;
  private readonly yStart: Float64Array;
  private readonly yTrial: Float64Array;
  /** The located state event: time, direction and state there. */
  private eventTime = 0;
  private eventDirection: 1 | -1 = 1;
  private readonly eventState: Float64Array;

  constructor(
    readonly system: HybridSystem,
    options: HybridIntegratorOptions = {},
  ) {
    this.method = options.method ?? "rk4";
    this.h = options.step ?? 0.01;
    if (!(this.h > 0)) throw new RangeError(`HybridIntegrator: step must be > 0, got ${this.h}`);
    this.eventTol = options.eventTolerance ?? 1e-10;
    const n = system.size;
    this.rk4 = new Rk4(n);
    if (this.method === "dopri5") this.dopri = new Dopri5(n, { ...options.tolerances, hMax: this.h });
    const m = system.indicatorCount;
    if (m > 0 && (!system.indicators || !system.onStateEvent)) {
      throw new RangeError(`HybridIntegrator: the system declares ${m} event indicators but no indicators() or onStateEvent()`);
    }
    this.g0 = new Float64Array(m);
    this.g1 = new Float64Array(m);
    this.gTrial = new Float64Array(m);
    this.yStart = new Float64Array(n);
    this.yTrial = new Float64Array(n);
    this.eventState = new Float64Array(n);
  }

  /** Returns and clears the list of events fired so far. */
  takeFired(): FiredEvent[] {
    const out = this.fired;
    this.fired = [];
    return out;
  }

  /** Advances y in place from t0 to t1, firing every time and state event on the way in time order. */
  advance(t0: number, y: Float64Array, t1: number): number {
    return this.run(t0, y, t1, false);
  }

  /**
   * Like `advance`, but returns right after the first event that fires (its time), or at t1 if none does:
   * for "run until something happens" (a projection that ends when a threshold is crossed).
   */
  advanceUntilEvent(t0: number, y: Float64Array, t1: number): number {
    return this.run(t0, y, t1, true);
  }

  private run(t0: number, y: Float64Array, t1: number, stopAtEvent: boolean): number {
    if (!(t1 >= t0)) throw new RangeError(`HybridIntegrator: advance forward only, got ${t0} → ${t1}`);
    let t = t0;
    this.evalIndicators(t, y, this.g0);
    const firedBefore = this.fired.length;
    for (;;) {
      // Time events due now (also ones scheduled in the past by a handler: they fire at once).
      while (this.queue.peekTime() <= t) {
        const e = this.queue.pop()!;
        e.action(t, y);
        this.fired.push({ time: t, kind: "time", label: e.label });
        this.restart(t, y);
      }
      if (stopAtEvent && this.fired.length > firedBefore) return t;
      if (t >= t1) return t1;
      const target = Math.min(t1, this.queue.peekTime());
      t = this.method === "dopri5" ? this.runDopri(t, y, target) : this.runRk4(t, y, target);
    }
  }

  private restart(t: number, y: Float64Array): void {
    this.dopri?.reset();
    this.evalIndicators(t, y, this.g0);
  }

  private evalIndicators(t: number, y: Float64Array, g: Float64Array): void {
    if (this.system.indicatorCount > 0) this.system.indicators!(t, y, g);
  }

  /** Fixed RK4 steps towards `target`; stops early at a state event (after firing it). Returns the time reached. */
  private runRk4(t: number, y: Float64Array, target: number): number {
    const f = this.system.derivative;
    while (t < target) {
      const h = Math.min(this.h, target - t);
      this.yStart.set(y);
      this.rk4.step(f, t, y, h);
      const tEnd = target - (t + h) < 1e-12 * Math.max(1, Math.abs(target)) ? target : t + h;
      const hit = this.checkCrossing(t, tEnd, y, (tau, out) => {
        out.set(this.yStart);
        if (tau > t) this.rk4.step(f, t, out, tau - t);
      });
      if (hit >= 0) {
        y.set(this.eventState);
        return this.fire(hit, y);
      }
      t = tEnd;
      this.g0.set(this.g1);
    }
    return target;
  }

  private runDopri(t: number, y: Float64Array, target: number): number {
    const dopri = this.dopri!;
    let hit = -1;
    const reached = dopri.integrate(this.system.derivative, t, y, target, (tOld, tNew) => {
      dopri.interpolate(tNew, this.yTrial);
      hit = this.checkCrossing(tOld, tNew, this.yTrial, (tau, out) => {
        dopri.interpolate(tau, out);
      });
      if (hit < 0) {
        this.g0.set(this.g1);
        return undefined;
      }
      return this.eventTime;
    });
    if (hit >= 0) {
      // integrate stopped at the event with y interpolated there; eventState is the same interpolation.
      y.set(this.eventState);
      return this.fire(hit, y);
    }
    return reached;
  }

  /**
   * Compares indicators at tEnd (state yEnd) with g0 (at tStart). On a sign change locates the earliest root
   * with `stateAt` and returns its indicator index (event time, direction and state kept in fields); else -1
   * with g1 holding the indicators at tEnd.
   */
  private checkCrossing(tStart: number, tEnd: number, yEnd: Float64Array, stateAt: (t: number, out: Float64Array) => void): number {
    const m = this.system.indicatorCount;
    if (m === 0) return -1;
    this.evalIndicators(tEnd, yEnd, this.g1);
    let best = -1;
    let bestT = Infinity;
    let bestDir: 1 | -1 = 1;
    for (let i = 0; i < m; i++) {
      const a = this.g0[i]!;
      const b = this.g1[i]!;
      // A crossing leaves a nonzero sign; an indicator resting at zero after an event does not fire again.
      if (!((a < 0 && b >= 0) || (a > 0 && b <= 0))) continue;
      const root = this.locate(i, tStart, a, tEnd, b, stateAt);
      if (root < bestT) {
        bestT = root;
        best = i;
        bestDir = a < 0 ? 1 : -1;
      }
    }
    if (best < 0) return -1;
    this.eventTime = bestT;
    this.eventDirection = bestDir;
    stateAt(bestT, this.eventState);
    return best;
  }

  /**
   * Illinois regula falsi on indicator i over [ta, tb] (ga, gb of opposite signs): returns the right end of a
   * bracket narrower than the tolerance, so the indicator already has its new sign there.
   */
  private locate(i: number, ta: number, ga: number, tb: number, gb: number, stateAt: (t: number, out: Float64Array) => void): number {
    const oldPositive = ga > 0;
    let side = 0;
    for (let iter = 0; iter < 200 && tb - ta > this.eventTol; iter++) {
      let tc = (ta * gb - tb * ga) / (gb - ga);
      // Keep the trial strictly inside; fall back to bisection when the secant degenerates.
      if (!(tc > ta && tc < tb)) tc = 0.5 * (ta + tb);
      stateAt(tc, this.yTrial);
      this.system.indicators!(tc, this.yTrial, this.gTrial);
      const gc = this.gTrial[i]!;
      // Left the old sign (zero counts as left): the root is at or before tc.
      if (oldPositive ? gc <= 0 : gc >= 0) {
        tb = tc;
        gb = gc;
        if (side === -1) ga *= 0.5;
        side = -1;
      } else {
        ta = tc;
        ga = gc;
        if (side === 1) gb *= 0.5;
        side = 1;
      }
    }
    return tb;
  }

  private fire(index: number, y: Float64Array): number {
    const t = this.eventTime;
    this.system.onStateEvent!(index, t, y, this.eventDirection);
    this.fired.push({ time: t, kind: "state", label: String(index) });
    this.restart(t, y);
    return t;
  }
}
