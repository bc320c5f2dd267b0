import * as grpc from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LeadershipLostError, NotLeaderError } from './errors.ts';
import { RaftNode } from './node.ts';
import type { Member, StateMachine } from './types.ts';

class KvMachine implements StateMachine {
  map = new Map<string, string>();
  apply(data: Uint8Array): void {
    const [k, v] = JSON.parse(Buffer.from(data).toString()) as [string, string];
    this.map.set(k, v);
  }
  snapshot(): Uint8Array {
    return Buffer.from(JSON.stringify([...this.map]));
  }
  restore(data: Uint8Array): void {
    this.map = new Map(JSON.parse(Buffer.from(data).toString() || '[]') as [string, string][]);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

async function eventually(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const put = (k: string, v: string): Uint8Array => Buffer.from(JSON.stringify([k, v]));

describe('RaftNode on loopback with LevelDB and gRPC', () => {
  const dirs: string[] = [];
  const nodes: RaftNode[] = [];
  const key = { id: 'test', key: randomBytes(32) };
  const creds = {
    client: grpc.credentials.createInsecure(),
    server: grpc.ServerCredentials.createInsecure(),
  };

  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((n) => n.stop().catch(() => undefined)));
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  async function start(
    member: Member,
    dir: string,
    sm: StateMachine,
    extra: { bootstrap?: Member[]; peers?: Member[]; snapshotEveryEntries?: number; keepEntries?: number },
  ): Promise<RaftNode> {
    const n = await RaftNode.start({
      id: member.id,
      addr: member.addr,
      dataDir: dir,
      key,
      credentials: creds,
      stateMachine: sm,
      tickMs: 20,
      ...extra,
    });
    nodes.push(n);
    return n;
  }

  async function cluster(
    size: number,
    snapshots: { snapshotEveryEntries?: number; keepEntries?: number } = {},
  ): Promise<{ members: Member[]; machines: KvMachine[]; dirs: string[]; nodes: RaftNode[] }> {
    const members = await Promise.all(
      Array.from({ length: size }, async (_, i) => ({
        id: String(i + 1),
        addr: `127.0.0.1:${await freePort()}`,
      })),
    );
    const machines = members.map(() => new KvMachine());
    const ds = members.map(() => mkdtempSync(join(tmpdir(), 'shoal-raftnode-')));
    dirs.push(...ds);
    const ns = await Promise.all(
      members.map((m, i) =>
        start(m, ds[i] as string, machines[i] as KvMachine, { bootstrap: members, ...snapshots }),
      ),
    );
    await eventually(() => ns.some((n) => n.isLeader()), 'a leader');
    return { members, machines, dirs: ds, nodes: ns };
  }

  it('elects a leader, commits proposals on every node, and serves linearizable read barriers', async () => {
    const c = await cluster(3);
    const leader = c.nodes.find((n) => n.isLeader()) as RaftNode;
    const index = await leader.propose(put('a', '1'));
    expect(index).toBeGreaterThan(3);
    await eventually(() => c.machines.every((m) => m.map.get('a') === '1'), 'replication');
    const follower = c.nodes.find((n) => !n.isLeader()) as RaftNode;
    await follower.readBarrier();
    expect(c.machines[c.nodes.indexOf(follower)]?.map.get('a')).toBe('1');
  });

  it('refuses a proposal on a follower with NotLeader naming the leader', async () => {
    const c = await cluster(3);
    const leader = c.nodes.find((n) => n.isLeader()) as RaftNode;
    const follower = c.nodes.find((n) => !n.isLeader()) as RaftNode;
    await eventually(() => follower.leader() !== null, 'the follower to know the leader');
    const err = await follower.propose(put('x', 'y')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotLeaderError);
    const me = c.members[c.nodes.indexOf(leader)] as Member;
    expect((err as NotLeaderError).leaderAddr).toBe(me.addr);
  });

  it('elects a new leader when the leader stops, and keeps every committed write', async () => {
    const c = await cluster(3);
    const leader = c.nodes.find((n) => n.isLeader()) as RaftNode;
    for (let i = 0; i < 20; i++) await leader.propose(put(`k${i}`, String(i)));
    await leader.stop();
    const rest = c.nodes.filter((n) => n !== leader);
    await eventually(() => rest.some((n) => n.isLeader()), 'a new leader');
    const next = rest.find((n) => n.isLeader()) as RaftNode;
    await next.propose(put('after', 'failover'));
    for (const n of rest) {
      const m = c.machines[c.nodes.indexOf(n)] as KvMachine;
      await eventually(() => m.map.get('after') === 'failover', 'the write after failover');
      expect(m.map.get('k19')).toBe('19');
    }
  });

  it('fails proposals pending on a leader as soon as it is deposed (not after the proposal timeout)', async () => {
    const c = await cluster(3);
    const leader = c.nodes.find((n) => n.isLeader()) as RaftNode;
    // Without its followers the leader cannot commit; CheckQuorum makes it step down within an
    // election timeout (10 ticks of 20 ms), far sooner than the 10 s proposal timeout.
    await Promise.all(c.nodes.filter((n) => n !== leader).map((n) => n.stop()));
    const t0 = Date.now();
    const err = await leader.propose(put('lost', 'maybe')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LeadershipLostError);
    expect((err as Error).message).toMatch(/lost leadership .* may or may not have taken effect/);
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it('restarts from disk with its state and rejoins', async () => {
    const c = await cluster(3);
    const leader = c.nodes.find((n) => n.isLeader()) as RaftNode;
    await leader.propose(put('durable', 'yes'));
    const i = c.nodes.findIndex((n) => n !== leader);
    const victim = c.nodes[i] as RaftNode;
    await eventually(() => c.machines[i]?.map.get('durable') === 'yes', 'replication');
    await victim.stop();
    await leader.propose(put('while-down', 'x'));
    const fresh = new KvMachine();
    const back = await start(c.members[i] as Member, c.dirs[i] as string, fresh, {});
    await eventually(
      () => fresh.map.get('durable') === 'yes' && fresh.map.get('while-down') === 'x',
      'catch-up after restart',
    );
    expect(
      back
        .status()
        .members.map((m) => m.id)
        .sort(),
    ).toEqual(['1', '2', '3']);
  });

  it('adds a learner that catches up from a snapshot, then promotes it to voter', async () => {
    const c = await cluster(3, { snapshotEveryEntries: 10, keepEntries: 2 });
    const leader = c.nodes.find((n) => n.isLeader()) as RaftNode;
    for (let i = 0; i < 30; i++) await leader.propose(put(`s${i}`, String(i)));
    const joiner: Member = { id: '4', addr: `127.0.0.1:${await freePort()}` };
    const dir = mkdtempSync(join(tmpdir(), 'shoal-raftnode-'));
    dirs.push(dir);
    const sm = new KvMachine();
    const lm = c.members[c.nodes.indexOf(leader)] as Member;
    const n4 = await start(joiner, dir, sm, { peers: [lm] });
    await leader.addMember(joiner, true);
    await eventually(() => sm.map.get('s29') === '29', 'the learner to catch up');
    expect(sm.map.size).toBe(30); // restored from the leader's snapshot, then the log
    await leader.promote('4');
    await eventually(() => leader.voters().includes('4' as never), 'promotion');
    expect(n4.status().role).toBe('follower');
  });
});
