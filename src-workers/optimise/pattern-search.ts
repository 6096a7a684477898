/**
 * Bounded compass (pattern) search on a grid: poll ± step along each coordinate, move to the best poll
 * point if it beats the current one, else halve the steps; stop when the steps are at the grid
 * resolution and nothing improves, or the evaluation budget is spent.
 *
 * Derivative-free and robust to the kinks a plant simulation has (PLC sequences, saturating loops); the
 * poll points of one iteration are evaluated as one batch, so they run in parallel over a worker pool.
 */

/** A candidate's merit: feasible when `violation` ≤ 0; among feasible ones, lower `value` is better. */
export interface Score {
  value: number;
  violation: number;
}

export function isBetter(a: Score, b: Score, minImprovement = 0): boolean {
  const fa = a.violation <= 0;
  const fb = b.violation <= 0;
  if (fa !== fb) return fa;
  if (!fa) return a.violation < b.violation;
  return a.value < b.value - minImprovement;
}

export interface SearchSpace {
  x0: readonly number[];
  lower: readonly number[];
  upper: readonly number[];
  /** Grid spacing per coordinate, measured from x0 (the smallest change worth making). */
  resolution: readonly number[];
}

export interface SearchOptions {
  maxEvaluations: number;
  /** First poll distance per coordinate; default a quarter of its span, on the grid. */
  initialStep?: readonly number[];
  /** A move must improve the value by more than this (noise floor of the objective). */
  minImprovement?: number;
}

export interface SearchResult {
  x: number[];
  score: Score;
  start: Score;
  evaluations: number;
  iterations: number;
}

export type BatchObjective = (points: number[][]) => Promise<Score[]>;

export async function patternSearch(evaluate: BatchObjective, space: SearchSpace, options: SearchOptions): Promise<SearchResult> {
  const n = space.x0.length;
  const { lower, upper, resolution } = space;
  for (let i = 0; i < n; i++) {
    if (!(lower[i]! <= space.x0[i]! && space.x0[i]! <= upper[i]!)) throw new RangeError(`pattern search: x0[${i}] = ${space.x0[i]} outside [${lower[i]}, ${upper[i]}]`);
    if (!(resolution[i]! > 0)) throw new RangeError(`pattern search: resolution[${i}] must be > 0`);
  }
  const snap = (i: number, v: number) => {
    const r = resolution[i]!;
    const onGrid = space.x0[i]! + Math.round((v - space.x0[i]!) / r) * r;
    // The bounds themselves are allowed even off the grid.
    return Math.min(upper[i]!, Math.max(lower[i]!, Number(onGrid.toPrecision(12))));
  };
  const key = (x: readonly number[]) => x.map((v) => v.toPrecision(10)).join(",");
  const seen = new Map<string, Score>();
  let evaluations = 0;
  const run = async (points: number[][]): Promise<Score[]> => {
    const scores = await evaluate(points);
    evaluations += points.length;
    points.forEach((p, i) => seen.set(key(p), scores[i]!));
    return scores;
  };

  let x = [...space.x0];
  const start = (await run([x]))[0]!;
  let score = start;
  const step = Array.from({ length: n }, (_, i) => {
    const s = options.initialStep?.[i] ?? (upper[i]! - lower[i]!) / 4;
    return Math.max(resolution[i]!, Math.round(s / resolution[i]!) * resolution[i]!);
  });
  let iterations = 0;
  while (evaluations < options.maxEvaluations) {
    iterations++;
    // Poll points on the grid, without x itself and without duplicates (a bound can fold two together).
    const polls = new Map<string, number[]>();
    for (let i = 0; i < n; i++) {
      for (const dir of [1, -1]) {
        const p = [...x];
        p[i] = snap(i, x[i]! + dir * step[i]!);
        if (p[i] !== x[i]) polls.set(key(p), p);
      }
    }
    // Points seen in earlier iterations are not evaluated again, but still count as moves.
    const fresh = [...polls.values()].filter((p) => !seen.has(key(p))).slice(0, options.maxEvaluations - evaluations);
    if (fresh.length) await run(fresh);
    let next: number[] | null = null;
    for (const [k, p] of polls) {
      const s = seen.get(k);
      if (s && isBetter(s, next ? seen.get(key(next))! : score, next ? 0 : options.minImprovement)) next = p;
    }
    if (next) {
      x = next;
      score = seen.get(key(next))!;
      continue;
    }
    if (step.every((s, i) => s <= resolution[i]! * (1 + 1e-9))) break;
    for (let i = 0; i < n; i++) step[i] = Math.max(resolution[i]!, Math.round(step[i]! / 2 / resolution[i]!) * resolution[i]!);
  }
  return { x, score, start, evaluations, iterations };
}
