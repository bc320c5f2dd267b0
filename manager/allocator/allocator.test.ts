import { afterEach, describe, expect, it } from 'vitest';
import { clone, MemoryStore } from '../store/memory.ts';
import { OutOfSequenceError } from '../store/types.ts';
import { Allocator, type AllocatorOptions } from './allocator.ts';
import { ensureIngress } from './ingress.ts';
import { VXLAN_ID_LIST } from './objects.ts';
import {
  allAddresses,
  createNetwork,
  createService,
  createTasks,
  serviceSpec,
  setState,
  task,
} from './testing.ts';

const running: Allocator[] = [];

function start(store: MemoryStore, o: Omit<AllocatorOptions, 'store'> = {}): Allocator {
  const a = new Allocator({ store, ...o });
  running.push(a);
  a.start();
  return a;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((a) => a.stop()));
});

describe('networks', () => {
  it('gives overlay networks a subnet, gateway and VNI, after ingress (10.0.0.0/24, 4096)', async () => {
    const store = MemoryStore.local();
    const ingress = await ensureIngress(store);
    const a = start(store);
    const backend = await createNetwork(store, 'backend');
    const fixed = await createNetwork(store, 'fixed', { subnet: '10.0.2.0/24', gateway: '10.0.2.254' });
    const front = await createNetwork(store, 'front');
    const local = await createNetwork(store, 'local', { driver: 'bridge' });
    await a.whenIdle();

    const ing = store.get('network', ingress.id);
    expect(ing?.ipamOptions?.configs).toEqual([{ subnet: '10.0.0.0/24', range: '', gateway: '10.0.0.1' }]);
    expect(ing?.driverState?.options[VXLAN_ID_LIST]).toBe('4096');
    expect(ing?.version?.index).toBe(ingress.version?.index); // recorded at init, not rewritten

    const b = store.get('network', backend.id);
    expect(b?.ipamOptions?.configs).toEqual([{ subnet: '10.0.1.0/24', range: '', gateway: '10.0.1.1' }]);
    expect(b?.ipamOptions?.driver?.name).toBe('default');
    expect(b?.driverState).toEqual({ name: 'overlay', options: { [VXLAN_ID_LIST]: '4097' } });
    expect(store.get('network', fixed.id)?.ipamOptions?.configs).toEqual([
      { subnet: '10.0.2.0/24', range: '', gateway: '10.0.2.254' },
    ]);
    expect(store.get('network', front.id)?.ipamOptions?.configs[0]?.subnet).toBe('10.0.3.0/24');
    expect(store.get('network', front.id)?.driverState?.options[VXLAN_ID_LIST]).toBe('4099');
    expect(store.get('network', local.id)?.ipamOptions).toBeNull();
  });

  it('ensureIngress creates the network once', async () => {
    const store = MemoryStore.local();
    const first = await ensureIngress(store);
    const again = await ensureIngress(store);
    expect(again.id).toBe(first.id);
    expect(first.spec?.ingress).toBe(true);
    expect(first.spec?.name).toBe('ingress');
    expect(store.find('network')).toHaveLength(1);
  });

  it('frees a removed network subnet and VNI for the next network', async () => {
    const store = MemoryStore.local();
    const a = start(store);
    const one = await createNetwork(store, 'one');
    await createNetwork(store, 'two');
    await a.whenIdle();
    await store.update((tx) => tx.remove('network', one.id));
    const three = await createNetwork(store, 'three');
    await a.whenIdle();
    const n = store.get('network', three.id);
    expect(n?.ipamOptions?.configs[0]?.subnet).toBe('10.0.0.0/24');
    expect(n?.driverState?.options[VXLAN_ID_LIST]).toBe('4096');
  });

  it('says why tasks wait when the subnet pool is used up, and recovers when a network goes', async () => {
    const store = MemoryStore.local();
    const a = start(store, { defaultAddrPool: ['10.10.0.0/23'], subnetSize: 24 });
    const one = await createNetwork(store, 'one');
    await createNetwork(store, 'two');
    const third = await createNetwork(store, 'third');
    const svc = await createService(store, 'app', { networks: ['third'] });
    const [t] = await createTasks(store, svc, 1);
    await a.whenIdle();

    expect(store.get('network', third.id)?.ipamOptions).toBeNull();
    const waiting = task(store, t!.id);
    expect(waiting.status?.state).toBe('TASK_STATE_NEW');
    expect(waiting.status?.err).toBe(
      'network third has no subnet: could not allocate a subnet: no free /24 left in the default ' +
        'address pool (10.10.0.0/23); remove unused networks or give the network an explicit subnet',
    );

    await store.update((tx) => tx.remove('network', one.id));
    await a.whenIdle();
    expect(store.get('network', third.id)?.ipamOptions?.configs[0]?.subnet).toBe('10.10.0.0/24');
    const done = task(store, t!.id);
    expect(done.status?.state).toBe('TASK_STATE_PENDING');
    expect(done.status?.err).toBe('');
    expect(done.networksAttachments[0]?.addresses).toEqual(['10.10.0.3/24']);
  });
});

describe('the host network', () => {
  it('needs no allocation: a service on `host` gets no VIP and its tasks no attachment, and go PENDING', async () => {
    const store = MemoryStore.local();
    await ensureIngress(store);
    const a = start(store);
    const svc = await createService(store, 'demo', { networks: ['host'] });
    const [t] = await createTasks(store, svc, 1);
    await a.whenIdle();
    const done = task(store, t!.id);
    expect(done.status?.state).toBe('TASK_STATE_PENDING');
    expect(done.networksAttachments).toEqual([]);
    expect(store.get('service', svc.id)?.endpoint?.virtualIps ?? []).toEqual([]);
  });
});

describe('services', () => {
  it('gives a VIP on each network, ingress too when it publishes ingress ports, and ports from 30000', async () => {
    const store = MemoryStore.local();
    const ingress = await ensureIngress(store);
    const a = start(store);
    const backend = await createNetwork(store, 'backend');
    const web = await createService(store, 'web', {
      networks: [backend.id],
      ports: [
        { targetPort: 80 },
        { targetPort: 443, publishedPort: 8443 },
        { targetPort: 53, protocol: 'PROTOCOL_UDP' },
      ],
    });
    const db = await createService(store, 'db', { networks: ['backend'] });
    const dns = await createService(store, 'dns', { networks: ['backend'], dnsrr: true });
    await a.whenIdle();

    const w = store.get('service', web.id);
    expect(w?.endpoint?.virtualIps).toEqual([
      { networkId: ingress.id, addr: '10.0.0.2/24' },
      { networkId: backend.id, addr: expect.stringMatching(/^10\.0\.1\.\d+\/24$/) as string },
    ]);
    expect(w?.endpoint?.ports.map((p) => [p.protocol, p.targetPort, p.publishedPort, p.publishMode])).toEqual(
      [
        ['PROTOCOL_TCP', 80, 30000, 'PUBLISH_MODE_INGRESS'],
        ['PROTOCOL_TCP', 443, 8443, 'PUBLISH_MODE_INGRESS'],
        ['PROTOCOL_UDP', 53, 30000, 'PUBLISH_MODE_INGRESS'],
      ],
    );
    expect(w?.endpoint?.spec).toEqual(web.spec?.endpointSpec);
    expect(store.get('service', db.id)?.endpoint?.virtualIps).toEqual([
      { networkId: backend.id, addr: expect.stringMatching(/^10\.0\.1\.\d+\/24$/) as string },
    ]);
    expect(store.get('service', dns.id)?.endpoint?.virtualIps ?? []).toEqual([]);
    expect(new Set(allAddresses(store)).size).toBe(allAddresses(store).length);
  });

  it('keeps its ports across updates and frees what it no longer needs', async () => {
    const store = MemoryStore.local();
    await ensureIngress(store);
    const a = start(store);
    const web = await createService(store, 'web', { ports: [{ targetPort: 80 }] });
    await a.whenIdle();
    expect(store.get('service', web.id)?.endpoint?.ports[0]?.publishedPort).toBe(30000);

    const relabelled = clone(store.get('service', web.id)!);
    relabelled.spec!.labels = { tier: 'front' };
    await store.update((tx) => tx.update('service', relabelled));
    await a.whenIdle();
    expect(store.get('service', web.id)?.endpoint?.ports[0]?.publishedPort).toBe(30000);

    const noPorts = clone(store.get('service', web.id)!);
    noPorts.spec = serviceSpec('web');
    await store.update((tx) => tx.update('service', noPorts));
    await a.whenIdle();
    expect(store.get('service', web.id)?.endpoint?.ports).toEqual([]);
    expect(store.get('service', web.id)?.endpoint?.virtualIps).toEqual([]);

    const other = await createService(store, 'other', { ports: [{ targetPort: 80 }] });
    await a.whenIdle();
    expect(store.get('service', other.id)?.endpoint?.ports[0]?.publishedPort).toBe(30000);
    expect(store.get('service', other.id)?.endpoint?.virtualIps[0]?.addr).toBe('10.0.0.3/24');
  });

  it('holds back a service whose published port is taken, with a message on its tasks, until it is freed', async () => {
    const store = MemoryStore.local();
    await ensureIngress(store);
    const a = start(store);
    const first = await createService(store, 'first', { ports: [{ targetPort: 80, publishedPort: 8080 }] });
    await a.whenIdle();
    const second = await createService(store, 'second', { ports: [{ targetPort: 80, publishedPort: 8080 }] });
    const [t] = await createTasks(store, second, 1);
    await a.whenIdle();

    expect(store.get('service', second.id)?.endpoint).toBeNull();
    const waiting = task(store, t!.id);
    expect(waiting.status?.state).toBe('TASK_STATE_NEW');
    expect(waiting.status?.err).toBe(
      `port '8080' (tcp) is already in use by service 'first' (${first.id}) as an ingress port`,
    );

    await store.update((tx) => tx.remove('service', first.id));
    await a.whenIdle();
    expect(store.get('service', second.id)?.endpoint?.ports[0]?.publishedPort).toBe(8080);
    expect(task(store, t!.id).status?.state).toBe('TASK_STATE_PENDING');
  });
});

describe('tasks', () => {
  it('gives each task an address per network (ingress first) and moves it to PENDING', async () => {
    const store = MemoryStore.local();
    const ingress = await ensureIngress(store);
    const a = start(store);
    const backend = await createNetwork(store, 'backend');
    const web = await createService(store, 'web', { networks: ['backend'], ports: [{ targetPort: 80 }] });
    const tasks = await createTasks(store, web, 3);
    await a.whenIdle();

    for (const t of tasks) {
      const s = task(store, t.id);
      expect(s.status?.state).toBe('TASK_STATE_PENDING');
      expect(s.status?.message).toBe('pending task scheduling');
      expect(s.networksAttachments.map((n) => n.network?.id)).toEqual([ingress.id, backend.id]);
      expect(s.networksAttachments[1]?.network?.ipamOptions?.configs[0]?.subnet).toBe('10.0.1.0/24');
      expect(s.networksAttachments[1]?.network?.driverState?.options[VXLAN_ID_LIST]).toBe('4097');
      expect(s.networksAttachments.every((n) => n.addresses.length === 1)).toBe(true);
    }
    expect(task(store, tasks[0]!.id).networksAttachments[1]?.addresses).toEqual(['10.0.1.3/24']);
    expect(new Set(allAddresses(store)).size).toBe(allAddresses(store).length);
  });

  it('moves tasks without networks straight to PENDING', async () => {
    const store = MemoryStore.local();
    const a = start(store);
    const svc = await createService(store, 'plain');
    const [t] = await createTasks(store, svc, 1);
    await a.whenIdle();
    const s = task(store, t!.id);
    expect(s.status?.state).toBe('TASK_STATE_PENDING');
    expect(s.networksAttachments).toEqual([]);
  });

  it('says which network is full, keeps the task NEW, and allocates it when a task ends', async () => {
    const store = MemoryStore.local();
    const a = start(store);
    await createNetwork(store, 'tiny', { subnet: '10.0.9.0/29' }); // 5 addresses: 1 VIP + 4 tasks
    const svc = await createService(store, 'app', { networks: ['tiny'] });
    const tasks = await createTasks(store, svc, 6);
    await a.whenIdle();

    const states = tasks.map((t) => task(store, t.id).status?.state);
    expect(states.filter((s) => s === 'TASK_STATE_PENDING')).toHaveLength(4);
    const stuck = tasks.filter((t) => task(store, t.id).status?.state === 'TASK_STATE_NEW');
    expect(stuck).toHaveLength(2);
    const msg = 'could not allocate an IP address on network tiny (10.0.9.0/29): all 5 addresses in use';
    for (const t of stuck) {
      expect(task(store, t.id).status?.err).toBe(msg);
      expect(task(store, t.id).status?.message).toBe(msg);
    }

    const done = tasks.find((t) => task(store, t.id).status?.state === 'TASK_STATE_PENDING')!;
    const freed = task(store, done.id).networksAttachments[0]?.addresses[0];
    await setState(store, done.id, 'TASK_STATE_FAILED');
    await a.whenIdle();
    const got = stuck.filter((t) => task(store, t.id).status?.state === 'TASK_STATE_PENDING');
    expect(got).toHaveLength(1);
    expect(task(store, got[0]!.id).networksAttachments[0]?.addresses).toEqual([freed]);
    expect(task(store, got[0]!.id).status?.err).toBe('');

    const last = stuck.find((t) => t !== got[0])!;
    const other = tasks.find((t) => t !== done && task(store, t.id).status?.state === 'TASK_STATE_PENDING')!;
    await store.update((tx) => tx.remove('task', other.id));
    await a.whenIdle();
    expect(task(store, last.id).status?.state).toBe('TASK_STATE_PENDING');
  });

  it('leaves alone tasks that are past NEW or not meant to run', async () => {
    const store = MemoryStore.local();
    const a = start(store);
    await createNetwork(store, 'net');
    const svc = await createService(store, 'app', { networks: ['net'] });
    const [t] = await createTasks(store, svc, 1);
    const shut = clone(t!);
    await store.update((tx) => {
      const cur = clone(tx.get('task', shut.id)!);
      cur.desiredState = 'TASK_STATE_SHUTDOWN';
      tx.update('task', cur);
    });
    await a.whenIdle();
    expect(task(store, t!.id).status?.state).toBe('TASK_STATE_NEW');
    expect(task(store, t!.id).networksAttachments).toEqual([]);
  });
});

describe('restarts and refused writes', () => {
  it('a new allocator rebuilds its pools from the store and hands out nothing twice', async () => {
    const store = MemoryStore.local();
    await ensureIngress(store);
    const first = start(store);
    const backend = await createNetwork(store, 'backend');
    const web = await createService(store, 'web', { networks: ['backend'], ports: [{ targetPort: 80 }] });
    await createTasks(store, web, 5);
    await first.whenIdle();
    await first.stop();
    const versionBefore = store.get('network', backend.id)?.version?.index;

    const second = start(store);
    await second.whenIdle();
    expect(store.get('network', backend.id)?.version?.index).toBe(versionBefore);
    await createTasks(store, web, 5, 6);
    const api = await createService(store, 'api', { networks: ['backend'], ports: [{ targetPort: 80 }] });
    const other = await createNetwork(store, 'other');
    await second.whenIdle();

    const addrs = allAddresses(store);
    expect(addrs).toHaveLength(2 * 10 + 2 + 2);
    expect(new Set(addrs).size).toBe(addrs.length);
    expect(store.get('service', api.id)?.endpoint?.ports[0]?.publishedPort).toBe(30001);
    expect(store.get('network', other.id)?.ipamOptions?.configs[0]?.subnet).toBe('10.0.2.0/24');
    expect(store.get('network', other.id)?.driverState?.options[VXLAN_ID_LIST]).toBe('4098');
  });

  it('allocates tasks created while it was stopped, and frees tasks that ended meanwhile', async () => {
    const store = MemoryStore.local();
    const first = start(store);
    await createNetwork(store, 'tiny', { subnet: '10.0.9.0/29' });
    const svc = await createService(store, 'app', { networks: ['tiny'] });
    const tasks = await createTasks(store, svc, 4);
    await first.whenIdle();
    await first.stop();
    for (const t of tasks) await setState(store, t.id, 'TASK_STATE_SHUTDOWN');
    const later = await createTasks(store, svc, 4, 5);

    const second = start(store);
    await second.whenIdle();
    for (const t of later) expect(task(store, t.id).status?.state).toBe('TASK_STATE_PENDING');
  });

  it('undoes a refused write and tries again without leaking addresses', async () => {
    const store = MemoryStore.local();
    await createNetwork(store, 'tiny', { subnet: '10.0.9.0/29' });
    const svc = await createService(store, 'app', { networks: ['tiny'] });
    const tasks = await createTasks(store, svc, 4);
    const update = store.update.bind(store);
    let refusals = 0;
    store.update = (body) => {
      const writesTask = { value: false };
      return update((tx) => {
        body(tx);
        writesTask.value = tx.find('task').some((t) => t.status?.state === 'TASK_STATE_PENDING');
        if (writesTask.value && refusals++ === 0) throw new OutOfSequenceError();
      });
    };
    const a = start(store);
    await a.whenIdle();
    expect(refusals).toBeGreaterThan(1);
    for (const t of tasks) expect(task(store, t.id).status?.state).toBe('TASK_STATE_PENDING');
    expect(new Set(allAddresses(store)).size).toBe(5);
  });

  it('allocates many tasks in batches', async () => {
    const store = MemoryStore.local();
    const a = start(store);
    await createNetwork(store, 'big', { subnet: '10.128.0.0/16' });
    const svc = await createService(store, 'many', { networks: ['big'] });
    const tasks = await createTasks(store, svc, 5000);
    await a.whenIdle();
    expect(tasks.every((t) => task(store, t.id).status?.state === 'TASK_STATE_PENDING')).toBe(true);
    expect(new Set(allAddresses(store)).size).toBe(5001);
  });

  it('stop leaves no listeners behind', async () => {
    const store = MemoryStore.local();
    const before = store.events.listenerCount('commit');
    const a = start(store);
    expect(store.events.listenerCount('commit')).toBe(before + 1);
    await a.stop();
    expect(store.events.listenerCount('commit')).toBe(before);
    expect(store.events.listenerCount('restore')).toBe(0);
    const svc = await createService(store, 'late');
    const [t] = await createTasks(store, svc, 1);
    await new Promise((r) => setImmediate(r));
    expect(task(store, t!.id).status?.state).toBe('TASK_STATE_NEW');
  });
});

describe('snapshots', () => {
  it('rebuilds after the store is restored from a snapshot', async () => {
    const source = MemoryStore.local();
    const a0 = start(source);
    await createNetwork(source, 'net');
    const svc = await createService(source, 'app', { networks: ['net'] });
    await createTasks(source, svc, 3);
    await a0.whenIdle();
    const snap = source.snapshot();

    const store = MemoryStore.local();
    const a = start(store);
    await createNetwork(store, 'stale'); // replaced by the snapshot
    await a.whenIdle();
    store.restore(snap);
    const later = await createTasks(store, store.get('service', svc.id)!, 2, 4);
    await a.whenIdle();
    for (const t of later) expect(task(store, t.id).status?.state).toBe('TASK_STATE_PENDING');
    const addrs = allAddresses(store);
    expect(addrs).toHaveLength(6);
    expect(new Set(addrs).size).toBe(6);
  });
});
