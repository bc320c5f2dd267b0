/** Timing helpers for the transport: reconnect backoff and the per-peer unreachable rate limit. */

/**
 * Exponential backoff with jitter: `initialMs`, doubling per failure up to `maxMs`, each delay scaled by
 * a random factor in [0.8, 1.2) so peers that failed together do not reconnect together.
 */
export class Backoff {
  private failures = 0;

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt; counts one more failure. */
  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    return Math.round(base * (0.8 + 0.4 * this.random()));
  }

  /** Forgets past failures (call when a connection has been accepted). */
  reset(): void {
    this.failures = 0;
  }
}

/**
 * Lets one event per key through per interval. Keys are pruned once they are older than the interval,
 * so peers that no longer exist (or garbage IDs in messages) do not accumulate.
 */
export class RateLimiter {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** True when `key` may fire now (and records that it did). */
  allow(key: string): boolean {
    const t = this.now();
    const prev = this.last.get(key);
    if (prev !== undefined && t - prev < this.intervalMs) return false;
    if (this.last.size >= 1024) this.prune(t);
    this.last.set(key, t);
    return true;
  }

  /** Lets `key` fire at once next time (a peer was re-added or its address changed). */
  forget(key: string): void {
    this.last.delete(key);
  }

  private prune(t: number): void {
    for (const [k, v] of this.last) if (t - v >= this.intervalMs) this.last.delete(k);
  }
}
