/**
 * Which tags of a connection are stale (their last value is no longer known to be current) and the changes
 * to tell the runtime. A tag becomes stale when its connection is lost or its subscription goes silent, and
 * fresh again only when its subscription publishes after that.
 */
import type { FreshnessChange } from "./types";

/** The status a stale tag carries. */
export const STALE_STATUS = "BadCommunicationError";

export class TagFreshness {
  private readonly stale = new Set<number>();

  constructor(
    private readonly connection: string,
    private readonly emit: (change: FreshnessChange) => void,
  ) {}

  get staleCount(): number {
    return this.stale.size;
  }

  /** Marks the tags not yet stale; true when any changed. */
  markStale(tags: readonly number[], reason: string, at: number): boolean {
    const changed = tags.filter((t) => !this.stale.has(t));
    if (changed.length === 0) return false;
    for (const t of changed) this.stale.add(t);
    this.emit({ connection: this.connection, tags: changed, stale: true, status: STALE_STATUS, reason, at });
    return true;
  }

  /** Marks the stale ones among `tags` fresh; true when any changed. */
  markFresh(tags: readonly number[], at: number): boolean {
    if (this.stale.size === 0) return false;
    const changed = tags.filter((t) => this.stale.has(t));
    if (changed.length === 0) return false;
    for (const t of changed) this.stale.delete(t);
    this.emit({ connection: this.connection, tags: changed, stale: false, status: "Good", reason: "publishing resumed", at });
    return true;
  }
}
