import { afterEach, describe, expect, it } from 'vitest';
import type { LogMessage__Output } from '../../proto/gen/shoal/api/LogMessage.ts';
import { eventually } from '../dispatcher/testing.ts';
import { MemoryStore } from '../store/memory.ts';
import { normaliseSelector, resolveSelector } from './selector.ts';
import { line, listenAs, publishAs, seed, serveBroker, type ServedBroker } from './testing.ts';

async function collect(it: AsyncIterable<LogMessage__Output>): Promise<string[]> {
  const out: string[] = [];
  for await (const m of it) out.push(`${m.context?.taskId}:${m.data.toString()}`);
  return out;
}

describe('selector resolution', () => {
  const store = MemoryStore.local();
  const ready = seed(store, { n1: 'STATE_READY', n2: 'STATE_READY' }, [
    ['t1', 'web', 'n1'],
    ['t2', 'web', 'n2'],
    ['t3', 'db', 'n1'],
    ['t4', 'web', ''], // not placed yet: no logs anywhere
  ]);
  const nodesOf = (s: Parameters<typeof normaliseSelector>[0]): Record<string, readonly string[]> =>
    Object.fromEntries(
      [...resolveSelector(store, normaliseSelector(s)).tasksByNode].map(([n, ts]) => [n, [...ts].sort()]),
    );

  it('resolves a service to its placed tasks, grouped by node', async () => {
    await ready;
    expect(nodesOf({ serviceIds: ['web'] })).toEqual({ n1: ['t1'], n2: ['t2'] });
  });

  it('takes the union of services, tasks and nodes', async () => {
    await ready;
    expect(nodesOf({ serviceIds: ['db'], taskIds: ['t2'] })).toEqual({ n1: ['t3'], n2: ['t2'] });
    expect(nodesOf({ nodeIds: ['n1'] })).toEqual({ n1: ['t1', 't3'] });
    expect(nodesOf({ taskIds: ['t4', 'nope'] })).toEqual({});
  });

  it('refuses an empty selector', () => {
    expect(() => normaliseSelector({})).toThrow(/selector is empty/);
  });
});

describe('LogBroker', () => {
  let s: ServedBroker | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it('sends a subscription to the nodes with selected tasks and ends when all have closed', async () => {
    s = await serveBroker();
    await seed(s.store, { n1: 'STATE_READY', n2: 'STATE_READY', n3: 'STATE_READY' }, [
      ['t1', 'web', 'n1'],
      ['t2', 'web', 'n2'],
      ['t3', 'db', 'n3'],
    ]);
    const a = listenAs(s.client, 'n1');
    const b = listenAs(s.client, 'n2');
    const c = listenAs(s.client, 'n3');
    await eventually(() => s?.broker.listeningNodes().length === 3);
    const lines = collect(s.broker.subscribe({ selector: { serviceIds: ['web'] }, options: { tail: -1 } }));
    await eventually(() => a.received.length === 1 && b.received.length === 1);
    const sub = a.received[0];
    expect(sub?.selector?.serviceIds).toEqual(['web']);
    expect(sub?.options?.tail).toBe(-1);
    expect(c.received).toEqual([]);
    await publishAs(s.client, 'n1', sub?.id ?? '', [
      line('web', 'n1', 't1', 'one'),
      line('web', 'n1', 't1', 'two'),
    ]);
    expect(s.broker.subscriptions()).toHaveLength(1); // n2 has not closed yet
    await publishAs(s.client, 'n2', sub?.id ?? '', [line('web', 'n2', 't2', 'three')]);
    expect(await lines).toEqual(['t1:one', 't1:two', 't2:three']);
    expect(s.broker.subscriptions()).toHaveLength(0);
    a.cancel();
    b.cancel();
    c.cancel();
  });

  it('ends at once when no node has a selected task, and skips a node that is down', async () => {
    s = await serveBroker();
    await seed(s.store, { down: 'STATE_DOWN' }, [['t1', 'web', 'down']]);
    expect(await collect(s.broker.subscribe({ selector: { serviceIds: ['nothing'] } }))).toEqual([]);
    expect(await collect(s.broker.subscribe({ selector: { serviceIds: ['web'] } }))).toEqual([]);
  });

  it('skipping a down node does not end the subscription while other nodes are pending', async () => {
    s = await serveBroker();
    await seed(s.store, { down: 'STATE_DOWN', n1: 'STATE_READY' }, [
      ['t0', 'web', 'down'],
      ['t1', 'web', 'n1'],
    ]);
    const a = listenAs(s.client, 'n1');
    await eventually(() => s?.broker.listeningNodes().length === 1);
    const lines = collect(s.broker.subscribe({ selector: { serviceIds: ['web'] } }));
    await eventually(() => a.received.length === 1);
    await publishAs(s.client, 'n1', a.received[0]?.id ?? '', [line('web', 'n1', 't1', 'up')]);
    expect(await lines).toEqual(['t1:up']);
    a.cancel();
  });

  it('skips a node that stays silent past the timeout, keeping what others sent', async () => {
    s = await serveBroker({ nodeTimeoutMs: 300 });
    await seed(s.store, { n1: 'STATE_READY', mute: 'STATE_READY' }, [
      ['t1', 'web', 'n1'],
      ['t2', 'web', 'mute'],
    ]);
    const a = listenAs(s.client, 'n1');
    await eventually(() => s?.broker.listeningNodes().length === 1);
    const started = Date.now();
    const lines = collect(s.broker.subscribe({ selector: { serviceIds: ['web'] } }));
    await eventually(() => a.received.length === 1);
    await publishAs(s.client, 'n1', a.received[0]?.id ?? '', [line('web', 'n1', 't1', 'hi')]);
    expect(await lines).toEqual(['t1:hi']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    a.cancel();
  });

  it('refuses lines a node publishes for another node, or for a subscription that is over', async () => {
    s = await serveBroker();
    await seed(s.store, { n1: 'STATE_READY' }, [['t1', 'web', 'n1']]);
    const a = listenAs(s.client, 'n1');
    await eventually(() => s?.broker.listeningNodes().length === 1);
    const ac = new AbortController();
    const it = s.broker.subscribe({ selector: { taskIds: ['t1'] } }, ac.signal);
    await eventually(() => a.received.length === 1);
    const id = a.received[0]?.id ?? '';
    await expect(publishAs(s.client, 'n1', id, [line('web', 'n2', 't1', 'x')], false)).rejects.toThrow(
      /published a log line for node "n2"/,
    );
    ac.abort();
    expect(await collect(it)).toEqual([]);
    await expect(publishAs(s.client, 'n1', id, [line('web', 'n1', 't1', 'late')])).rejects.toThrow(/is over/);
    a.cancel();
  });

  it('with follow, brings in nodes that get new tasks, and tells every node when it ends', async () => {
    s = await serveBroker();
    await seed(s.store, { n1: 'STATE_READY', n2: 'STATE_READY' }, [['t1', 'web', 'n1']]);
    const a = listenAs(s.client, 'n1');
    const b = listenAs(s.client, 'n2');
    await eventually(() => s?.broker.listeningNodes().length === 2);
    const ac = new AbortController();
    const got: string[] = [];
    const reading = (async () => {
      for await (const m of s.broker.subscribe(
        { selector: { serviceIds: ['web'] }, options: { follow: true } },
        ac.signal,
      ))
        got.push(m.data.toString());
    })();
    await eventually(() => a.received.length === 1);
    expect(b.received).toEqual([]);
    await seed(s.store, {}, [['t2', 'web', 'n2']]);
    await eventually(() => b.received.length === 1);
    const id = a.received[0]?.id ?? '';
    expect(b.received[0]?.id).toBe(id);
    await publishAs(s.client, 'n2', id, [line('web', 'n2', 't2', 'later')], false);
    await eventually(() => got.length === 1);
    ac.abort();
    await reading;
    expect(got).toEqual(['later']);
    await eventually(() => a.received.length === 2 && b.received.length === 2);
    expect(a.received[1]).toMatchObject({ id, close: true });
    expect(b.received[1]).toMatchObject({ id, close: true });
    a.cancel();
    b.cancel();
  });

  it('ends subscriptions with Unavailable when it stops (leadership lost)', async () => {
    s = await serveBroker();
    await seed(s.store, { n1: 'STATE_READY' }, [['t1', 'web', 'n1']]);
    const it = collect(s.broker.subscribe({ selector: { serviceIds: ['web'] }, options: { follow: true } }));
    await s.broker.stop();
    await expect(it).rejects.toThrow(/leadership changed/);
    expect(() => s?.broker.subscribe({ selector: { serviceIds: ['web'] } })).toThrow(/not running/);
  });
});
