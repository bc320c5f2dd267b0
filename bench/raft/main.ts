/**
 * bench/raft (`npm run bench -- raft [options]`, options in args.ts): Shoal's Raft cluster — 3 nodes as
 * separate processes on loopback — against etcd (Debian's etcd-server, 3 members on loopback), both
 * driven by the same Node harness:
 *
 * - committed writes per second and p50/p99 commit latency for 256-byte values, 1 client and 100
 *   concurrent closed-loop clients (load.ts);
 * - leader failover: SIGKILL the leader 20 times; time to a new leader and to the first committed write
 *   (failover.ts). Shoal always; etcd too with `--etcd-failover-rounds N` (printed, not in RESULT).
 *
 * The two clusters run one after the other, never together (the bench machine has 2 cores).
 *
 * DRAFT: the Shoal side comes from ./shoal.ts (owned by the lead), which must export
 * `ShoalBenchTarget` and `createShoalBenchTarget()`.
 */
import { printResult } from '../result.ts';
import { parseRaftBenchArgs } from './args.ts';
import { onCleanup } from './cleanup.ts';
import type { FailoverResult } from './failover.ts';
import type { LoadResult } from './load.ts';
import { measureEtcd, measureFailoverSide, measureLoads, type SideResult } from './measure.ts';
import { createShoalBenchTarget, type ShoalBenchTarget } from './shoal.ts';

const args = parseRaftBenchArgs(process.argv.slice(2), { etcdFailoverRounds: 0 });
const log = (line: string): void => console.log(line);

async function measureShoal(): Promise<SideResult> {
  const shoal: ShoalBenchTarget = createShoalBenchTarget();
  // stop() is async: on SIGINT it gets 5 s; on a crash ('exit') only its synchronous part runs, so
  // the target should SIGKILL its processes synchronously at the start of stop().
  const unregister = onCleanup(() => shoal.stop());
  try {
    const t0 = performance.now();
    await shoal.start();
    log(`shoal: 3 nodes up in ${Math.round(performance.now() - t0)} ms`);
    const { one, many } = await measureLoads('shoal', (k, v) => shoal.put(k, v), args, log);
    const failover = await measureFailoverSide('shoal', shoal, args.failoverRounds, args, log);
    return { one, many, failover };
  } finally {
    await shoal.stop();
    unregister();
  }
}

const shoal = await measureShoal();
const etcd = await measureEtcd(args, log);

// Side by side.
const ms = (x: number | undefined): string =>
  x === undefined || Number.isNaN(x) ? '—' : `${x.toFixed(1)} ms`;
const perS = (r: LoadResult): string => `${Math.round(r.writesPerS)}/s`;
type FailoverFigure = 'leaderP50Ms' | 'leaderP99Ms' | 'writeP50Ms' | 'writeP99Ms';
const fo = (f: FailoverResult | undefined, k: FailoverFigure): string => ms(f?.[k]);
const rows: [string, string, string][] = [
  [`writes, ${args.clients} clients`, perS(shoal.many), perS(etcd.many)],
  ['  p50', ms(shoal.many.p50Ms), ms(etcd.many.p50Ms)],
  ['  p99', ms(shoal.many.p99Ms), ms(etcd.many.p99Ms)],
  ['writes, 1 client', perS(shoal.one), perS(etcd.one)],
  ['  p50', ms(shoal.one.p50Ms), ms(etcd.one.p50Ms)],
  ['  p99', ms(shoal.one.p99Ms), ms(etcd.one.p99Ms)],
  ['errors', String(shoal.one.errors + shoal.many.errors), String(etcd.one.errors + etcd.many.errors)],
  ['failover: new leader p50', fo(shoal.failover, 'leaderP50Ms'), fo(etcd.failover, 'leaderP50Ms')],
  ['  p99', fo(shoal.failover, 'leaderP99Ms'), fo(etcd.failover, 'leaderP99Ms')],
  ['failover: first write p50', fo(shoal.failover, 'writeP50Ms'), fo(etcd.failover, 'writeP50Ms')],
  ['  p99', fo(shoal.failover, 'writeP99Ms'), fo(etcd.failover, 'writeP99Ms')],
];
log('');
log(`${''.padEnd(28)}${'shoal'.padStart(14)}${'etcd'.padStart(14)}`);
for (const [label, a, b] of rows) log(`${label.padEnd(28)}${a.padStart(14)}${b.padStart(14)}`);
log('');

printResult('raft', {
  shoal_writes_per_s: Math.round(shoal.many.writesPerS),
  etcd_writes_per_s: Math.round(etcd.many.writesPerS),
  shoal_p99_ms: shoal.many.p99Ms,
  etcd_p99_ms: etcd.many.p99Ms,
  shoal_1c_writes_per_s: Math.round(shoal.one.writesPerS),
  etcd_1c_writes_per_s: Math.round(etcd.one.writesPerS),
  failover_p50_ms: shoal.failover?.writeP50Ms ?? Number.NaN,
  failover_p99_ms: shoal.failover?.writeP99Ms ?? Number.NaN,
});
