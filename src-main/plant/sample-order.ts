/**
 * Per tag, only forward in time: a value is delivered when its source time (the server's when the device
 * gave none) is later than the last delivered one. After a reconnection the server may resend what the
 * client already has (initial values of a transferred or recreated subscription, a republished message):
 * those are dropped and counted, so the historian never stores a value twice or out of order.
 */
import type { PlantSample, PlantValue } from "./types";

export class SampleOrder {
  /** Last delivered order key per tag index; NaN when none. */
  private keys = new Float64Array(0);
  private readonly last: (PlantSample | undefined)[] = [];
  droppedDuplicates = 0;
  droppedOutOfOrder = 0;

  /** True when `s` moves its tag forward in time and must be delivered; false when dropped (and counted). */
  accept(s: PlantSample): boolean {
    const key = s.sourceTs ?? s.serverTs;
    // Without any timestamp nothing can be ordered: deliver (the value is as current as it gets).
    if (key === null) {
      this.last[s.tag] = s;
      return true;
    }
    if (s.tag >= this.keys.length) this.grow(s.tag + 1);
    const previous = this.keys[s.tag]!;
    if (key > previous || Number.isNaN(previous)) {
      this.keys[s.tag] = key;
      this.last[s.tag] = s;
      return true;
    }
    const before = this.last[s.tag];
    if (key === previous && before && before.statusCode === s.statusCode && sameValue(before.value, s.value)) this.droppedDuplicates++;
    else this.droppedOutOfOrder++;
    return false;
  }

  /** The last delivered sample of a tag. */
  lastOf(tag: number): PlantSample | undefined {
    return this.last[tag];
  }

  private grow(size: number): void {
    const next = new Float64Array(Math.max(size, this.keys.length * 2)).fill(NaN);
    next.set(this.keys);
    this.keys = next;
  }
}

export function sameValue(a: PlantValue, b: PlantValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, k) => x === b[k]);
  return false;
}
