/**
 * Copying the named fields of a part to and from plain data, as DemoCellSimulation's snapshots do (private
 * fields are plain own properties at run time), so the fast integrator can start from, and produce, the
 * same snapshots as the reference simulation.
 */

export type Scalar = number | boolean | null;
export type Fields = Record<string, Scalar>;

export function captureFields(part: object, keys: readonly string[]): Fields {
  const from = part as unknown as Fields;
  const out: Fields = {};
  for (const k of keys) out[k] = from[k]!;
  return out;
}

export function applyFields(part: object, fields: Fields, keys: readonly string[]): void {
  const to = part as unknown as Fields;
  for (const k of keys) {
    if (!(k in fields)) throw new RangeError(`restore: snapshot lacks ${k}`);
    to[k] = fields[k]!;
  }
}

/**
 * Exact transition of an Ornstein–Uhlenbeck process over h (stationary standard deviation `sd`, time
 * constant `tauS`): valid for any step, where Euler–Maruyama needs h ≪ τ.
 */
export function ouExact(value: number, tauS: number, sd: number, h: number, draw: number): number {
  const a = Math.exp(-h / tauS);
  return value * a + sd * Math.sqrt(1 - a * a) * draw;
}

/** A first-order lag towards `target` with time constant `tauS`, solved exactly over h (target held). */
export function lagExact(value: number, target: number, tauS: number, h: number): number {
  return target + (value - target) * Math.exp(-h / tauS);
}
