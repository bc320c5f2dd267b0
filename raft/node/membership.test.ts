/**
 * Removing managers from raft (`swarm leave` on a manager, demotion): removeMember and the quorum check
 * canRemoveMember that swarmkit makes before a removal, on real LevelDB and gRPC.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { NodeHarness, put, type TestMember } from './node.testlib.ts';
import type { RaftNode } from './node.ts';

const running = (m: TestMember | undefined): RaftNode => {
  if (!m?.node) throw new Error('member not running');
  return m.node;
};

describe('RaftNode removeMember and canRemoveMember', () => {
  const h = new NodeHarness();
  afterEach(() => h.cleanup());

  it('removes a follower while the cluster keeps its quorum, and ignores it afterwards', async () => {
    await h.cluster(3);
    const leader = h.leader() as TestMember;
    const [gone, stays] = h.followers() as [TestMember, TestMember];
    const l = running(leader);
    await h.eventually(() => l.canRemoveMember(gone.member.id), 'the leader to hear from every follower');
    expect(running(gone).canRemoveMember(stays.member.id)).toBe(false); // only the leader can tell
    const term = l.status().term;
    await l.removeMember(gone.member.id);
    const voters = [leader.member.id, stays.member.id].sort();
    expect(l.voters().map(String).sort()).toEqual(voters);
    await h.eventually(
      () => running(stays).voters().map(String).sort().join() === voters.join(),
      'the other follower to apply the removal',
    );
    await l.propose(put('after', 'removal'));
    await h.eventually(
      () => stays.machine.map.get('after') === 'removal',
      'replication to the remaining follower',
    );
    expect(l.isLeader()).toBe(true);
    expect(l.status().term).toBe(term);
    expect(
      l
        .status()
        .members.map((m) => m.id)
        .sort(),
    ).toEqual(voters);
    expect(gone.machine.map.has('after')).toBe(false);
  });

  it('says a removal would lose the quorum when another voter is down, yet still allows it', async () => {
    await h.cluster(3);
    const leader = h.leader() as TestMember;
    const [down, live] = h.followers() as [TestMember, TestMember];
    const l = running(leader);
    await l.propose(put('before', 'x'));
    await h.eventually(() => l.canRemoveMember(live.member.id), 'the leader to hear from every follower');
    await h.stop(down);
    // Removing `live` would leave {leader, down}: 1 reachable of 2, below a quorum of 2.
    await h.eventually(() => !l.canRemoveMember(live.member.id), 'the leader to notice the stopped voter');
    expect(l.canRemoveMember(down.member.id)).toBe(true); // {leader, live}: both reachable
    expect(l.isLeader()).toBe(true);

    await l.removeMember(live.member.id); // committed by {leader, live} under the old configuration
    expect(l.voters().map(String).sort()).toEqual([leader.member.id, down.member.id].sort());
    const stuck = await l.propose(put('stuck', 'x'), 300).catch((e: unknown) => e);
    expect(stuck).toBeInstanceOf(Error);

    // The way back, as swarmkit documents it: force a new cluster from the survivor.
    await h.stop(leader);
    const n = await h.run(leader, { forceNewCluster: true }, true);
    await h.eventually(() => n.isLeader(), 'the forced node to lead');
    expect(leader.machine.map.get('before')).toBe('x');
    expect(leader.machine.map.has('stuck')).toBe(false);
    await n.propose(put('recovered', 'yes'));
  });

  it('never allows removing the last voter', async () => {
    await h.cluster(1);
    const n = running(h.leader());
    expect(n.canRemoveMember('1')).toBe(false);
    expect(n.canRemoveMember('9')).toBe(true); // not a member: the voters stay as they are
  });
});
