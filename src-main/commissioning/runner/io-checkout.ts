/**
 * The IO checkout generated from an IO list: every signal driven across its range and confirmed on the other
 * side. Inputs are forced at the plant server (stuck faults) and read back at the PLC; outputs are forced in
 * the PLC's force table and read back at the plant server.
 *
 * All signals of a direction are driven at once, in a few patterns chosen so that each signal's sequence of
 * values is its own: the low end, the high end, then a value unique to the signal (analog) or the bits of the
 * signal's number (Boolean). A PLC that reads a signal from another signal's address then shows that other
 * signal's sequence, which the checkout recognises and names. Pure: the plan only.
 */
import type { SignalValue } from "../../../src-workers/plant/simulation-types";
import type { TagDataType } from "../../common/scene/schema";
import type { IoDirection, IoList } from "../io/io-list";
import type { IoCheckoutOptions } from "../suite/suite-schema";

export interface CheckoutSignal {
  tag: string;
  nodeId: string;
  direction: IoDirection;
  dataType: TagDataType;
  unit?: string;
  range: [number, number];
  /** Largest difference that still counts as the same value. */
  tolerance: number;
  /** Value driven in each pattern. */
  values: SignalValue[];
}

export interface CheckoutPlan {
  /** One label per pattern. */
  patterns: string[];
  signals: CheckoutSignal[];
  skipped: { tag: string; nodeId: string; direction: IoDirection; reason: string }[];
}

const GOLDEN = 0.6180339887498949;

export function planIoCheckout(ioList: IoList, options: Pick<IoCheckoutOptions, "tolerancePercent" | "include" | "exclude">): CheckoutPlan {
  const wanted = (tag: string) =>
    (!options.include || options.include.some((g) => glob(g).test(tag))) && !(options.exclude ?? []).some((g) => glob(g).test(tag));
  const signals: CheckoutSignal[] = [];
  const skipped: CheckoutPlan["skipped"] = [];
  let booleans = 0;
  for (const direction of ["input", "output"] as const) {
    const rows = ioList.signals.filter((s) => s.direction === direction && wanted(s.tag));
    const bools = rows.filter((s) => s.dataType === "Boolean").length;
    booleans = Math.max(booleans, bools);
    let b = 0;
    let a = 0;
    for (const s of rows) {
      if (s.dataType === "Boolean") {
        const code = ++b;
        const bits = bitLength(bools);
        signals.push({ tag: s.tag, nodeId: s.nodeId, direction, dataType: s.dataType, range: [0, 1], tolerance: 0, values: [false, true, ...Array.from({ length: bits }, (_, k) => ((code >> k) & 1) === 1)] });
        continue;
      }
      if (direction === "output" && s.dataType === "DoubleArray") {
        skipped.push({ tag: s.tag, nodeId: s.nodeId, direction, reason: "an array output cannot be forced through the force table (it takes one number per signal)" });
        continue;
      }
      if (!s.range) {
        skipped.push({ tag: s.tag, nodeId: s.nodeId, direction, reason: "the IO list gives no range, so there is no range to drive it across" });
        continue;
      }
      const [lo, hi] = s.range;
      const span = hi - lo;
      const integer = s.dataType === "Int32" || s.dataType === "UInt32";
      const unique = lo + span * (0.1 + 0.8 * ((++a * GOLDEN) % 1));
      const asValue = (x: number): SignalValue => {
        const v = integer ? Math.round(x) : x;
        return s.dataType === "DoubleArray" ? [v] : s.dataType === "Float" ? Math.fround(v) : v;
      };
      signals.push({
        tag: s.tag,
        nodeId: s.nodeId,
        direction,
        dataType: s.dataType,
        ...(s.unit ? { unit: s.unit } : {}),
        range: s.range,
        tolerance: Math.max(integer ? 0.5 : 1e-9, (options.tolerancePercent / 100) * span),
        values: [asValue(lo), asValue(hi), asValue(unique)],
      });
    }
  }
  const patterns = Math.max(3, 2 + bitLength(booleans));
  const labels = ["low end of the range", "high end of the range", ...Array.from({ length: patterns - 2 }, (_, k) => `pattern ${k + 1} (value unique to each signal)`)];
  // Analog signals hold their unique value through the extra Boolean patterns.
  for (const s of signals) while (s.values.length < patterns) s.values.push(s.values[s.values.length - 1]!);
  return { patterns: labels, signals, skipped };
}

/** True when `seen` is the value driven in pattern `k` (within the tolerance). */
export function confirms(signal: CheckoutSignal, k: number, seen: SignalValue | undefined): boolean {
  return same(signal.values[k]!, seen, signal.tolerance);
}

export function same(expected: SignalValue, seen: SignalValue | undefined, tolerance: number): boolean {
  if (seen === undefined) return false;
  const a = Array.isArray(expected) ? expected[0] : expected;
  const b = Array.isArray(seen) ? seen[0] : seen;
  if (typeof a === "boolean" || typeof b === "boolean") return Number(a) === Number(b);
  return typeof a === "number" && typeof b === "number" && Math.abs(a - b) <= tolerance;
}

/**
 * The signals (same direction) whose driven sequence the seen sequence follows in every pattern: the address
 * the PLC actually reads or writes, when it is not the signal's own.
 */
export function lookalikes(plan: CheckoutPlan, signal: CheckoutSignal, seen: readonly (SignalValue | undefined)[]): CheckoutSignal[] {
  return plan.signals.filter((other) => other !== signal && other.direction === signal.direction && seen.every((v, k) => same(other.values[k]!, v, Math.max(other.tolerance, signal.tolerance))));
}

function bitLength(n: number): number {
  let bits = 0;
  while (n >> bits) bits++;
  return Math.max(1, bits);
}

function glob(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
}
