/**
 * One "side" of bench/raft: the same two load runs (1 client, then `clients` concurrent clients) and,
 * optionally, the failover loop — run against Shoal or against etcd with identical parameters.
 */
import type { RaftBenchArgs } from './args.ts';
import { etcdFailoverTarget, etcdPut, startEtcdCluster } from './etcd.ts';
import { measureFailover, type FailoverResult, type FailoverTarget } from './failover.ts';
import { describeLoad, runLoad, type LoadResult, type Put } from './load.ts';

export interface SideResult {
  one: LoadResult;
  many: LoadResult;
  failover?: FailoverResult;
}

export type Log = (line: string) => void;

/** Starts a measurement of this process's CPU use; the returned function formats it (100% = one core). */
function harnessCpu(): () => string {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  return () => {
    const c = process.cpuUsage(c0);
    return `${Math.round(((c.user + c.system) / 1000 / (performance.now() - t0)) * 100)}%`;
  };
}

/** 1-client run, then the many-clients run, through `put`. */
export async function measureLoads(
  label: string,
  put: Put,
  args: RaftBenchArgs,
  log: Log,
): Promise<{ one: LoadResult; many: LoadResult }> {
  const common = { durationMs: args.durationMs, warmupMs: args.warmupMs, valueBytes: args.valueBytes };
  log(
    `${label}: 1 client, ${args.warmupMs} ms warm-up + ${args.durationMs} ms, ${args.valueBytes}-byte values`,
  );
  let cpu = harnessCpu();
  const one = await runLoad(put, { ...common, clients: 1 });
  log(`${describeLoad(`${label} 1 client`, one)}; harness CPU ${cpu()}`);
  log(`${label}: ${args.clients} clients, ${args.warmupMs} ms warm-up + ${args.durationMs} ms`);
  cpu = harnessCpu();
  const many = await runLoad(put, { ...common, clients: args.clients });
  log(`${describeLoad(`${label} ${args.clients} clients`, many)}; harness CPU ${cpu()}`);
  return { one, many };
}

export async function measureFailoverSide(
  label: string,
  target: FailoverTarget,
  rounds: number,
  args: RaftBenchArgs,
  log: Log,
): Promise<FailoverResult> {
  log(`${label}: failover, SIGKILL the leader ${rounds} times`);
  const f = await measureFailover(target, {
    rounds,
    valueBytes: args.valueBytes,
    log: (l) => log(`${label} ${l}`),
  });
  log(
    `${label} failover: new leader p50 ${f.leaderP50Ms.toFixed(1)} ms p99 ${f.leaderP99Ms.toFixed(1)} ms; ` +
      `first write p50 ${f.writeP50Ms.toFixed(1)} ms p99 ${f.writeP99Ms.toFixed(1)} ms`,
  );
  return f;
}

/** Starts a 3-member etcd cluster, measures it, stops it (also on failure). */
export async function measureEtcd(args: RaftBenchArgs, log: Log): Promise<SideResult> {
  const t0 = performance.now();
  const cluster = await startEtcdCluster({ members: 3 });
  try {
    log(`etcd: 3 members up in ${Math.round(performance.now() - t0)} ms at ${cluster.endpoints.join(' ')}`);
    const { one, many } = await measureLoads('etcd', etcdPut(cluster.client()), args, log);
    if (args.etcdFailoverRounds <= 0) return { one, many };
    const failover = await measureFailoverSide(
      'etcd',
      etcdFailoverTarget(cluster),
      args.etcdFailoverRounds,
      args,
      log,
    );
    return { one, many, failover };
  } finally {
    await cluster.stop();
  }
}
