import { describe, expect, it } from 'vitest';
import { messageType } from '../../proto/load.ts';
import { VXLAN_ID_LIST } from '../allocator/objects.ts';
import { MemoryStore, TO_OBJECT } from '../store/memory.ts';
import type { Network, Node, Service, TaskState } from '../store/types.ts';
import { isEncrypted, NetworkIndex } from './networks.ts';
import { task } from './testing.ts';

function obj<T>(message: string, o: object): T {
  const t = messageType(message);
  return t.toObject(t.fromObject(o), TO_OBJECT) as T;
}

function overlay(
  id: string,
  o: {
    name?: string;
    ingress?: boolean;
    vni?: number;
    subnet?: string;
    options?: Record<string, string>;
  } = {},
): Network {
  const subnet = o.subnet ?? '10.0.1.0/24';
  return obj<Network>('Network', {
    id,
    spec: {
      name: o.name ?? id,
      ingress: o.ingress ?? false,
      driverConfiguration: { name: 'overlay', options: o.options ?? {} },
    },
    driverState: { name: 'overlay', options: { [VXLAN_ID_LIST]: String(o.vni ?? 4097) } },
    ipamOptions: { configs: [{ subnet, gateway: subnet.replace(/0\/\d+$/, '1') }] },
  });
}

function service(
  id: string,
  o: { networks?: string[]; vips?: Record<string, string>; dnsrr?: boolean; ports?: object[] } = {},
): Service {
  return obj<Service>('Service', {
    id,
    spec: {
      name: `svc-${id}`,
      taskTemplate: { networks: (o.networks ?? []).map((target) => ({ target })) },
      endpointSpec: { mode: o.dnsrr ? 'MODE_DNSRR' : 'MODE_VIP', ports: o.ports ?? [] },
    },
    endpoint: {
      ports: o.ports ?? [],
      virtualIps: Object.entries(o.vips ?? {}).map(([networkId, addr]) => ({ networkId, addr })),
    },
  });
}

function svcTask(id: string, svc: string, nodeId: string, state: TaskState, nets: Record<string, string>) {
  const t = task({
    id,
    nodeId,
    state,
    networks: Object.entries(nets).map(([n, addr]) => ({ id: n, addr })),
  });
  t.serviceId = svc;
  return t;
}

function node(id: string, attachments: Record<string, string> = {}): Node {
  return obj<Node>('Node', {
    id,
    attachments: Object.entries(attachments).map(([n, addr]) => ({ network: { id: n }, addresses: [addr] })),
  });
}

async function fixture(): Promise<MemoryStore> {
  const store = MemoryStore.local();
  await store.update((tx) => {
    tx.create(
      'network',
      overlay('ing', { name: 'ingress', ingress: true, vni: 4096, subnet: '10.0.0.0/24' }),
    );
    tx.create('network', overlay('back', { vni: 4097, subnet: '10.0.1.0/24', options: { encrypted: '' } }));
    tx.create('network', overlay('front', { vni: 4098, subnet: '10.0.2.0/24' }));
    tx.create('node', node('n1', { ing: '10.0.0.2/24', back: '10.0.1.2/24' }));
    tx.create('node', node('n2'));
    tx.create('node', node('n3'));
    tx.create(
      'service',
      service('web', {
        networks: ['back'],
        vips: { ing: '10.0.0.5/24', back: '10.0.1.5/24' },
        ports: [
          {
            protocol: 'PROTOCOL_TCP',
            targetPort: 80,
            publishedPort: 8080,
            publishMode: 'PUBLISH_MODE_INGRESS',
          },
        ],
      }),
    );
    tx.create('service', service('db', { networks: ['back'], dnsrr: true }));
    tx.create('service', service('api', { networks: ['front'], vips: { front: '10.0.2.5/24' } }));
    tx.create(
      'task',
      svcTask('w1', 'web', 'n1', 'TASK_STATE_RUNNING', { ing: '10.0.0.10/24', back: '10.0.1.10/24' }),
    );
    tx.create(
      'task',
      svcTask('w2', 'web', 'n2', 'TASK_STATE_RUNNING', { ing: '10.0.0.9/24', back: '10.0.1.9/24' }),
    );
    tx.create(
      'task',
      svcTask('w3', 'web', 'n2', 'TASK_STATE_STARTING', { ing: '10.0.0.11/24', back: '10.0.1.11/24' }),
    );
    tx.create('task', svcTask('d1', 'db', 'n2', 'TASK_STATE_RUNNING', { back: '10.0.1.20/24' }));
    tx.create('task', svcTask('d2', 'db', 'n2', 'TASK_STATE_FAILED', { back: '10.0.1.21/24' }));
    tx.create('task', svcTask('a1', 'api', 'n3', 'TASK_STATE_RUNNING', { front: '10.0.2.10/24' }));
  });
  return store;
}

describe('NetworkIndex', () => {
  it('gives a node the networks it has tasks on plus ingress, with VNI, subnet, gateway and its own address', async () => {
    const store = await fixture();
    const views = new NetworkIndex(store).networksOf('n1');
    expect(
      views.map((v) => [
        v.networkId,
        v.name,
        v.ingress,
        v.vni,
        v.subnet,
        v.gateway,
        v.encrypted,
        v.nodeAddress,
      ]),
    ).toEqual([
      ['back', 'back', false, 4097, '10.0.1.0/24', '10.0.1.1', true, '10.0.1.2/24'],
      ['ing', 'ingress', true, 4096, '10.0.0.0/24', '10.0.0.1', false, '10.0.0.2/24'],
    ]);
    // A node with no tasks still gets ingress (routing mesh); its address is empty until allocated.
    expect(new NetworkIndex(store).networksOf('other').map((v) => [v.networkId, v.nodeAddress])).toEqual([
      ['ing', ''],
    ]);
  });

  it('lists each attached service with mode, VIP, RUNNING task addresses only, and ports', async () => {
    const store = await fixture();
    const back = new NetworkIndex(store).networksOf('n2').find((v) => v.networkId === 'back');
    expect(back?.services).toEqual([
      {
        serviceId: 'db',
        name: 'svc-db',
        endpointMode: 'dnsrr',
        virtualIp: '',
        taskAddresses: ['10.0.1.20/24'],
        ports: [],
      },
      {
        serviceId: 'web',
        name: 'svc-web',
        endpointMode: 'vip',
        virtualIp: '10.0.1.5/24',
        taskAddresses: ['10.0.1.9/24', '10.0.1.10/24'],
        ports: [
          {
            name: '',
            protocol: 'PROTOCOL_TCP',
            targetPort: 80,
            publishedPort: 8080,
            publishMode: 'PUBLISH_MODE_INGRESS',
          },
        ],
      },
    ]);
    const ing = new NetworkIndex(store).networksOf('n3').find((v) => v.networkId === 'ing');
    expect(ing?.services.map((s) => [s.serviceId, s.virtualIp, s.taskAddresses])).toEqual([
      ['web', '10.0.0.5/24', ['10.0.0.9/24', '10.0.0.10/24']],
    ]);
  });

  it('drops a task’s address as soon as it leaves RUNNING', async () => {
    const store = await fixture();
    await store.update((tx) => {
      const t = tx.get('task', 'w2');
      if (!t?.status) throw new Error('fixture');
      tx.update('task', { ...t, status: { ...t.status, state: 'TASK_STATE_SHUTDOWN' } });
    });
    const back = new NetworkIndex(store).networksOf('n1').find((v) => v.networkId === 'back');
    expect(back?.services.find((s) => s.serviceId === 'web')?.taskAddresses).toEqual(['10.0.1.10/24']);
    // n2 still has w3 (STARTING) on back, so it keeps the network, but not the ended task's address.
    expect(new NetworkIndex(store).networksOf('n2').map((v) => v.networkId)).toEqual(['back', 'ing']);
  });

  it('takes the data-path port from the cluster object', async () => {
    const store = await fixture();
    await store.update((tx) => tx.create('cluster', obj('Cluster', { id: 'c', dataPathPort: 4790 })));
    expect(new NetworkIndex(store).networksOf('n1').map((v) => v.dataPathPort)).toEqual([4790, 4790]);
  });

  it('ignores networks not allocated yet', async () => {
    const store = await fixture();
    await store.update((tx) =>
      tx.create('network', obj<Network>('Network', { id: 'raw', spec: { name: 'raw' } })),
    );
    await store.update((tx) =>
      tx.create('task', svcTask('r1', 'api', 'n1', 'TASK_STATE_RUNNING', { raw: '10.9.0.2/24' })),
    );
    expect(new NetworkIndex(store).networksOf('n1').map((v) => v.networkId)).toEqual(['back', 'ing']);
  });
});

describe('isEncrypted', () => {
  it('reads the driver option `encrypted` as Docker does (present = on)', () => {
    expect(isEncrypted(overlay('a', { options: { encrypted: '' } }))).toBe(true);
    expect(isEncrypted(overlay('a', { options: { encrypted: 'true' } }))).toBe(true);
    expect(isEncrypted(overlay('a', { options: { encrypted: 'false' } }))).toBe(false);
    expect(isEncrypted(overlay('a'))).toBe(false);
  });
});
