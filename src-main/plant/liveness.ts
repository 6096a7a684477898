/**
 * Timing rules for knowing a connection is alive: the publish watchdog (a subscription that stops answering
 * means its values are no longer current) and the backoff between connection attempts. Pure, clock passed in.
 */

export interface PublishTiming {
  /** Revised publishing interval, ms. */
  publishingMs: number;
  /** Revised max keep-alive count: publishing intervals the server may stay silent before it must answer. */
  keepAliveCount: number;
}

/**
 * How long after the last publish response a subscription counts as lost. The server owes a response (data
 * or keep-alive) every keepAliveCount publishing intervals, so the loss is detectable then; one more interval
 * covers transport and scheduling. Checked every half interval, the stale mark lands within 1.5 publishing
 * intervals of the loss being detectable.
 */
export function silenceDeadlineMs(t: PublishTiming): number {
  return (t.keepAliveCount + 1) * t.publishingMs;
}

/** Keep-alive count to ask for: silent for about a second at most (or two intervals for slow subscriptions). */
export function keepAliveCountFor(publishingMs: number): number {
  return Math.min(10, Math.max(2, Math.ceil(1000 / publishingMs)));
}

export function watchdogCheckEveryMs(t: PublishTiming): number {
  return Math.max(5, t.publishingMs / 2);
}

/** Tracks one subscription's publish responses. */
export class PublishWatchdog {
  private lastHeard: number;
  private overdueNow = false;

  constructor(
    private timing: PublishTiming,
    now: number,
  ) {
    this.lastHeard = now;
  }

  get overdue(): boolean {
    return this.overdueNow;
  }

  /** The subscription was (re)created with new revised values. */
  retime(timing: PublishTiming, now: number): void {
    this.timing = timing;
    this.lastHeard = now;
  }

  /** A publish response (data or keep-alive) arrived. True when this ends an overdue period. */
  heard(now: number): boolean {
    this.lastHeard = now;
    const wasOverdue = this.overdueNow;
    this.overdueNow = false;
    return wasOverdue;
  }

  /** True exactly once when the silence passes the deadline. */
  check(now: number): boolean {
    if (this.overdueNow) return false;
    if (now - this.lastHeard <= silenceDeadlineMs(this.timing)) return false;
    this.overdueNow = true;
    return true;
  }
}

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** ± fraction of randomness, so that many clients of one restarted server do not retry in step. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 10_000, factor: 2, jitter: 0.2 };

/** Delay before attempt number `attempt` (1 = first retry). */
export function backoffDelayMs(attempt: number, o: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const base = Math.min(o.maxMs, o.initialMs * o.factor ** Math.max(0, attempt - 1));
  const spread = base * o.jitter * (2 * random() - 1);
  return Math.max(0, Math.round(Math.min(o.maxMs, base + spread)));
}
