/**
 * Managers assembled as shoald runs them: `init`, two `join`s with the manager token (raft membership
 * through the leader over mTLS), one raft log carrying both the object store and the CA state, the
 * leader's loops started on the leader only and moved when the leader dies, and a restart from disk.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Manager, type LeaderFactory } from '../manager/manager.ts';
import { blank } from '../manager/store/memory.ts';
import { newId } from '../proto/shared/ids.ts';
import { eventually, freePort } from './harness.ts';

describe('managers: init, join, one log for store and CA, leader loops follow the leader', () => {
  const root = mkdtempSync(join(tmpdir(), 'shoal-managers-'));
  const managers: Manager[] = [];
  const running = new Set<string>();
  const leaderLoops: LeaderFactory = (ctx) => ({
    components: [
      {
        start: () => running.add(ctx.identity.nodeId),
        stop: () => {
          running.delete(ctx.identity.nodeId);
          return Promise.resolve();
        },
      },
    ],
    services: {},
  });
  const roots = new Map<string, { dataRoot: string; addr: string; tickMs: number }>();
  const opts = async (name: string) => ({
    dataRoot: join(root, name),
    addr: `127.0.0.1:${await freePort()}`,
    tickMs: 50,
    leader: leaderLoops,
  });
  const remember = (m: Manager, o: { dataRoot: string; addr: string }): Manager => {
    roots.set(m.nodeId, { dataRoot: o.dataRoot, addr: o.addr, tickMs: 50 });
    return m;
  };

  afterAll(async () => {
    await Promise.all(managers.map((m) => m.stop().catch(() => undefined)));
    rmSync(root, { recursive: true, force: true });
  });

  const leader = (): Manager | undefined => managers.find((m) => m.isLeader());

  it('a swarm of three managers replicates the store and the CA', async () => {
    const o0 = await opts('m0');
    const first = remember(await Manager.init(o0), o0);
    managers.push(first);
    const token = first.ca.state.joinTokens.manager;
    const o1 = await opts('m1');
    managers.push(remember(await Manager.join({ ...o1, remoteAddr: first.addr, token }), o1));
    const o2 = await opts('m2');
    managers.push(remember(await Manager.join({ ...o2, remoteAddr: o1.addr, token }), o2));
    await eventually(() => managers.every((m) => m.raft.status().members.length === 3), 'three members');
    const s = blank('service');
    s.id = newId<'service'>();
    s.spec = { ...(blank('service').spec ?? {}), name: 'web' } as typeof s.spec;
    await (leader() as Manager).store.update((tx) => tx.create('service', s));
    await eventually(
      () => managers.every((m) => m.store.find('service', { name: 'web' }).length === 1 && m.ca.initialised),
      'the service and the CA state on every manager',
    );
    expect(new Set(managers.map((m) => m.ca.state.clusterId)).size).toBe(1);
    await eventually(
      () => running.size === 1 && running.has(leader()?.nodeId ?? ''),
      'loops on the leader only',
    );
  });

  it('when the leader stops, the loops start on the new leader', async () => {
    const old = leader() as Manager;
    await old.stop();
    managers.splice(managers.indexOf(old), 1);
    await eventually(
      () => {
        const l = leader();
        return l !== undefined && running.size === 1 && running.has(l.nodeId);
      },
      'the loops on the new leader',
      () => `running on ${[...running].join(',')}; leader ${leader()?.nodeId ?? 'none'}`,
    );
    // the stopped manager comes back from its data root and catches up
    const back = await Manager.open({ ...roots.get(old.nodeId)!, leader: leaderLoops });
    managers.push(back);
    const s = blank('service');
    s.id = newId<'service'>();
    s.spec = { ...(blank('service').spec ?? {}), name: 'api' } as typeof s.spec;
    await eventually(() => leader() !== undefined, 'a leader');
    await (leader() as Manager).store.update((tx) => tx.create('service', s));
    await eventually(
      () =>
        back.store.find('service', { name: 'api' }).length === 1 &&
        back.store.find('service', { name: 'web' }).length === 1,
      'the restarted manager to have both services',
    );
    expect(back.nodeId).toBe(old.nodeId);
  });
});
