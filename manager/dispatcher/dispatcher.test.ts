import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import type { AssignmentsMessage__Output } from '../../proto/gen/shoal/api/AssignmentsMessage.ts';
import type { HeartbeatResponse__Output } from '../../proto/gen/shoal/api/HeartbeatResponse.ts';
import type { SessionMessage__Output } from '../../proto/gen/shoal/api/SessionMessage.ts';
import type { TaskState } from '../store/types.ts';
import { blank, clone, MemoryStore } from '../store/memory.ts';
import { as, eventually, Reader, serveDispatcher, task, unary, type Served } from './testing.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function served(o: Parameters<typeof serveDispatcher>[0] = {}): Promise<Served> {
  const s = await serveDispatcher(o);
  cleanups.push(() => s.close());
  return s;
}

function openSession(s: Served, nodeId: string, hostname = `host-${nodeId}`): Reader<SessionMessage__Output> {
  const r = new Reader(
    s.client.Session(
      { description: { hostname, platform: { os: 'linux', architecture: 'x86_64' } } },
      as(nodeId),
    ),
  );
  cleanups.push(() => r.cancel());
  return r;
}

async function connect(
  s: Served,
  nodeId: string,
): Promise<{ session: Reader<SessionMessage__Output>; id: string }> {
  const session = openSession(s, nodeId);
  const first = await session.nth(0);
  return { session, id: first.sessionId };
}

function assignments(s: Served, nodeId: string, sessionId: string): Reader<AssignmentsMessage__Output> {
  const r = new Reader(s.client.Assignments({ sessionId }, as(nodeId)));
  cleanups.push(() => r.cancel());
  return r;
}

function heartbeat(s: Served, nodeId: string, sessionId: string): Promise<HeartbeatResponse__Output> {
  return unary(s.client, 'Heartbeat', nodeId, { sessionId });
}

function report(
  s: Served,
  nodeId: string,
  sessionId: string,
  updates: [string, TaskState][],
): Promise<unknown> {
  return unary(s.client, 'UpdateTaskStatus', nodeId, {
    sessionId,
    updates: updates.map(([taskId, state]) => ({ taskId, status: { state, message: state.toLowerCase() } })),
  });
}

async function failure(p: Promise<unknown>): Promise<grpc.ServiceError> {
  const r = await p.then(
    () => undefined,
    (e: unknown) => e as grpc.ServiceError,
  );
  if (!r) throw new Error('expected the call to fail');
  return r;
}

function ids(
  m: AssignmentsMessage__Output,
  item: 'task' | 'secret' | 'config',
  action = 'ACTION_UPDATE',
): string[] {
  return m.changes
    .filter((c) => c.action === action && c.assignment?.item === item)
    .map((c) => c.assignment?.[item]?.id ?? '')
    .sort();
}

function secret(id: string, data: string) {
  const s = blank('secret');
  s.id = id;
  s.spec = { name: id, labels: {}, data: Buffer.from(data), driver: null, templating: null };
  return s;
}

describe('Session', () => {
  it('registers a new node READY with its description, address and worker role', async () => {
    const s = await served();
    const { session, id } = await connect(s, 'node1');
    const first = session.messages[0];
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(first?.node?.id).toBe('node1');
    expect(first?.managers).toEqual([{ nodeId: 'manager1', addr: '127.0.0.1:2377', weight: 10 }]);
    const n = s.store.get('node', 'node1');
    expect(n?.status).toEqual({ state: 'STATE_READY', message: '', addr: '127.0.0.1' });
    expect(n?.description?.hostname).toBe('host-node1');
    expect(n?.spec?.role).toBe('NODE_ROLE_WORKER');
    expect(n?.spec?.availability).toBe('AVAILABILITY_ACTIVE');
  });

  it('refreshes an existing node (DOWN → READY, new description) and keeps its spec', async () => {
    const store = MemoryStore.local();
    const n = blank('node');
    n.id = 'node1';
    n.spec = {
      name: 'keep',
      labels: { zone: 'a' },
      role: 'NODE_ROLE_MANAGER',
      availability: 'AVAILABILITY_DRAIN',
    };
    n.status = { state: 'STATE_DOWN', message: 'heartbeat failure', addr: '10.0.0.9' };
    await store.update((tx) => tx.create('node', n));
    const s = await served({ store });
    await connect(s, 'node1');
    const got = s.store.get('node', 'node1');
    expect(got?.status?.state).toBe('STATE_READY');
    expect(got?.description?.hostname).toBe('host-node1');
    expect(got?.spec).toEqual(n.spec);
  });

  it('takes the role from the certificate when known', async () => {
    const s = await served({ roleOf: () => 'manager' });
    await connect(s, 'm2');
    expect(s.store.get('node', 'm2')?.spec?.role).toBe('NODE_ROLE_MANAGER');
  });

  it('sends another message when the node object changes', async () => {
    const s = await served();
    const { session } = await connect(s, 'node1');
    const n = clone(s.store.get('node', 'node1'));
    if (!n?.spec) throw new Error('no node');
    n.spec.labels = { zone: 'b' };
    await s.store.update((tx) => tx.update('node', n));
    const second = await session.nth(1);
    expect(second.node?.spec?.labels).toEqual({ zone: 'b' });
  });

  it('a second session of the same node ends the first', async () => {
    const s = await served();
    const a = await connect(s, 'node1');
    const b = await connect(s, 'node1');
    await a.session.closed();
    expect(a.session.error?.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect((await failure(heartbeat(s, 'node1', a.id))).code).toBe(grpc.status.NOT_FOUND);
    await heartbeat(s, 'node1', b.id);
  });
});

describe('Heartbeat', () => {
  it('refuses an unknown session or another node’s session with NOT_FOUND "session invalid"', async () => {
    const s = await served();
    const { id } = await connect(s, 'node1');
    const e = await failure(heartbeat(s, 'node1', 'nope'));
    expect(e.code).toBe(grpc.status.NOT_FOUND);
    expect(e.details).toBe('session invalid');
    expect((await failure(heartbeat(s, 'node2', id))).code).toBe(grpc.status.NOT_FOUND);
  });

  it('returns the period in ns with ±10% jitter', async () => {
    let r = 0;
    const s = await served({ random: () => r });
    const { id } = await connect(s, 'node1');
    expect((await heartbeat(s, 'node1', id)).period).toBe(900_000_000);
    r = 0.5;
    expect((await heartbeat(s, 'node1', id)).period).toBe(1_000_000_000);
    r = 0.999999;
    expect((await heartbeat(s, 'node1', id)).period).toBeCloseTo(1_100_000_000, -4);
  });

  it('marks a node DOWN after 3 missed periods and ends its session', async () => {
    const s = await served();
    const { session, id } = await connect(s, 'node1');
    s.clock.advance(2500);
    await heartbeat(s, 'node1', id);
    s.clock.advance(2999);
    expect(s.store.get('node', 'node1')?.status?.state).toBe('STATE_READY');
    s.clock.advance(1);
    await eventually(() => s.store.get('node', 'node1')?.status?.state === 'STATE_DOWN');
    expect(s.store.get('node', 'node1')?.status?.message).toBe('heartbeat failure');
    await session.closed();
    expect(session.error?.code).toBe(grpc.status.UNAVAILABLE);
    expect((await failure(heartbeat(s, 'node1', id))).details).toBe('session invalid');
    // it comes back with a new session
    await connect(s, 'node1');
    expect(s.store.get('node', 'node1')?.status?.state).toBe('STATE_READY');
  });

  it('after a leader change, READY nodes that never connect get 6 periods', async () => {
    const store = MemoryStore.local();
    for (const id of ['quiet', 'back']) {
      const n = blank('node');
      n.id = id;
      n.status = { state: 'STATE_READY', message: '', addr: '10.0.0.2' };
      await store.update((tx) => tx.create('node', n));
    }
    const s = await served({ store });
    const { id } = await connect(s, 'back');
    for (const step of [2000, 2000]) {
      s.clock.advance(step);
      await heartbeat(s, 'back', id);
    }
    s.clock.advance(1999);
    expect(store.get('node', 'quiet')?.status?.state).toBe('STATE_READY');
    s.clock.advance(1);
    await eventually(() => store.get('node', 'quiet')?.status?.state === 'STATE_DOWN');
    expect(store.get('node', 'back')?.status?.state).toBe('STATE_READY');
    // a node that connected is back on the usual 3 periods (last heartbeat at 4 s)
    s.clock.advance(999);
    expect(store.get('node', 'back')?.status?.state).toBe('STATE_READY');
    s.clock.advance(1);
    await eventually(() => store.get('node', 'back')?.status?.state === 'STATE_DOWN');
  });
});

describe('Assignments', () => {
  it('starts COMPLETE with the node’s tasks from ASSIGNED on, then chains INCREMENTAL changes', async () => {
    const s = await served();
    await s.store.update((tx) => {
      tx.create('task', task({ id: 'pending', nodeId: 'node1', state: 'TASK_STATE_PENDING' }));
      tx.create('task', task({ id: 'assigned', nodeId: 'node1' }));
      tx.create(
        'task',
        task({
          id: 'stopping',
          nodeId: 'node1',
          state: 'TASK_STATE_RUNNING',
          desired: 'TASK_STATE_SHUTDOWN',
        }),
      );
      tx.create('task', task({ id: 'elsewhere', nodeId: 'node2' }));
    });
    const { id } = await connect(s, 'node1');
    const a = assignments(s, 'node1', id);
    const complete = await a.nth(0);
    expect(complete.type).toBe('TYPE_COMPLETE');
    expect(complete.appliesTo).toBe('');
    expect(ids(complete, 'task')).toEqual(['assigned', 'stopping']);

    const p = clone(s.store.get('task', 'pending'));
    if (!p?.status) throw new Error('no task');
    p.status.state = 'TASK_STATE_ASSIGNED';
    await s.store.update((tx) => tx.update('task', p));
    const second = await a.nth(1);
    expect(second.type).toBe('TYPE_INCREMENTAL');
    expect(second.appliesTo).toBe(complete.resultsIn);
    expect(ids(second, 'task')).toEqual(['pending']);

    // an agent-written status change is not echoed back; a removal is
    await report(s, 'node1', id, [['assigned', 'TASK_STATE_RUNNING']]);
    await s.store.update((tx) => tx.remove('task', 'stopping'));
    const third = await a.nth(2);
    expect(third.appliesTo).toBe(second.resultsIn);
    expect(third.changes).toHaveLength(1);
    expect(ids(third, 'task', 'ACTION_REMOVE')).toEqual(['stopping']);
    expect(a.messages).toHaveLength(3);
  });

  it('sends at most 100 changes per message', async () => {
    const s = await served();
    const { id } = await connect(s, 'node1');
    const a = assignments(s, 'node1', id);
    await a.nth(0);
    await s.store.update((tx) => {
      for (let i = 0; i < 250; i++) tx.create('task', task({ id: `t${i}`, nodeId: 'node1' }));
    });
    const last = await a.nth(3);
    expect(a.messages.slice(1).map((m) => m.changes.length)).toEqual([100, 100, 50]);
    expect(a.messages[2]?.appliesTo).toBe(a.messages[1]?.resultsIn);
    expect(last.appliesTo).toBe(a.messages[2]?.resultsIn);
  });

  it('sends only referenced secrets, to their node only, and REMOVE once no running task uses them', async () => {
    const s = await served();
    await s.store.update((tx) => {
      tx.create('secret', secret('s1', 'one'));
      tx.create('secret', secret('s2', 'two'));
      tx.create('secret', secret('unused', 'three'));
      tx.create('task', task({ id: 'a', nodeId: 'node1', state: 'TASK_STATE_RUNNING', secrets: ['s1'] }));
      tx.create('task', task({ id: 'b', nodeId: 'node2', secrets: ['s2'] }));
      tx.create('task', task({ id: 'old', nodeId: 'node1', state: 'TASK_STATE_FAILED', secrets: ['s2'] }));
    });
    const n1 = await connect(s, 'node1');
    const n2 = await connect(s, 'node2');
    const a1 = assignments(s, 'node1', n1.id);
    const a2 = assignments(s, 'node2', n2.id);
    const c1 = await a1.nth(0);
    const c2 = await a2.nth(0);
    expect(ids(c1, 'secret')).toEqual(['s1']);
    expect(ids(c2, 'secret')).toEqual(['s2']);
    const sent = c1.changes.find((c) => c.assignment?.secret)?.assignment?.secret;
    expect(sent?.spec?.data.toString()).toBe('one');

    await report(s, 'node1', n1.id, [['a', 'TASK_STATE_SHUTDOWN']]);
    const m = await a1.nth(1);
    expect(ids(m, 'secret', 'ACTION_REMOVE')).toEqual(['s1']);
    const removed = m.changes.find((c) => c.assignment?.secret)?.assignment?.secret;
    expect(removed?.spec?.data.length ?? 0).toBe(0);
    expect(a2.messages.flatMap((x) => ids(x, 'secret'))).toEqual(['s2']);
  });

  it('refuses an invalid session', async () => {
    const s = await served();
    const a = assignments(s, 'node1', 'bogus');
    await a.closed();
    expect(a.error?.code).toBe(grpc.status.NOT_FOUND);
  });
});

describe('UpdateTaskStatus', () => {
  it('writes forward-only updates in one batch and returns after the commit', async () => {
    const s = await served();
    await s.store.update((tx) => {
      tx.create('task', task({ id: 'a', nodeId: 'node1' }));
      tx.create('task', task({ id: 'b', nodeId: 'node1' }));
    });
    const { id } = await connect(s, 'node1');
    let commits = 0;
    s.store.events.on('commit', (events) => {
      if (events.some((e) => e.kind === 'task')) commits++;
    });
    await Promise.all([
      report(s, 'node1', id, [
        ['a', 'TASK_STATE_ACCEPTED'],
        ['a', 'TASK_STATE_PREPARING'],
        ['a', 'TASK_STATE_RUNNING'],
      ]),
      report(s, 'node1', id, [['b', 'TASK_STATE_STARTING']]),
    ]);
    expect(s.store.get('task', 'a')?.status?.state).toBe('TASK_STATE_RUNNING');
    expect(s.store.get('task', 'b')?.status?.state).toBe('TASK_STATE_STARTING');
    expect(commits).toBe(1);

    await report(s, 'node1', id, [['a', 'TASK_STATE_PREPARING']]);
    expect(s.store.get('task', 'a')?.status?.state).toBe('TASK_STATE_RUNNING');
    expect(commits).toBe(1);
  });

  it('ignores updates for tasks of another node', async () => {
    const s = await served();
    await s.store.update((tx) => tx.create('task', task({ id: 'theirs', nodeId: 'node2' })));
    const { id } = await connect(s, 'node1');
    await report(s, 'node1', id, [['theirs', 'TASK_STATE_FAILED']]);
    expect(s.store.get('task', 'theirs')?.status?.state).toBe('TASK_STATE_ASSIGNED');
  });

  it('refuses an invalid session', async () => {
    const s = await served();
    const e = await failure(report(s, 'node1', 'bogus', []));
    expect(e.code).toBe(grpc.status.NOT_FOUND);
  });
});

describe('overlay peers', () => {
  it('lists other nodes’ endpoints on the networks this node uses, with Docker MACs', async () => {
    const s = await served();
    const n1 = await connect(s, 'node1');
    await connect(s, 'node2');
    await s.store.update((tx) => {
      tx.create('task', task({ id: 'a', nodeId: 'node1', networks: [{ id: 'net', addr: '10.0.1.2/24' }] }));
      tx.create('task', task({ id: 'b', nodeId: 'node2', networks: [{ id: 'net', addr: '10.0.1.3/24' }] }));
      tx.create('task', task({ id: 'c', nodeId: 'node2', networks: [{ id: 'other', addr: '10.0.2.3/24' }] }));
    });
    await eventually(
      () => (n1.session.messages.at(-1)?.overlayPeers.length ?? 0) > 0,
      () => JSON.stringify(n1.session.messages.map((m) => m.overlayPeers)),
    );
    expect(n1.session.messages.at(-1)?.overlayPeers).toEqual([
      { networkId: 'net', ip: '10.0.1.3', mac: '02:42:0a:00:01:03', nodeAddr: '127.0.0.1' },
    ]);
  });
});

describe('stop', () => {
  it('ends every stream UNAVAILABLE and refuses calls afterwards', async () => {
    const s = await served();
    const { session, id } = await connect(s, 'node1');
    const a = assignments(s, 'node1', id);
    await a.nth(0);
    await s.dispatcher.stop();
    await session.closed();
    await a.closed();
    expect(session.error?.code).toBe(grpc.status.UNAVAILABLE);
    expect(a.error?.code).toBe(grpc.status.UNAVAILABLE);
    expect((await failure(heartbeat(s, 'node1', id))).code).toBe(grpc.status.UNAVAILABLE);
  });
});
