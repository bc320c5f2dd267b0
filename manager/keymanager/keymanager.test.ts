import { afterEach, describe, expect, it } from 'vitest';
import { messageType } from '../../proto/load.ts';
import { FakeClock } from '../dispatcher/testing.ts';
import { MemoryStore, TO_OBJECT } from '../store/memory.ts';
import type { Cluster } from '../store/types.ts';
import { KeyManager } from './keymanager.ts';
import { currentKey, initialKeys, KEY_BYTES, OVERLAY_ALGORITHM, OVERLAY_SUBSYSTEM, rotate } from './keys.ts';

const HOUR = 60 * 60 * 1000;

/** Deterministic key material: each call gives 16 bytes of the next counter value. */
function counter(): (n: number) => Buffer {
  let i = 0;
  return (n) => Buffer.alloc(n, ++i);
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
});

async function setup(o: { clock?: FakeClock; store?: MemoryStore; intervalMs?: number } = {}) {
  const store = o.store ?? MemoryStore.local();
  const clock = o.clock ?? new FakeClock();
  if (!store.find('cluster')[0]) {
    const t = messageType('Cluster');
    await store.update((tx) =>
      tx.create('cluster', t.toObject(t.fromObject({ id: 'c' }), TO_OBJECT) as Cluster),
    );
  }
  const km = new KeyManager({
    store,
    now: clock.now,
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
    random: counter(),
    ...(o.intervalMs !== undefined ? { rotationIntervalMs: o.intervalMs } : {}),
  });
  stops.push(() => km.stop());
  return { store, clock, km };
}

const cluster = (store: MemoryStore): Cluster => {
  const c = store.find('cluster')[0];
  if (!c) throw new Error('no cluster');
  return c;
};
const times = (store: MemoryStore) => cluster(store).networkBootstrapKeys.map((k) => k.lamportTime);

describe('keys', () => {
  it('starts with previous, current and next: 128-bit AES-GCM keys with rising lamport times', () => {
    const s = initialKeys(0, counter());
    expect(s.keys.map((k) => [k.subsystem, k.algorithm, k.key.length, k.lamportTime])).toEqual([
      [OVERLAY_SUBSYSTEM, OVERLAY_ALGORITHM, KEY_BYTES, 1],
      [OVERLAY_SUBSYSTEM, OVERLAY_ALGORITHM, KEY_BYTES, 2],
      [OVERLAY_SUBSYSTEM, OVERLAY_ALGORITHM, KEY_BYTES, 3],
    ]);
    expect(currentKey(s.keys)?.lamportTime).toBe(2);
  });

  it('a rotation drops the oldest key and appends a new one; next becomes current', () => {
    const random = counter();
    const r = rotate(initialKeys(0, random), random);
    expect(r.keys.map((k) => k.lamportTime)).toEqual([2, 3, 4]);
    expect(r.lamportClock).toBe(4);
    expect(currentKey(r.keys)?.lamportTime).toBe(3);
    expect(r.keys[2]?.key).toEqual(Buffer.alloc(KEY_BYTES, 4));
  });

  it('fills up an incomplete set', () => {
    const random = counter();
    const one = { keys: initialKeys(0, random).keys.slice(0, 1), lamportClock: 3 };
    expect(rotate(one, random).keys.map((k) => k.lamportTime)).toEqual([1, 4, 5]);
  });
});

describe('KeyManager', () => {
  it('creates the key set in the cluster object on start', async () => {
    const { store, km } = await setup();
    km.start();
    await km.settled();
    expect(times(store)).toEqual([1, 2, 3]);
    expect(cluster(store).encryptionKeyLamportClock).toBe(3);
    expect(cluster(store).keysRotatedAt).toEqual({ seconds: 0, nanos: 0 });
  });

  it('rotates every interval (12 h by default), not before', async () => {
    const { store, clock, km } = await setup();
    km.start();
    await km.settled();
    clock.advance(12 * HOUR - 1);
    await km.settled();
    expect(times(store)).toEqual([1, 2, 3]);
    clock.advance(1);
    await km.settled();
    expect(times(store)).toEqual([2, 3, 4]);
    clock.advance(12 * HOUR);
    await km.settled();
    expect(times(store)).toEqual([3, 4, 5]);
  });

  it('takes an injected interval', async () => {
    const { store, clock, km } = await setup({ intervalMs: 1000 });
    km.start();
    await km.settled();
    clock.advance(1000);
    await km.settled();
    clock.advance(1000);
    await km.settled();
    expect(times(store)).toEqual([3, 4, 5]);
  });

  it('a new leader goes on with the schedule recorded in the store', async () => {
    const clock = new FakeClock();
    const first = await setup({ clock, intervalMs: 10 * HOUR });
    first.km.start();
    await first.km.settled();
    clock.advance(4 * HOUR);
    await first.km.stop();
    // Leadership moves: the new leader's key manager must rotate 6 h later, not 10.
    const second = await setup({ clock, store: first.store, intervalMs: 10 * HOUR });
    second.km.start();
    await second.km.settled();
    expect(times(first.store)).toEqual([1, 2, 3]);
    clock.advance(6 * HOUR);
    await second.km.settled();
    expect(times(first.store)).toEqual([2, 3, 4]);
  });

  it('rotates at once when the recorded rotation is overdue, and does nothing once stopped', async () => {
    const clock = new FakeClock();
    const a = await setup({ clock, intervalMs: HOUR });
    a.km.start();
    await a.km.settled();
    await a.km.stop();
    clock.advance(5 * HOUR);
    expect(times(a.store)).toEqual([1, 2, 3]);
    const b = await setup({ clock, store: a.store, intervalMs: HOUR });
    b.km.start();
    await b.km.settled();
    expect(times(a.store)).toEqual([2, 3, 4]);
    await b.km.stop();
    clock.advance(5 * HOUR);
    expect(times(a.store)).toEqual([2, 3, 4]);
  });

  it('waits for the cluster object when there is none yet', async () => {
    const store = MemoryStore.local();
    const clock = new FakeClock();
    const km = new KeyManager({
      store,
      now: clock.now,
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
    });
    stops.push(() => km.stop());
    km.start();
    await km.settled();
    const t = messageType('Cluster');
    await store.update((tx) =>
      tx.create('cluster', t.toObject(t.fromObject({ id: 'c' }), TO_OBJECT) as Cluster),
    );
    await km.settled();
    expect(cluster(store).networkBootstrapKeys).toHaveLength(3);
  });
});
