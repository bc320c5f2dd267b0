/**
 * forceNewCluster (etcd's and swarmkit's --force-new-cluster): a member's persisted state rewritten into
 * a one-member cluster that keeps exactly what was committed (dissertation §4 membership, §5.4 safety
 * of committed entries).
 */
import { describe, expect, it } from 'vitest';
import { NoClusterStateError } from './errors.ts';
import { confStateAt, forceNewCluster } from './force.ts';
import { RawNode } from './rawnode.ts';
import { MemoryStorage } from './storage.ts';
import { seededRandom, TestCluster, type TestNode } from './testkit.ts';
import { decodeConfChange, encodeConfChange, nodeId, type ConfChange, type Entry } from './types.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();
const payloads = (n: TestNode): string[] =>
  n.applied.filter((e) => e.type === 'normal' && e.data.byteLength > 0).map((e) => dec.decode(e.data));
const cc = (c: ConfChange, term: number, index: number): Entry => ({
  term,
  index,
  type: 'confChange',
  data: encodeConfChange(c),
});

/** A three-member cluster whose leader '1' holds `a`, `b` committed and `lost` uncommitted. */
function lostQuorum(): TestCluster {
  const c = new TestCluster(['1', '2', '3']);
  const leader = c.elect('1');
  leader.raw.propose(enc.encode('a'));
  leader.raw.propose(enc.encode('b'));
  c.stabilize();
  c.isolate('2');
  c.isolate('3');
  leader.raw.propose(enc.encode('lost'));
  c.stabilize();
  return c;
}

/** Restarts node `id` of `c` on its own storage, as a driver does after a crash. */
function restart(c: TestCluster, id: string): TestNode {
  const n = c.node(id);
  n.raw = new RawNode({ id: n.id, storage: n.storage, random: seededRandom(7) });
  n.applied.length = 0;
  c.processReady(n);
  return n;
}

describe('forceNewCluster', () => {
  it('keeps the committed log, drops the uncommitted tail, and removes every other member', () => {
    const c = lostQuorum();
    const s = c.node('1').storage;
    const before = s.initialState().hardState;
    expect(s.lastIndex()).toBe(before.commit + 1); // 'lost' is stored but not committed
    const forced = forceNewCluster(s, nodeId('1'), enc.encode('10.0.0.1:4242'));
    expect(forced.previous).toEqual({ voters: ['1', '2', '3'], learners: [] });
    expect(forced.removed).toEqual(['2', '3']);
    expect(forced.discarded).toBe(1);
    expect(forced.hardState).toEqual({ term: before.term + 1, vote: null, commit: before.commit + 3 });
    expect(forced.entries.map((e) => [e.index, e.term])).toEqual([
      [before.commit + 1, before.term + 1],
      [before.commit + 2, before.term + 1],
      [before.commit + 3, before.term + 1],
    ]);
    const changes = forced.entries.map((e) => decodeConfChange(e.data));
    expect(changes.map((x) => [x.type, x.nodeId])).toEqual([
      ['addNode', '1'],
      ['removeNode', '2'],
      ['removeNode', '3'],
    ]);
    expect(dec.decode(changes[0]?.context)).toBe('10.0.0.1:4242');
  });

  it('restarts as the only voter with every committed entry, leads alone and commits new proposals', () => {
    const c = lostQuorum();
    const s = c.node('1').storage;
    const forced = forceNewCluster(s, nodeId('1'));
    s.append(forced.entries);
    s.setHardState(forced.hardState);
    const n = restart(c, '1');
    expect(n.raw.confState()).toEqual({ voters: ['1'], learners: [] });
    expect(payloads(n)).toEqual(['a', 'b']);
    n.raw.campaign();
    c.stabilize();
    expect(n.raw.status()).toMatchObject({ role: 'leader', lead: '1' });
    expect(n.raw.status().term).toBeGreaterThan(forced.hardState.term);
    n.raw.propose(enc.encode('c'));
    c.stabilize();
    expect(payloads(n)).toEqual(['a', 'b', 'c']);
  });

  it('survives a normal restart afterwards as a one-member cluster that elects itself', () => {
    const c = lostQuorum();
    const s = c.node('1').storage;
    const forced = forceNewCluster(s, nodeId('1'));
    s.append(forced.entries);
    s.setHardState(forced.hardState);
    restart(c, '1');
    const n = restart(c, '1');
    expect(n.raw.confState().voters).toEqual(['1']);
    c.tick('1', 40);
    c.stabilize();
    expect(n.raw.status().role).toBe('leader');
    expect(payloads(n)).toEqual(['a', 'b']);
  });

  it('works from a follower: it keeps what it knew committed and leads alone', () => {
    const c = lostQuorum();
    const s = c.node('2').storage;
    const forced = forceNewCluster(s, nodeId('2'));
    s.append(forced.entries);
    s.setHardState(forced.hardState);
    const n = restart(c, '2');
    n.raw.campaign();
    c.stabilize();
    expect(n.raw.status().role).toBe('leader');
    expect(payloads(n)).toEqual(['a', 'b']);
    expect(n.raw.confState()).toEqual({ voters: ['2'], learners: [] });
    // Its heartbeats go to no one: the old members are not in its configuration.
    c.queue = [];
    c.tick('2', 5);
    c.processReady(n);
    expect(c.queue).toEqual([]);
  });

  it('reads the membership from the snapshot and the committed conf changes after it', () => {
    const s = new MemoryStorage();
    const voters = ['1', '2', '3'].map(nodeId);
    s.applySnapshot({
      meta: { index: 5, term: 2, confState: { voters, learners: [nodeId('4')] } },
      data: new Uint8Array(0),
    });
    s.append([
      cc({ type: 'addLearner', nodeId: nodeId('5') }, 2, 6),
      cc({ type: 'removeNode', nodeId: nodeId('2') }, 2, 7),
      cc({ type: 'addNode', nodeId: nodeId('4') }, 3, 8), // uncommitted
    ]);
    s.setHardState({ term: 3, vote: null, commit: 7 });
    expect(confStateAt(s, 7)).toEqual({ voters: ['1', '3'], learners: ['4', '5'] });
    expect(confStateAt(s, 8)).toEqual({ voters: ['1', '3', '4'], learners: ['5'] });
    const forced = forceNewCluster(s, nodeId('3'));
    expect(forced.removed).toEqual(['1', '4', '5']);
    expect(forced.discarded).toBe(1);
    expect(forced.entries[0]?.index).toBe(8);
    expect(forced.hardState).toEqual({ term: 4, vote: null, commit: 11 });
  });

  it('makes a learner the only voter', () => {
    const s = MemoryStorage.bootstrap(['1', '2'].map(nodeId));
    s.append([cc({ type: 'addLearner', nodeId: nodeId('3') }, 1, 3)]);
    s.setHardState({ term: 1, vote: null, commit: 3 });
    const forced = forceNewCluster(s, nodeId('3'));
    s.append(forced.entries);
    s.setHardState(forced.hardState);
    const raw = new RawNode({ id: nodeId('3'), storage: s, random: seededRandom(1) });
    expect(raw.confState()).toEqual({ voters: ['3'], learners: [] });
  });

  it('refuses a node with no committed state', () => {
    expect(() => forceNewCluster(new MemoryStorage(), nodeId('1'))).toThrow(NoClusterStateError);
  });
});
