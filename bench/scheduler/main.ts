/**
 * bench/scheduler: how fast the scheduler turns PENDING tasks into ASSIGNED ones, measured from
 * `start()` until the store holds every task ASSIGNED, on simulated nodes in one process
 * (MemoryStore.local(): every transaction is still encoded, decoded and applied as on a manager).
 *
 *  (a) plain: 1,000 nodes, one replicated service of 100,000 PENDING tasks.
 *  (b) constrained: 5,000 labelled nodes, 100 services with constraints and a 3-level spread
 *      (region / zone / rack, some nodes unlabelled), 1,000 tasks each, CPU and memory reservations.
 *  store: the store's own write path — the same 100,000 PENDING → ASSIGNED updates written directly,
 *      no scheduler — the ceiling the scheduler's throughput is bounded by.
 *
 * Each scenario runs in its own child process, so (b)'s peak RSS (VmHWM) is its own.
 * Usage: npm run bench -- scheduler [--tasks 100000]
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { addNodes, makeNode, makeService, pendingTask } from '../../manager/scheduler/fixtures.ts';
import { Scheduler } from '../../manager/scheduler/scheduler.ts';
import { MemoryStore } from '../../manager/store/memory.ts';
import type { Node, Service, StoreEvent } from '../../manager/store/types.ts';
import { printResult } from '../result.ts';

type Scenario = 'plain' | 'constrained' | 'store';

interface Outcome {
  readonly scenario: Scenario;
  readonly tasks: number;
  readonly tasksPerS: number;
  readonly seconds: number;
  readonly peakRssMb: number;
}

const SELF = fileURLToPath(import.meta.url);
const argValue = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};

/** Peak resident set of this process so far (Linux VmHWM), else the current RSS. */
function peakRssMb(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m?.[1]) return Number(m[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.memoryUsage().rss / 2 ** 20;
}

const mb = (bytes: number): number => Math.round(bytes / 2 ** 20);

/** Creates the services and their PENDING tasks, ≤ 1,000 tasks per batch. */
async function addPending(
  store: MemoryStore,
  services: readonly Service[],
  perService: number,
): Promise<void> {
  for (const s of services) {
    await store.update((tx) => tx.create('service', s));
    const stored = store.get('service', s.id) ?? s;
    for (let from = 1; from <= perService; from += 1000) {
      const to = Math.min(perService, from + 999);
      await store.batch((b) => {
        for (let slot = from; slot <= to; slot++) {
          const t = pendingTask(stored, { slot });
          b.update((tx) => tx.create('task', t));
        }
      });
    }
  }
}

/** Starts a scheduler and resolves with the seconds until `total` tasks went PENDING → ASSIGNED. */
async function timeScheduling(store: MemoryStore, total: number): Promise<number> {
  let done = 0;
  let resolveAll: () => void = () => undefined;
  const all = new Promise<void>((r) => (resolveAll = r));
  const onEvent = (e: StoreEvent): void => {
    if (e.kind !== 'task' || e.action !== 'update') return;
    const t = e.object as StoreEvent<'task'>['object'];
    const old = e.old as StoreEvent<'task'>['object'] | undefined;
    if (t.status?.state === 'TASK_STATE_ASSIGNED' && old?.status?.state === 'TASK_STATE_PENDING')
      if (++done === total) resolveAll();
  };
  store.events.on('event', onEvent);
  const scheduler = new Scheduler({ store });
  const t0 = performance.now();
  scheduler.start();
  await all;
  const seconds = (performance.now() - t0) / 1000;
  await scheduler.stop();
  store.events.off('event', onEvent);
  const left = store.find('task').filter((t) => t.status?.state !== 'TASK_STATE_ASSIGNED').length;
  if (left > 0) throw new Error(`${left} tasks not ASSIGNED at the end`);
  return seconds;
}

async function plain(tasks: number): Promise<Outcome> {
  const store = MemoryStore.local();
  const nodes: Node[] = [];
  for (let i = 0; i < 1000; i++) nodes.push(makeNode({ hostname: `node-${i}` }));
  await addNodes(store, nodes);
  await addPending(store, [makeService({ name: 'web', replicas: tasks })], tasks);
  console.log(`(a) 1000 nodes, 1 service, ${tasks} PENDING tasks; scheduling…`);
  const seconds = await timeScheduling(store, tasks);
  return { scenario: 'plain', tasks, seconds, tasksPerS: tasks / seconds, peakRssMb: peakRssMb() };
}

/** 3 regions × 4 zones × 8 racks; every 50th node lacks its rack label, every 100th is unlabelled. */
function labelledNode(i: number): Node {
  const labels: Record<string, string> = {
    region: `r${i % 3}`,
    zone: `z${Math.floor(i / 3) % 4}`,
    rack: `k${Math.floor(i / 12) % 8}`,
    tier: ['web', 'app', 'db', 'batch'][i % 4] ?? 'web',
  };
  if (i % 50 === 0) delete labels['rack'];
  if (i % 100 === 0) for (const k of ['region', 'zone']) delete labels[k];
  return makeNode({
    hostname: `node-${i}`,
    role: i % 500 === 0 ? 'manager' : 'worker',
    labels,
    nanoCpus: 16e9,
    memoryBytes: 64 * 2 ** 30,
  });
}

async function constrained(tasks: number): Promise<Outcome> {
  const store = MemoryStore.local();
  const nodes: Node[] = [];
  for (let i = 0; i < 5000; i++) nodes.push(labelledNode(i));
  await addNodes(store, nodes);
  const perService = Math.floor(tasks / 100);
  const services: Service[] = [];
  for (let i = 0; i < 100; i++)
    services.push(
      makeService({
        name: `svc-${i}`,
        replicas: perService,
        constraints: [
          `node.labels.tier==${['web', 'app', 'db', 'batch'][i % 4] ?? 'web'}`,
          'node.role!=manager',
        ],
        spread: ['node.labels.region', 'node.labels.zone', 'node.labels.rack'],
        nanoCpus: 1e8,
        memoryBytes: 64 * 2 ** 20,
      }),
    );
  await addPending(store, services, perService);
  const total = perService * 100;
  console.log(`  after setup: RSS ${mb(process.memoryUsage().rss)} MB, peak ${Math.round(peakRssMb())} MB`);
  console.log(
    `(b) 5000 labelled nodes, 100 services with constraints and a 3-level spread, ${total} tasks; scheduling…`,
  );
  const seconds = await timeScheduling(store, total);
  return {
    scenario: 'constrained',
    tasks: total,
    seconds,
    tasksPerS: total / seconds,
    peakRssMb: peakRssMb(),
  };
}

/** The same updates the scheduler writes, written directly: the store's write path alone. */
async function storeOnly(tasks: number): Promise<Outcome> {
  const store = MemoryStore.local();
  await addPending(store, [makeService({ name: 'web', replicas: tasks })], tasks);
  const all = store.find('task');
  const t0 = performance.now();
  await store.batch((b) => {
    for (const cur of all)
      b.update((tx) => {
        const status = {
          ...(cur.status ?? { timestamp: null, err: '', containerStatus: null, portStatus: null }),
        };
        tx.update('task', {
          ...cur,
          nodeId: 'n',
          status: { ...status, state: 'TASK_STATE_ASSIGNED', message: 'scheduler assigned task to node' },
        });
      });
  });
  const seconds = (performance.now() - t0) / 1000;
  return { scenario: 'store', tasks, seconds, tasksPerS: tasks / seconds, peakRssMb: peakRssMb() };
}

async function child(scenario: Scenario, tasks: number): Promise<void> {
  const run = { plain, constrained, store: storeOnly }[scenario];
  const o = await run(tasks);
  console.log(
    `  ${scenario}: ${o.tasks} tasks in ${o.seconds.toFixed(2)} s = ${Math.round(o.tasksPerS)} tasks/s, ` +
      `peak RSS ${Math.round(o.peakRssMb)} MB`,
  );
  console.log(`OUTCOME ${JSON.stringify(o)}`);
}

function runChild(scenario: Scenario, tasks: number): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      ['--import', 'tsx', SELF, '--scenario', scenario, '--tasks', String(tasks)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    p.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    p.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('OUTCOME '));
      process.stdout.write(
        out
          .split('\n')
          .filter((l) => l !== '' && !l.startsWith('OUTCOME '))
          .map((l) => `${l}\n`)
          .join(''),
      );
      if (code !== 0 || !line) return reject(new Error(`scenario ${scenario} failed (exit ${code})`));
      resolve(JSON.parse(line.slice('OUTCOME '.length)) as Outcome);
    });
  });
}

async function main(): Promise<void> {
  const tasks = argValue('--tasks', 100_000);
  const si = process.argv.indexOf('--scenario');
  if (si >= 0) return child(process.argv[si + 1] as Scenario, tasks);
  const a = await runChild('plain', tasks);
  const b = await runChild('constrained', tasks);
  const s = await runChild('store', tasks);
  console.log(
    `targets: plain >= 20000 tasks/s, constrained >= 5000 tasks/s, constrained RSS < 500 MB; ` +
      `the store alone writes ${Math.round(s.tasksPerS)} task updates/s (${((s.seconds / a.seconds) * 100).toFixed(0)}% of (a)'s time)`,
  );
  printResult('scheduler', {
    plain_tasks_per_s: Math.round(a.tasksPerS),
    constrained_tasks_per_s: Math.round(b.tasksPerS),
    rss_mb: Math.round(b.peakRssMb),
    plain_rss_mb: Math.round(a.peakRssMb),
    store_only_tasks_per_s: Math.round(s.tasksPerS),
  });
}

await main();
