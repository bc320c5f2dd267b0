/** Command-line options shared by bench/raft/main.ts and bench/raft/etcd-only.ts. */
import { parseArgs } from 'node:util';

export interface RaftBenchArgs {
  /** Measurement window per load run. */
  durationMs: number;
  /** Warm-up before each window. */
  warmupMs: number;
  /** Concurrent clients of the "many clients" run (the other run has 1). */
  clients: number;
  valueBytes: number;
  /** Leader kills for Shoal. */
  failoverRounds: number;
  /** Leader kills for etcd (0: skip). */
  etcdFailoverRounds: number;
}

export const usage =
  'options: --duration-ms N (10000) --warmup-ms N (2000) --clients N (100) --value-bytes N (256) ' +
  '--failover-rounds N (20) --etcd-failover-rounds N';

export function parseRaftBenchArgs(
  argv: readonly string[],
  defaults: Partial<RaftBenchArgs> = {},
): RaftBenchArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      'duration-ms': { type: 'string' },
      'warmup-ms': { type: 'string' },
      clients: { type: 'string' },
      'value-bytes': { type: 'string' },
      'failover-rounds': { type: 'string' },
      'etcd-failover-rounds': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const num = (name: keyof typeof values, fallback: number): number => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0)
      throw new Error(`--${name}: want a non-negative number, got ${raw}\n${usage}`);
    return n;
  };
  return {
    durationMs: num('duration-ms', defaults.durationMs ?? 10_000),
    warmupMs: num('warmup-ms', defaults.warmupMs ?? 2000),
    clients: num('clients', defaults.clients ?? 100),
    valueBytes: num('value-bytes', defaults.valueBytes ?? 256),
    failoverRounds: num('failover-rounds', defaults.failoverRounds ?? 20),
    etcdFailoverRounds: num('etcd-failover-rounds', defaults.etcdFailoverRounds ?? 0),
  };
}
