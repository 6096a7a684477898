/**
 * Live tag values, kept OUTSIDE React.
 *
 * Values arrive in `tags.values` batches (up to ~20 a second). Putting them in React state would re-render
 * the tree on every batch; instead they land in typed arrays indexed by tag index. The 3D view reads them in
 * `useFrame` (`live.num[i]`, `live.quality[i]`), and the tables and the trend re-render on a throttled tick
 * (see stores/tick.ts) and read them then.
 */
import type { TagSample, TagValue } from "../../src-main/common/api/contract";
import { SampleRing } from "./ring";

/** Quality codes in `live.quality`: 0 means no value yet. */
export const Q_NONE = 0;
export const Q_GOOD = 1;
export const Q_UNCERTAIN = 2;
export const Q_BAD = 3;
const QUALITY_CODE = { good: Q_GOOD, uncertain: Q_UNCERTAIN, bad: Q_BAD } as const;

/** 10 minutes at 20 samples a second; a faster tag simply keeps a shorter history. */
export const TREND_CAPACITY = 12_000;

export class LiveValues {
  size = 0;
  /** Numeric view of each value: numbers as is, booleans 1/0, NaN for arrays, null or no value. */
  num = new Float64Array(0);
  /** The value as received (number, boolean, number[] or null); undefined before the first one. */
  raw: (TagValue | undefined)[] = [];
  quality = new Uint8Array(0);
  status: string[] = [];
  /** Source and receive times, Unix ms (receive time is the host's clock). */
  ts = new Float64Array(0);
  rx = new Float64Array(0);
  /** Trend history per scalar tag, created on its first value. */
  rings: (SampleRing | null)[] = [];
  /** Newest receive time over all tags (host clock), 0 before any. */
  lastRx = 0;
  /** Bumped on every change, so throttled readers can skip work when nothing moved. */
  version = 0;

  /** Sizes the arrays for a new tag list; all values are forgotten. */
  reset(size: number): void {
    this.size = size;
    this.num = new Float64Array(size).fill(NaN);
    this.raw = new Array<TagValue | undefined>(size).fill(undefined);
    this.quality = new Uint8Array(size);
    this.status = new Array<string>(size).fill("");
    this.ts = new Float64Array(size);
    this.rx = new Float64Array(size);
    this.rings = new Array<SampleRing | null>(size).fill(null);
    this.lastRx = 0;
    this.version += 1;
  }

  /**
   * Applies a batch from `tags.values`. The payload is not schema-parsed (it is the hot path); each sample
   * is checked field by field instead and a malformed one is skipped.
   */
  ingest(samples: readonly unknown[]): void {
    for (let k = 0; k < samples.length; k++) {
      const s = samples[k];
      if (isSample(s, this.size)) this.apply(s, true);
    }
    this.version += 1;
  }

  /** Applies `tags.snapshot`, keeping any newer value an event already brought. */
  applySnapshot(samples: readonly TagSample[]): void {
    for (const s of samples) {
      if (s.i < this.size && s.rx >= (this.rx[s.i] ?? 0)) this.apply(s, false);
    }
    this.version += 1;
  }

  /** Merges host history (`trend.history`) into a tag's trend ring. */
  mergeHistory(index: number, t: readonly number[], v: readonly (number | null)[]): void {
    if (index >= this.size) return;
    this.ringOf(index).mergeHistory(t, v);
    this.version += 1;
  }

  private ringOf(index: number): SampleRing {
    let ring = this.rings[index];
    if (!ring) this.rings[index] = ring = new SampleRing(TREND_CAPACITY);
    return ring;
  }

  private apply(s: TagSample, record: boolean): void {
    const i = s.i;
    const v = s.v;
    const q = QUALITY_CODE[s.q];
    const n = typeof v === "number" ? v : typeof v === "boolean" ? (v ? 1 : 0) : NaN;
    this.raw[i] = v;
    this.num[i] = n;
    this.quality[i] = q;
    this.status[i] = s.status;
    this.ts[i] = s.ts;
    this.rx[i] = s.rx;
    if (s.rx > this.lastRx) this.lastRx = s.rx;
    // Arrays have no trend; a bad sample is recorded as a gap so the chart does not draw through it.
    if (record && !Array.isArray(v)) this.ringOf(i).push(s.rx, q === Q_BAD ? NaN : n);
  }
}

function isSample(s: unknown, size: number): s is TagSample {
  if (typeof s !== "object" || s === null) return false;
  const o = s as Record<string, unknown>;
  const i = o.i;
  const v = o.v;
  return (
    typeof i === "number" &&
    Number.isInteger(i) &&
    i >= 0 &&
    i < size &&
    (o.q === "good" || o.q === "uncertain" || o.q === "bad") &&
    typeof o.ts === "number" &&
    typeof o.rx === "number" &&
    typeof o.status === "string" &&
    (v === null || typeof v === "number" || typeof v === "boolean" || Array.isArray(v))
  );
}

/** The one live-value store of this page. */
export const live = new LiveValues();
