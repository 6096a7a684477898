/**
 * The faults and forces active in the plant server, and what they do to each value. Sensor faults change what
 * is served (value and quality); actuator faults change what the plant obeys (the command it acts on), while
 * the node keeps showing what the PLC wrote. A force is the commissioning engineer's manual override of one
 * simulated signal (a sensor reads the forced value, Good; an actuator obeys it): it wins over a fault and
 * stays until released, whatever a suite clears. Pure and time-driven (plant seconds), so tests step it by hand.
 */
import { Random } from "../../../src-workers/random";
import type { SignalSpec, SignalValue } from "../../../src-workers/plant/simulation-types";
import { ACTUATOR_FAULTS, ANALOG_FAULTS, faultKindsOf, SENSOR_FAULTS, type ActiveFault, type FaultSpec, type FaultStatus } from "./fault-spec";

interface Held {
  spec: FaultSpec;
  fromS: number;
  untilS?: number;
  active: boolean;
  /** Value frozen when a `stuck` (without value) or `bad` fault took effect. */
  held?: number | number[];
}

export interface SensorReading {
  value: number;
  /** Undefined: Good. */
  status?: FaultStatus;
}

/** A force as the plant server holds it. */
export interface ActiveForce {
  tag: string;
  value: number | boolean;
}

export class FaultBoard {
  private readonly targets = new Map<string, SignalSpec>();
  private readonly faults = new Map<string, Held>();
  private readonly forced = new Map<string, number | boolean>();
  private readonly noise: Random;

  /** `signals`: the plant's signals by model direction (output = sensor, input = actuator). */
  constructor(signals: readonly SignalSpec[], seed = 1) {
    for (const s of signals) if (!s.hidden) this.targets.set(s.name, s);
    this.noise = new Random(seed);
  }

  /** Adds (or replaces) the fault on `spec.tag`. Throws a RangeError naming the tag when the fault does not apply. */
  inject(spec: FaultSpec, nowS: number): void {
    const target = this.targets.get(spec.tag);
    if (!target) throw new RangeError(`fault on ${JSON.stringify(spec.tag)}: not a signal of the plant server`);
    const sensor = target.direction === "output";
    const allowed = sensor ? SENSOR_FAULTS : ACTUATOR_FAULTS;
    if (!allowed.includes(spec.kind)) {
      throw new RangeError(`fault ${spec.kind} on ${spec.tag}: ${spec.tag} is ${sensor ? "a sensor" : "an actuator"}; its faults are ${allowed.join(", ")}`);
    }
    if (ANALOG_FAULTS.includes(spec.kind) && !faultKindsOf("sensor", target.type).includes(spec.kind)) {
      throw new RangeError(`fault ${spec.kind} on ${spec.tag}: applies to analog signals; ${spec.tag} is ${target.type}`);
    }
    if (spec.kind === "stuck" && spec.value !== undefined) checkStuckValue(spec.tag, target, spec.value);
    const fromS = nowS + (spec.delayS ?? 0);
    this.faults.set(spec.tag, { spec, fromS, ...(spec.durationS !== undefined ? { untilS: fromS + spec.durationS } : {}), active: false });
  }

  /** Clears the faults of `tags` (all when omitted); returns the tags that had one. */
  clear(tags?: readonly string[]): string[] {
    const cleared = tags ? tags.filter((t) => this.faults.has(t)) : [...this.faults.keys()];
    for (const t of cleared) this.faults.delete(t);
    return cleared;
  }

  /** Starts scheduled faults that are due and ends expired ones; returns the tags whose fault state changed. */
  advance(nowS: number): string[] {
    const changed: string[] = [];
    for (const [tag, f] of this.faults) {
      if (f.untilS !== undefined && nowS >= f.untilS) {
        this.faults.delete(tag);
        changed.push(tag);
      } else if (!f.active && nowS >= f.fromS) {
        f.active = true;
        changed.push(tag);
      }
    }
    return changed;
  }

  has(tag: string): boolean {
    return this.faults.get(tag)?.active === true;
  }

  /** Forces `tag` to `value` (Booleans also as 0/1). Throws a RangeError naming the tag when it cannot be forced. */
  force(tag: string, value: number | boolean): void {
    this.forced.set(tag, this.checkForce(tag, value));
  }

  /** Checks a force without applying it; returns the value as it would be held. */
  checkForce(tag: string, value: number | boolean): number | boolean {
    const target = this.targets.get(tag);
    if (!target) throw new RangeError(`force ${JSON.stringify(tag)}: not a signal of the plant server`);
    if (target.type === "DoubleArray") throw new RangeError(`force ${tag}: an array signal (${target.type}) cannot be forced; inject a stuck fault with a value instead`);
    if (target.type === "Boolean") {
      if (typeof value === "boolean") return value;
      if (value === 0 || value === 1) return value === 1;
      throw new RangeError(`force ${tag}: ${JSON.stringify(value)} is not a Boolean (true, false, 0 or 1)`);
    }
    const n = typeof value === "boolean" ? (value ? 1 : 0) : value;
    if (!Number.isFinite(n)) throw new RangeError(`force ${tag}: ${JSON.stringify(value)} is not a finite number`);
    // An actuator obeys only what its drive accepts; a sensor may read anything (a transmitter out of range is a test case).
    const range = target.range;
    if (target.direction === "input" && range && (n < range[0] || n > range[1])) {
      throw new RangeError(`force ${tag}: ${n} is outside the actuator's range [${range[0]}, ${range[1]}]${target.unit ? ` ${target.unit}` : ""}`);
    }
    return target.type === "Double" ? n : Math.round(n);
  }

  /** Releases the forces of `tags` (all when omitted); returns the tags that were forced. */
  unforce(tags?: readonly string[]): string[] {
    const released = tags ? tags.filter((t) => this.forced.has(t)) : [...this.forced.keys()];
    for (const t of released) this.forced.delete(t);
    return released;
  }

  isForced(tag: string): boolean {
    return this.forced.has(tag);
  }

  forces(): ActiveForce[] {
    return [...this.forced].map(([tag, value]) => ({ tag, value }));
  }

  /** What a sensor reports at `nowS` given its true reading `raw` (Booleans 0/1). */
  sensor(tag: string, raw: number, nowS: number): SensorReading {
    const forced = this.forced.get(tag);
    if (forced !== undefined) return { value: typeof forced === "boolean" ? (forced ? 1 : 0) : forced };
    const f = this.faults.get(tag);
    if (!f?.active) return { value: raw };
    const spec = f.spec;
    switch (spec.kind) {
      case "stuck":
        if (spec.value !== undefined) return { value: toNumber(spec.value) };
        f.held ??= raw;
        return { value: f.held as number };
      case "offset":
        return { value: raw + spec.offset };
      case "drift":
        return { value: raw + spec.ratePerS * Math.max(0, nowS - f.fromS) };
      case "noise":
        return { value: raw + this.noise.gaussian(0, spec.sd) };
      case "bad":
        f.held ??= raw;
        return { value: f.held as number, status: spec.status };
      default:
        return { value: raw };
    }
  }

  /** What an array sensor reports. */
  sensorArray(tag: string, raw: number[]): { value: number[]; status?: FaultStatus } {
    const f = this.faults.get(tag);
    if (!f?.active) return { value: raw };
    if (f.spec.kind === "stuck") {
      if (Array.isArray(f.spec.value)) return { value: f.spec.value };
      f.held ??= raw;
      return { value: f.held as number[] };
    }
    if (f.spec.kind === "bad") {
      f.held ??= raw;
      return { value: f.held as number[], status: f.spec.status };
    }
    return { value: raw };
  }

  /** The command the plant acts on, given what the PLC commanded. */
  actuator(tag: string, commanded: SignalValue): SignalValue {
    const forced = this.forced.get(tag);
    if (forced !== undefined) return typeof commanded === "boolean" ? forced === true || forced === 1 : forced;
    const f = this.faults.get(tag);
    if (!f?.active) return commanded;
    if (f.spec.kind === "trip") return typeof commanded === "boolean" ? false : Array.isArray(commanded) ? commanded : 0;
    if (f.spec.kind === "stuck") {
      if (f.spec.value !== undefined) return typeof commanded === "boolean" ? toNumber(f.spec.value) !== 0 : f.spec.value;
      // Stuck where it was when the fault struck: the first command seen after that.
      f.held ??= typeof commanded === "boolean" ? (commanded ? 1 : 0) : Array.isArray(commanded) ? commanded : commanded;
      return typeof commanded === "boolean" ? f.held !== 0 : f.held;
    }
    return commanded;
  }

  list(): ActiveFault[] {
    return [...this.faults.values()].map((f) => ({
      spec: f.spec,
      state: f.active ? "active" : "scheduled",
      fromS: f.fromS,
      ...(f.untilS !== undefined ? { untilS: f.untilS } : {}),
    }));
  }
}

function toNumber(value: number | boolean | number[]): number {
  return typeof value === "boolean" ? (value ? 1 : 0) : Array.isArray(value) ? Number.NaN : value;
}

function checkStuckValue(tag: string, target: SignalSpec, value: number | boolean | number[]): void {
  const ok =
    target.type === "DoubleArray"
      ? Array.isArray(value)
      : target.type === "Boolean"
        ? typeof value === "boolean" || value === 0 || value === 1
        : typeof value === "number" && Number.isFinite(value);
  if (!ok) throw new RangeError(`fault stuck on ${tag}: value ${JSON.stringify(value)} does not fit a ${target.type}`);
}
