import { describe, expect, it } from 'vitest';
import { newId } from '../../proto/shared/ids.ts';
import { blank, clone, MemoryStore } from './memory.ts';
import { OutOfSequenceError, type StoreEvent, type Service, type Task } from './types.ts';

function service(name: string): Service {
  return serviceNamed(name);
}

function serviceNamed(name: string): Service {
  const s = blank('service');
  s.id = newId<'service'>();
  s.spec = {
    name,
    labels: { team: 'a' },
    taskTemplate: null,
    mode: null,
    updateConfig: null,
    rollbackConfig: null,
    networks: [],
    endpointSpec: null,
  };
  return s;
}

function task(serviceId: string, slot: number, nodeId = ''): Task {
  const t = blank('task');
  t.id = newId<'task'>();
  t.serviceId = serviceId;
  t.slot = slot;
  t.nodeId = nodeId;
  t.name = `svc.${slot}.${t.id}`;
  t.desiredState = 'TASK_STATE_RUNNING';
  return t;
}

describe('MemoryStore', () => {
  it('commits a transaction as one entry: versions are the entry index, events after commit', async () => {
    const store = MemoryStore.local();
    const events: StoreEvent[] = [];
    const commits: number[] = [];
    store.events.on('event', (e) => events.push(e));
    store.events.on('commit', (_e, index) => commits.push(index));
    const s = serviceNamed('web');
    await store.update((tx) => {
      tx.create('service', s);
      tx.create('task', task(s.id, 1));
      tx.create('task', task(s.id, 2));
      expect(tx.find('task', { serviceId: s.id })).toHaveLength(2);
      expect(store.find('task', { serviceId: s.id })).toHaveLength(0);
    });
    expect(commits).toEqual([1]);
    expect(events.map((e) => `${e.kind}:${e.action}`)).toEqual([
      'service:create',
      'task:create',
      'task:create',
    ]);
    const got = store.get('service', s.id);
    expect(got?.version?.index).toBe(1);
    expect(got?.createdAt?.seconds).toBeGreaterThan(0);
    expect(store.find('task', { serviceId: s.id, slot: 2 })).toHaveLength(1);
  });

  it('refuses a stale update ("update out of sequence") and keeps the newer write', async () => {
    const store = MemoryStore.local();
    const s = serviceNamed('web');
    await store.update((tx) => tx.create('service', s));
    const a = clone(store.get('service', s.id) as Service);
    const b = clone(store.get('service', s.id) as Service);
    if (a.spec) a.spec.labels = { v: 'a' };
    if (b.spec) b.spec.labels = { v: 'b' };
    await store.update((tx) => tx.update('service', a));
    await expect(store.update((tx) => tx.update('service', b))).rejects.toThrow(OutOfSequenceError);
    expect(store.get('service', s.id)?.spec?.labels).toEqual({ v: 'a' });
  });

  it('refuses at commit a racing transaction whose check passed when it ran', async () => {
    const store = MemoryStore.local();
    const s = serviceNamed('web');
    await store.update((tx) => tx.create('service', s));
    const a = clone(store.get('service', s.id) as Service);
    const b = clone(store.get('service', s.id) as Service);
    const first = store.update((tx) => tx.update('service', a));
    const second = store.update((tx) => tx.update('service', b)); // both read version 1
    await first;
    await expect(second).rejects.toThrow('update out of sequence');
  });

  it('keeps names unique per kind, also between racing creates', async () => {
    const store = MemoryStore.local();
    await store.update((tx) => tx.create('service', serviceNamed('web')));
    await expect(store.update((tx) => tx.create('service', serviceNamed('web')))).rejects.toThrow(
      /name conflicts with an existing object: service web already exists/,
    );
    const x = store.update((tx) => tx.create('service', serviceNamed('api')));
    const y = store.update((tx) => tx.create('service', serviceNamed('api')));
    const results = await Promise.allSettled([x, y]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(store.find('service', { name: 'api' })).toHaveLength(1);
  });

  it('a refused transaction changes nothing, even its valid parts', async () => {
    const store = MemoryStore.local();
    const s = serviceNamed('web');
    await store.update((tx) => tx.create('service', s));
    const stale = clone(store.get('service', s.id) as Service);
    await store.update((tx) => tx.update('service', clone(store.get('service', s.id) as Service)));
    const t = task(s.id, 1);
    await expect(
      store.update((tx) => {
        tx.create('task', t);
        tx.update('service', stale);
      }),
    ).rejects.toThrow(OutOfSequenceError);
    expect(store.get('task', t.id)).toBeUndefined();
  });

  it('looks up by ID prefix, name, service, node, slot, desired state and label', async () => {
    const store = MemoryStore.local();
    const s = serviceNamed('web');
    const t1 = task(s.id, 1, 'n1');
    const t2 = task(s.id, 2, 'n2');
    t2.desiredState = 'TASK_STATE_SHUTDOWN';
    t2.labels = { tier: 'front' };
    await store.update((tx) => {
      tx.create('service', s);
      tx.create('task', t1);
      tx.create('task', t2);
    });
    expect(store.find('service', { idPrefix: s.id.slice(0, 5) }).map((x) => x.id)).toEqual([s.id]);
    expect(store.find('service', { name: 'web' })).toHaveLength(1);
    expect(store.find('service', { label: { key: 'team', value: 'a' } })).toHaveLength(1);
    expect(store.find('service', { label: { key: 'team', value: 'b' } })).toHaveLength(0);
    expect(store.find('task', { nodeId: 'n2' }).map((x) => x.id)).toEqual([t2.id]);
    expect(
      store.find('task', { serviceId: s.id, desiredState: 'TASK_STATE_RUNNING' }).map((x) => x.id),
    ).toEqual([t1.id]);
    expect(store.find('task', { label: { key: 'tier' } }).map((x) => x.id)).toEqual([t2.id]);
  });

  it('snapshot and restore give an identical store on another manager', async () => {
    const a = MemoryStore.local();
    const s = serviceNamed('web');
    await a.update((tx) => {
      tx.create('service', s);
      for (let i = 1; i <= 5; i++) tx.create('task', task(s.id, i, `n${i % 2}`));
    });
    const b = MemoryStore.local();
    let restored = false;
    b.events.on('restore', () => (restored = true));
    b.restore(a.snapshot());
    expect(restored).toBe(true);
    expect(b.find('task', { serviceId: s.id })).toHaveLength(5);
    expect(b.find('task', { nodeId: 'n1' })).toHaveLength(3);
    expect(b.get('service', s.id)).toEqual(a.get('service', s.id));
    expect(Buffer.from(b.snapshot()).equals(Buffer.from(a.snapshot()))).toBe(true);
  });

  it('batch splits many changes into transactions of at most 200', async () => {
    const store = MemoryStore.local();
    const s = serviceNamed('web');
    await store.update((tx) => tx.create('service', s));
    let commits = 0;
    store.events.on('commit', () => commits++);
    await store.batch((b) => {
      for (let i = 1; i <= 450; i++) b.update((tx) => tx.create('task', task(s.id, i)));
    });
    expect(commits).toBe(3);
    expect(store.find('task', { serviceId: s.id })).toHaveLength(450);
  });

  it('remove takes the object out of every index', async () => {
    const store = MemoryStore.local();
    const s = service('web');
    const t = task(s.id, 1, 'n1');
    await store.update((tx) => {
      tx.create('service', s);
      tx.create('task', t);
    });
    await store.update((tx) => {
      tx.remove('task', t.id);
      tx.remove('service', s.id);
    });
    expect(store.find('task', { nodeId: 'n1' })).toHaveLength(0);
    expect(store.find('service', { name: 'web' })).toHaveLength(0);
    await store.update((tx) => tx.create('service', service('web'))); // the name is free again
  });
});

describe('clone', () => {
  it('keeps Buffers as Buffers (secret data) and copies deeply', () => {
    const o = { data: Buffer.from('s3cret'), nested: { list: [1, { a: 'x' }] } };
    const c = clone(o);
    expect(Buffer.isBuffer(c.data)).toBe(true);
    expect(c.data.toString()).toBe('s3cret');
    c.data[0] = 0;
    (c.nested.list[1] as { a: string }).a = 'y';
    expect(o.data.toString()).toBe('s3cret');
    expect(o.nested.list[1]).toEqual({ a: 'x' });
  });
});
