/** Range: a value outside the valid [low, high] (by default the tag's EURange). Stateless. */
import { fmt, withUnit } from "./format";

export function checkRange(value: number, range: readonly [number, number], unit: string): string | null {
  if (value >= range[0] && value <= range[1]) return null;
  return `value ${withUnit(value, unit)} outside range [${fmt(range[0])}, ${fmt(range[1])}]${unit ? ` ${unit}` : ""}`;
}

/** The first element of an array outside the range, as a message, else null. */
export function checkRangeArray(values: readonly number[], range: readonly [number, number], unit: string): string | null {
  const at = values.findIndex((x) => !(x >= range[0] && x <= range[1]));
  if (at < 0) return null;
  return `element ${at} = ${withUnit(values[at]!, unit)} outside range [${fmt(range[0])}, ${fmt(range[1])}]${unit ? ` ${unit}` : ""}`;
}
