/**
 * A PID controller as found in a PLC library: proportional on error, integral with anti-windup,
 * derivative on the measurement (no kick on setpoint steps) with a first-order filter, clamped output,
 * and tracking for bumpless transfer from manual/sequence control.
 */

export interface PidConfig {
  /** Proportional gain, output units per unit of error; ≥ 0 (use `reverse` for the action's sign). */
  kp: number;
  /** Integral time in seconds; 0 turns the integral off. */
  tiS: number;
  /** Derivative time in seconds; 0 (default) turns the derivative off. */
  tdS?: number;
  /** Time constant of the derivative filter, seconds (default tdS/10). */
  derivativeFilterS?: number;
  outMin: number;
  outMax: number;
  /** Reverse action: the output rises when the measurement rises above the setpoint (e.g. cooling). */
  reverse?: boolean;
}

export class Pid {
  private readonly kp: number;
  private readonly tiS: number;
  private readonly tdS: number;
  private readonly filterS: number;
  private readonly sign: number;
  readonly outMin: number;
  readonly outMax: number;
  private integral = 0;
  private derivative = 0;
  private lastPv = Number.NaN;
  private lastOutput: number;

  constructor(config: PidConfig) {
    const { kp, tiS, outMin, outMax } = config;
    const tdS = config.tdS ?? 0;
    if (!(kp >= 0) || !Number.isFinite(kp)) throw new RangeError(`Pid: kp must be finite and ≥ 0, got ${kp}`);
    if (!(tiS >= 0) || !Number.isFinite(tiS)) throw new RangeError(`Pid: tiS must be finite and ≥ 0, got ${tiS}`);
    if (!(tdS >= 0) || !Number.isFinite(tdS)) throw new RangeError(`Pid: tdS must be finite and ≥ 0, got ${tdS}`);
    if (!(outMin < outMax) || !Number.isFinite(outMin) || !Number.isFinite(outMax)) {
      throw new RangeError(`Pid: need finite outMin < outMax, got [${outMin}, ${outMax}]`);
    }
    this.kp = kp;
    this.tiS = tiS;
    this.tdS = tdS;
    this.filterS = Math.max(0, config.derivativeFilterS ?? tdS / 10);
    this.sign = config.reverse ? -1 : 1;
    this.outMin = outMin;
    this.outMax = outMax;
    this.lastOutput = outMin;
  }

  /** The integral term (output units); stays within [outMin, outMax]. */
  get integralTerm(): number {
    return this.integral;
  }

  get output(): number {
    return this.lastOutput;
  }

  /** One controller cycle of dtS seconds; returns the clamped output. Non-finite inputs hold the last output. */
  update(setpoint: number, measurement: number, dtS: number): number {
    if (!Number.isFinite(setpoint) || !Number.isFinite(measurement) || !Number.isFinite(dtS) || dtS < 0) {
      return this.lastOutput;
    }
    const error = this.sign * (setpoint - measurement);
    const p = this.kp * error;

    let d = 0;
    if (this.tdS > 0 && dtS > 0 && Number.isFinite(this.lastPv)) {
      // Filtered derivative, backward Euler: D = (Tf·D − Kp·Td·Δpv) / (Tf + dt). Dividing by Tf + dt instead of
      // dt keeps it bounded for tiny steps.
      const next = (this.filterS * this.derivative - this.sign * this.kp * this.tdS * (measurement - this.lastPv)) / (this.filterS + dtS);
      this.derivative = Number.isFinite(next) ? next : 0;
      d = this.derivative;
    }
    this.lastPv = measurement;

    // Conditional integration: take the integral step unless the output is saturated and the step
    // would push it further into saturation. That is what keeps the integral from winding up.
    if (this.tiS > 0 && dtS > 0) {
      const candidate = this.integral + (this.kp * error * dtS) / this.tiS;
      const unsaturated = p + candidate + d;
      const windingUp = (unsaturated > this.outMax && error > 0) || (unsaturated < this.outMin && error < 0);
      if (!windingUp) this.integral = candidate;
    }
    this.integral = clamp(this.integral, this.outMin, this.outMax);

    const out = p + this.integral + d;
    // Extreme gains over tiny steps could overflow; a controller holds its output rather than emit NaN.
    if (!Number.isNaN(out)) this.lastOutput = clamp(out, this.outMin, this.outMax);
    return this.lastOutput;
  }

  /**
   * Follows an output set by someone else (manual, sequence) so that switching to `update` continues from it
   * without a bump: the integral is set so that P + I equals `output` at the present error.
   */
  track(output: number, setpoint: number, measurement: number): void {
    const out = clamp(Number.isFinite(output) ? output : this.outMin, this.outMin, this.outMax);
    const error = Number.isFinite(setpoint) && Number.isFinite(measurement) ? this.sign * (setpoint - measurement) : 0;
    this.integral = clamp(out - this.kp * error, this.outMin, this.outMax);
    this.derivative = 0;
    this.lastPv = Number.isFinite(measurement) ? measurement : Number.NaN;
    this.lastOutput = out;
  }
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
