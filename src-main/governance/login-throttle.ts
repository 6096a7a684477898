/**
 * Slows down password guessing per username: a few free attempts, then a lock that doubles with each further
 * failure, up to a ceiling. Held in memory (a restart needs access to the machine anyway) and bounded in size,
 * since unknown usernames are throttled too.
 */
import type { Clock } from "./clock";

export interface ThrottleOptions {
  /** Failures allowed before the first lock. */
  freeAttempts: number;
  baseLockMs: number;
  maxLockMs: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = { freeAttempts: 5, baseLockMs: 30_000, maxLockMs: 15 * 60_000 };
const MAX_TRACKED = 10_000;

export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; lockedUntil: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly options: ThrottleOptions = DEFAULT_THROTTLE,
  ) {}

  /** Milliseconds until `username` may try again; 0 when it may now. */
  lockedFor(username: string): number {
    const f = this.failures.get(key(username));
    return f ? Math.max(0, f.lockedUntil - this.clock()) : 0;
  }

  failed(username: string): void {
    const k = key(username);
    const f = this.failures.get(k) ?? { count: 0, lockedUntil: 0 };
    f.count++;
    const over = f.count - this.options.freeAttempts;
    if (over >= 0) f.lockedUntil = this.clock() + Math.min(this.options.maxLockMs, this.options.baseLockMs * 2 ** over);
    this.failures.delete(k);
    this.failures.set(k, f);
    // Oldest first in a Map: forget the longest-quiet names when an attacker sprays usernames.
    while (this.failures.size > MAX_TRACKED) this.failures.delete(this.failures.keys().next().value!);
  }

  succeeded(username: string): void {
    this.failures.delete(key(username));
  }
}

const key = (username: string) => username.trim().toLowerCase();
