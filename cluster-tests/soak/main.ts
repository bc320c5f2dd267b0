/**
 * Soak: `npm run soak -- --minutes 10 --seed S`. A swarm of hosts (3 managers, 2 workers) under a
 * seeded random fault every 10 s and steady service churn; at the end, healed, the invariants are
 * checked. Prints figures and a last line `RESULT soak …`; exits non-zero when an invariant fails.
 */
import { parseArgs } from 'node:util';
import { HostCluster } from '../hosts/cluster.ts';
import { Churn } from './churn.ts';
import {
  duplicateSlots,
  lostWrites,
  silentManagers,
  sleep,
  snapshot,
  strayedSecrets,
  unconverged,
  type Snapshot,
} from './check.ts';
import { FAULT_KINDS, injectFault, type FaultKind } from './faults.ts';
import { LeaderWatch } from './leader-watch.ts';
import { rng } from './prng.ts';

const FAULT_PERIOD_MS = 10_000;
const CHURN_PERIOD_MS = 1500;
const SETTLE_TIMEOUT_MS = 180_000;

const { values } = parseArgs({
  options: { minutes: { type: 'string', default: '10' }, seed: { type: 'string' } },
});
const minutes = Number(values.minutes);
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
if (!(minutes > 0) || !Number.isInteger(seed))
  throw new RangeError(`--minutes ${values.minutes} --seed ${values.seed}`);

const t0 = Date.now();
const stamp = (): string =>
  `${new Date().toISOString().slice(11, 23)} +${((Date.now() - t0) / 1000).toFixed(1)}s`;
const log = (msg: string): void => console.log(`[${stamp()}] ${msg}`);

let cluster: HostCluster | undefined;
let cleaning: Promise<void> | undefined;
const cleanup = (): Promise<void> => (cleaning ??= cluster ? cluster.destroy() : Promise.resolve());
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.once(sig, () => {
    log(`${sig}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });

async function main(): Promise<number> {
  const why = HostCluster.unavailable();
  if (why) {
    console.log(`soak: cannot run here: ${why}`);
    return 2;
  }
  log(`soak seed=${seed} minutes=${minutes}`);
  const c = await HostCluster.start({ managers: 3, workers: 2, tickMs: 50, heartbeatMs: 1000 });
  cluster = c;
  log(`cluster ${c.prefix} on ${c.subnet} up`);
  const faultRng = rng(seed);
  const churnRng = rng(seed ^ 0x5bd1e995);
  const churn = new Churn(c, churnRng, log);
  const watch = new LeaderWatch(c, log);
  watch.start();
  const faults = new Map<FaultKind, number>(FAULT_KINDS.map((k) => [k, 0]));
  const end = t0 + minutes * 60_000;

  let stop = false;
  const churning = (async () => {
    while (!stop) {
      await churn.step().catch((err: unknown) => log(`  churn step error: ${String(err)}`));
      await sleep(CHURN_PERIOD_MS);
    }
  })();
  try {
    while (Date.now() + FAULT_PERIOD_MS <= end) {
      const slot = Date.now();
      const kind = await injectFault(c, faultRng, log);
      faults.set(kind, (faults.get(kind) ?? 0) + 1);
      // healed; the next fault waits for the slot's end and for an agreed leader
      await c.waitFor(async () => (await c.leader()) !== undefined, 'a leader after healing', 60_000);
      await sleep(Math.max(0, slot + FAULT_PERIOD_MS - Date.now()));
    }
  } finally {
    stop = true;
    await churning;
  }
  c.heal();
  for (const h of c.hosts) {
    c.loss(h, 0);
    if (!h.running()) await h.start();
  }
  const healed = Date.now();
  log('healed; waiting for convergence');

  const failures: string[] = [];
  let snap: Snapshot | undefined;
  let convergeMs: number | undefined;
  let pending: string[] = [];
  while (Date.now() - healed < SETTLE_TIMEOUT_MS) {
    try {
      const via = await c.leader();
      snap = await snapshot(via);
      pending = [...unconverged(c, snap, churn.services), ...lostWrites(snap, churn.services)];
      if (pending.length === 0) {
        convergeMs = Date.now() - healed;
        break;
      }
    } catch (err) {
      pending = [String(err).split('\n')[0] ?? ''];
    }
    await sleep(500);
  }
  if (convergeMs === undefined) failures.push(`converge: ${pending.join('; ')}`);
  log(
    `converged: ${convergeMs === undefined ? `NO after ${SETTLE_TIMEOUT_MS} ms` : `${convergeMs} ms after heal`}`,
  );

  // settled: sampled a few times
  const dups = new Set<string>();
  for (let i = 0; i < 5; i++) {
    try {
      snap = await snapshot(await c.leader());
      for (const d of duplicateSlots(snap)) dups.add(d);
    } catch (err) {
      log(`  sample ${i}: ${String(err).split('\n')[0]}`);
    }
    await sleep(400);
  }
  if (dups.size > 0) failures.push(`slots: ${[...dups].join('; ')}`);
  if (snap) {
    const lost = lostWrites(snap, churn.services);
    if (lost.length > 0) failures.push(`writes: ${lost.join('; ')}`);
    const stray = strayedSecrets(c, snap, churn.services);
    if (stray.length > 0) failures.push(`secrets: ${stray.join('; ')}`);
  } else failures.push('no snapshot of the cluster after healing');
  const silent = await silentManagers(c);
  if (silent.length > 0) failures.push(`managers: ${silent.join('; ')}`);
  watch.stop();

  const total = [...faults.values()].reduce((a, b) => a + b, 0);
  const s = churn.stats;
  console.log('---- figures ----');
  console.log(
    `seed ${seed}, minutes ${minutes}, cluster 3 managers + 2 workers, tickMs 50, heartbeatMs 1000`,
  );
  console.log(`faults ${total}: ${[...faults].map(([k, n]) => `${k}=${n}`).join(' ')}`);
  console.log(`writes attempted=${s.attempted} acknowledged=${s.acked} failed/unknown=${s.failed}`);
  console.log(
    `  by op: ${Object.entries(s.byOp)
      .map(([k, v]) => `${k} ${v.acked}/${v.attempted}`)
      .join(', ')}`,
  );
  const models = churn.services;
  console.log(
    `services written ${models.length}: present=${models.filter((m) => m.existence === 'present').length} ` +
      `gone=${models.filter((m) => m.existence === 'gone').length} unknown=${models.filter((m) => m.existence === 'maybe').length}; ` +
      `with secret ${models.filter((m) => m.secret).length}; at end listed ${snap?.services.length ?? '?'}`,
  );
  console.log(
    `leader changes seen ${watch.changes}; longest without an agreed leader ${watch.longestGapMs} ms`,
  );
  console.log(`convergence after heal ${convergeMs === undefined ? 'none' : `${convergeMs} ms`}`);
  for (const f of failures) console.log(`INVARIANT FAILED ${f}`);
  const inv = failures.length === 0 ? 'ok' : `FAILED(${failures.map((f) => f.split(':')[0]).join(',')})`;
  console.log(
    `RESULT soak minutes=${minutes} seed=${seed} faults=${total} writes_acked=${s.acked} invariants=${inv}`,
  );
  return failures.length === 0 ? 0 : 1;
}

main().then(
  async (code) => {
    await cleanup();
    process.exit(code);
  },
  async (err: unknown) => {
    console.error(err);
    await cleanup();
    console.log(
      `RESULT soak minutes=${minutes} seed=${seed} faults=? writes_acked=? invariants=FAILED(error)`,
    );
    process.exit(1);
  },
);
