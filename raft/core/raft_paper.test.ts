/**
 * Tests tied to sections of the Raft paper (Ongaro & Ousterhout 2014) and the dissertation's
 * extensions, each on a small synchronous cluster (testkit.ts).
 */
import { describe, expect, it } from 'vitest';
import { ConfChangePendingError, ProposalDroppedError } from './errors.ts';
import { TestCluster } from './testkit.ts';
import { nodeId, type Message } from './types.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();
const payloads = (c: TestCluster, id: string): string[] =>
  c
    .node(id)
    .applied.filter((e) => e.type === 'normal' && e.data.byteLength > 0)
    .map((e) => dec.decode(e.data));

describe('§5.1 terms', () => {
  it('a node that sees a higher term adopts it and becomes a follower', () => {
    const c = new TestCluster(['1', '2', '3']);
    c.elect('1');
    c.node('2').raw.step({
      type: 'heartbeat',
      from: nodeId('3'),
      to: nodeId('2'),
      term: 9,
      commit: 0,
      context: null,
    });
    expect(c.node('2').raw.status()).toMatchObject({ term: 9, role: 'follower', lead: '3' });
  });

  it('rejects messages from a stale term (the stale leader learns the new term and steps down)', () => {
    const c = new TestCluster(['1', '2', '3']);
    c.elect('1');
    c.isolate('1');
    c.elect('2');
    c.heal();
    c.node('1').raw.propose(enc.encode('stale'));
    c.stabilize();
    expect(c.node('1').raw.status().role).toBe('follower');
    expect(c.node('1').raw.status().term).toBe(c.node('2').raw.status().term);
    expect(payloads(c, '3')).not.toContain('stale');
  });
});

describe('§5.2 leader election', () => {
  it('elects a leader with a majority of votes after an election timeout', () => {
    const c = new TestCluster(['1', '2', '3'], { seed: 3 });
    c.tickAll(30);
    const leaders = [...c.nodes.values()].filter((n) => n.raw.status().role === 'leader');
    expect(leaders).toHaveLength(1);
  });

  it('votes for at most one candidate per term', () => {
    const c = new TestCluster(['1', '2', '3'], { preVote: false });
    c.stabilize();
    c.node('1').raw.campaign();
    c.node('2').raw.campaign();
    c.stabilize();
    const st = [...c.nodes.values()].map((n) => n.raw.status());
    const leaders = st.filter((s) => s.role === 'leader');
    expect(leaders.length).toBeLessThanOrEqual(1);
    const votesInTerm2 = st.filter((s) => s.term === 2).map((s) => s.vote);
    expect(new Set(votesInTerm2.filter((v) => v !== null)).size).toBeLessThanOrEqual(2);
  });

  it('draws election timeouts in [ET, 2·ET) from the injected PRNG, so a seed replays exactly', () => {
    const run = (seed: number): string => {
      const c = new TestCluster(['1', '2', '3', '4', '5'], { seed });
      c.tickAll(60);
      return c.trace.join('\n');
    };
    expect(run(11)).toBe(run(11));
    expect(run(11)).not.toBe(run(12));
  });

  it('a single node never campaigns before ET ticks and always by 2·ET', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const c = new TestCluster(['1'], { seed, electionTicks: 10 });
      c.stabilize();
      let ticks = 0;
      while (c.node('1').raw.status().role !== 'leader') {
        c.tickAll(1);
        ticks++;
      }
      expect(ticks).toBeGreaterThanOrEqual(10);
      expect(ticks).toBeLessThan(20);
    }
  });
});

describe('§5.3 log replication', () => {
  it('replicates proposals to every follower and applies them in order', () => {
    const c = new TestCluster(['1', '2', '3']);
    c.elect('1');
    for (const p of ['a', 'b', 'c']) c.node('1').raw.propose(enc.encode(p));
    c.stabilize();
    for (const id of ['1', '2', '3']) expect(payloads(c, id)).toEqual(['a', 'b', 'c']);
  });

  it('followers forward proposals to the leader', () => {
    const c = new TestCluster(['1', '2', '3']);
    c.elect('1');
    c.node('3').raw.propose(enc.encode('from-3'));
    c.stabilize();
    expect(payloads(c, '2')).toEqual(['from-3']);
  });

  it('repairs a follower whose log diverged (log matching: the leader overwrites the conflicting suffix)', () => {
    const c = new TestCluster(['1', '2', '3']);
    c.elect('1');
    c.node('1').raw.propose(enc.encode('shared'));
    c.stabilize();
    c.isolate('1');
    c.node('1').raw.propose(enc.encode('lost-1'));
    c.node('1').raw.propose(enc.encode('lost-2'));
    c.stabilize();
    c.heal();
    c.isolate('1');
    c.elect('2');
    c.node('2').raw.propose(enc.encode('kept'));
    c.stabilize();
    c.heal();
    c.node('2').raw.propose(enc.encode('after'));
    c.stabilize();
    c.tickAll(3); // the next heartbeat round reaches the deposed leader, which then catches up
    for (const id of ['1', '2', '3']) expect(payloads(c, id)).toEqual(['shared', 'kept', 'after']);
    const logs = ['1', '2', '3'].map((id) =>
      c.node(id).storage.entries(1, c.node(id).storage.lastIndex() + 1, Infinity),
    );
    expect(logs[0]).toEqual(logs[1]);
    expect(logs[1]).toEqual(logs[2]);
  });
});

describe('§5.4 safety', () => {
  it('§5.4.1 a candidate with a less up-to-date log cannot win', () => {
    const c = new TestCluster(['1', '2', '3'], { preVote: false });
    c.elect('1');
    c.isolate('3');
    c.node('1').raw.propose(enc.encode('x'));
    c.stabilize();
    c.heal();
    c.isolate('1');
    c.node('3').raw.campaign();
    c.stabilize();
    expect(c.node('3').raw.status().role).not.toBe('leader');
  });

  it('§5.4.2 a new leader commits entries of earlier terms only through an entry of its own term', () => {
    const c = new TestCluster(['1', '2', '3']);
    c.elect('1');
    // Entry reaches only node 2 before the leader is cut off.
    c.filter = (m: Message) => m.from === '1' && m.to === '3';
    c.node('1').raw.propose(enc.encode('old-term'));
    c.stabilize();
    c.heal();
    c.isolate('1');
    c.elect('2');
    // The new leader's empty entry commits it.
    expect(payloads(c, '2')).toEqual(['old-term']);
    expect(c.node('2').applied.at(-1)?.term).toBe(c.node('2').raw.status().term);
  });
});

describe('§6 membership changes (single server, learners)', () => {
  it('adds a learner that catches up without voting, then promotes it', () => {
    const c = new TestCluster(['1', '2', '3', '4'], {}, ['1', '2', '3']);
    c.elect('1');
    for (let i = 0; i < 5; i++) c.node('1').raw.propose(enc.encode(`e${i}`));
    c.stabilize();
    c.node('1').raw.proposeConfChange({ type: 'addLearner', nodeId: nodeId('4') });
    c.stabilize();
    c.tickAll(3);
    expect(payloads(c, '4')).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);
    expect(c.node('1').raw.confState()).toEqual({ voters: ['1', '2', '3'], learners: ['4'] });
    // A learner does not count: with 2 and 3 gone, nothing commits.
    c.isolate('2');
    c.isolate('3');
    c.node('1').raw.propose(enc.encode('needs-quorum'));
    c.stabilize();
    expect(payloads(c, '4')).not.toContain('needs-quorum');
    c.heal();
    c.stabilize();
    c.node('1').raw.proposeConfChange({ type: 'addNode', nodeId: nodeId('4') });
    c.stabilize();
    expect(c.node('1').raw.confState()).toEqual({ voters: ['1', '2', '3', '4'], learners: [] });
  });

  it('refuses a second membership change while one is pending', () => {
    const c = new TestCluster(['1', '2', '3', '4'], {}, ['1', '2', '3']);
    c.elect('1');
    c.node('1').raw.proposeConfChange({ type: 'addLearner', nodeId: nodeId('4') });
    expect(() => c.node('1').raw.proposeConfChange({ type: 'removeNode', nodeId: nodeId('3') })).toThrow(
      ConfChangePendingError,
    );
    c.stabilize();
    expect(() =>
      c.node('1').raw.proposeConfChange({ type: 'removeNode', nodeId: nodeId('3') }),
    ).not.toThrow();
  });

  it('a removed member is no longer counted for commitment', () => {
    const c = new TestCluster(['1', '2', '3']);
    c.elect('1');
    c.node('1').raw.proposeConfChange({ type: 'removeNode', nodeId: nodeId('3') });
    c.stabilize();
    c.isolate('3');
    c.node('1').raw.propose(enc.encode('two-of-two'));
    c.stabilize();
    expect(payloads(c, '2')).toEqual(['two-of-two']);
  });
});

describe('§7 log compaction and InstallSnapshot', () => {
  it('sends a snapshot to a follower that lags behind the compacted log', () => {
    const c = new TestCluster(['1', '2', '3']);
    c.elect('1');
    c.isolate('3');
    for (let i = 0; i < 10; i++) c.node('1').raw.propose(enc.encode(`v${i}`));
    c.stabilize();
    const leader = c.node('1');
    const applied = leader.raw.status().applied;
    leader.storage.createSnapshot(applied, leader.raw.confState(), enc.encode('state-at-' + applied));
    leader.storage.compact(applied);
    c.heal();
    c.tickAll(3);
    const follower = c.node('3');
    expect(dec.decode(follower.storage.snapshot().data)).toBe(`state-at-${applied}`);
    leader.raw.reportSnapshot(nodeId('3'), 'finish');
    c.node('1').raw.propose(enc.encode('after-snapshot'));
    c.stabilize();
    c.tickAll(2);
    expect(follower.raw.status().commit).toBe(leader.raw.status().commit);
    expect(payloads(c, '3')).toEqual(['after-snapshot']);
  });
});

describe('§8 client interaction: linearizable reads (ReadIndex)', () => {
  it('the leader answers after a heartbeat round with its commit index', () => {
    const c = new TestCluster(['1', '2', '3']);
    c.elect('1');
    c.node('1').raw.propose(enc.encode('w'));
    c.stabilize();
    c.node('1').raw.readIndex(enc.encode('r'));
    c.stabilize();
    expect(c.node('1').readStates.map((r) => [r.index, dec.decode(r.requestCtx)])).toEqual([
      [c.node('1').raw.status().commit, 'r'],
    ]);
  });

  it('a follower forwards the read to the leader and gets the index back', () => {
    const c = new TestCluster(['1', '2', '3']);
    c.elect('1');
    c.node('3').raw.readIndex(enc.encode('f'));
    c.stabilize();
    expect(c.node('3').readStates).toHaveLength(1);
    expect(c.node('3').readStates[0]?.index).toBe(c.node('1').raw.status().commit);
  });

  it('a leader cut off from the quorum never answers a read', () => {
    const c = new TestCluster(['1', '2', '3']);
    c.elect('1');
    c.isolate('1');
    c.node('1').raw.readIndex(enc.encode('stale?'));
    c.stabilize();
    expect(c.node('1').readStates).toEqual([]);
  });

  it('a new leader defers reads until it has committed an entry of its term', () => {
    const c = new TestCluster(['1', '2', '3']);
    c.stabilize();
    c.filter = (m) => m.type === 'appResp';
    c.node('1').raw.campaign();
    c.stabilize();
    expect(c.node('1').raw.status().role).toBe('leader');
    c.node('1').raw.readIndex(enc.encode('early'));
    c.stabilize();
    expect(c.node('1').readStates).toEqual([]);
    c.heal();
    c.tickAll(2);
    expect(c.node('1').readStates.map((r) => dec.decode(r.requestCtx))).toEqual(['early']);
  });
});

describe('PreVote and CheckQuorum', () => {
  it('a partitioned node rejoining does not disrupt the leader (PreVote)', () => {
    const c = new TestCluster(['1', '2', '3']);
    c.elect('1');
    const term = c.node('1').raw.status().term;
    c.isolate('3');
    c.tickAll(50);
    expect(c.node('3').raw.status().term).toBe(term);
    c.heal();
    c.tickAll(5);
    expect(c.node('1').raw.status()).toMatchObject({ role: 'leader', term });
  });

  it('without PreVote the same rejoin forces a new election', () => {
    const c = new TestCluster(['1', '2', '3'], { preVote: false, checkQuorum: false });
    c.elect('1');
    const term = c.node('1').raw.status().term;
    c.isolate('3');
    c.tickAll(50);
    expect(c.node('3').raw.status().term).toBeGreaterThan(term);
  });

  it('a leader that cannot hear from a quorum steps down within an election timeout (CheckQuorum)', () => {
    const c = new TestCluster(['1', '2', '3']);
    c.elect('1');
    c.isolate('1');
    c.tickAll(25);
    expect(c.node('1').raw.status().role).not.toBe('leader');
  });
});

describe('leadership transfer', () => {
  it('hands leadership to a caught-up follower', () => {
    const c = new TestCluster(['1', '2', '3']);
    c.elect('1');
    c.node('1').raw.transferLeadership(nodeId('3'));
    c.stabilize();
    expect(c.node('3').raw.status().role).toBe('leader');
    expect(c.node('1').raw.status().role).toBe('follower');
  });

  it('refuses proposals while a transfer is under way, and aborts after an election timeout', () => {
    const c = new TestCluster(['1', '2', '3']);
    c.elect('1');
    c.isolate('3');
    c.node('1').raw.propose(enc.encode('x'));
    c.stabilize();
    c.node('1').raw.transferLeadership(nodeId('3'));
    expect(() => c.node('1').raw.propose(enc.encode('y'))).toThrow(ProposalDroppedError);
    c.tickAll(12);
    expect(c.node('1').raw.status()).toMatchObject({ role: 'leader', leadTransferee: null });
    expect(() => c.node('1').raw.propose(enc.encode('z'))).not.toThrow();
  });
});

describe('flow control', () => {
  it('caps unacknowledged appends per follower at maxInflightMsgs', () => {
    const c = new TestCluster(['1', '2'], { maxInflightMsgs: 3 });
    c.elect('1');
    c.filter = (m) => m.type === 'appResp';
    for (let i = 0; i < 10; i++) c.node('1').raw.propose(enc.encode(`p${i}`));
    const before = c.trace.length;
    c.stabilize();
    const appends = c.trace.slice(before).filter((t) => t.startsWith('1>2 app'));
    expect(appends.length).toBeLessThanOrEqual(3);
  });

  it('splits appends at maxSizePerMsgBytes', () => {
    const c = new TestCluster(['1', '2'], { maxSizePerMsgBytes: 100 });
    c.elect('1');
    c.filter = (m) => m.type === 'app' && m.entries.length > 2;
    for (let i = 0; i < 6; i++) c.node('1').raw.propose(new Uint8Array(60));
    c.stabilize();
    c.tickAll(5);
    expect(c.node('2').applied.filter((e) => e.data.byteLength === 60)).toHaveLength(6);
  });

  it('refuses proposals past maxUncommittedEntriesBytes with an error instead of queueing', () => {
    const c = new TestCluster(['1', '2', '3'], { maxUncommittedEntriesBytes: 1000 });
    c.elect('1');
    c.isolate('1');
    c.node('1').raw.propose(new Uint8Array(600));
    expect(() => c.node('1').raw.propose(new Uint8Array(600))).toThrow(ProposalDroppedError);
    expect(() => c.node('1').raw.propose(new Uint8Array(600))).toThrow('uncommittedLimit');
  });

  it('refuses proposals when no leader is known', () => {
    const c = new TestCluster(['1', '2', '3']);
    c.stabilize();
    expect(() => c.node('2').raw.propose(enc.encode('x'))).toThrow('noLeader');
  });
});
