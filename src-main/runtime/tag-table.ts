/**
 * The runtime's in-memory view of the plant: the tags a scene binds, the latest sample of each, a short
 * numeric history per tag for trends (ring buffers on typed arrays), and the notification rate.
 * The historian (SQLite) keeps everything; this keeps only what the live UI needs, in bounded memory.
 */
import type { TagInfo, TagSample, TrendSeries } from "../common/api/contract";
import type { Scene } from "../common/scene/schema";

export function tagsOfScene(scene: Scene): TagInfo[] {
  const out: TagInfo[] = [];
  const defaultConnection = scene.connections[0]!.id;
  for (const asset of scene.assets) {
    for (const [key, tag] of Object.entries(asset.tags)) {
      out.push({
        index: out.length,
        id: `${asset.id}.${key}`,
        assetId: asset.id,
        key,
        nodeId: tag.nodeId,
        connection: tag.connection ?? defaultConnection,
        dataType: tag.dataType,
        role: tag.role,
        unit: tag.unit,
        range: tag.range,
        writable: tag.access === "readWrite",
        trend: tag.trend,
        description: tag.description,
      });
    }
  }
  return out;
}

/** Fixed-capacity history of (time, value) for one tag; NaN marks a bad or non-numeric sample. */
export class SampleRing {
  private readonly t: Float64Array;
  private readonly v: Float64Array;
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.t = new Float64Array(capacity);
    this.v = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(time: number, value: number): void {
    const at = (this.start + this.count) % this.capacity;
    this.t[at] = time;
    this.v[at] = value;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** Samples with time ≥ since, oldest first, thinned to at most maxPoints by even striding. */
  read(since: number, maxPoints: number): { t: number[]; v: (number | null)[] } {
    let first = 0;
    while (first < this.count && this.t[(this.start + first) % this.capacity]! < since) first++;
    const available = this.count - first;
    const stride = Math.max(1, Math.ceil(available / maxPoints));
    const t: number[] = [];
    const v: (number | null)[] = [];
    for (let k = first; k < this.count; k += stride) {
      const at = (this.start + k) % this.capacity;
      const value = this.v[at]!;
      t.push(this.t[at]!);
      v.push(Number.isNaN(value) ? null : value);
    }
    return { t, v };
  }
}

export class TagTable {
  readonly tags: TagInfo[];
  private readonly byId: Map<string, TagInfo>;
  private readonly latest: (TagSample | undefined)[];
  private readonly history: SampleRing[];
  /** Notification counts per 250 ms bin over the last 4 s, for the update rate. */
  private readonly rateBins = new Uint32Array(16);
  private rateBinStart = 0;
  private lastValueAt: number | null = null;

  constructor(scene: Scene, historyCapacity = 12_000) {
    this.tags = tagsOfScene(scene);
    this.byId = new Map(this.tags.map((t) => [t.id, t]));
    this.latest = new Array<TagSample | undefined>(this.tags.length);
    this.history = this.tags.map(() => new SampleRing(historyCapacity));
  }

  tag(id: string): TagInfo | undefined {
    return this.byId.get(id);
  }

  record(samples: readonly TagSample[], now = Date.now()): void {
    for (const s of samples) {
      if (s.i < 0 || s.i >= this.tags.length) continue;
      this.latest[s.i] = s;
      const numeric = typeof s.v === "number" ? s.v : typeof s.v === "boolean" ? (s.v ? 1 : 0) : NaN;
      this.history[s.i]!.push(s.rx, s.q === "bad" ? NaN : numeric);
    }
    this.countRate(samples.length, now);
    if (samples.length > 0) this.lastValueAt = now;
  }

  /** The latest sample of one tag (by index), if any arrived. */
  latestOf(index: number): TagSample | undefined {
    return this.latest[index];
  }

  /** The tags of one asset. */
  tagsOfAsset(assetId: string): TagInfo[] {
    return this.tags.filter((t) => t.assetId === assetId);
  }

  snapshot(): TagSample[] {
    return this.latest.filter((s): s is TagSample => s !== undefined);
  }

  trend(tagIds: readonly string[], since: number, maxPoints: number): TrendSeries[] {
    return tagIds.map((tagId) => {
      const tag = this.byId.get(tagId);
      if (!tag) return { tagId, t: [], v: [] };
      return { tagId, ...this.history[tag.index]!.read(since, maxPoints) };
    });
  }

  get newestValueAt(): number | null {
    return this.lastValueAt;
  }

  /** Notifications per second over the last 4 s. */
  updateRateHz(now = Date.now()): number {
    this.countRate(0, now);
    let total = 0;
    for (const n of this.rateBins) total += n;
    return total / 4;
  }

  private countRate(n: number, now: number): void {
    const bin = Math.floor(now / 250);
    // The window holds bins rateBinStart … rateBinStart + 15; a jump past a whole window clears it.
    if (bin - (this.rateBinStart + 15) >= 16) {
      this.rateBins.fill(0);
      this.rateBinStart = bin - 15;
    }
    while (bin > this.rateBinStart + 15) {
      this.rateBins[this.rateBinStart % 16] = 0;
      this.rateBinStart++;
    }
    this.rateBins[bin % 16]! += n;
  }
}
