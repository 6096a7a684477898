/** Numbers in rule messages: three significant digits, no trailing zeros ("3.2", "0.00123", "1.5e+6"). */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return String(Number(x.toPrecision(3)));
}

/** A value with its unit, e.g. "2.73 m"; just the number when the tag has no unit. */
export function withUnit(x: number, unit: string): string {
  return unit ? `${fmt(x)} ${unit}` : fmt(x);
}

/** A rate with its unit, e.g. "3.2 m/s", or "3.2 /s" without a unit. */
export function perSecond(x: number, unit: string): string {
  return `${fmt(x)} ${unit}/s`;
}
