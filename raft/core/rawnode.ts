/**
 * RawNode: the synchronous API over the Raft state machine (etcd's rawnode.go). The driver feeds it
 * ticks and messages, then, whenever hasReady(), takes one Ready, does its duties in order, and calls
 * advance().
 */
import type { RaftConfigInput } from './config.ts';
import { Raft } from './raft.ts';
import {
  hardStateEqual,
  type ConfChange,
  type ConfState,
  type Entry,
  type HardState,
  type LogIndex,
  type Message,
  type NodeId,
  type ReadState,
  type Role,
  type Snapshot,
  type SoftState,
  type Term,
} from './types.ts';

/**
 * Everything the driver must act on, in this order:
 * 1. persist `hardState`, `entries` and `snapshot` in ONE synced write (when `mustSync`);
 * 2. only then send `messages` (a vote or an acknowledgement must never precede its persistence);
 * 3. apply `snapshot` (if any), then `committedEntries`, to the state machine — calling
 *    `applyConfChange` for each confChange entry;
 * 4. call `advance()`.
 */
export interface Ready {
  readonly softState?: SoftState;
  readonly hardState?: HardState;
  readonly entries: readonly Entry[];
  readonly snapshot?: Snapshot;
  readonly committedEntries: readonly Entry[];
  readonly messages: readonly Message[];
  readonly readStates: readonly ReadState[];
  /** False when nothing durable changed (only messages, reads or applies): skip the fsync. */
  readonly mustSync: boolean;
}

export interface Status {
  readonly id: NodeId;
  readonly term: Term;
  readonly vote: NodeId | null;
  readonly lead: NodeId | null;
  readonly role: Role;
  readonly commit: LogIndex;
  readonly applied: LogIndex;
  readonly lastIndex: LogIndex;
  readonly leadTransferee: NodeId | null;
  /**
   * Per member, when this node leads. `active`: heard from within the last one to two election
   * timeouts (always true for the leader itself).
   */
  readonly progress: ReadonlyMap<NodeId, MemberProgress>;
}

/** The leader's view of one member, as Status reports it. */
export interface MemberProgress {
  readonly match: LogIndex;
  readonly next: LogIndex;
  readonly state: string;
  readonly learner: boolean;
  readonly active: boolean;
}

export class RawNode {
  private readonly raft: Raft;
  private prevSoft: SoftState;
  private prevHard: HardState;
  private pending: Ready | undefined;

  constructor(config: RaftConfigInput) {
    this.raft = new Raft(config);
    this.prevSoft = this.softState();
    this.prevHard = this.hardState();
  }

  tick(): void {
    this.raft.tick();
  }

  step(m: Message): void {
    this.raft.step(m);
  }

  /** Proposes one entry. Throws ProposalDroppedError when it is refused (never queued forever). */
  propose(data: Uint8Array): void {
    this.raft.propose([{ type: 'normal', data }]);
  }

  /** Proposes a membership change; throws ConfChangePendingError while another is in progress. */
  proposeConfChange(cc: ConfChange): void {
    this.raft.proposeConfChange(cc);
  }

  applyConfChange(cc: ConfChange): ConfState {
    return this.raft.applyConfChange(cc);
  }

  readIndex(context: Uint8Array): void {
    this.raft.readIndex(context);
  }

  transferLeadership(to: NodeId): void {
    this.raft.transferLeadership(to);
  }

  campaign(): void {
    this.raft.campaign();
  }

  reportUnreachable(id: NodeId): void {
    this.raft.reportUnreachable(id);
  }

  reportSnapshot(id: NodeId, status: 'finish' | 'failure'): void {
    this.raft.reportSnapshot(id, status);
  }

  hasReady(): boolean {
    const r = this.raft;
    const soft = this.softState();
    if (soft.lead !== this.prevSoft.lead || soft.role !== this.prevSoft.role) return true;
    const hard = this.hardState();
    if (!hardStateEqual(hard, this.prevHard)) return true;
    if (r.log.unstable.snapshot !== null) return true;
    if (r.msgs.length > 0 || r.readStates.length > 0) return true;
    if (r.log.unstableEntries().length > 0) return true;
    return r.log.hasNextCommittedEntries();
  }

  /** The next Ready. Call advance() once its duties are done before asking for another. */
  ready(): Ready {
    if (this.pending) throw new Error('raft: ready() called again before advance()');
    const r = this.raft;
    const soft = this.softState();
    const hard = this.hardState();
    const snapshot = r.log.unstable.snapshot ?? undefined;
    const entries = [...r.log.unstableEntries()];
    const hardChanged = !hardStateEqual(hard, this.prevHard);
    const rd: Ready = {
      ...(soft.lead !== this.prevSoft.lead || soft.role !== this.prevSoft.role ? { softState: soft } : {}),
      ...(hardChanged ? { hardState: hard } : {}),
      ...(snapshot ? { snapshot } : {}),
      entries,
      committedEntries: r.log.nextCommittedEntries(r.cfg.maxCommittedSizePerReadyBytes),
      messages: r.msgs,
      readStates: r.readStates,
      mustSync: entries.length > 0 || snapshot !== undefined || hardChanged,
    };
    r.msgs = [];
    r.readStates = [];
    this.pending = rd;
    return rd;
  }

  /** Tells the node the last Ready's duties are done: persisted, sent and applied. */
  advance(): void {
    const rd = this.pending;
    if (!rd) throw new Error('raft: advance() without a Ready');
    this.pending = undefined;
    const r = this.raft;
    if (rd.softState) this.prevSoft = rd.softState;
    if (rd.hardState) this.prevHard = rd.hardState;
    if (rd.snapshot) {
      r.log.stableSnapTo(rd.snapshot.meta.index);
      if (rd.snapshot.meta.index > r.log.applied) r.log.applied = rd.snapshot.meta.index;
    }
    const last = rd.entries.at(-1);
    if (last) r.onPersisted(last.index, last.term);
    const applied = rd.committedEntries.at(-1);
    if (applied) {
      r.log.appliedTo(applied.index);
      r.onApplied(rd.committedEntries);
    }
  }

  status(): Status {
    const r = this.raft;
    const progress = new Map<NodeId, MemberProgress>();
    if (r.role === 'leader') {
      for (const [id, p] of r.prs.progress) {
        const active = id === r.id || p.active;
        progress.set(id, { match: p.match, next: p.next, state: p.state, learner: p.isLearner, active });
      }
    }
    return {
      id: r.id,
      term: r.term,
      vote: r.vote,
      lead: r.lead,
      role: r.role,
      commit: r.log.committed,
      applied: r.log.applied,
      lastIndex: r.log.lastIndex(),
      leadTransferee: r.leadTransferee,
      progress,
    };
  }

  /** The current membership. */
  confState(): ConfState {
    return this.raft.confState();
  }

  private softState(): SoftState {
    return { lead: this.raft.lead, role: this.raft.role };
  }

  private hardState(): HardState {
    return { term: this.raft.term, vote: this.raft.vote, commit: this.raft.log.committed };
  }
}
