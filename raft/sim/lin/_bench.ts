import { Rng } from '../rng.ts';
import { linearizableHistory } from './history.testlib.ts';
import { checkOperations, kvModel } from './index.ts';
for (const [ops, keys, lat] of [[2000, 10, 20], [2000, 10, 20], [10000, 10, 20], [20000, 10, 20], [10000, 10, 60], [10000, 1, 10], [10000, 1, 30], [10000, 1, 50]] as const) {
  const h = linearizableHistory(new Rng(42), { ops, keys, clients: 16, maxLatency: lat, unknownRate: 0.02, lostRate: 0.01 });
  const t0 = performance.now();
  const r = checkOperations(kvModel, h, { maxSteps: Infinity });
  const ms = performance.now() - t0;
  console.log(ops, keys, lat, r.result, r.steps, ms.toFixed(1) + 'ms', Math.round(ops / (ms / 1000)) + ' ops/s');
}
