/** A benchmark figure: `group.figure: value unit`, the median of repeated runs, with its spread. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  runs: number;
  min: number;
  max: number;
}

export interface BenchGroup {
  name: string;
  description: string;
  run(log: (line: string) => void): Promise<Figure[]>;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function figure(name: string, unit: string, samples: readonly number[]): Figure {
  return { name, unit, value: median(samples), runs: samples.length, min: Math.min(...samples), max: Math.max(...samples) };
}
