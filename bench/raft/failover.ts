/**
 * Leader failover, measured the same way for any replicated store: SIGKILL the leader, then time
 * (a) until a new leader is known and (b) until the first write commits, both from the kill; restart the
 * killed member, let the cluster settle, repeat.
 *
 * Timestamps are `performance.now()` values of this process.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile } from '../result.ts';
import type { Put } from './load.ts';

/** What the failover loop needs from a cluster (Shoal's ShoalBenchTarget satisfies it structurally). */
export interface FailoverTarget {
  put: Put;
  /** SIGKILLs the current leader; `killedAt` is `performance.now()` taken just before the signal. */
  killLeader(): Promise<{ killedAt: number }>;
  /** Resolves with `performance.now()` at which a new leader (not the killed one) was observed. */
  waitLeader(): Promise<number>;
  /** Restarts the member killed last and resolves once it has rejoined. */
  restartKilled(): Promise<void>;
}

export interface FailoverOptions {
  rounds: number;
  valueBytes: number;
  /** After the kill, a new write probe starts this often while none has committed; default 10. */
  probeIntervalMs?: number;
  /**
   * Most probes pending at once; default 1000 (10 s of probes at the default interval — a leaderless
   * member may hold a put until its deadline, and a cap reached earlier would measure that deadline).
   */
  maxInFlight?: number;
  /** A write probe is abandoned after this long; default 5000. */
  attemptTimeoutMs?: number;
  /** A round that has no leader or no committed write after this long fails the run; default 30 000. */
  roundTimeoutMs?: number;
  /** Pause after the killed member rejoined, before the next kill; default 500. */
  settleMs?: number;
  /** Progress lines (one per round). */
  log?: (line: string) => void;
}

export interface FailoverResult {
  rounds: number;
  /** Kill → new leader observed, per round. */
  leaderMs: number[];
  /** Kill → first committed write, per round. */
  writeMs: number[];
  leaderP50Ms: number;
  leaderP99Ms: number;
  writeP50Ms: number;
  writeP99Ms: number;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  const ac = new AbortController();
  return Promise.race([
    p,
    sleep(ms, undefined, { signal: ac.signal }).then(() => {
      throw new Error(`${what}: no result after ${ms} ms`);
    }),
  ]).finally(() => ac.abort());
}

/**
 * Resolves with the `performance.now()` at which the first of a stream of overlapping write probes
 * commits: a new probe starts every `probeIntervalMs` (at most `maxInFlight` pending at once), each
 * abandoned after `attemptTimeoutMs`. Overlapping probes keep a put that is stuck on a dead or leaderless
 * node (until its own timeout) from hiding the moment the cluster can commit again.
 */
function firstCommit(
  put: Put,
  value: Uint8Array,
  round: number,
  timing: { probeIntervalMs: number; maxInFlight: number; attemptTimeoutMs: number; deadline: number },
): Promise<number> {
  return new Promise((resolve, reject) => {
    let done = false;
    let inFlight = 0;
    let attempt = 0;
    let lastError = 'none';
    const finish = (err: Error | undefined, at = 0): void => {
      if (done) return;
      done = true;
      clearInterval(timer);
      if (err) reject(err);
      else resolve(at);
    };
    const probe = (): void => {
      if (done) return;
      if (performance.now() > timing.deadline) {
        finish(new Error(`failover round ${round}: no write committed in time (last error: ${lastError})`));
        return;
      }
      if (inFlight >= timing.maxInFlight) return;
      inFlight++;
      withTimeout(put(`failover-${round}-${attempt++}`, value), timing.attemptTimeoutMs, 'put').then(
        () => finish(undefined, performance.now()),
        (err: unknown) => {
          inFlight--;
          lastError = err instanceof Error ? err.message : String(err);
        },
      );
    };
    const timer = setInterval(probe, timing.probeIntervalMs);
    probe();
  });
}

export async function measureFailover(
  target: FailoverTarget,
  options: FailoverOptions,
): Promise<FailoverResult> {
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 5000;
  const roundTimeoutMs = options.roundTimeoutMs ?? 30_000;
  const settleMs = options.settleMs ?? 500;
  const probeIntervalMs = options.probeIntervalMs ?? 10;
  const maxInFlight = options.maxInFlight ?? 1000;
  const value = new Uint8Array(randomBytes(options.valueBytes));
  const leaderMs: number[] = [];
  const writeMs: number[] = [];

  for (let round = 0; round < options.rounds; round++) {
    const { killedAt } = await target.killLeader();
    const [leaderAt, writeAt] = await Promise.all([
      withTimeout(target.waitLeader(), roundTimeoutMs, `failover round ${round}: waitLeader`),
      firstCommit((k, v) => target.put(k, v), value, round, {
        probeIntervalMs,
        maxInFlight,
        attemptTimeoutMs,
        deadline: killedAt + roundTimeoutMs,
      }),
    ]);
    leaderMs.push(leaderAt - killedAt);
    writeMs.push(writeAt - killedAt);
    options.log?.(
      `failover ${round + 1}/${options.rounds}: leader after ${(leaderAt - killedAt).toFixed(1)} ms, ` +
        `first write after ${(writeAt - killedAt).toFixed(1)} ms`,
    );
    await withTimeout(target.restartKilled(), roundTimeoutMs, `failover round ${round}: restartKilled`);
    await sleep(settleMs);
  }

  return {
    rounds: options.rounds,
    leaderMs,
    writeMs,
    leaderP50Ms: percentile(leaderMs, 50),
    leaderP99Ms: percentile(leaderMs, 99),
    writeP50Ms: percentile(writeMs, 50),
    writeP99Ms: percentile(writeMs, 99),
  };
}
