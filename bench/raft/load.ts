/**
 * A closed-loop load generator for replicated key-value writes, shared by the Shoal and etcd sides of
 * bench/raft so both are measured by exactly the same loop.
 *
 * `clients` loops run concurrently; each issues its next put only when the previous one settled. Puts
 * that *complete* inside the measurement window `[warmupMs, warmupMs + durationMs)` (measured from the
 * start) count towards `writes` and the latency percentiles; puts still in flight when the window closes
 * are awaited (up to `drainTimeoutMs`) but not counted. Latency is `performance.now()` around one put.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile } from '../result.ts';

export type Put = (key: string, value: Uint8Array) => Promise<void>;

export interface LoadOptions {
  /** Concurrent closed-loop clients. */
  clients: number;
  /** Length of the measurement window. */
  durationMs: number;
  /** Time before the window during which puts run but are not counted. */
  warmupMs: number;
  /** Size of every value written. */
  valueBytes: number;
  /** Distinct keys per client (`k<client>-<n mod keysPerClient>`); default 1000. */
  keysPerClient?: number;
  /** Pause after a failed put before the client tries again, so a failing target is not spun on; default 10. */
  errorBackoffMs?: number;
  /** How long to wait for in-flight puts after the window closes; default 10 000. */
  drainTimeoutMs?: number;
}

export interface LoadResult {
  /** Puts completed successfully inside the window. */
  writes: number;
  writesPerS: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  /** Puts that failed inside the window (plus puts still hanging after the drain timeout). */
  errors: number;
  /** First error message seen, for the log. */
  firstError?: string;
}

export async function runLoad(put: Put, options: LoadOptions): Promise<LoadResult> {
  const { clients, durationMs, warmupMs, valueBytes } = options;
  const keysPerClient = options.keysPerClient ?? 1000;
  const errorBackoffMs = options.errorBackoffMs ?? 10;
  const drainTimeoutMs = options.drainTimeoutMs ?? 10_000;
  if (!(clients >= 1) || !(durationMs > 0) || !(warmupMs >= 0) || !(valueBytes >= 0))
    throw new Error(`runLoad: bad options ${JSON.stringify(options)}`);

  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const windowStart = start + warmupMs;
  const windowEnd = windowStart + durationMs;
  const inWindow = (t: number): boolean => t >= windowStart && t < windowEnd;

  let finished = 0;
  const client = async (c: number): Promise<void> => {
    // One value per client, different bytes per client so nothing can dedupe or compress across them.
    const value = new Uint8Array(randomBytes(valueBytes));
    for (let n = 0; performance.now() < windowEnd; n++) {
      const key = `k${c}-${n % keysPerClient}`;
      const t0 = performance.now();
      try {
        await put(key, value);
        const t1 = performance.now();
        if (inWindow(t1)) latencies.push(t1 - t0);
      } catch (err) {
        const t1 = performance.now();
        if (inWindow(t1)) {
          errors++;
          firstError ??= err instanceof Error ? err.message : String(err);
        }
        await sleep(errorBackoffMs);
      }
    }
    finished++;
  };

  const loops = Array.from({ length: clients }, (_, c) => client(c));
  const drain = new AbortController();
  const drained = await Promise.race([
    Promise.all(loops).then(() => true),
    sleep(durationMs + warmupMs + drainTimeoutMs, false, { signal: drain.signal }).catch(() => false),
  ]);
  drain.abort();
  if (!drained) {
    // Clients whose put never settled: count them as failures rather than hang the benchmark.
    errors += clients - finished;
    firstError ??= `put still pending ${drainTimeoutMs} ms after the window closed`;
  }

  const writes = latencies.length;
  const result: LoadResult = {
    writes,
    writesPerS: writes / (durationMs / 1000),
    p50Ms: percentile(latencies, 50),
    p90Ms: percentile(latencies, 90),
    p99Ms: percentile(latencies, 99),
    maxMs: writes === 0 ? Number.NaN : latencies.reduce((a, b) => Math.max(a, b), 0),
    meanMs: writes === 0 ? Number.NaN : latencies.reduce((a, b) => a + b, 0) / writes,
    errors,
  };
  if (firstError !== undefined) result.firstError = firstError;
  return result;
}

/** One line for the log: `label: 1234 writes/s, p50 1.2 ms, p99 3.4 ms (n=…, errors=…)`. */
export function describeLoad(label: string, r: LoadResult): string {
  const ms = (x: number): string => (Number.isNaN(x) ? 'n/a' : x.toFixed(2));
  return (
    `${label}: ${Math.round(r.writesPerS)} writes/s, p50 ${ms(r.p50Ms)} ms, p90 ${ms(r.p90Ms)} ms, ` +
    `p99 ${ms(r.p99Ms)} ms, max ${ms(r.maxMs)} ms (n=${r.writes}, errors=${r.errors}` +
    `${r.firstError === undefined ? '' : `, first: ${r.firstError}`})`
  );
}
