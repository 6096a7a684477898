/**
 * The latest plant frame in shared memory: the clock thread writes it every cycle, the serving thread copies
 * the newest one whenever it publishes. Nothing queues, so a busy server never falls behind on stale frames,
 * and the clock never waits for the server.
 *
 * A sequence lock keeps copies whole: the writer makes the counter odd while it writes and even when done;
 * a reader retries when the counter was odd or changed during its copy.
 */
import type { SignalSpec, SignalValue } from "./simulation-types";

/** Elements an array signal can carry in a frame (the demo's bottle positions need 16). */
export const FRAME_ARRAY_CAPACITY = 64;
/** data[0] simulated time, data[1] cycle count, then one slot per signal, then the array blocks. */
const HEAD = 2;

export interface FrameLayout {
  signalCount: number;
  /** Per array signal: its index and the offset of its block [length, values…]. */
  arrays: { index: number; offset: number }[];
  /** Doubles in the data buffer. */
  size: number;
}

export interface SharedFrameBuffers {
  seq: SharedArrayBuffer;
  data: SharedArrayBuffer;
}

export function frameLayout(signals: readonly SignalSpec[]): FrameLayout {
  let offset = HEAD + signals.length;
  const arrays: FrameLayout["arrays"] = [];
  signals.forEach((s, index) => {
    if (s.type !== "DoubleArray") return;
    arrays.push({ index, offset });
    offset += 1 + FRAME_ARRAY_CAPACITY;
  });
  return { signalCount: signals.length, arrays, size: offset };
}

export function allocateFrame(layout: FrameLayout): SharedFrameBuffers {
  return { seq: new SharedArrayBuffer(4), data: new SharedArrayBuffer(8 * layout.size) };
}

export class FrameWriter {
  private readonly seq: Int32Array;
  private readonly data: Float64Array;

  constructor(
    private readonly layout: FrameLayout,
    buffers: SharedFrameBuffers,
  ) {
    this.seq = new Int32Array(buffers.seq);
    this.data = new Float64Array(buffers.data);
  }

  /** Writes one frame; `value(i)` is signal i's value (Booleans become 0/1, arrays go to their block). */
  publish(timeS: number, cycle: number, value: (index: number) => SignalValue): void {
    const d = this.data;
    Atomics.add(this.seq, 0, 1);
    d[0] = timeS;
    d[1] = cycle;
    for (let i = 0; i < this.layout.signalCount; i++) {
      const v = value(i);
      d[HEAD + i] = typeof v === "boolean" ? (v ? 1 : 0) : typeof v === "number" ? v : Number.NaN;
    }
    for (const { index, offset } of this.layout.arrays) {
      const v = value(index);
      const n = Array.isArray(v) ? Math.min(v.length, FRAME_ARRAY_CAPACITY) : 0;
      d[offset] = n;
      for (let k = 0; k < n; k++) d[offset + 1 + k] = (v as number[])[k]!;
    }
    Atomics.add(this.seq, 0, 1);
  }

  /**
   * Writes one frame from a model's own buffers without allocating: `scalars` in frame order (Booleans 0/1,
   * arrays NaN), `copyArray` fills each array block.
   */
  publishScalars(timeS: number, cycle: number, scalars: Float64Array, copyArray: (index: number, target: Float64Array, offset: number, capacity: number) => number): void {
    const d = this.data;
    Atomics.add(this.seq, 0, 1);
    d[0] = timeS;
    d[1] = cycle;
    if (scalars.length !== this.layout.signalCount) throw new RangeError(`frame: ${scalars.length} scalars for ${this.layout.signalCount} signals`);
    d.set(scalars, HEAD);
    const arrays = this.layout.arrays;
    for (let k = 0; k < arrays.length; k++) {
      const { index, offset } = arrays[k]!;
      d[offset] = copyArray(index, d, offset + 1, FRAME_ARRAY_CAPACITY);
    }
    Atomics.add(this.seq, 0, 1);
  }
}

/** A copy of one frame. Reused by the reader: valid until its next `read`. */
export interface FrameSnapshot {
  timeS: number;
  cycle: number;
  /** Signal i's scalar value (Booleans 0/1; NaN for arrays). */
  scalar(index: number): number;
  /** Signal i's array value (a fresh copy). */
  array(index: number): number[];
}

export class FrameReader implements FrameSnapshot {
  private readonly seq: Int32Array;
  private readonly shared: Float64Array;
  private readonly copy: Float64Array;
  private readonly arrayOffset = new Map<number, number>();

  constructor(layout: FrameLayout, buffers: SharedFrameBuffers) {
    this.seq = new Int32Array(buffers.seq);
    this.shared = new Float64Array(buffers.data);
    this.copy = new Float64Array(layout.size);
    for (const a of layout.arrays) this.arrayOffset.set(a.index, a.offset);
  }

  get timeS(): number {
    return this.copy[0]!;
  }
  get cycle(): number {
    return this.copy[1]!;
  }

  /** Copies the newest complete frame; false if none is complete yet (no frame written, or the writer kept writing). */
  read(maxTries = 100): boolean {
    for (let k = 0; k < maxTries; k++) {
      const before = Atomics.load(this.seq, 0);
      if (before % 2 === 1) continue;
      this.copy.set(this.shared);
      if (Atomics.load(this.seq, 0) === before) return before > 0;
    }
    return false;
  }

  scalar(index: number): number {
    return this.copy[HEAD + index]!;
  }

  array(index: number): number[] {
    const offset = this.arrayOffset.get(index);
    if (offset === undefined) return [];
    const n = this.copy[offset]!;
    return Array.from(this.copy.subarray(offset + 1, offset + 1 + n));
  }
}
