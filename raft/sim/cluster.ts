/**
 * A whole Raft cluster in one process on simulated time: nodes, network, disks and clients, every
 * choice drawn from one seed. `tick()` advances one step: deliver due messages, tick every node, run
 * clients and faults, handle every Ready, then check every invariant.
 */
import {
  decodeConfChange,
  nodeId,
  MemoryStorage,
  ProposalDroppedError,
  RaftError,
  type Message,
  type NodeId,
  type ReadState,
} from '../core/index.ts';
import type { Entry } from '../core/index.ts';
import { InvariantChecker } from './invariants.ts';
import { dataHash, decodeCommand, encodeCommand, type KvState } from './kv.ts';
import { SimNetwork } from './network.ts';
import { SimNode, type SimNodeHooks, type SimNodeSettings } from './node.ts';
import type { Rng } from './rng.ts';
import { TraceHash } from './rng.ts';

export interface KvInput {
  readonly op: 'get' | 'put';
  readonly key: string;
  readonly value?: string;
}
export type KvOutput = { readonly kind: 'ok'; readonly value?: string } | { readonly kind: 'unknown' };

/** One client operation as the linearizability checker sees it (call/return in logical time). */
export interface HistoryOp {
  readonly clientId: number;
  readonly input: KvInput;
  readonly call: number;
  output: KvOutput;
  return: number;
}

interface PendingOp {
  readonly op: HistoryOp;
  readonly node: NodeId;
  readonly deadline: number;
  readonly opId: string;
  readIndex?: number;
}

export const SIM_SETTINGS: SimNodeSettings = Object.freeze({
  electionTicks: 10,
  heartbeatTicks: 1,
  snapshotEvery: 40,
  keepEntries: 5,
  maxSizePerMsgBytes: 4096,
  maxInflightMsgs: 8,
});

const KEYS = ['a', 'b', 'c'];
const OP_TIMEOUT_TICKS = 50;

export class SimCluster implements SimNodeHooks {
  readonly nodes = new Map<NodeId, SimNode>();
  readonly network: SimNetwork<Message>;
  readonly checker = new InvariantChecker();
  readonly trace = new TraceHash();
  readonly history: HistoryOp[] = [];
  now = 0;
  private clock = 0;
  private nextNodeNumber: number;
  private readonly pending = new Map<string, PendingOp>();
  private readonly busyClients = new Set<number>();
  private opSeq = 0;
  readonly clientRng: Rng;
  readonly log: string[] = [];

  /**
   * A deliberate bug, to prove the checks catch it: 'staleReads' answers reads from the local state
   * without ReadIndex (what a deposed leader that still believes it leads would serve).
   */
  bug: 'staleReads' | undefined;

  constructor(
    readonly rng: Rng,
    voters: number,
    readonly clients = 5,
  ) {
    this.network = new SimNetwork(rng.fork('network'));
    this.network.onDrop = (from, to, m, cut) => {
      const sender = this.nodes.get(from as NodeId);
      if (!sender?.alive) return;
      if (m.type === 'snap') sender.raw.reportSnapshot(to as NodeId, 'failure');
      if (cut) sender.raw.reportUnreachable(to as NodeId);
    };
    this.clientRng = rng.fork('clients');
    const ids = Array.from({ length: voters }, (_, i) => nodeId(String(i + 1)));
    for (const id of ids)
      this.nodes.set(id, new SimNode(id, MemoryStorage.bootstrap(ids), SIM_SETTINGS, rng.fork(`node-${id}`)));
    this.nextNodeNumber = voters + 1;
  }

  /** Logical time for histories: strictly increasing across every call and return. */
  private stamp(): number {
    return ++this.clock;
  }

  note(event: string): void {
    this.trace.add(`${this.now} ${event}`);
    if (this.log.length < 4000) this.log.push(`t${this.now} ${event}`);
  }

  list(): SimNode[] {
    return [...this.nodes.values()];
  }

  members(): SimNode[] {
    return this.list().filter((n) => !n.removed);
  }

  leader(): SimNode | undefined {
    let best: SimNode | undefined;
    for (const n of this.list()) {
      if (!n.alive || n.removed) continue;
      const st = n.raw.status();
      if (st.role === 'leader' && (!best || st.term > best.raw.status().term)) best = n;
    }
    return best;
  }

  /** One simulated step. */
  tick(withClients: boolean): void {
    this.now++;
    for (const d of this.network.due(this.now)) this.deliver(d.message.from, d.message.to, d.message);
    for (const n of this.list()) if (n.alive && !n.paused) n.raw.tick();
    if (withClients) this.runClients();
    this.expireOps();
    this.processAll();
    this.completeReads();
    this.checker.check(this.list().filter((n) => !n.paused));
  }

  processAll(): void {
    for (const n of this.list()) {
      if (!n.alive || n.paused) continue;
      if (!n.processReady(this)) this.onCrash(n, 'crash before fsync');
    }
  }

  private deliver(from: NodeId, to: NodeId, m: Message): void {
    const node = this.nodes.get(to);
    const sender = this.nodes.get(from);
    if (!node?.alive) {
      if (m.type === 'snap') sender?.raw.reportSnapshot(to, 'failure');
      if (sender?.alive) sender.raw.reportUnreachable(to);
      return;
    }
    if (node.paused) {
      this.network.send(this.now, from, to, m);
      return;
    }
    this.trace.add(`${this.now} ${from}>${to} ${m.type} ${m.term}`);
    node.raw.step(m);
    if (m.type === 'snap') sender?.raw.reportSnapshot(to, 'finish');
  }

  // ---- SimNodeHooks ----

  send(m: Message): void {
    this.network.send(this.now, m.from, m.to, m);
  }

  persisted(node: SimNode, hardState: { term: number; vote: NodeId | null; commit: number }): void {
    this.checker.persisted(node, hardState);
  }

  applied(node: SimNode, e: Entry, state: KvState): void {
    this.checker.applied(node, e, state);
    if (e.type === 'confChange') {
      this.retireRemoved(node, e);
      return;
    }
    if (e.data.byteLength === 0) return;
    const cmd = decodeCommand(e.data);
    const p = this.pending.get(cmd.opId);
    if (p && p.node === node.id) {
      this.finish(p, { kind: 'ok' });
      this.checker.acknowledge(e.index, dataHash(e.data));
    }
  }

  /**
   * Once the leader applies a member's removal, that member is shut down for good (as a removed
   * manager wipes its raft state): a removed node must never disturb the cluster again.
   */
  private retireRemoved(node: SimNode, e: Entry): void {
    const cc = decodeConfChange(e.data);
    this.note(
      `${node.id} applied ${cc.type} ${cc.nodeId} at ${e.index} t${e.term} → voters=[${node.confState.voters.join(',')}] learners=[${node.confState.learners.join(',')}]`,
    );
    if (cc.type !== 'removeNode' || node.raw.status().role !== 'leader') return;
    const victim = this.nodes.get(cc.nodeId);
    if (!victim || victim.removed) return;
    victim.removed = true;
    if (victim.alive) this.crash(victim, 'removed from the cluster');
  }

  restored(node: SimNode, index: number, state: KvState): void {
    this.checker.restored(node, index, state);
  }

  readState(node: SimNode, rs: ReadState): void {
    const key = new TextDecoder().decode(rs.requestCtx);
    const p = this.pending.get(key);
    if (p && p.node === node.id && p.readIndex === undefined) p.readIndex = rs.index;
  }

  // ---- clients ----

  private runClients(): void {
    for (let c = 0; c < this.clients; c++) {
      if (this.busyClients.has(c) || !this.clientRng.chance(0.3)) continue;
      const targets = this.list().filter((n) => n.alive && !n.removed);
      if (targets.length === 0) return;
      const node = this.clientRng.pick(targets);
      const key = this.clientRng.pick(KEYS);
      const opId = `c${c}-${++this.opSeq}`;
      if (this.clientRng.chance(0.5)) this.startPut(c, node, key, opId);
      else this.startGet(c, node, key, opId);
    }
  }

  private startPut(client: number, node: SimNode, key: string, opId: string): void {
    const op: HistoryOp = {
      clientId: client,
      input: { op: 'put', key, value: opId },
      call: this.stamp(),
      output: { kind: 'unknown' },
      return: Infinity,
    };
    try {
      node.raw.propose(encodeCommand({ opId, key, value: opId }));
    } catch (err) {
      if (err instanceof ProposalDroppedError) return; // refused: it never happened
      throw err;
    }
    this.history.push(op);
    this.busyClients.add(client);
    this.pending.set(opId, { op, node: node.id, deadline: this.now + OP_TIMEOUT_TICKS, opId });
    this.note(`put ${opId} ${key} via ${node.id}`);
  }

  private startGet(client: number, node: SimNode, key: string, opId: string): void {
    const op: HistoryOp = {
      clientId: client,
      input: { op: 'get', key },
      call: this.stamp(),
      output: { kind: 'unknown' },
      return: Infinity,
    };
    if (this.bug === 'staleReads') {
      const value = node.kv.get(key);
      op.output = value === undefined ? { kind: 'ok' } : { kind: 'ok', value };
      op.return = this.stamp();
      this.history.push(op);
      return;
    }
    try {
      node.raw.readIndex(new TextEncoder().encode(opId));
    } catch (err) {
      if (err instanceof RaftError) return;
      throw err;
    }
    this.busyClients.add(client);
    this.pending.set(opId, { op, node: node.id, deadline: this.now + OP_TIMEOUT_TICKS, opId });
  }

  private completeReads(): void {
    for (const p of this.pending.values()) {
      if (p.op.input.op !== 'get' || p.readIndex === undefined) continue;
      const node = this.nodes.get(p.node);
      if (!node?.alive || node.appliedIndex < p.readIndex) continue;
      const value = node.kv.get(p.op.input.key);
      this.history.push(p.op);
      this.finish(p, value === undefined ? { kind: 'ok' } : { kind: 'ok', value });
    }
  }

  private finish(p: PendingOp, output: KvOutput): void {
    p.op.output = output;
    p.op.return = this.stamp();
    this.pending.delete(p.opId);
    this.busyClients.delete(p.op.clientId);
  }

  /** A client gives up: a put's outcome stays unknown; a read that never returned says nothing. */
  private expireOps(): void {
    for (const p of [...this.pending.values()]) {
      if (p.deadline > this.now) continue;
      this.pending.delete(p.opId);
      this.busyClients.delete(p.op.clientId);
    }
  }

  /** Ends the run: every put still waiting stays "unknown" (it may or may not have happened). */
  abandonPending(): void {
    this.pending.clear();
    this.busyClients.clear();
  }

  pendingCount(): number {
    return this.pending.size;
  }

  // ---- faults ----

  crash(n: SimNode, reason: string): void {
    n.crash();
    this.onCrash(n, reason);
  }

  private onCrash(n: SimNode, reason: string): void {
    this.network.dropFor(n.id);
    // Its peers' connections break at once (a killed process's sockets are reset).
    for (const other of this.list())
      if (other !== n && other.alive && !other.paused) other.raw.reportUnreachable(n.id);
    for (const p of [...this.pending.values()]) {
      if (p.node !== n.id) continue;
      this.pending.delete(p.opId);
      this.busyClients.delete(p.op.clientId);
    }
    this.note(`crash ${n.id} (${reason})`);
  }

  restart(n: SimNode): void {
    const before = n.durableHard;
    n.restart();
    const after = n.raw.status();
    if (after.commit < before.commit)
      throw new Error(`node ${n.id} restarted with commit ${after.commit} < ${before.commit}`);
    this.note(`restart ${n.id} term=${after.term} commit=${after.commit}`);
  }

  /** Adds a brand-new, empty node (it joins as a learner once the leader adds it). */
  addNode(): SimNode {
    const id = nodeId(String(this.nextNodeNumber++));
    const n = new SimNode(id, new MemoryStorage(), SIM_SETTINGS, this.rng.fork(`node-${id}`));
    this.nodes.set(id, n);
    this.note(`new node ${id}`);
    return n;
  }

  /** Summarises every node, for failure reports. */
  describe(): string {
    return this.list()
      .map((n) => {
        const s = n.raw.status();
        return `${n.id}:${n.alive ? (n.paused ? 'paused' : 'up') : 'down'}${n.removed ? ',removed' : ''} ${s.role} t${s.term} commit=${s.commit} applied=${n.appliedIndex} last=${s.lastIndex} lead=${String(s.lead)} voters=[${n.confState.voters.join(',')}] learners=[${n.confState.learners.join(',')}]`;
      })
      .join('\n');
  }
}
