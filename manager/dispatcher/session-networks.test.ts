import { afterEach, describe, expect, it } from 'vitest';
import type { SessionMessage__Output } from '../../proto/gen/shoal/api/SessionMessage.ts';
import { messageType } from '../../proto/load.ts';
import { VXLAN_ID_LIST } from '../allocator/objects.ts';
import { TO_OBJECT } from '../store/memory.ts';
import type { Cluster, Network, Service } from '../store/types.ts';
import { as, eventually, Reader, serveDispatcher, task, unary, type Served } from './testing.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function obj<T>(message: string, o: object): T {
  const t = messageType(message);
  return t.toObject(t.fromObject(o), TO_OBJECT) as T;
}

async function connect(
  s: Served,
  nodeId: string,
): Promise<{ session: Reader<SessionMessage__Output>; id: string }> {
  const session = new Reader(s.client.Session({ description: { hostname: nodeId } }, as(nodeId)));
  cleanups.push(() => session.cancel());
  return { session, id: (await session.nth(0)).sessionId };
}

const net = obj<Network>('Network', {
  id: 'back',
  spec: { name: 'back', driverConfiguration: { name: 'overlay', options: {} } },
  driverState: { name: 'overlay', options: { [VXLAN_ID_LIST]: '4097' } },
  ipamOptions: { configs: [{ subnet: '10.0.1.0/24', gateway: '10.0.1.1' }] },
});

const web = obj<Service>('Service', {
  id: 'svc',
  spec: { name: 'web', taskTemplate: { networks: [{ target: 'back' }] } },
  endpoint: { virtualIps: [{ networkId: 'back', addr: '10.0.1.2/24' }] },
});

function backends(m: SessionMessage__Output | undefined): string[] {
  return m?.networks.find((n) => n.networkId === 'back')?.services[0]?.taskAddresses ?? [];
}

describe('session network views', () => {
  it('sends services with RUNNING backends, and drops a backend in the next message once it fails', async () => {
    const s = await serveDispatcher();
    cleanups.push(() => s.close());
    await s.store.update((tx) => {
      tx.create('network', net);
      tx.create('service', web);
    });
    const n1 = await connect(s, 'node1');
    const n2 = await connect(s, 'node2');
    await s.store.update((tx) => {
      tx.create(
        'task',
        task({
          id: 'a',
          nodeId: 'node1',
          state: 'TASK_STATE_RUNNING',
          networks: [{ id: 'back', addr: '10.0.1.3/24' }],
        }),
      );
      tx.create(
        'task',
        task({
          id: 'b',
          nodeId: 'node2',
          state: 'TASK_STATE_RUNNING',
          networks: [{ id: 'back', addr: '10.0.1.4/24' }],
        }),
      );
    });
    const describe = () => JSON.stringify(n1.session.messages.map((m) => m.networks));
    await eventually(() => backends(n1.session.messages.at(-1)).length === 2, describe);
    const view = n1.session.messages.at(-1)?.networks[0];
    expect(view).toMatchObject({
      networkId: 'back',
      name: 'back',
      vni: 4097,
      subnet: '10.0.1.0/24',
      gateway: '10.0.1.1',
    });
    expect(view?.services[0]).toMatchObject({
      serviceId: 'svc',
      name: 'web',
      endpointMode: 'vip',
      virtualIp: '10.0.1.2/24',
    });

    const sent = n1.session.messages.length;
    // node2 reports its task FAILED: node1 hears of it, without the address.
    await unary(s.client, 'UpdateTaskStatus', 'node2', {
      sessionId: n2.id,
      updates: [{ taskId: 'b', status: { state: 'TASK_STATE_FAILED', message: 'exit 1' } }],
    });
    await eventually(() => backends(n1.session.messages.at(-1)).join() === '10.0.1.3/24', describe);
    expect(n1.session.messages.length).toBeGreaterThan(sent);

    // the orchestrator asks task a to stop: it leaves the backends while it still runs
    await s.store.update((tx) => {
      const a = tx.get('task', 'a');
      if (a) tx.update('task', { ...a, desiredState: 'TASK_STATE_SHUTDOWN' });
    });
    await eventually(() => backends(n1.session.messages.at(-1)).length === 0, describe);
  });

  it('sends the cluster’s network keys, and again when they rotate', async () => {
    const s = await serveDispatcher();
    cleanups.push(() => s.close());
    const key = (t: number) => ({
      subsystem: 'networking:overlay',
      algorithm: 'aes-128-gcm',
      key: Buffer.alloc(16, t),
      lamportTime: t,
    });
    await s.store.update((tx) =>
      tx.create('cluster', obj<Cluster>('Cluster', { id: 'c', networkBootstrapKeys: [key(1)] })),
    );
    const n1 = await connect(s, 'node1');
    expect((await n1.session.nth(0)).networkKeys.map((k) => k.lamportTime)).toEqual([1]);
    await s.store.update((tx) => {
      const c = tx.get('cluster', 'c');
      if (!c) throw new Error('no cluster');
      tx.update('cluster', { ...c, networkBootstrapKeys: [key(1), key(2)] });
    });
    await eventually(() => n1.session.messages.at(-1)?.networkKeys.length === 2);
    expect(n1.session.messages.at(-1)?.networkKeys[1]).toMatchObject({
      algorithm: 'aes-128-gcm',
      lamportTime: 2,
    });
  });
});
