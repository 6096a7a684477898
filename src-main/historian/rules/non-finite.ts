/** NaN/Infinity: a number that is not a reading. Stateless. */

/** The message when `value` is not finite, else null. */
export function checkNonFinite(value: number): string | null {
  return Number.isFinite(value) ? null : `value ${String(value)} is not a finite number`;
}

/** The message when an array holds a non-finite element, else null. */
export function checkNonFiniteArray(values: readonly number[]): string | null {
  const at = values.findIndex((x) => !Number.isFinite(x));
  return at < 0 ? null : `element ${at} is ${String(values[at])}, not a finite number`;
}
