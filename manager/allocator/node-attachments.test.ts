import { afterEach, describe, expect, it } from 'vitest';
import { blank, clone, MemoryStore } from '../store/memory.ts';
import type { Node } from '../store/types.ts';
import { Allocator } from './allocator.ts';
import { ensureIngress } from './ingress.ts';
import { allAddresses, createNetwork, createService, createTasks, setState } from './testing.ts';

const running: Allocator[] = [];

function start(store: MemoryStore): Allocator {
  const a = new Allocator({ store });
  running.push(a);
  a.start();
  return a;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((a) => a.stop()));
});

async function createNode(store: MemoryStore, id: string): Promise<void> {
  const n = blank('node');
  n.id = id;
  await store.update((tx) => tx.create('node', n));
}

async function assign(store: MemoryStore, taskId: string, nodeId: string): Promise<void> {
  const t = clone(store.get('task', taskId));
  if (!t?.status) throw new Error(`task ${taskId} not found`);
  t.nodeId = nodeId;
  t.status.state = 'TASK_STATE_ASSIGNED';
  await store.update((tx) => tx.update('task', t));
}

/** The node's attachments as `network name=address`. */
function attachments(store: MemoryStore, nodeId: string): string[] {
  const n: Node | undefined = store.get('node', nodeId);
  return (n?.attachments ?? []).map((a) => `${a.network?.spec?.name}=${a.addresses.join(',')}`);
}

function everything(store: MemoryStore): string[] {
  const nodes = store
    .find('node')
    .flatMap((n) => n.attachments.flatMap((a) => a.addresses.map((addr) => `${a.network?.id}/${addr}`)));
  return [...allAddresses(store), ...nodes];
}

describe('node attachments', () => {
  it('gives every node an address on ingress (its ingress-sbox endpoint)', async () => {
    const store = MemoryStore.local();
    await ensureIngress(store);
    await createNode(store, 'n1');
    const a = start(store);
    await a.whenIdle();
    await createNode(store, 'n2');
    await a.whenIdle();
    expect(attachments(store, 'n1')).toEqual(['ingress=10.0.0.2/24']);
    expect(attachments(store, 'n2')).toEqual(['ingress=10.0.0.3/24']);
    expect(store.get('node', 'n1')?.attachments[0]?.network?.ipamOptions?.configs[0]?.subnet).toBe(
      '10.0.0.0/24',
    );
  });

  it('adds an address on each overlay network the node has tasks on, and frees it when they end', async () => {
    const store = MemoryStore.local();
    await ensureIngress(store);
    await createNetwork(store, 'backend');
    await createNode(store, 'n1');
    await createNode(store, 'n2');
    const a = start(store);
    const svc = await createService(store, 'web', { networks: ['backend'] });
    const [t1, t2] = await createTasks(store, svc, 2);
    await a.whenIdle();
    await assign(store, t1?.id ?? '', 'n1');
    await assign(store, t2?.id ?? '', 'n1');
    await a.whenIdle();
    expect(attachments(store, 'n1')).toEqual(['ingress=10.0.0.2/24', 'backend=10.0.1.5/24']);
    expect(attachments(store, 'n2')).toEqual(['ingress=10.0.0.3/24']);
    expect(new Set(everything(store)).size).toBe(everything(store).length);

    await setState(store, t1?.id ?? '', 'TASK_STATE_RUNNING');
    await setState(store, t2?.id ?? '', 'TASK_STATE_FAILED');
    await a.whenIdle();
    expect(attachments(store, 'n1')).toEqual(['ingress=10.0.0.2/24', 'backend=10.0.1.5/24']);
    await setState(store, t1?.id ?? '', 'TASK_STATE_SHUTDOWN');
    await a.whenIdle();
    expect(attachments(store, 'n1')).toEqual(['ingress=10.0.0.2/24']);
  });

  it('a new leader’s allocator keeps the recorded addresses and hands none out twice', async () => {
    const store = MemoryStore.local();
    await ensureIngress(store);
    await createNode(store, 'n1');
    const first = start(store);
    await first.whenIdle();
    await first.stop();
    const second = start(store);
    await createNode(store, 'n2');
    const svc = await createService(store, 'web', { ports: [{ targetPort: 80 }] });
    await createTasks(store, svc, 3);
    await second.whenIdle();
    expect(attachments(store, 'n1')).toEqual(['ingress=10.0.0.2/24']);
    expect(new Set(everything(store)).size).toBe(everything(store).length);
  });

  it('waits for an address on a full network, and frees a removed node’s addresses', async () => {
    const store = MemoryStore.local();
    await ensureIngress(store);
    await createNetwork(store, 'tiny', { subnet: '10.9.0.0/29' }); // .2–.6 besides the gateway
    await createNode(store, 'n1');
    const a = start(store);
    const svc = await createService(store, 'web', { networks: ['tiny'], dnsrr: true });
    const tasks = await createTasks(store, svc, 5);
    await a.whenIdle();
    // The tasks hold every address: the node cannot get one yet and waits.
    await assign(store, tasks[0]?.id ?? '', 'n1');
    await a.whenIdle();
    expect(attachments(store, 'n1')).toEqual(['ingress=10.0.0.2/24']);
    // One ends: its address goes to the waiting node.
    await setState(store, tasks[4]?.id ?? '', 'TASK_STATE_FAILED');
    await a.whenIdle();
    expect(attachments(store, 'n1')).toEqual(['ingress=10.0.0.2/24', 'tiny=10.9.0.6/29']);
    // The node leaves: its address is free again, so a new task gets it.
    await store.update((tx) => tx.remove('node', 'n1'));
    const [late] = await createTasks(store, svc, 1, 6);
    await a.whenIdle();
    expect(store.get('task', late?.id ?? '')?.networksAttachments[0]?.addresses).toEqual(['10.9.0.6/29']);
  });
});
