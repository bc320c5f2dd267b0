import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryStore, clone } from '../store/memory.ts';
import type { Node, Service, Task, TaskState } from '../store/types.ts';
import {
  addNodes,
  addService,
  eventually,
  makeNode,
  makeService,
  pendingTask,
  type NodeOptions,
} from './fixtures.ts';
import { ASSIGNED_MESSAGE, Scheduler } from './scheduler.ts';

let store: MemoryStore;
let scheduler: Scheduler | undefined;
let clock: number;

beforeEach(() => {
  clock = 1_700_000_000_000;
  store = MemoryStore.local({ now: () => clock });
});

afterEach(async () => {
  await scheduler?.stop();
  scheduler = undefined;
});

function start(): Scheduler {
  scheduler = new Scheduler({ store, now: () => clock, debounceMs: 1, maxLatencyMs: 20 });
  scheduler.start();
  return scheduler;
}

const tasksOf = (s: Service): Task[] => store.find('task', { serviceId: s.id });
const stateOf = (t: Task): TaskState => t.status?.state ?? 'TASK_STATE_UNSPECIFIED';
const assigned = (s: Service): Task[] => tasksOf(s).filter((t) => stateOf(t) === 'TASK_STATE_ASSIGNED');
const pending = (s: Service): Task[] => tasksOf(s).filter((t) => stateOf(t) === 'TASK_STATE_PENDING');
const describeTasks = (s: Service) => (): string =>
  JSON.stringify(tasksOf(s).map((t) => [t.slot, t.nodeId, stateOf(t), t.status?.message]));

/** Per node: how many of the service's tasks are assigned there. */
function spreadOf(s: Service): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of assigned(s)) m.set(t.nodeId, (m.get(t.nodeId) ?? 0) + 1);
  return m;
}

/** Waits until every task of `s` is either assigned or pending with a "no suitable node" message. */
async function settle(s: Service, wantAssigned: number): Promise<void> {
  await eventually(
    () =>
      assigned(s).length === wantAssigned &&
      pending(s).every((t) => t.status?.message.startsWith('no suitable node')),
    describeTasks(s),
  );
}

async function nodes(...opts: NodeOptions[]): Promise<Node[]> {
  const ns = opts.map((o) => makeNode(o));
  await addNodes(store, ns);
  return ns;
}

async function updateNode(id: string, change: (n: Node) => void): Promise<void> {
  await store.update((tx) => {
    const n = clone(tx.get('node', id));
    if (!n) throw new Error(`node ${id} missing`);
    change(n);
    tx.update('node', n);
  });
}

async function setState(id: string, state: TaskState, desired?: TaskState): Promise<void> {
  await store.update((tx) => {
    const t = clone(tx.get('task', id));
    if (!t?.status) throw new Error(`task ${id} missing`);
    t.status.state = state;
    if (desired) t.desiredState = desired;
    tx.update('task', t);
  });
}

/** A task of `s` already running on `nodeId` (placed before the test began). */
async function running(s: Service, nodeId: string, slot: number): Promise<Task> {
  const t = pendingTask(s, { slot });
  t.nodeId = nodeId;
  if (t.status) t.status.state = 'TASK_STATE_RUNNING';
  await store.update((tx) => tx.create('task', t));
  return t;
}

describe('Scheduler', () => {
  it('assigns pending tasks evenly with Swarm status and leaves nothing pending', async () => {
    const [a, b, c] = await nodes({ id: 'a' }, { id: 'b' }, { id: 'c' });
    const s = makeService({ replicas: 6 });
    await addService(store, s, 6);
    start();
    await settle(s, 6);
    expect(spreadOf(s)).toEqual(
      new Map([
        [a?.id, 2],
        [b?.id, 2],
        [c?.id, 2],
      ]),
    );
    for (const t of tasksOf(s)) {
      expect(t.status?.message).toBe(ASSIGNED_MESSAGE);
      expect(t.status?.timestamp?.seconds).toBe(Math.floor(clock / 1000));
    }
  });

  it('schedules job tasks (desired COMPLETE) but not tasks being shut down', async () => {
    await nodes({ id: 'a' });
    const s = makeService();
    const [job, doomed] = [pendingTask(s, { slot: 1 }), pendingTask(s, { slot: 2 })];
    if (!job || !doomed) throw new Error('no tasks');
    job.desiredState = 'TASK_STATE_COMPLETE';
    doomed.desiredState = 'TASK_STATE_SHUTDOWN';
    await store.update((tx) => {
      tx.create('service', s);
      tx.create('task', job);
      tx.create('task', doomed);
    });
    start();
    await eventually(
      () => stateOf(store.get('task', job.id) as Task) === 'TASK_STATE_ASSIGNED',
      describeTasks(s),
    );
    expect(stateOf(store.get('task', doomed.id) as Task)).toBe('TASK_STATE_PENDING');
  });

  describe('filters', () => {
    it('ready: only READY nodes with availability ACTIVE take tasks', async () => {
      await nodes(
        { id: 'down', state: 'STATE_DOWN' },
        { id: 'drain', availability: 'AVAILABILITY_DRAIN' },
        { id: 'pause', availability: 'AVAILABILITY_PAUSE' },
        { id: 'ok' },
      );
      const s = makeService();
      await addService(store, s, 4);
      start();
      await settle(s, 4);
      expect([...spreadOf(s).keys()]).toEqual(['ok']);
    });

    it('ready: with no ready node the task says how many nodes were unavailable', async () => {
      await nodes({ state: 'STATE_DOWN' }, { availability: 'AVAILABILITY_DRAIN' });
      const s = makeService();
      await addService(store, s, 1);
      start();
      await settle(s, 0);
      expect(pending(s)[0]?.status?.message).toBe('no suitable node (2 nodes not available for new tasks)');
      expect(pending(s)[0]?.status?.err).toBe('no suitable node (2 nodes not available for new tasks)');
    });

    it('resources: CPU and memory reservations count tasks already on the node', async () => {
      const [big] = await nodes(
        { id: 'big', nanoCpus: 4e9, memoryBytes: 4e9 },
        { id: 'small', nanoCpus: 1e9 },
      );
      const other = makeService();
      await store.update((tx) => tx.create('service', other));
      if (!big) throw new Error('no node');
      // 1 CPU of big is already reserved by a running task of another service.
      const busy = pendingTask(other, { slot: 1 });
      busy.nodeId = big.id;
      if (busy.status) busy.status.state = 'TASK_STATE_RUNNING';
      if (busy.spec?.resources?.reservations) busy.spec.resources.reservations.nanoCpus = 1e9;
      await store.update((tx) => tx.create('task', busy));
      const s = makeService({ nanoCpus: 1.5e9, memoryBytes: 1e9 });
      await addService(store, s, 3);
      start();
      await settle(s, 2);
      expect(spreadOf(s)).toEqual(new Map([['big', 2]]));
      expect(pending(s)[0]?.status?.message).toBe('no suitable node (insufficient resources on 2 nodes)');
    });

    it('resources: memory alone can rule a node out', async () => {
      await nodes({ id: 'a', memoryBytes: 1e9 });
      const s = makeService({ memoryBytes: 6e8 });
      await addService(store, s, 2);
      start();
      await settle(s, 1);
      expect(pending(s)[0]?.status?.message).toBe('no suitable node (insufficient resources on 1 node)');
    });

    it('constraints: tasks go only where every constraint holds', async () => {
      await nodes(
        { id: 'm', role: 'manager', labels: { zone: 'east' } },
        { id: 'w1', labels: { zone: 'East' } },
        { id: 'w2', labels: { zone: 'west' } },
      );
      const s = makeService({ constraints: ['node.role==worker', 'node.labels.zone==east'] });
      await addService(store, s, 3);
      start();
      await settle(s, 3);
      expect(spreadOf(s)).toEqual(new Map([['w1', 3]]));
    });

    it('platform: os and architecture must match (x86_64 is amd64, aarch64 is arm64)', async () => {
      await nodes(
        { id: 'amd', os: 'linux', arch: 'x86_64' },
        { id: 'arm', os: 'linux', arch: 'aarch64' },
        { id: 'win', os: 'windows', arch: 'x86_64' },
      );
      const amd = makeService({ platforms: [{ os: 'linux', architecture: 'amd64' }] });
      const arm = makeService({ platforms: [{ os: '', architecture: 'arm64' }] });
      await addService(store, amd, 2);
      await addService(store, arm, 2);
      const nowhere = makeService({ platforms: [{ os: 'linux', architecture: 's390x' }] });
      await addService(store, nowhere, 1);
      start();
      await settle(amd, 2);
      await settle(arm, 2);
      await settle(nowhere, 0);
      expect(spreadOf(amd)).toEqual(new Map([['amd', 2]]));
      expect(spreadOf(arm)).toEqual(new Map([['arm', 2]]));
      expect(pending(nowhere)[0]?.status?.message).toBe('no suitable node (unsupported platform on 3 nodes)');
    });

    it('host ports: one task per node publishing the same host-mode port', async () => {
      await nodes({ id: 'a' }, { id: 'b' });
      const s = makeService({ hostPorts: [8080] });
      await addService(store, s, 3);
      start();
      await settle(s, 2);
      expect(spreadOf(s)).toEqual(
        new Map([
          ['a', 1],
          ['b', 1],
        ]),
      );
      expect(pending(s)[0]?.status?.message).toBe(
        'no suitable node (host-mode port already in use on 2 nodes)',
      );
    });

    it('max replicas per node', async () => {
      await nodes({ id: 'a' }, { id: 'b' });
      const s = makeService({ maxReplicas: 2 });
      await addService(store, s, 5);
      start();
      await settle(s, 4);
      expect(spreadOf(s)).toEqual(
        new Map([
          ['a', 2],
          ['b', 2],
        ]),
      );
      expect(pending(s)[0]?.status?.message).toBe(
        'no suitable node (max replicas per node limit exceeded on 2 nodes)',
      );
    });

    it('names each failing filter with the nodes it ruled out, most first', async () => {
      await nodes(
        { state: 'STATE_DOWN', labels: { zone: 'east' } },
        { availability: 'AVAILABILITY_DRAIN', labels: { zone: 'east' } },
        { labels: { zone: 'west' } },
        { labels: { zone: 'west' } },
        {},
        { labels: { zone: 'east' }, nanoCpus: 1e8 },
      );
      const s = makeService({ constraints: ['node.labels.zone==east'], nanoCpus: 1e9 });
      await addService(store, s, 2);
      start();
      await settle(s, 0);
      for (const t of pending(s))
        expect(t.status?.message).toBe(
          'no suitable node (scheduling constraints not satisfied on 3 nodes; ' +
            '2 nodes not available for new tasks; insufficient resources on 1 node)',
        );
    });
  });

  describe('placement', () => {
    it('prefers nodes with fewer tasks of the service, then fewer tasks in all', async () => {
      await nodes({ id: 'a' }, { id: 'b' }, { id: 'c' });
      const s = makeService();
      const other = makeService();
      await store.update((tx) => {
        tx.create('service', s);
        tx.create('service', other);
      });
      await running(s, 'a', 1);
      for (let i = 1; i <= 3; i++) await running(other, 'b', i);
      const first = pendingTask(s, { slot: 2 });
      await store.update((tx) => tx.create('task', first));
      start();
      // c: no task at all; b: none of this service but 3 others; a: one of this service.
      await eventually(() => store.get('task', first.id)?.nodeId === 'c', describeTasks(s));
      const second = pendingTask(s, { slot: 3 });
      await store.update((tx) => tx.create('task', second));
      await eventually(() => store.get('task', second.id)?.nodeId === 'b', describeTasks(s));
    });

    it('puts nodes where the service failed 5 times in 5 minutes last', async () => {
      await nodes({ id: 'flaky' }, { id: 'steady' });
      const s = makeService();
      await store.update((tx) => tx.create('service', s));
      await running(s, 'steady', 1);
      start();
      for (let i = 0; i < 5; i++) {
        const t = await running(s, 'flaky', 10 + i);
        await setState(t.id, 'TASK_STATE_FAILED');
      }
      const next = pendingTask(s, { slot: 2 });
      await store.update((tx) => tx.create('task', next));
      // flaky has no live task of the service, steady has one: only the failures send it to steady.
      await eventually(() => store.get('task', next.id)?.nodeId === 'steady', describeTasks(s));
      clock += 5 * 60_000 + 1;
      const later = pendingTask(s, { slot: 3 });
      await store.update((tx) => tx.create('task', later));
      await eventually(() => store.get('task', later.id)?.nodeId === 'flaky', describeTasks(s));
    });

    it('spreads over two levels of labels, nodes without the label forming one more branch', async () => {
      await nodes(
        { id: 'a1', labels: { zone: 'a', rack: 'r1' } },
        { id: 'a2', labels: { zone: 'a', rack: 'r2' } },
        { id: 'a3', labels: { zone: 'a', rack: 'r2' } },
        { id: 'b1', labels: { zone: 'b', rack: 'r1' } },
        { id: 'n1', labels: {} },
        { id: 'n2', labels: { rack: 'r9' } },
      );
      const s = makeService({ spread: ['node.labels.zone', 'node.labels.rack'] });
      await addService(store, s, 12);
      start();
      await settle(s, 12);
      const on = spreadOf(s);
      const n = (id: string): number => on.get(id) ?? 0;
      // 3 zone branches (a, b, unlabeled): 4 each.
      expect(n('a1') + n('a2') + n('a3')).toBe(4);
      expect(n('b1')).toBe(4);
      expect(n('n1') + n('n2')).toBe(4);
      // Within zone a, racks r1 and r2 get 2 each; r2's two nodes share theirs.
      expect(n('a1')).toBe(2);
      expect([n('a2'), n('a3')]).toEqual([1, 1]);
      // Within the unlabeled zone, rack "" (n1) and rack r9 (n2) are branches too.
      expect([n('n1'), n('n2')]).toEqual([2, 2]);
    });

    it('spread counts tasks already in each branch', async () => {
      await nodes(
        { id: 'a', labels: { zone: 'a' } },
        { id: 'b', labels: { zone: 'b' } },
        { id: 'c', labels: { zone: 'c' } },
      );
      const s = makeService({ spread: ['node.labels.zone'] });
      await store.update((tx) => tx.create('service', s));
      for (let i = 1; i <= 4; i++) await running(s, 'a', i);
      const fresh: Task[] = [];
      for (let slot = 5; slot <= 10; slot++) fresh.push(pendingTask(s, { slot }));
      await store.update((tx) => fresh.forEach((t) => tx.create('task', t)));
      start();
      await eventually(() => pending(s).length === 0, describeTasks(s));
      const on = spreadOf(s);
      expect([on.get('a'), on.get('b'), on.get('c')]).toEqual([undefined, 3, 3]);
    });

    it('a full spread branch passes its share to the others', async () => {
      await nodes({ id: 'a', labels: { zone: 'a' }, nanoCpus: 1e9 }, { id: 'b', labels: { zone: 'b' } });
      const s = makeService({ spread: ['node.labels.zone'], nanoCpus: 1e9 });
      await addService(store, s, 4);
      start();
      await settle(s, 4);
      expect(spreadOf(s)).toEqual(
        new Map([
          ['a', 1],
          ['b', 3],
        ]),
      );
    });

    it('places a global task only on its own node, or says why not', async () => {
      await nodes({ id: 'g1' }, { id: 'g2', availability: 'AVAILABILITY_DRAIN' });
      const s = makeService({ global: true });
      const t1 = pendingTask(s, { nodeId: 'g1' });
      const t2 = pendingTask(s, { nodeId: 'g2' });
      await store.update((tx) => {
        tx.create('service', s);
        tx.create('task', t1);
        tx.create('task', t2);
      });
      start();
      await settle(s, 1);
      expect(store.get('task', t1.id)?.nodeId).toBe('g1');
      expect(store.get('task', t2.id)?.status?.message).toBe(
        'no suitable node (1 node not available for new tasks)',
      );
      await updateNode('g2', (n) => {
        if (n.spec) n.spec.availability = 'AVAILABILITY_ACTIVE';
      });
      await eventually(
        () => stateOf(store.get('task', t2.id) as Task) === 'TASK_STATE_ASSIGNED',
        describeTasks(s),
      );
      expect(store.get('task', t2.id)?.nodeId).toBe('g2');
    });
  });

  describe('pending tasks are retried when room appears', () => {
    it('when a node with the right label joins', async () => {
      await nodes({ labels: { gpu: 'no' } });
      const s = makeService({ constraints: ['node.labels.gpu==yes'] });
      await addService(store, s, 2);
      start();
      await settle(s, 0);
      expect(pending(s)[0]?.status?.message).toBe(
        'no suitable node (scheduling constraints not satisfied on 1 node)',
      );
      const [gpu] = await nodes({ labels: { gpu: 'yes' } });
      await settle(s, 2);
      expect([...spreadOf(s).keys()]).toEqual([gpu?.id]);
      expect(assigned(s)[0]?.status?.err).toBe('');
    });

    it('when a node gets the label', async () => {
      const [n] = await nodes({});
      const s = makeService({ constraints: ['node.labels.gpu==yes'] });
      await addService(store, s, 1);
      start();
      await settle(s, 0);
      await updateNode(n?.id ?? '', (x) => {
        if (x.spec) x.spec.labels['gpu'] = 'YES';
      });
      await settle(s, 1);
    });

    it('when a drained node becomes ACTIVE or a down node READY', async () => {
      const [drained, down] = await nodes({ availability: 'AVAILABILITY_DRAIN' }, { state: 'STATE_DOWN' });
      const s = makeService({ maxReplicas: 1 });
      await addService(store, s, 2);
      start();
      await settle(s, 0);
      await updateNode(drained?.id ?? '', (n) => {
        if (n.spec) n.spec.availability = 'AVAILABILITY_ACTIVE';
      });
      await settle(s, 1);
      await updateNode(down?.id ?? '', (n) => {
        if (n.status) n.status.state = 'STATE_READY';
      });
      await settle(s, 2);
    });

    it('when a task ends and frees resources', async () => {
      await nodes({ id: 'a', nanoCpus: 2e9 });
      const s = makeService({ nanoCpus: 1e9 });
      await addService(store, s, 3);
      start();
      await settle(s, 2);
      const [victim] = assigned(s);
      await setState(victim?.id ?? '', 'TASK_STATE_FAILED');
      await eventually(() => pending(s).length === 0, describeTasks(s));
      expect(assigned(s)).toHaveLength(2);
    });

    it('when a task is removed and frees its host port', async () => {
      await nodes({ id: 'a' });
      const s = makeService({ hostPorts: [443] });
      await addService(store, s, 2);
      start();
      await settle(s, 1);
      const [holder] = assigned(s);
      await store.update((tx) => tx.remove('task', holder?.id ?? ''));
      await settle(s, 1);
      expect(pending(s)).toHaveLength(0);
    });
  });

  describe('life cycle', () => {
    it('on start schedules what was already pending, and is correct after stop/start', async () => {
      await nodes({ id: 'a' }, { id: 'b' });
      const s = makeService();
      await addService(store, s, 4);
      const sch = start();
      await settle(s, 4);
      await sch.stop();
      // While stopped: more tasks, and one of the old ones ends on a.
      const more: Task[] = [];
      for (let slot = 5; slot <= 8; slot++) more.push(pendingTask(s, { slot }));
      await store.update((tx) => more.forEach((t) => tx.create('task', t)));
      const onA = assigned(s).filter((t) => t.nodeId === 'a');
      await setState(onA[0]?.id ?? '', 'TASK_STATE_SHUTDOWN', 'TASK_STATE_SHUTDOWN');
      expect(pending(s)).toHaveLength(4);
      start();
      await eventually(() => pending(s).length === 0, describeTasks(s));
      // a holds 1 live task, b 2 (the ended one no longer counts): a, a (tie, by ID), b, a.
      const live = tasksOf(s).filter((t) => t.desiredState === 'TASK_STATE_RUNNING');
      const per = new Map<string, number>();
      for (const t of live) per.set(t.nodeId, (per.get(t.nodeId) ?? 0) + 1);
      expect(per).toEqual(
        new Map([
          ['a', 4],
          ['b', 3],
        ]),
      );
    });

    it('does nothing once stopped', async () => {
      await nodes({ id: 'a' });
      const sch = start();
      await sch.stop();
      const s = makeService();
      await addService(store, s, 1);
      expect(store.events.listenerCount('event')).toBe(0);
      await new Promise((r) => setTimeout(r, 30));
      expect(pending(s)).toHaveLength(1);
    });

    it('rebuilds its picture after the store is restored from a snapshot', async () => {
      await nodes({ id: 'a', nanoCpus: 1e9 });
      const s = makeService({ nanoCpus: 1e9 });
      await addService(store, s, 1);
      start();
      await settle(s, 1);
      const snap = store.snapshot();
      const t = pendingTask(s, { slot: 2 });
      await store.update((tx) => tx.create('task', t));
      await settle(s, 1);
      // The snapshot holds the first task assigned and nothing else: the node is full again.
      store.restore(snap);
      const fresh = pendingTask(s, { slot: 3 });
      await store.update((tx) => tx.create('task', fresh));
      await eventually(
        () => store.get('task', fresh.id)?.status?.message.startsWith('no suitable node') ?? false,
        describeTasks(s),
      );
    });
  });
});
