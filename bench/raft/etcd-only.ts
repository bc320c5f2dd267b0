/**
 * The etcd half of bench/raft on its own: `node --import tsx bench/raft/etcd-only.ts [options]`
 * (options: see args.ts; add `--etcd-failover-rounds N` to time etcd's failover too).
 * Ends with `RESULT raft-etcd etcd_writes_per_s=… etcd_p99_ms=… etcd_1c_writes_per_s=… etcd_p50_ms=… …`.
 */
import { printResult } from '../result.ts';
import { parseRaftBenchArgs } from './args.ts';
import { measureEtcd } from './measure.ts';

const args = parseRaftBenchArgs(process.argv.slice(2));
const etcd = await measureEtcd(args, (line) => console.log(line));

printResult('raft-etcd', {
  etcd_writes_per_s: Math.round(etcd.many.writesPerS),
  etcd_p50_ms: etcd.many.p50Ms,
  etcd_p99_ms: etcd.many.p99Ms,
  etcd_1c_writes_per_s: Math.round(etcd.one.writesPerS),
  etcd_1c_p50_ms: etcd.one.p50Ms,
  etcd_1c_p99_ms: etcd.one.p99Ms,
  etcd_errors: etcd.one.errors + etcd.many.errors,
  ...(etcd.failover === undefined
    ? {}
    : {
        etcd_failover_p50_ms: etcd.failover.writeP50Ms,
        etcd_failover_p99_ms: etcd.failover.writeP99Ms,
        etcd_leader_p50_ms: etcd.failover.leaderP50Ms,
        etcd_leader_p99_ms: etcd.failover.leaderP99Ms,
      }),
});
