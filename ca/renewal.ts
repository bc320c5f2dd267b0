/**
 * Certificate renewal (swarmkit `ca/config.go`): a node renews at a uniformly random point between 50%
 * and 80% of its certificate's validity, so a swarm's nodes do not all renew at once; a failed renewal
 * is retried with exponential backoff (5 s doubling to 1 h). A role change (promote/demote) or a root
 * rotation asks for a renewal at once with `renewNow()`.
 */

export const RENEWAL_DEFAULTS = Object.freeze({
  minFraction: 0.5,
  maxFraction: 0.8,
  backoffInitialMs: 5_000,
  backoffMaxMs: 3_600_000,
});

export interface Validity {
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/**
 * How long from `now` until the renewal point, drawn uniformly in [50%, 80%] of the validity period
 * (0 when that point has passed).
 */
export function renewalDelayMs(cert: Validity, now: Date, random: () => number): number {
  const start = cert.notBefore.getTime();
  const life = cert.notAfter.getTime() - start;
  const fraction =
    RENEWAL_DEFAULTS.minFraction + random() * (RENEWAL_DEFAULTS.maxFraction - RENEWAL_DEFAULTS.minFraction);
  return Math.max(0, start + life * fraction - now.getTime());
}

/** The backoff before retry number `attempt` (1-based) after failures. */
export function backoffMs(attempt: number): number {
  return Math.min(
    RENEWAL_DEFAULTS.backoffMaxMs,
    RENEWAL_DEFAULTS.backoffInitialMs * 2 ** Math.max(0, attempt - 1),
  );
}

export interface RenewalOptions {
  /** The current certificate's validity. */
  readonly current: () => Validity;
  /** Obtains and installs a new certificate; rejects on failure. */
  readonly renew: () => Promise<void>;
  readonly random?: () => number;
  readonly now?: () => Date;
  readonly onError?: (err: unknown, retryInMs: number) => void;
}

/** Keeps a node's certificate renewed. start() schedules, stop() cancels (and waits for a renewal in flight). */
export class RenewalScheduler {
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(private readonly o: RenewalOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  /** Renews as soon as possible (role change, root rotation). */
  renewNow(): void {
    if (this.stopped) return;
    this.arm(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Consecutive failed renewals (0 once one succeeds). */
  get failureCount(): number {
    return this.failures;
  }

  private schedule(): void {
    const now = (this.o.now ?? (() => new Date()))();
    this.arm(renewalDelayMs(this.o.current(), now, this.o.random ?? Math.random));
  }

  private arm(delayMs: number): void {
    clearTimeout(this.timer);
    // setTimeout holds at most ~24.8 days; longer waits re-arm on the way.
    const capped = Math.min(delayMs, 2 ** 31 - 1);
    this.timer = setTimeout(() => {
      if (capped < delayMs) this.arm(delayMs - capped);
      else void this.attempt();
    }, capped);
    this.timer.unref();
  }

  private async attempt(): Promise<void> {
    if (this.stopped || this.running) return;
    this.running = this.o.renew();
    try {
      await this.running;
      this.failures = 0;
      if (!this.stopped) this.schedule();
    } catch (err) {
      this.failures++;
      const wait = backoffMs(this.failures);
      this.o.onError?.(err, wait);
      if (!this.stopped) this.arm(wait);
    } finally {
      this.running = undefined;
    }
  }
}
