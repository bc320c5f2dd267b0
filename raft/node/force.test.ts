/**
 * `forceNewCluster` on real LevelDB and gRPC: a three-member cluster loses two members for good, and
 * the survivor comes back alone with every committed value (swarmkit's `swarm init --force-new-cluster`).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { NoClusterStateError } from '../core/index.ts';
import { NodeHarness, put, type ExtraOptions, type TestMember } from './node.testlib.ts';
import type { RaftNode } from './node.ts';

const VALUES = 25;

describe('RaftNode forceNewCluster', () => {
  const h = new NodeHarness();
  afterEach(() => h.cleanup());

  /** A 3-member cluster with VALUES committed writes everywhere; returns the members, leader first. */
  async function withValues(): Promise<TestMember[]> {
    // Small snapshots: the restart below rebuilds state from a snapshot plus the log after it.
    await h.cluster(3, { snapshotEveryEntries: 10, keepEntries: 2 });
    for (let i = 0; i < VALUES; i++) await h.proposeOnLeader(put(`k${i}`, String(i)));
    await h.eventually(
      () => h.members.every((m) => m.machine.map.size === VALUES),
      'every member to apply every value',
    );
    await h.eventually(() => h.leader() !== undefined, 'a leader');
    return [h.leader() as TestMember, ...h.followers()];
  }

  /** Stops `survivor`'s two peers for good, then restarts it with forceNewCluster. */
  async function force(survivor: TestMember, extra: ExtraOptions = {}): Promise<RaftNode> {
    for (const m of h.members) if (m !== survivor) await h.stop(m);
    await h.stop(survivor);
    const n = await h.run(survivor, { forceNewCluster: true, ...extra }, true);
    await h.eventually(() => n.isLeader(), 'the forced node to lead');
    return n;
  }

  it('leads alone with every committed value, drops the uncommitted tail, and accepts writes', async () => {
    const [leader] = await withValues();
    const survivor = leader as TestMember;
    for (const m of h.followers()) await h.stop(m);
    // Appended and persisted on the leader, but no quorum will ever acknowledge it.
    const lost = await (survivor.node as RaftNode).propose(put('lost', 'x'), 200).catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(Error);
    const n = await force(survivor);
    expect(n.voters()).toEqual([survivor.member.id]);
    expect(n.status().members).toEqual([survivor.member]);
    expect(survivor.machine.map.size).toBe(VALUES);
    expect(survivor.machine.map.get(`k${VALUES - 1}`)).toBe(String(VALUES - 1));
    expect(survivor.machine.map.has('lost')).toBe(false);
    await n.propose(put('after', 'force'));
    await n.readBarrier();
    expect(survivor.machine.map.get('after')).toBe('force');

    // A normal restart afterwards: still a one-member cluster that elects itself and takes writes.
    await h.stop(survivor);
    const again = await h.run(survivor, {}, true);
    await h.eventually(() => again.isLeader(), 'the one member to lead after a normal restart');
    expect(again.voters()).toEqual([survivor.member.id]);
    expect(survivor.machine.map.get('after')).toBe('force');
    expect(survivor.machine.map.size).toBe(VALUES + 1);
    await again.propose(put('restarted', 'yes'));
    expect(survivor.machine.map.get('restarted')).toBe('yes');
  });

  it('works from a follower, and the old members coming back cannot disturb the new cluster', async () => {
    const [, f] = await withValues();
    const survivor = f as TestMember;
    // Snapshots that compact the forced conf changes away: after the normal restart below, the
    // removed members are known only from the snapshot.
    const small = { snapshotEveryEntries: 4, keepEntries: 0 };
    const forced = await force(survivor, small);
    for (let i = 0; i < 6; i++) await forced.propose(put(`f${i}`, String(i)));
    await h.stop(survivor);
    const n = await h.run(survivor, small, true);
    await h.eventually(() => n.isLeader(), 'the one member to lead after a normal restart');
    const term = n.status().term;
    expect(survivor.machine.map.size).toBe(VALUES + 6);
    // The two old members return with their old addresses and old configuration. Together they are
    // a quorum of it (the split the operator accepted by forcing), but the new cluster ignores them.
    const old = h.members.filter((m) => m !== survivor);
    for (const m of old) await h.run(m);
    await h.eventually(() => old.some((m) => m.node?.isLeader()), 'the old members to elect a leader');
    // Leadership transfers push their term past the new cluster's: if the new leader heeded their
    // heartbeats it would step down to a higher term.
    let oldLeader = old.find((m) => m.node?.isLeader()) as TestMember;
    while ((oldLeader.node as RaftNode).status().term <= term) {
      const next = old.find((m) => m !== oldLeader) as TestMember;
      (oldLeader.node as RaftNode).transferLeadership(next.member.id);
      await h.eventually(() => next.node?.isLeader() === true, 'a leadership transfer among the old members');
      oldLeader = next;
    }
    await (oldLeader.node as RaftNode).propose(put('old', 'cluster'));
    await h.eventually(
      () => old.every((m) => m.machine.map.has('old')),
      'the old members to replicate among themselves',
    );
    await n.propose(put('new', 'cluster'));
    await n.readBarrier();
    expect(n.isLeader()).toBe(true);
    expect(n.status().term).toBe(term);
    expect(n.voters()).toEqual([survivor.member.id]);
    expect(survivor.machine.map.has('old')).toBe(false);
    expect(survivor.machine.map.get('new')).toBe('cluster');
    for (const m of old) expect(m.machine.map.has('new')).toBe(false);
  });

  it('refuses a data directory with no raft state', async () => {
    const m = h.add({ id: '1', addr: '127.0.0.1:1' });
    const err = await h.run(m, { forceNewCluster: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoClusterStateError);
  });
});
