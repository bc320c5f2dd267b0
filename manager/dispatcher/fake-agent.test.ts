import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { messageType } from '../../proto/load.ts';
import { blank, clone, MemoryStore, TO_OBJECT } from '../store/memory.ts';
import { VXLAN_ID_LIST } from '../allocator/objects.ts';
import type { TaskState } from '../store/types.ts';
import { FakeAgent, type Behaviour } from './fake-agent.ts';
import { as, eventually, serveDispatcher, task, type Served } from './testing.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const PERIOD_MS = 100;

/** A dispatcher on real timers with a short heartbeat period. */
async function served(
  store: MemoryStore,
  managers: () => { nodeId: string; addr: string }[],
): Promise<Served> {
  const s = await serveDispatcher({
    store,
    managers,
    heartbeatPeriodMs: () => PERIOD_MS,
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (h) => clearTimeout(h as NodeJS.Timeout),
    now: Date.now,
  });
  cleanups.push(() => s.close());
  return s;
}

function agent(addr: string, nodeId: string, behaviour?: (t: { id: string }) => Behaviour): FakeAgent {
  const a = new FakeAgent({
    addr,
    credentials: grpc.credentials.createInsecure(),
    metadata: () => as(nodeId),
    description: { hostname: nodeId, platform: { os: 'linux', architecture: 'x86_64' } },
    ...(behaviour ? { behaviour } : {}),
  });
  cleanups.push(() => a.stop());
  return a;
}

function stateOf(store: MemoryStore, id: string): TaskState | undefined {
  return store.get('task', id)?.status?.state;
}

function describeStore(store: MemoryStore): () => string {
  return () =>
    JSON.stringify({
      nodes: store.find('node').map((n) => [n.id, n.status?.state]),
      tasks: store.find('task').map((t) => [t.id, t.nodeId, t.status?.state, t.desiredState]),
    });
}

async function setDesired(store: MemoryStore, id: string, desired: TaskState): Promise<void> {
  const t = clone(store.get('task', id));
  if (!t) throw new Error(`no task ${id}`);
  t.desiredState = desired;
  await store.update((tx) => tx.update('task', t));
}

describe('FakeAgent against a Dispatcher', () => {
  it('registers, runs its tasks, gets only their secrets, and shuts tasks down on request', async () => {
    const store = MemoryStore.local();
    const s = await served(store, () => [{ nodeId: 'm', addr: 'unused:1' }]);
    const a = agent(s.addr, 'w1');
    const b = agent(s.addr, 'w2');
    await eventually(() => store.get('node', 'w2')?.status?.state === 'STATE_READY', describeStore(store));
    const secret = blank('secret');
    secret.id = 's1';
    secret.spec = { name: 's1', labels: {}, data: Buffer.from('pw'), driver: null, templating: null };
    await store.update((tx) => {
      tx.create('secret', secret);
      tx.create('task', task({ id: 't1', nodeId: 'w1', secrets: ['s1'] }));
      tx.create('task', task({ id: 't2', nodeId: 'w1' }));
    });
    await eventually(
      () => stateOf(store, 't1') === 'TASK_STATE_RUNNING' && stateOf(store, 't2') === 'TASK_STATE_RUNNING',
      describeStore(store),
    );
    expect(
      a
        .running()
        .map((t) => t.id)
        .sort(),
    ).toEqual(['t1', 't2']);
    expect(a.secretsReceived()).toEqual(new Set(['s1']));
    expect(b.secretsReceived().size).toBe(0);

    await setDesired(store, 't1', 'TASK_STATE_SHUTDOWN');
    await eventually(() => stateOf(store, 't1') === 'TASK_STATE_SHUTDOWN', describeStore(store));
    await eventually(() => a.secretsHeld().size === 0);
    expect(a.running().map((t) => t.id)).toEqual(['t2']);
  });

  it('sees another node’s RUNNING task as a service backend, and no longer once it is shut down', async () => {
    const store = MemoryStore.local();
    const s = await served(store, () => [{ nodeId: 'm', addr: 'unused:1' }]);
    const a = agent(s.addr, 'w1');
    agent(s.addr, 'w2');
    await eventually(() => store.get('node', 'w2')?.status?.state === 'STATE_READY', describeStore(store));
    const net = blank('network');
    net.id = 'net';
    const spec = messageType('NetworkSpec');
    net.spec = spec.toObject(spec.fromObject({ name: 'back' }), TO_OBJECT) as NonNullable<typeof net.spec>;
    net.driverState = { name: 'overlay', options: { [VXLAN_ID_LIST]: '4097' } };
    net.ipamOptions = { driver: null, configs: [{ subnet: '10.0.1.0/24', range: '', gateway: '10.0.1.1' }] };
    const svc = blank('service');
    svc.id = 'svc';
    await store.update((tx) => {
      tx.create('network', net);
      tx.create('service', svc);
      tx.create('task', task({ id: 't1', nodeId: 'w1', networks: [{ id: 'net', addr: '10.0.1.3/24' }] }));
      tx.create('task', task({ id: 't2', nodeId: 'w2', networks: [{ id: 'net', addr: '10.0.1.4/24' }] }));
    });
    const backends = () => a.networks.find((n) => n.networkId === 'net')?.services[0]?.taskAddresses ?? [];
    await eventually(
      () => backends().length === 2,
      () => JSON.stringify(a.networks),
    );
    expect(backends()).toEqual(['10.0.1.3/24', '10.0.1.4/24']);

    await setDesired(store, 't2', 'TASK_STATE_SHUTDOWN');
    await eventually(
      () => backends().join() === '10.0.1.3/24',
      () => JSON.stringify(a.networks),
    );
  });

  it('reports FAILED with exit code 1 or COMPLETE as its behaviour says', async () => {
    const store = MemoryStore.local();
    const s = await served(store, () => []);
    agent(s.addr, 'w1', (t) => (t.id === 'bad' ? 'fail' : t.id === 'job' ? 'complete' : 'hang'));
    await eventually(() => store.get('node', 'w1')?.status?.state === 'STATE_READY');
    await store.update((tx) => {
      for (const id of ['bad', 'job', 'stuck']) tx.create('task', task({ id, nodeId: 'w1' }));
    });
    await eventually(
      () =>
        stateOf(store, 'bad') === 'TASK_STATE_FAILED' &&
        stateOf(store, 'job') === 'TASK_STATE_COMPLETE' &&
        stateOf(store, 'stuck') === 'TASK_STATE_PREPARING',
      describeStore(store),
    );
    expect(store.get('task', 'bad')?.status?.containerStatus?.exitCode).toBe(1);
    expect(store.get('task', 'bad')?.status?.err).toBe('task: non-zero exit (1)');
  });

  it('a paused agent goes DOWN after 3 periods and READY again when resumed', async () => {
    const store = MemoryStore.local();
    const s = await served(store, () => []);
    const a = agent(s.addr, 'w1');
    await eventually(() => store.get('node', 'w1')?.status?.state === 'STATE_READY');
    a.pause();
    await eventually(() => store.get('node', 'w1')?.status?.state === 'STATE_DOWN', describeStore(store));
    expect(store.get('node', 'w1')?.status?.message).toBe('heartbeat failure');
    a.resume();
    await eventually(() => store.get('node', 'w1')?.status?.state === 'STATE_READY', describeStore(store));
  });

  it('reconnects to another manager when the leader’s dispatcher stops', async () => {
    const store = MemoryStore.local();
    const addrs: { nodeId: string; addr: string }[] = [];
    const first = await served(store, () => addrs);
    const second = await served(store, () => addrs);
    addrs.push({ nodeId: 'm1', addr: first.addr }, { nodeId: 'm2', addr: second.addr });
    const a = agent(first.addr, 'w1');
    await eventually(() => first.dispatcher.connectedNodes().includes('w1'));
    const before = a.sessions;
    await first.dispatcher.stop();
    await eventually(() => second.dispatcher.connectedNodes().includes('w1'), describeStore(store));
    await eventually(() => a.sessions > before);
    await store.update((tx) => tx.create('task', task({ id: 't', nodeId: 'w1' })));
    await eventually(() => stateOf(store, 't') === 'TASK_STATE_RUNNING', describeStore(store));
  });
});
