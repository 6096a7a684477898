/**
 * Publish responses of one subscription, released in sequence-number order. After a network outage the
 * server answers the client's new publish requests with what it queued since, while the messages it had
 * sent into the dead connection must be fetched again with Republish: older values arrive after newer
 * ones. A message after a gap is held, the missing sequence numbers are asked for (once each), and the
 * held messages are released as the gap fills. A gap the server cannot fill (BadMessageNotAvailable, or no
 * answer within `maxWaitMs`) is given up and counted. Pure: the caller passes the clock.
 */

/** OPC UA sequence numbers run 1 … 2^32 − 1 and wrap to 1. */
const LAST_SEQUENCE = 0xffffffff;
/** More missing messages than this are not asked for one by one (a long outage): they are given up. */
const MAX_REQUESTED = 1_000;

export function nextSequence(seq: number): number {
  return seq >= LAST_SEQUENCE ? 1 : seq + 1;
}

/** True when `a` comes before `b`, allowing for wrap-around (half the space either way). */
export function sequenceBefore(a: number, b: number): boolean {
  const d = (b - a + LAST_SEQUENCE) % LAST_SEQUENCE;
  return d !== 0 && d < LAST_SEQUENCE / 2;
}

export class MessageOrder<T> {
  private expected: number | undefined;
  private readonly held = new Map<number, { payload: T; since: number }>();
  private readonly requested = new Set<number>();
  private readonly gone = new Set<number>();
  /** Messages never received: a gap given up on. */
  lostMessages = 0;
  /** Messages received twice (already released), dropped. */
  repeatedMessages = 0;

  constructor(
    private readonly release: (payload: T) => void,
    private readonly maxWaitMs: number,
    /** Asks the server to send these sequence numbers again (Republish). */
    private readonly requestMissing: (seqs: number[]) => void = () => {},
  ) {}

  get holding(): number {
    return this.held.size;
  }

  receive(seq: number, payload: T, now: number): void {
    // Numbering started again: the server recreated the subscription (it may reuse the old id, so no event
    // says so). A genuine repeat of message 1 this late cannot happen: servers keep only recent messages.
    if (seq === 1 && this.expected !== undefined && this.expected > 2 && this.expected < LAST_SEQUENCE - MAX_REQUESTED) this.restart();
    if (this.expected === undefined || seq === this.expected) {
      this.expected = nextSequence(seq);
      this.requested.delete(seq);
      this.release(payload);
      this.drain();
      return;
    }
    if (sequenceBefore(seq, this.expected) || this.held.has(seq)) {
      this.repeatedMessages++;
      return;
    }
    this.held.set(seq, { payload, since: now });
    const missing: number[] = [];
    for (let s = this.expected; s !== seq && missing.length + this.requested.size < MAX_REQUESTED; s = nextSequence(s)) {
      if (!this.held.has(s) && !this.requested.has(s) && !this.gone.has(s)) missing.push(s);
    }
    for (const s of missing) this.requested.add(s);
    if (missing.length > 0) this.requestMissing(missing);
  }

  /** The server no longer has this message: skip it when its turn comes. */
  unavailable(seq: number): void {
    if (this.expected === undefined || sequenceBefore(seq, this.expected)) return;
    this.requested.delete(seq);
    this.gone.add(seq);
    this.drain();
  }

  /** Gives up on a gap that has lasted too long: releases what is held, in order. */
  expire(now: number): void {
    if (this.held.size === 0 || this.expected === undefined) return;
    let oldest = Infinity;
    for (const h of this.held.values()) oldest = Math.min(oldest, h.since);
    if (now - oldest < this.maxWaitMs) return;
    this.skipToHeld();
  }

  /** A new subscription on the server (ids and sequence numbers start again): release everything held. */
  restart(): void {
    while (this.held.size > 0) this.skipToHeld();
    this.expected = undefined;
    this.requested.clear();
    this.gone.clear();
  }

  private skipToHeld(): void {
    let first: number | undefined;
    for (const seq of this.held.keys()) if (first === undefined || sequenceBefore(seq, first)) first = seq;
    if (first === undefined || this.expected === undefined) return;
    const end = first;
    this.lostMessages += (end - this.expected + LAST_SEQUENCE) % LAST_SEQUENCE;
    for (const s of [...this.gone, ...this.requested]) {
      if (sequenceBefore(s, end)) {
        this.gone.delete(s);
        this.requested.delete(s);
      }
    }
    this.expected = end;
    this.drain();
  }

  private drain(): void {
    for (;;) {
      const seq = this.expected!;
      const next = this.held.get(seq);
      if (next) {
        this.held.delete(seq);
        this.requested.delete(seq);
        this.expected = nextSequence(seq);
        this.release(next.payload);
      } else if (this.gone.has(seq)) {
        this.gone.delete(seq);
        this.lostMessages++;
        this.expected = nextSequence(seq);
      } else {
        return;
      }
    }
  }
}
