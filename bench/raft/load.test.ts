import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { measureFailover } from './failover.ts';
import { runLoad, type Put } from './load.ts';

/** A fake store whose puts take 1–2 ms; records what it was asked to write. */
function fakeStore(): { put: Put; keys: Set<string>; sizes: Set<number>; calls: () => number } {
  const keys = new Set<string>();
  const sizes = new Set<number>();
  let calls = 0;
  const put: Put = async (key, value) => {
    calls++;
    keys.add(key);
    sizes.add(value.byteLength);
    await sleep(1 + Math.round(Math.random()));
  };
  return { put, keys, sizes, calls: () => calls };
}

describe('runLoad', () => {
  it('measures one closed-loop client', async () => {
    const store = fakeStore();
    const r = await runLoad(store.put, { clients: 1, durationMs: 400, warmupMs: 100, valueBytes: 256 });
    expect(r.errors).toBe(0);
    // One client, ≥ 1 ms per put: at most ~400 puts in the window, and some real number of them.
    expect(r.writes).toBeGreaterThan(40);
    expect(r.writes).toBeLessThanOrEqual(400);
    expect(r.writes).toBeLessThan(store.calls()); // warm-up puts ran but were not counted
    expect(r.writesPerS).toBeCloseTo(r.writes / 0.4, 6);
    expect(r.p50Ms).toBeGreaterThanOrEqual(0.9);
    expect(r.p50Ms).toBeLessThan(50);
    expect(r.p99Ms).toBeGreaterThanOrEqual(r.p50Ms);
    expect(r.maxMs).toBeGreaterThanOrEqual(r.p99Ms);
    expect(store.sizes).toEqual(new Set([256]));
    expect([...store.keys].every((k) => /^k0-\d+$/.test(k))).toBe(true);
  });

  it('runs clients concurrently and spreads keys per client', async () => {
    const store = fakeStore();
    const one = await runLoad(store.put, { clients: 1, durationMs: 300, warmupMs: 50, valueBytes: 16 });
    const many = await runLoad(store.put, {
      clients: 20,
      durationMs: 300,
      warmupMs: 50,
      valueBytes: 16,
      keysPerClient: 5,
    });
    expect(many.errors).toBe(0);
    // 20 independent 1–2 ms loops do far more than one loop (timer granularity aside).
    expect(many.writesPerS).toBeGreaterThan(one.writesPerS * 5);
    const perClient = new Map<string, Set<string>>();
    for (const k of store.keys) {
      const m = /^k(\d+)-(\d+)$/.exec(k);
      expect(m).not.toBeNull();
      const [, c = '', n = ''] = m ?? [];
      perClient.set(c, (perClient.get(c) ?? new Set()).add(n));
    }
    expect(perClient.size).toBe(20);
    // keysPerClient 5 for the 20-client run (client 0's set also holds keys of the 1-client run).
    expect(perClient.get('7')).toEqual(new Set(['0', '1', '2', '3', '4']));
  });

  it('counts failures without spinning on them', async () => {
    let calls = 0;
    const r = await runLoad(
      () => {
        calls++;
        return Promise.reject(new Error('no leader'));
      },
      { clients: 2, durationMs: 200, warmupMs: 0, valueBytes: 8, errorBackoffMs: 10 },
    );
    expect(r.writes).toBe(0);
    expect(r.writesPerS).toBe(0);
    expect(Number.isNaN(r.p99Ms)).toBe(true);
    expect(r.errors).toBeGreaterThan(5);
    expect(calls).toBeLessThan(100); // ~2 × 200 / 10, not a hot loop
    expect(r.firstError).toBe('no leader');
  });

  it('gives up on puts that never settle after the drain timeout', async () => {
    let n = 0;
    const r = await runLoad(() => (n++ < 3 ? sleep(1) : new Promise<void>(() => undefined)), {
      clients: 2,
      durationMs: 100,
      warmupMs: 0,
      valueBytes: 8,
      drainTimeoutMs: 100,
    });
    expect(r.writes).toBe(3);
    expect(r.errors).toBe(2);
    expect(r.firstError).toMatch(/still pending/);
  });
});

describe('measureFailover', () => {
  it('times the new leader and the first committed write from the kill', async () => {
    let leaderAt = Infinity;
    let restarts = 0;
    const r = await measureFailover(
      {
        killLeader: () => {
          const killedAt = performance.now();
          leaderAt = killedAt + 30;
          return Promise.resolve({ killedAt });
        },
        waitLeader: async () => {
          while (performance.now() < leaderAt) await sleep(2);
          return performance.now();
        },
        // Writes hang (like a put parked on a leaderless follower) until 20 ms after the new leader.
        put: async () => {
          const t = performance.now();
          if (t < leaderAt + 20) await sleep(1000);
          else await sleep(1);
        },
        restartKilled: () => {
          restarts++;
          return Promise.resolve();
        },
      },
      { rounds: 3, valueBytes: 8, settleMs: 0, attemptTimeoutMs: 200, probeIntervalMs: 5 },
    );
    expect(restarts).toBe(3);
    expect(r.leaderMs).toHaveLength(3);
    for (const [i, ms] of r.leaderMs.entries()) {
      expect(ms).toBeGreaterThanOrEqual(29);
      expect(ms).toBeLessThan(200);
      expect(r.writeMs[i]).toBeGreaterThanOrEqual(50);
      // Overlapping probes: not held up by the hanging first attempt's 200 ms timeout.
      expect(r.writeMs[i]).toBeLessThan(150);
    }
    expect(r.writeP99Ms).toBeGreaterThanOrEqual(r.writeP50Ms);
  });
});
