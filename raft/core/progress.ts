/**
 * The leader's view of each follower (etcd's tracker): how far its log matches, where to send next,
 * and how much is in flight. Replication runs in one of three states:
 * - probe: one append at a time until the follower's log position is found;
 * - replicate: pipelined appends, at most `maxInflightMsgs` unacknowledged (and their bytes bounded);
 * - snapshot: a snapshot is on its way; appends pause until it is applied or fails.
 */
import type { LogIndex, NodeId } from './types.ts';

export type ProgressState = 'probe' | 'replicate' | 'snapshot';

/** A bounded window of in-flight appends, identified by their last index. */
export class Inflights {
  private readonly items: { index: LogIndex; bytes: number }[] = [];
  private bytes = 0;

  constructor(
    readonly maxCount: number,
    readonly maxBytes: number,
  ) {}

  add(index: LogIndex, bytes: number): void {
    this.items.push({ index, bytes });
    this.bytes += bytes;
  }

  /** Frees every in-flight append up to and including `index`. */
  freeLE(index: LogIndex): void {
    let n = 0;
    while (n < this.items.length && (this.items[n]?.index ?? Infinity) <= index) {
      this.bytes -= this.items[n]?.bytes ?? 0;
      n++;
    }
    this.items.splice(0, n);
  }

  /** Frees the oldest in-flight append (a heartbeat answered: the window must not stall on losses). */
  freeFirstOne(): void {
    const first = this.items.shift();
    if (first) this.bytes -= first.bytes;
  }

  full(): boolean {
    return this.items.length >= this.maxCount || (this.maxBytes > 0 && this.bytes >= this.maxBytes);
  }

  get count(): number {
    return this.items.length;
  }

  reset(): void {
    this.items.length = 0;
    this.bytes = 0;
  }
}

export class Progress {
  match: LogIndex = 0;
  next: LogIndex;
  state: ProgressState = 'probe';
  /** In probe state: an append is out and unanswered; wait for a heartbeat response before the next. */
  probeSent = false;
  pendingSnapshot: LogIndex = 0;
  /** Heard from since the last CheckQuorum round. */
  recentActive = false;
  /** Heard from during the previous CheckQuorum round (so `active` does not blink at each round). */
  wasActive = false;
  readonly inflights: Inflights;

  constructor(
    next: LogIndex,
    public isLearner: boolean,
    maxInflight: number,
    maxInflightBytes: number,
  ) {
    this.next = next;
    this.inflights = new Inflights(maxInflight, maxInflightBytes);
  }

  private resetState(state: ProgressState): void {
    this.probeSent = false;
    this.pendingSnapshot = 0;
    this.state = state;
    this.inflights.reset();
  }

  becomeProbe(): void {
    if (this.state === 'snapshot') {
      const pending = this.pendingSnapshot;
      this.resetState('probe');
      this.next = Math.max(this.match + 1, pending + 1);
    } else {
      this.resetState('probe');
      this.next = this.match + 1;
    }
  }

  becomeReplicate(): void {
    this.resetState('replicate');
    this.next = this.match + 1;
  }

  becomeSnapshot(index: LogIndex): void {
    this.resetState('snapshot');
    this.pendingSnapshot = index;
  }

  /** An append up to `index` was acknowledged. Returns false when it was stale. */
  maybeUpdate(index: LogIndex): boolean {
    let updated = false;
    if (this.match < index) {
      this.match = index;
      updated = true;
      this.probeSent = false;
    }
    this.next = Math.max(this.next, index + 1);
    return updated;
  }

  /** Optimistically advances next after sending entries up to `last` (replicate state). */
  sentEntries(last: LogIndex, bytes: number): void {
    if (this.state === 'replicate') {
      this.next = last + 1;
      this.inflights.add(last, bytes);
    } else if (this.state === 'probe') {
      this.probeSent = true;
    }
  }

  /**
   * An append was rejected at `rejected`; `matchHint` is where the follower's log may match. Returns
   * false when the rejection is stale.
   */
  maybeDecrTo(rejected: LogIndex, matchHint: LogIndex): boolean {
    if (this.state === 'replicate') {
      if (rejected <= this.match) return false;
      this.next = this.match + 1;
      return true;
    }
    if (this.next - 1 !== rejected) return false;
    this.next = Math.max(Math.min(rejected, matchHint + 1), 1);
    this.probeSent = false;
    return true;
  }

  /**
   * Heard from within the current or the previous CheckQuorum round (one to two election timeouts);
   * the leader's notion of "reachable" (without CheckQuorum: ever heard from since this leader won).
   */
  get active(): boolean {
    return this.recentActive || this.wasActive;
  }

  /** Whether sending more appends must wait. */
  isPaused(): boolean {
    switch (this.state) {
      case 'probe':
        return this.probeSent;
      case 'replicate':
        return this.inflights.full();
      case 'snapshot':
        return true;
    }
  }
}

/** The membership and per-member progress the leader tracks. */
export class ProgressTracker {
  readonly progress = new Map<NodeId, Progress>();

  constructor(
    readonly maxInflight: number,
    readonly maxInflightBytes: number,
  ) {}

  voters(): NodeId[] {
    return [...this.progress].filter(([, p]) => !p.isLearner).map(([id]) => id);
  }

  learners(): NodeId[] {
    return [...this.progress].filter(([, p]) => p.isLearner).map(([id]) => id);
  }

  isVoter(id: NodeId): boolean {
    const p = this.progress.get(id);
    return p !== undefined && !p.isLearner;
  }

  quorum(): number {
    return Math.floor(this.voters().length / 2) + 1;
  }

  /** The highest index replicated on a quorum of voters (their match values' quorum-th largest). */
  committedIndex(): LogIndex {
    const matches = this.voters()
      .map((id) => this.progress.get(id)?.match ?? 0)
      .sort((a, b) => b - a);
    if (matches.length === 0) return Infinity;
    return matches[this.quorum() - 1] ?? 0;
  }

  /** Tallies votes: 'won' with a quorum of grants, 'lost' once a quorum can no longer be reached. */
  tally(votes: ReadonlyMap<NodeId, boolean>): 'won' | 'lost' | 'pending' {
    const voters = this.voters();
    let granted = 0;
    let rejected = 0;
    for (const id of voters) {
      const v = votes.get(id);
      if (v === true) granted++;
      else if (v === false) rejected++;
    }
    const q = this.quorum();
    if (granted >= q) return 'won';
    if (rejected > voters.length - q) return 'lost';
    return 'pending';
  }

  /** Is a quorum of voters recently active (CheckQuorum)? Resets the flags for the next round. */
  quorumActive(self: NodeId): boolean {
    let active = 0;
    for (const id of this.voters()) {
      const p = this.progress.get(id);
      if (id === self || p?.recentActive) active++;
    }
    for (const [id, p] of this.progress) {
      if (id === self) continue;
      p.wasActive = p.recentActive;
      p.recentActive = false;
    }
    return active >= this.quorum();
  }

  set(id: NodeId, progress: Progress): void {
    this.progress.set(id, progress);
  }

  get(id: NodeId): Progress | undefined {
    return this.progress.get(id);
  }

  delete(id: NodeId): void {
    this.progress.delete(id);
  }

  ids(): NodeId[] {
    return [...this.progress.keys()];
  }
}
