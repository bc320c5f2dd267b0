/**
 * One simulated Raft member: a RawNode over a MemoryStorage that stands for its disk, and the KV state
 * machine. `processReady` is the driver loop a real node runs, in the order Ready demands; the cluster
 * observes every step through `SimNodeHooks` to check invariants.
 */
import type { MemoryStorage } from '../core/index.ts';
import {
  decodeConfChange,
  RawNode,
  type ConfState,
  type Entry,
  type HardState,
  type Message,
  type NodeId,
  type ReadState,
} from '../core/index.ts';
import { decodeCommand, KvState } from './kv.ts';
import type { Rng } from './rng.ts';

export interface SimNodeHooks {
  send(m: Message): void;
  /** After the durable write of a Ready (hard state as now on disk). */
  persisted(node: SimNode, hardState: HardState, entries: readonly Entry[]): void;
  /** After applying entry `e`; `state` is the state machine right after it. */
  applied(node: SimNode, e: Entry, state: KvState): void;
  /** After installing a snapshot's state. */
  restored(node: SimNode, index: number, state: KvState): void;
  readState(node: SimNode, rs: ReadState): void;
}

export interface SimNodeSettings {
  readonly electionTicks: number;
  readonly heartbeatTicks: number;
  /** Take a snapshot after this many applied entries, keeping `keepEntries` behind it. */
  readonly snapshotEvery: number;
  readonly keepEntries: number;
  readonly maxSizePerMsgBytes: number;
  readonly maxInflightMsgs: number;
}

export class SimNode {
  raw: RawNode;
  kv = new KvState();
  appliedIndex = 0;
  confState: ConfState;
  alive = true;
  paused = false;
  removed = false;
  /** When set, the next Ready's write is lost (the node dies before its fsync). */
  crashBeforeSync = false;
  /** The highest durable hard state, to check terms, votes and commit across restarts. */
  durableHard: HardState = { term: 0, vote: null, commit: 0 };

  constructor(
    readonly id: NodeId,
    readonly storage: MemoryStorage,
    private readonly settings: SimNodeSettings,
    private readonly rng: Rng,
  ) {
    this.raw = this.boot();
    this.confState = storage.snapshot().meta.confState;
  }

  private boot(): RawNode {
    const snap = this.storage.snapshot();
    this.kv = KvState.decode(snap.data);
    this.appliedIndex = snap.meta.index;
    this.confState = snap.meta.confState;
    this.durableHard = this.storage.initialState().hardState;
    return new RawNode({
      id: this.id,
      storage: this.storage,
      random: () => this.rng.next(),
      electionTicks: this.settings.electionTicks,
      heartbeatTicks: this.settings.heartbeatTicks,
      maxSizePerMsgBytes: this.settings.maxSizePerMsgBytes,
      maxInflightMsgs: this.settings.maxInflightMsgs,
      applied: snap.meta.index,
    });
  }

  crash(): void {
    this.alive = false;
    this.paused = false;
    this.crashBeforeSync = false;
  }

  /** Restarts from what is on "disk". */
  restart(): void {
    this.alive = true;
    this.raw = this.boot();
  }

  /**
   * Handles every Ready. Returns false when the node died mid-write (crashBeforeSync): nothing of
   * that Ready reached the disk or the network.
   */
  processReady(hooks: SimNodeHooks): boolean {
    while (this.alive && this.raw.hasReady()) {
      const rd = this.raw.ready();
      if (this.crashBeforeSync && rd.mustSync) {
        this.crash();
        return false;
      }
      if (rd.snapshot) this.storage.applySnapshot(rd.snapshot);
      this.storage.append(rd.entries);
      if (rd.hardState) this.storage.setHardState(rd.hardState);
      const hard = this.storage.initialState().hardState;
      hooks.persisted(this, hard, rd.entries);
      this.durableHard = hard;
      for (const m of rd.messages) hooks.send(m);
      if (rd.snapshot && rd.snapshot.meta.index > this.appliedIndex) {
        this.kv = KvState.decode(rd.snapshot.data);
        this.appliedIndex = rd.snapshot.meta.index;
        this.confState = rd.snapshot.meta.confState;
        hooks.restored(this, this.appliedIndex, this.kv);
      }
      for (const e of rd.committedEntries) this.apply(e, hooks);
      for (const rs of rd.readStates) hooks.readState(this, rs);
      this.raw.advance();
      this.maybeSnapshot();
    }
    return true;
  }

  private apply(e: Entry, hooks: SimNodeHooks): void {
    if (e.index <= this.appliedIndex) return;
    if (e.type === 'confChange') {
      const cc = decodeConfChange(e.data);
      this.confState = this.raw.applyConfChange(cc);
      if (cc.type === 'removeNode' && cc.nodeId === this.id) this.removed = true;
    } else if (e.data.byteLength > 0) {
      this.kv.apply(decodeCommand(e.data));
    }
    this.appliedIndex = e.index;
    hooks.applied(this, e, this.kv);
  }

  private maybeSnapshot(): void {
    const snapIndex = this.storage.snapshot().meta.index;
    if (this.appliedIndex - snapIndex < this.settings.snapshotEvery) return;
    if (this.appliedIndex > this.storage.lastIndex()) return;
    this.storage.createSnapshot(this.appliedIndex, this.confState, this.kv.encode());
    const compactTo = this.appliedIndex - this.settings.keepEntries;
    if (compactTo >= this.storage.firstIndex()) this.storage.compact(compactTo);
  }

  /** The node's whole durable log as (index, term, data) — for log-matching checks. */
  logEntries(): Entry[] {
    const first = this.storage.firstIndex();
    const last = this.storage.lastIndex();
    return last < first ? [] : this.storage.entries(first, last + 1, Infinity);
  }
}
