/**
 * Shared helpers of the raft/node cluster tests: a key-value state machine, free loopback ports, and a
 * harness that starts RaftNodes on real LevelDB in temporary directories with insecure gRPC, stops
 * them, restarts them on their data, and describes the cluster when a wait times out.
 */
import * as grpc from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotLeaderError } from './errors.ts';
import { RaftNode, type RaftNodeOptions } from './node.ts';
import type { Member, StateMachine } from './types.ts';

/** A map of string keys to values; proposals are JSON `[key, value]` pairs (see `put`). */
export class KvMachine implements StateMachine {
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

/** The proposal that sets `k` to `v` in a KvMachine. */
export const put = (k: string, v: string): Uint8Array => Buffer.from(JSON.stringify([k, v]));

/** A loopback port free at the time of the call. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** One member of a test cluster: who it is, where its data lives, and its current run (if any). */
export interface TestMember {
  readonly member: Member;
  readonly dir: string;
  machine: KvMachine;
  node: RaftNode | null;
}

/** Options a test may set on top of the harness's. */
export type ExtraOptions = Partial<
  Pick<
    RaftNodeOptions,
    'bootstrap' | 'peers' | 'snapshotEveryEntries' | 'keepEntries' | 'forceNewCluster' | 'electionTicks'
  >
>;

/** Starts, stops and restarts members; call `cleanup` from afterEach. */
export class NodeHarness {
  readonly members: TestMember[] = [];
  private readonly key = { id: 'test', key: randomBytes(32) };
  private readonly creds = {
    client: grpc.credentials.createInsecure(),
    server: grpc.ServerCredentials.createInsecure(),
  };

  /** Bootstraps a cluster of `size` voters with ids '1'..'n' and waits for a leader. */
  async cluster(size: number, extra: ExtraOptions = {}): Promise<TestMember[]> {
    const members = await Promise.all(
      Array.from({ length: size }, async (_, i) => ({
        id: String(i + 1),
        addr: `127.0.0.1:${await freePort()}`,
      })),
    );
    const ms = members.map((member) => this.add(member));
    await Promise.all(ms.map((m) => this.run(m, { bootstrap: members, ...extra })));
    await this.eventually(() => this.leader() !== undefined, 'a leader');
    return ms;
  }

  /** Registers a member with a fresh data directory (not started). */
  add(member: Member): TestMember {
    const m: TestMember = {
      member,
      dir: mkdtempSync(join(tmpdir(), 'shoal-raftnode-')),
      machine: new KvMachine(),
      node: null,
    };
    this.members.push(m);
    return m;
  }

  /** Starts `m` on its data directory; `fresh` gives it an empty state machine (a real restart). */
  async run(m: TestMember, extra: ExtraOptions = {}, fresh = false): Promise<RaftNode> {
    if (m.node) throw new Error(`member ${m.member.id} is already running`);
    if (fresh) m.machine = new KvMachine();
    m.node = await RaftNode.start({
      id: m.member.id,
      addr: m.member.addr,
      dataDir: m.dir,
      key: this.key,
      credentials: this.creds,
      stateMachine: m.machine,
      tickMs: 20,
      ...extra,
    });
    return m.node;
  }

  /** Stops `m`'s node (its data stays). */
  async stop(m: TestMember): Promise<void> {
    const n = m.node;
    m.node = null;
    await n?.stop();
  }

  /** The running member that leads, if any. */
  leader(): TestMember | undefined {
    return this.members.find((m) => m.node?.isLeader());
  }

  /**
   * Proposes through whichever member leads, waiting for one and trying again when leadership moves
   * mid-proposal (a loaded machine can stall past the 20 ms ticks' election timeout). For tests whose
   * subject is not leadership itself.
   */
  async proposeOnLeader(data: Uint8Array, timeoutMs = 10_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const node = this.leader()?.node;
      try {
        if (node) {
          await node.propose(data);
          return;
        }
      } catch (err) {
        if (!(err instanceof NotLeaderError) || Date.now() > end) throw err;
      }
      if (Date.now() > end) throw new Error(`no leader to propose to\n${this.describe()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** The running members that do not lead. */
  followers(): TestMember[] {
    return this.members.filter((m) => m.node && !m.node.isLeader());
  }

  /** Waits for `cond`; on timeout the error carries every member's raft status. */
  async eventually(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!cond()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${this.describe()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** One line per member: role, term, commit, applied, voters. */
  describe(): string {
    return this.members
      .map((m) => {
        if (!m.node) return `${m.member.id}: stopped`;
        const st = m.node.status();
        return `${m.member.id}: ${st.role} term=${st.term} lead=${st.lead ?? '-'} commit=${st.commit} applied=${st.applied} voters=${m.node.voters().join(',')}`;
      })
      .join('\n');
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.members.map((m) => this.stop(m).catch(() => undefined)));
    for (const m of this.members.splice(0)) rmSync(m.dir, { recursive: true, force: true });
  }
}
