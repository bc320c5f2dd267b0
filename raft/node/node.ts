/**
 * RaftNode: the async driver around the pure core. It alone owns time (a ticker), the disk (durable
 * storage) and the network (the gRPC transport). Each Ready is handled in the order the core demands:
 * persist in one synced write, then send, then apply, then advance.
 *
 * The API the manager's store uses: `propose(bytes)` resolves once the entry is committed and applied
 * here (or rejects with NotLeaderError naming the leader, or RaftTimeoutError); `readBarrier()` for
 * linearizable reads; membership changes with learners; `leaderChange` events; snapshots of the
 * application's state through the StateMachine hooks.
 */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from '../../proto/shared/log.ts';
import { silentLogger } from '../../proto/shared/log.ts';
import {
  ConfChangePendingError,
  decodeConfChange,
  encodeConfChange,
  forceNewCluster,
  nodeId,
  ProposalDroppedError,
  RawNode,
  type ConfChange,
  type Entry,
  type Message,
  type NodeId,
  type Ready,
  type Status,
} from '../core/index.ts';
import { RaftTransport } from '../transport/index.ts';
import { fromWire, toWire } from './codec.ts';
import {
  LeadershipLostError,
  MembershipError,
  NotLeaderError,
  RaftStoppedError,
  RaftTimeoutError,
} from './errors.ts';
import { openLog, type DurableLog, type EncryptionKey } from './log.ts';
import { decodeSnapshotData, encodeSnapshotData } from './snapshot-data.ts';
import type { Member, StateMachine } from './types.ts';

export type { Member, StateMachine } from './types.ts';

export interface RaftNodeOptions {
  readonly id: string;
  /** The address peers dial to reach this node's raft transport. */
  readonly addr: string;
  /** Where to bind the transport (defaults to `addr`). */
  readonly listen?: string;
  readonly dataDir: string;
  readonly key: EncryptionKey;
  readonly credentials: {
    readonly client: grpc.ChannelCredentials;
    readonly server: grpc.ServerCredentials;
    readonly channelOptions?: grpc.ChannelOptions;
  };
  readonly stateMachine: StateMachine;
  /** Adds the manager's other cluster services (CA, dispatcher, control) to the raft server. */
  readonly services?: (server: grpc.Server) => void;
  /** Only for the first start of a brand-new cluster: its initial voters (including this node). */
  readonly bootstrap?: readonly Member[];
  /** Peers to reach before the log says who the members are (a joining node's leader). */
  readonly peers?: readonly Member[];
  /**
   * `swarm init --force-new-cluster`: recover from a quorum lost for good. On start, after loading the
   * persisted state, everything after the persisted commit index is discarded and committed
   * membership changes of a new term are written (durably, before anything else) that make this node
   * the only voter and remove every other member; then it campaigns as soon as it has re-applied the
   * committed log, and leads alone. Removed members' messages are ignored from then on. Later starts
   * without the flag stay a one-member cluster. `peers` is ignored. Fails with NoClusterStateError
   * when the data directory holds no committed state.
   */
  readonly forceNewCluster?: boolean;
  readonly tickMs?: number;
  readonly electionTicks?: number;
  readonly heartbeatTicks?: number;
  readonly snapshotEveryEntries?: number;
  readonly keepEntries?: number;
  readonly log?: Logger;
}

type NodeSettings = { [K in keyof typeof RAFT_NODE_DEFAULTS]: number };

export const RAFT_NODE_DEFAULTS = Object.freeze({
  tickMs: 100,
  electionTicks: 10,
  heartbeatTicks: 1,
  snapshotEveryEntries: 10_000,
  keepEntries: 500,
  proposeTimeoutMs: 10_000,
  readTimeoutMs: 5_000,
});

interface Waiter {
  resolve: (index: number) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

const PROPOSAL_ID_BYTES = 16;

export interface RaftNodeEvents {
  leaderChange: [leader: Member | null, term: number];
  fatal: [err: Error];
}

export class RaftNode extends EventEmitter<RaftNodeEvents> {
  private raw!: RawNode;
  private readonly transport: RaftTransport;
  private readonly members = new Map<string, string>();
  /** Members removed by a committed membership change: their messages are dropped (swarmkit's IsIDRemoved). */
  private readonly removed = new Set<string>();
  /** Set by forceNewCluster: campaign once every committed entry is applied (the core refuses before). */
  private campaignWhenApplied = false;
  private readonly proposals = new Map<string, Waiter>();
  private readonly reads = new Map<string, Waiter & { index?: number }>();
  private readonly salt = randomBytes(8);
  private seq = 0n;
  private ticker: NodeJS.Timeout | undefined;
  private processing = false;
  private again = false;
  private stopped = false;
  private appliedIndex = 0;
  private lastLeader: string | null = null;
  private readonly log: Logger;
  private readonly settings: NodeSettings;

  private constructor(
    private readonly o: RaftNodeOptions,
    private readonly storage: DurableLog,
  ) {
    super();
    this.log = (o.log ?? silentLogger()).child({ component: 'raft', raftId: o.id });
    this.settings = { ...RAFT_NODE_DEFAULTS, ...pickDefined(o) };
    this.transport = new RaftTransport({
      selfId: o.id,
      credentials: o.credentials,
      log: this.log,
      onMessages: (batch) => this.receive(batch.map((m) => fromWire(m))),
      onSnapshot: (msg, data) => {
        this.receive([fromWire(msg, data)]);
        return Promise.resolve();
      },
      onUnreachable: (peer) => this.raw.reportUnreachable(nodeId(peer)),
      onSnapshotStatus: (peer, status) => {
        this.raw.reportSnapshot(nodeId(peer), status);
        this.kick();
      },
    });
  }

  /** Opens (or bootstraps) the node's storage, starts the transport and the ticker. */
  static async start(o: RaftNodeOptions): Promise<RaftNode> {
    const storage = await openLog(o.dataDir, o.key, o.log);
    const node = new RaftNode(o, storage);
    try {
      await node.init();
    } catch (err) {
      await storage.close();
      throw err;
    }
    return node;
  }

  private async init(): Promise<void> {
    const o = this.o;
    if (this.storage.lastIndex() === 0 && o.bootstrap) await this.writeBootstrap(o.bootstrap);
    if (o.forceNewCluster) await this.forceNewCluster();
    const snap = this.storage.snapshot();
    if (snap.meta.index > 0) this.restoreSnapshot(snap.data);
    this.appliedIndex = snap.meta.index;
    if (!o.forceNewCluster) for (const p of o.peers ?? []) this.members.set(p.id, p.addr);
    this.raw = new RawNode({
      id: nodeId(o.id),
      storage: this.storage.core,
      random: Math.random,
      electionTicks: this.settings.electionTicks,
      heartbeatTicks: this.settings.heartbeatTicks,
      applied: snap.meta.index,
    });
    await this.transport.listen(o.listen ?? o.addr, o.services);
    this.transport.start();
    this.syncPeers();
    this.ticker = setInterval(() => {
      this.raw.tick();
      this.kick();
    }, this.settings.tickMs);
    this.ticker.unref();
    this.kick();
  }

  private async writeBootstrap(members: readonly Member[]): Promise<void> {
    const entries: Entry[] = [...members]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((m, i) => ({
        term: 1,
        index: i + 1,
        type: 'confChange',
        data: encodeConfChange({
          type: 'addNode',
          nodeId: nodeId(m.id),
          context: new TextEncoder().encode(m.addr),
        }),
      }));
    await this.storage.save({ entries, hardState: { term: 1, vote: null, commit: entries.length } });
  }

  /**
   * Rewrites the persisted state into a one-member cluster of this node (core's forceNewCluster) in
   * one synced write. The new entries are committed; they are applied, with the rest of the committed
   * log, by the first Ready as on any restart.
   */
  private async forceNewCluster(): Promise<void> {
    const forced = forceNewCluster(
      this.storage.core,
      nodeId(this.o.id),
      new TextEncoder().encode(this.o.addr),
    );
    await this.storage.save({ entries: forced.entries, hardState: forced.hardState });
    for (const id of forced.removed) this.removed.add(id);
    this.campaignWhenApplied = true;
    this.log.warn(
      {
        removed: forced.removed,
        discarded: forced.discarded,
        term: forced.hardState.term,
        commit: forced.hardState.commit,
      },
      'forcing a new one-member raft cluster: every other member removed',
    );
  }

  // ---- public API ----

  /** Proposes `data`; resolves with its log index once committed and applied on this node. */
  propose(data: Uint8Array, timeoutMs = this.settings.proposeTimeoutMs): Promise<number> {
    if (this.stopped) return Promise.reject(new RaftStoppedError());
    if (this.raw.status().role !== 'leader') return Promise.reject(this.notLeader());
    const id = this.nextId();
    const key = id.toString('hex');
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.proposals.delete(key);
        reject(new RaftTimeoutError('proposal', timeoutMs));
      }, timeoutMs);
      this.proposals.set(key, { resolve, reject, timer });
      try {
        this.raw.propose(Buffer.concat([id, data]));
      } catch (err) {
        clearTimeout(timer);
        this.proposals.delete(key);
        reject(err instanceof ProposalDroppedError ? this.notLeader(err.message) : toError(err));
        return;
      }
      this.kick();
    });
  }

  /** Resolves once this node has applied everything committed before the call (a linearizable read point). */
  readBarrier(timeoutMs = this.settings.readTimeoutMs): Promise<void> {
    if (this.stopped) return Promise.reject(new RaftStoppedError());
    const ctx = this.nextId();
    const key = ctx.toString('hex');
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.reads.delete(key);
        reject(new RaftTimeoutError('read barrier', timeoutMs));
      }, timeoutMs);
      this.reads.set(key, { resolve: () => resolve(), reject, timer });
      try {
        this.raw.readIndex(ctx);
      } catch (err) {
        clearTimeout(timer);
        this.reads.delete(key);
        reject(err instanceof ProposalDroppedError ? this.notLeader() : toError(err));
        return;
      }
      this.kick();
    });
  }

  /** Adds a member as a learner (it catches up without voting) or directly as a voter. */
  addMember(member: Member, asLearner = true): Promise<void> {
    return this.changeMembership({
      type: asLearner ? 'addLearner' : 'addNode',
      nodeId: nodeId(member.id),
      context: new TextEncoder().encode(member.addr),
    });
  }

  /** Makes a learner a voter. */
  promote(id: string): Promise<void> {
    const addr = this.members.get(id) ?? '';
    return this.changeMembership({
      type: 'addNode',
      nodeId: nodeId(id),
      context: new TextEncoder().encode(addr),
    });
  }

  /**
   * Whether removing `id` leaves a quorum of the remaining voters reachable (swarmkit's
   * CanRemoveMember): with V voters left after the removal, at least ⌊V/2⌋+1 of them must be reachable.
   * Reachable means the leader itself, or a follower the leader heard from within the last one to two
   * election timeouts (leader progress). Removing a learner or a non-member leaves the voters as they
   * are. False on a follower (only the leader knows; removals go through it) and for the last voter.
   * Advisory: removeMember does not call it, so a caller that must not lose quorum asks first.
   */
  canRemoveMember(id: string): boolean {
    const st = this.raw.status();
    if (st.role !== 'leader') return false;
    const remaining = [...st.progress].filter(([v, p]) => !p.learner && v !== id).map(([, p]) => p);
    if (remaining.length === 0) return false;
    const reachable = remaining.filter((p) => p.active).length;
    return reachable >= Math.floor(remaining.length / 2) + 1;
  }

  /**
   * Removes `id` (voter or learner) through a committed membership change; resolves once applied here.
   * Leader only (NotLeaderError), one change at a time (MembershipError). It does not refuse a removal
   * that leaves too few reachable voters for a quorum — see canRemoveMember. From then on this node
   * ignores the removed member's messages.
   */
  removeMember(id: string): Promise<void> {
    return this.changeMembership({ type: 'removeNode', nodeId: nodeId(id) });
  }

  private async changeMembership(cc: ConfChange): Promise<void> {
    if (this.raw.status().role !== 'leader') throw this.notLeader();
    const before = this.appliedIndex;
    try {
      this.raw.proposeConfChange(cc);
    } catch (err) {
      if (err instanceof ConfChangePendingError) throw new MembershipError(err.message);
      if (err instanceof ProposalDroppedError) throw this.notLeader();
      throw err;
    }
    this.kick();
    const deadline = Date.now() + this.settings.proposeTimeoutMs;
    const lastIndex = this.raw.status().lastIndex;
    while (this.appliedIndex < lastIndex && this.appliedIndex >= before) {
      if (Date.now() > deadline)
        throw new RaftTimeoutError('membership change', this.settings.proposeTimeoutMs);
      if (this.stopped) throw new RaftStoppedError();
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /**
   * Re-encrypts this node's raft data under a new data key (autolock turned on, or a DEK rotation).
   * Once it resolves, only `key` opens the log: the caller then makes `key` the node's DEK.
   */
  async rekey(key: EncryptionKey): Promise<void> {
    if (this.stopped) throw new RaftStoppedError();
    await this.storage.rekey(key);
  }

  transferLeadership(to: string): void {
    this.raw.transferLeadership(nodeId(to));
    this.kick();
  }

  isLeader(): boolean {
    return this.raw.status().role === 'leader';
  }

  leader(): Member | null {
    const lead = this.raw.status().lead;
    if (lead === null) return null;
    return { id: lead, addr: lead === this.o.id ? this.o.addr : (this.members.get(lead) ?? '') };
  }

  status(): Status & { applied: number; members: Member[] } {
    return {
      ...this.raw.status(),
      applied: this.appliedIndex,
      members: [...this.members].map(([id, addr]) => ({ id, addr })),
    };
  }

  /** Stops ticking, fails waiters, drains the transport and closes storage. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.ticker);
    while (this.processing) await new Promise((r) => setTimeout(r, 5));
    for (const w of [...this.proposals.values(), ...this.reads.values()]) {
      clearTimeout(w.timer);
      w.reject(new RaftStoppedError());
    }
    this.proposals.clear();
    this.reads.clear();
    await this.transport.stop();
    await this.storage.close();
  }

  // ---- the loop ----

  private receive(messages: Message[]): void {
    if (this.stopped) return;
    for (const m of messages) {
      // A removed member (or one left behind by forceNewCluster) must not disturb the cluster, e.g.
      // by making this node adopt its higher term.
      if (this.removed.has(m.from)) continue;
      this.raw.step(m);
    }
    this.kick();
  }

  /** Schedules Ready handling; runs at most one loop at a time. */
  private kick(): void {
    if (this.stopped) return;
    if (this.processing) {
      this.again = true;
      return;
    }
    this.processing = true;
    void this.loop();
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.again = false;
        while (!this.stopped && this.raw.hasReady()) await this.handleReady(this.raw.ready());
      } while (this.again && !this.stopped);
    } catch (err) {
      this.fail(err instanceof Error ? err : new Error(String(err)));
    } finally {
      this.processing = false;
    }
  }

  private async handleReady(rd: Ready): Promise<void> {
    // A leader's appends, heartbeats and snapshots may leave before its own write (dissertation
    // §10.2.1): the leader counts itself toward a commit only once its entries are durable (the core
    // does that in advance()). Everything else — votes, acknowledgements — waits for the disk.
    const early: readonly Message[] =
      this.raw.status().role === 'leader'
        ? rd.messages.filter((m) => m.type === 'app' || m.type === 'heartbeat' || m.type === 'snap')
        : [];
    if (early.length > 0) this.send(early);
    // 1. Persist: entries, hard state and snapshot in one synced batch.
    if (rd.mustSync || rd.hardState) {
      await this.storage.save({
        ...(rd.hardState ? { hardState: rd.hardState } : {}),
        entries: rd.entries,
        ...(rd.snapshot ? { snapshot: rd.snapshot } : {}),
      });
    }
    // 2. Send the rest.
    this.send(early.length > 0 ? rd.messages.filter((m) => !early.includes(m)) : rd.messages);
    // 3. Apply.
    if (rd.snapshot && rd.snapshot.meta.index > this.appliedIndex) {
      this.restoreSnapshot(rd.snapshot.data);
      this.appliedIndex = rd.snapshot.meta.index;
      this.syncPeers();
    }
    for (const e of rd.committedEntries) this.apply(e);
    for (const rs of rd.readStates) {
      const w = this.reads.get(Buffer.from(rs.requestCtx).toString('hex'));
      if (w) w.index = rs.index;
    }
    this.settleReads();
    if (rd.softState) this.noteLeader();
    // 4. Advance, then compact if due.
    this.raw.advance();
    this.maybeCampaign();
    await this.maybeSnapshot();
  }

  /** After forceNewCluster: become leader at once instead of after an election timeout. */
  private maybeCampaign(): void {
    if (!this.campaignWhenApplied) return;
    const st = this.raw.status();
    if (st.applied < st.commit) return;
    this.campaignWhenApplied = false;
    if (st.role !== 'leader') this.raw.campaign();
  }

  private send(messages: readonly Message[]): void {
    const plain = [];
    for (const m of messages) {
      if (m.type === 'snap') {
        void this.transport.sendSnapshot(toWire(m), m.snapshot.data);
      } else {
        plain.push(toWire(m));
      }
    }
    if (plain.length > 0) this.transport.send(plain);
  }

  private apply(e: Entry): void {
    if (e.index <= this.appliedIndex) return;
    if (e.type === 'confChange') {
      const cc = decodeConfChange(e.data);
      this.raw.applyConfChange(cc);
      this.noteMembership(cc);
      this.syncPeers();
    } else if (e.data.byteLength >= PROPOSAL_ID_BYTES) {
      const key = Buffer.from(e.data.subarray(0, PROPOSAL_ID_BYTES)).toString('hex');
      this.o.stateMachine.apply(e.data.subarray(PROPOSAL_ID_BYTES), e.index);
      const w = this.proposals.get(key);
      if (w) {
        clearTimeout(w.timer);
        this.proposals.delete(key);
        w.resolve(e.index);
      }
    }
    this.appliedIndex = e.index;
  }

  /** Keeps the address book and the removed ids in step with a committed membership change. */
  private noteMembership(cc: ConfChange): void {
    if (cc.type === 'removeNode') {
      this.members.delete(cc.nodeId);
      if (cc.nodeId !== this.o.id) this.removed.add(cc.nodeId);
      return;
    }
    this.removed.delete(cc.nodeId);
    if (cc.context && cc.context.byteLength > 0)
      this.members.set(cc.nodeId, new TextDecoder().decode(cc.context));
  }

  private settleReads(): void {
    for (const [key, w] of this.reads) {
      if (w.index === undefined || w.index > this.appliedIndex) continue;
      clearTimeout(w.timer);
      this.reads.delete(key);
      w.resolve(w.index);
    }
  }

  private async maybeSnapshot(): Promise<void> {
    const snapIndex = this.storage.snapshot().meta.index;
    if (this.appliedIndex - snapIndex < this.settings.snapshotEveryEntries) return;
    const data = encodeSnapshotData(
      [...this.members].map(([id, addr]) => ({ id, addr })),
      this.o.stateMachine.snapshot(),
      [...this.removed],
    );
    await this.storage.createSnapshot(this.appliedIndex, this.raw.confState(), data);
    const compactTo = this.appliedIndex - this.settings.keepEntries;
    if (compactTo > this.storage.firstIndex()) await this.storage.compact(compactTo);
  }

  private restoreSnapshot(data: Uint8Array): void {
    const { members, removed, app } = decodeSnapshotData(data);
    for (const m of members) this.members.set(m.id, m.addr);
    for (const id of removed) if (id !== this.o.id) this.removed.add(id);
    this.o.stateMachine.restore(app);
  }

  /** Keeps the transport's peer list equal to the known members (minus this node). */
  private syncPeers(): void {
    const want = new Map([...this.members].filter(([id]) => id !== this.o.id));
    for (const id of this.transport.peerIds()) if (!want.has(id)) this.transport.removePeer(id);
    const have = new Set(this.transport.peerIds());
    for (const [id, addr] of want) {
      if (addr === '') continue;
      if (have.has(id)) this.transport.updatePeer(id, addr);
      else this.transport.addPeer(id, addr);
    }
  }

  private noteLeader(): void {
    const st = this.raw.status();
    if (st.lead === this.lastLeader) return;
    const was = this.lastLeader;
    this.lastLeader = st.lead;
    this.log.info({ leader: st.lead, term: st.term }, 'leader changed');
    // Deposed: proposals and reads waiting here would only time out. Fail them now (etcd's "lost
    // leadership"); a proposal already replicated may still commit under the new leader.
    if (was === nodeId(this.o.id) && st.lead !== was) this.failPending();
    this.emit('leaderChange', this.leader(), st.term);
  }

  private failPending(): void {
    for (const w of this.proposals.values()) {
      clearTimeout(w.timer);
      w.reject(new LeadershipLostError());
    }
    for (const w of this.reads.values()) {
      clearTimeout(w.timer);
      w.reject(this.notLeader());
    }
    this.proposals.clear();
    this.reads.clear();
  }

  private notLeader(_why?: string): NotLeaderError {
    const lead = this.leader();
    return new NotLeaderError(lead?.id ?? null, lead?.addr ?? null);
  }

  private nextId(): Buffer {
    const id = Buffer.alloc(PROPOSAL_ID_BYTES);
    this.salt.copy(id, 0);
    id.writeBigUInt64BE(++this.seq, 8);
    return id;
  }

  private fail(err: Error): void {
    this.log.error({ err }, 'raft node failed; stopping');
    this.emit('fatal', err);
    void this.stop();
  }

  /** The current voters (for tests and status pages), also right after a restart from a snapshot. */
  voters(): NodeId[] {
    return [...this.raw.confState().voters];
  }
}

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

function pickDefined(o: RaftNodeOptions): Partial<NodeSettings> {
  const out: Partial<Record<keyof typeof RAFT_NODE_DEFAULTS, number>> = {};
  for (const k of Object.keys(RAFT_NODE_DEFAULTS) as (keyof typeof RAFT_NODE_DEFAULTS)[]) {
    const v = (o as unknown as Record<string, unknown>)[k];
    if (typeof v === 'number') out[k] = v;
  }
  return out;
}
