/**
 * Fixed-step classical Runge–Kutta (4th order) on a Float64Array state.
 * The scratch buffers are allocated once per integrator, so a step allocates nothing; plant models
 * call it thousands of times per simulated minute.
 */

/** Writes dy/dt at (t, y) into `dydt`. Must not keep references to `y` or `dydt`. */
export type Derivative = (t: number, y: Float64Array, dydt: Float64Array) => void;

export class Rk4 {
  readonly size: number;
  private readonly k1: Float64Array;
  private readonly k2: Float64Array;
  private readonly k3: Float64Array;
  private readonly k4: Float64Array;
  private readonly tmp: Float64Array;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`Rk4: state size must be a positive integer, got ${size}`);
    this.size = size;
    this.k1 = new Float64Array(size);
    this.k2 = new Float64Array(size);
    this.k3 = new Float64Array(size);
    this.k4 = new Float64Array(size);
    this.tmp = new Float64Array(size);
  }

  /** Advances `y` in place from t to t + h and returns it. */
  step(f: Derivative, t: number, y: Float64Array, h: number): Float64Array {
    const n = this.size;
    if (y.length !== n) throw new RangeError(`Rk4: state has ${y.length} elements, integrator was made for ${n}`);
    const { k1, k2, k3, k4, tmp } = this;
    const half = 0.5 * h;

    f(t, y, k1);
    for (let i = 0; i < n; i++) tmp[i] = y[i]! + half * k1[i]!;
    f(t + half, tmp, k2);
    for (let i = 0; i < n; i++) tmp[i] = y[i]! + half * k2[i]!;
    f(t + half, tmp, k3);
    for (let i = 0; i < n; i++) tmp[i] = y[i]! + h * k3[i]!;
    f(t + h, tmp, k4);

    const sixth = h / 6;
    for (let i = 0; i < n; i++) y[i] = y[i]! + sixth * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!);
    return y;
  }

  /** Takes `steps` steps of size h from t0; returns the final time. */
  integrate(f: Derivative, t0: number, y: Float64Array, h: number, steps: number): number {
    let t = t0;
    for (let s = 0; s < steps; s++) {
      this.step(f, t, y, h);
      t = t0 + (s + 1) * h;
    }
    return t;
  }
}
