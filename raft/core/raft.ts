/**
 * The Raft state machine (Ongaro & Ousterhout, "In Search of an Understandable Consensus Algorithm",
 * and the dissertation's PreVote, CheckQuorum, leadership transfer, ReadIndex and single-server
 * membership changes). Pure: inputs are tick() and step(); outputs accumulate in `msgs` and
 * `readStates`, and in the log's unstable part, for RawNode to hand out as a Ready.
 *
 * Like etcd's raft.go, the role decides which tick and step functions run (`tickFn`, `stepFn`); each
 * message type has its own small handler.
 */
import { resolveConfig, type RaftConfig, type RaftConfigInput } from './config.ts';
import { ConfChangePendingError, ProposalDroppedError } from './errors.ts';
import { RaftLog } from './log.ts';
import { Progress, ProgressTracker } from './progress.ts';
import { ReadOnlyQueue, type ReadRequest } from './readonly.ts';
import {
  decodeConfChange,
  encodeConfChange,
  entrySize,
  type AppendMessage,
  type AppendResponse,
  type ConfChange,
  type ConfState,
  type Entry,
  type HeartbeatMessage,
  type HeartbeatResponse,
  type LogIndex,
  type Message,
  type NodeId,
  type ReadState,
  type Role,
  type Snapshot,
  type SnapshotMessage,
  type Term,
  type VoteMessage,
  type VoteResponse,
} from './types.ts';

/** A message as built before the envelope's `from` is filled in. */
type Outgoing = Message extends infer M ? (M extends Message ? Omit<M, 'from'> : never) : never;

export class Raft {
  readonly id: NodeId;
  readonly cfg: Readonly<RaftConfig>;
  readonly log: RaftLog;
  readonly prs: ProgressTracker;

  term: Term = 0;
  vote: NodeId | null = null;
  lead: NodeId | null = null;
  role: Role = 'follower';

  msgs: Message[] = [];
  readStates: ReadState[] = [];

  private electionElapsed = 0;
  private heartbeatElapsed = 0;
  private randomizedElectionTimeout = 0;
  private readonly votes = new Map<NodeId, boolean>();
  /** Index of the latest membership change proposed; a new one waits until it is applied. */
  pendingConfIndex: LogIndex = 0;
  /** Payload bytes appended by this leader and not yet applied (flow control). */
  uncommittedSize = 0;
  leadTransferee: NodeId | null = null;
  private readonly readOnly = new ReadOnlyQueue();
  /** ReadIndex requests that arrived before this leader committed an entry of its term. */
  private pendingReads: { from: NodeId; context: Uint8Array }[] = [];

  private tickFn: () => void = () => this.tickElection();
  private stepFn: (m: Message) => void = (m) => this.stepFollower(m);

  constructor(input: RaftConfigInput) {
    this.cfg = resolveConfig(input);
    this.id = this.cfg.id;
    this.log = new RaftLog(this.cfg.storage, this.cfg.maxSizePerMsgBytes);
    this.prs = new ProgressTracker(this.cfg.maxInflightMsgs, this.cfg.maxInflightBytes);
    const { hardState, confState } = this.cfg.storage.initialState();
    this.applyConfState(confState);
    if (hardState.commit > this.log.lastIndex()) {
      throw new Error(
        `raft: hard state commit ${hardState.commit} is past the last index ${this.log.lastIndex()}`,
      );
    }
    this.log.commitTo(hardState.commit);
    this.replayCommittedConfChanges();
    this.term = hardState.term;
    this.vote = hardState.vote;
    if (this.cfg.applied > 0) this.log.appliedTo(Math.min(this.cfg.applied, this.log.committed));
    this.becomeFollower(this.term, null);
  }

  // ---- inputs ----

  tick(): void {
    this.tickFn();
  }

  /** Handles a message from a peer (or a forwarded local request). */
  step(m: Message): void {
    if (m.to !== this.id) return;
    if (!this.stepTerm(m)) return;
    if (m.type === 'vote' || m.type === 'preVote') this.handleVoteRequest(m);
    else this.stepFn(m);
  }

  /** Proposes new entries. Throws ProposalDroppedError when it cannot be accepted now. */
  propose(entries: readonly { type: Entry['type']; data: Uint8Array }[]): void {
    if (this.role === 'leader') {
      if (!this.prs.get(this.id)) throw new ProposalDroppedError('notMember');
      if (this.leadTransferee !== null) throw new ProposalDroppedError('transferring');
      const size = entries.reduce((n, e) => n + e.data.byteLength, 0);
      if (this.uncommittedSize > 0 && this.uncommittedSize + size > this.cfg.maxUncommittedEntriesBytes) {
        throw new ProposalDroppedError('uncommittedLimit');
      }
      this.appendEntries(entries);
      this.bcastAppend();
      return;
    }
    if (this.role !== 'follower' || this.lead === null) throw new ProposalDroppedError('noLeader');
    const forwarded = entries.map((e) => ({ term: 0, index: 0, type: e.type, data: e.data }));
    this.send({ type: 'prop', to: this.lead, term: 0, entries: forwarded });
  }

  proposeConfChange(cc: ConfChange): void {
    if (this.role === 'leader' && this.pendingConfIndex > this.log.applied) {
      throw new ConfChangePendingError(this.pendingConfIndex);
    }
    this.propose([{ type: 'confChange', data: encodeConfChange(cc) }]);
  }

  /** Starts a linearizable read; the answer appears in readStates (§8). */
  readIndex(context: Uint8Array): void {
    if (this.role === 'leader') {
      this.handleReadIndex(this.id, context);
      return;
    }
    if (this.role !== 'follower' || this.lead === null) throw new ProposalDroppedError('noLeader');
    this.send({ type: 'readIndex', to: this.lead, term: 0, context });
  }

  transferLeadership(target: NodeId): void {
    if (this.role === 'leader') this.handleTransfer(target);
    else if (this.lead !== null) this.send({ type: 'transferLeader', to: this.lead, term: 0, target });
  }

  /** Starts an election now (tests, or an operator forcing one). */
  campaign(): void {
    this.hup(false);
  }

  /**
   * The transport lost its connection to `id`. A leader stops pipelining to it. A follower whose leader
   * it is forgets that leader (so it no longer defends the leader's lease against votes) and shortens
   * its election timer to a few ticks, staggered by rank: failover starts as soon as the connection
   * breaks instead of after a full timeout. Safety never depends on timing; PreVote still protects a leader
   * that is in fact alive, since the other followers keep their lease.
   */
  reportUnreachable(id: NodeId): void {
    const pr = this.prs.get(id);
    if (this.role === 'leader' && pr?.state === 'replicate') pr.becomeProbe();
    if (this.role === 'follower' && id === this.lead) {
      this.lead = null;
      // Stagger by rank among the remaining voters so two followers that lose the same leader at the
      // same moment do not split the vote: rank r campaigns after 1 + 3r (+0..1) ticks.
      const others = this.prs
        .voters()
        .filter((v) => v !== id)
        .sort();
      const rank = Math.max(0, others.indexOf(this.id));
      const remaining = 1 + 3 * rank + Math.floor(this.cfg.random() * 2);
      this.electionElapsed = Math.max(this.electionElapsed, this.randomizedElectionTimeout - remaining);
    }
  }

  reportSnapshot(id: NodeId, status: 'finish' | 'failure'): void {
    const pr = this.prs.get(id);
    if (this.role !== 'leader' || pr?.state !== 'snapshot') return;
    if (status === 'failure') pr.pendingSnapshot = 0;
    pr.becomeProbe();
    // Wait for a heartbeat response before probing again.
    pr.probeSent = true;
  }

  /**
   * Applies a committed membership change (the driver calls it when it applies the entry) and returns
   * the new configuration. Removed members stop counting at once; a removed leader steps down.
   */
  applyConfChange(cc: ConfChange): ConfState {
    const existing = this.prs.get(cc.nodeId);
    switch (cc.type) {
      case 'addNode':
        if (existing) existing.isLearner = false;
        else this.prs.set(cc.nodeId, this.newProgress(false));
        break;
      case 'addLearner':
        if (!existing) this.prs.set(cc.nodeId, this.newProgress(true));
        break;
      case 'removeNode':
        this.prs.delete(cc.nodeId);
        if (this.leadTransferee === cc.nodeId) this.leadTransferee = null;
        break;
    }
    if (this.role === 'leader') {
      if (!this.prs.isVoter(this.id)) {
        this.becomeFollower(this.term, null);
      } else if (this.prs.voters().length > 0 && this.maybeCommit()) {
        this.bcastAppend();
      }
    }
    return this.confState();
  }

  /**
   * Committed membership changes the application has not applied yet take effect at once on start,
   * so a node that restarts (or bootstraps) knows its configuration before it may campaign. The driver
   * applies them again when it applies the entries; applyConfChange is idempotent.
   */
  private replayCommittedConfChanges(): void {
    const lo = Math.max(this.log.applied + 1, this.log.firstIndex());
    if (this.log.committed < lo) return;
    for (const e of this.log.slice(lo, this.log.committed + 1, Infinity)) {
      if (e.type !== 'confChange') continue;
      const cc = decodeConfChange(e.data);
      const existing = this.prs.get(cc.nodeId);
      if (cc.type === 'addNode') {
        if (existing) existing.isLearner = false;
        else this.prs.set(cc.nodeId, this.newProgress(false));
      } else if (cc.type === 'addLearner') {
        if (!existing) this.prs.set(cc.nodeId, this.newProgress(true));
      } else {
        this.prs.delete(cc.nodeId);
      }
    }
  }

  confState(): ConfState {
    return { voters: this.prs.voters().sort(), learners: this.prs.learners().sort() };
  }

  // ---- persistence feedback from RawNode.advance ----

  /** Entries up to (index, term) are durable on this node: the leader may now count itself (etcd #14370). */
  onPersisted(index: LogIndex, term: Term): void {
    this.log.stableTo(index, term);
    if (this.role !== 'leader') return;
    const self = this.prs.get(this.id);
    if (self?.maybeUpdate(Math.min(index, this.stableLastIndex())) && this.maybeCommit()) this.bcastAppend();
  }

  /** Committed entries were applied: their bytes no longer count against the uncommitted limit. */
  onApplied(entries: readonly Entry[]): void {
    if (this.role !== 'leader') return;
    const size = entries.reduce((n, e) => n + entrySize(e), 0);
    this.uncommittedSize = Math.max(0, this.uncommittedSize - size);
  }

  // ---- roles ----

  private reset(term: Term): void {
    if (term !== this.term) {
      this.term = term;
      this.vote = null;
    }
    this.lead = null;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.randomizedElectionTimeout =
      this.cfg.electionTicks + Math.floor(this.cfg.random() * this.cfg.electionTicks);
    this.leadTransferee = null;
    this.votes.clear();
    for (const id of this.prs.ids()) {
      const pr = this.newProgress(this.prs.get(id)?.isLearner ?? false);
      if (id === this.id) pr.match = this.stableLastIndex();
      this.prs.set(id, pr);
    }
    this.pendingConfIndex = 0;
    this.uncommittedSize = 0;
    this.readOnly.reset();
    this.pendingReads = [];
  }

  becomeFollower(term: Term, lead: NodeId | null): void {
    this.reset(term);
    this.lead = lead;
    this.role = 'follower';
    this.tickFn = () => this.tickElection();
    this.stepFn = (m) => this.stepFollower(m);
  }

  private becomePreCandidate(): void {
    if (this.role === 'leader') throw new Error('raft: leader cannot become pre-candidate');
    // Does not touch term or vote: a pre-election disturbs no one (dissertation §9.6).
    this.votes.clear();
    this.lead = null;
    this.role = 'preCandidate';
    this.tickFn = () => this.tickElection();
    this.stepFn = (m) => this.stepCandidate(m);
  }

  private becomeCandidate(): void {
    if (this.role === 'leader') throw new Error('raft: leader cannot become candidate');
    this.reset(this.term + 1);
    this.vote = this.id;
    this.role = 'candidate';
    this.tickFn = () => this.tickElection();
    this.stepFn = (m) => this.stepCandidate(m);
  }

  private becomeLeader(): void {
    if (this.role === 'follower') throw new Error('raft: follower cannot become leader');
    this.reset(this.term);
    this.lead = this.id;
    this.role = 'leader';
    this.tickFn = () => this.tickHeartbeat();
    this.stepFn = (m) => this.stepLeader(m);
    this.prs.get(this.id)?.becomeReplicate();
    // Conservatively assume an uncommitted membership change may be in the log.
    this.pendingConfIndex = this.log.lastIndex();
    // §5.4.2: an entry of the new term commits everything before it.
    this.appendEntries([{ type: 'normal', data: new Uint8Array(0) }]);
  }

  // ---- ticks ----

  private tickElection(): void {
    this.electionElapsed++;
    if (this.prs.isVoter(this.id) && this.electionElapsed >= this.randomizedElectionTimeout) {
      this.electionElapsed = 0;
      this.hup(false);
    }
  }

  private tickHeartbeat(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    if (this.electionElapsed >= this.cfg.electionTicks) {
      this.electionElapsed = 0;
      if (this.cfg.checkQuorum && !this.prs.quorumActive(this.id)) {
        this.becomeFollower(this.term, null);
        return;
      }
      this.leadTransferee = null;
    }
    if (this.heartbeatElapsed >= this.cfg.heartbeatTicks) {
      this.heartbeatElapsed = 0;
      this.bcastHeartbeat(this.readOnly.lastContext());
    }
  }

  // ---- elections (§5.2) ----

  private hup(transfer: boolean): void {
    if (this.role === 'leader' || !this.prs.isVoter(this.id)) return;
    if (this.hasUnappliedConfChange()) return;
    if (this.cfg.preVote && !transfer) this.campaignRound('preVote', false);
    else this.campaignRound('vote', transfer);
  }

  private hasUnappliedConfChange(): boolean {
    if (this.log.committed <= this.log.applied) return false;
    const lo = Math.max(this.log.applied + 1, this.log.firstIndex());
    return this.log.slice(lo, this.log.committed + 1, Infinity).some((e) => e.type === 'confChange');
  }

  private campaignRound(kind: 'vote' | 'preVote', transfer: boolean): void {
    if (kind === 'preVote') this.becomePreCandidate();
    else this.becomeCandidate();
    const term = kind === 'preVote' ? this.term + 1 : this.term;
    this.votes.set(this.id, true);
    if (this.prs.tally(this.votes) === 'won') {
      if (kind === 'preVote') this.campaignRound('vote', transfer);
      else this.becomeLeader();
      return;
    }
    for (const id of this.prs.voters()) {
      if (id === this.id) continue;
      this.send({
        type: kind,
        to: id,
        term,
        index: this.log.lastIndex(),
        logTerm: this.log.lastTerm(),
        transfer,
      });
    }
  }

  /** §5.1 term rules, with PreVote and the CheckQuorum lease. Returns false when `m` is done with. */
  private stepTerm(m: Message): boolean {
    if (m.term === 0) return true; // forwarded local requests carry no term
    if (m.term > this.term) {
      if (m.type === 'vote' || m.type === 'preVote') {
        const inLease =
          this.cfg.checkQuorum && this.lead !== null && this.electionElapsed < this.cfg.electionTicks;
        if (inLease && !m.transfer) return false;
      }
      if (m.type === 'preVote' || (m.type === 'preVoteResp' && !m.reject)) return true;
      const lead = m.type === 'app' || m.type === 'heartbeat' || m.type === 'snap' ? m.from : null;
      this.becomeFollower(m.term, lead);
      return true;
    }
    if (m.term < this.term) {
      if ((this.cfg.checkQuorum || this.cfg.preVote) && (m.type === 'heartbeat' || m.type === 'app')) {
        // A stale leader (e.g. one that was partitioned) learns of the new term and steps down.
        this.send({
          type: 'appResp',
          to: m.from,
          term: this.term,
          index: 0,
          reject: false,
          rejectHint: 0,
          logTerm: 0,
        });
      } else if (m.type === 'preVote') {
        this.send({ type: 'preVoteResp', to: m.from, term: this.term, reject: true });
      }
      return false;
    }
    return true;
  }

  private handleVoteRequest(m: VoteMessage): void {
    const canVote =
      this.vote === m.from ||
      (this.vote === null && this.lead === null) ||
      (m.type === 'preVote' && m.term > this.term);
    const respType = m.type === 'vote' ? 'voteResp' : 'preVoteResp';
    if (canVote && this.log.isUpToDate(m.index, m.logTerm)) {
      this.send({ type: respType, to: m.from, term: m.term, reject: false });
      if (m.type === 'vote') {
        this.electionElapsed = 0;
        this.vote = m.from;
      }
    } else {
      this.send({ type: respType, to: m.from, term: this.term, reject: true });
    }
  }

  private handleVoteResponse(m: VoteResponse): void {
    const expected = this.role === 'preCandidate' ? 'preVoteResp' : 'voteResp';
    if (m.type !== expected) return;
    this.votes.set(m.from, !m.reject);
    const result = this.prs.tally(this.votes);
    if (result === 'won') {
      if (this.role === 'preCandidate') {
        this.campaignRound('vote', false);
      } else {
        this.becomeLeader();
        this.bcastAppend();
      }
    } else if (result === 'lost') {
      this.becomeFollower(this.term, null);
    }
  }

  // ---- follower and candidate ----

  private stepFollower(m: Message): void {
    switch (m.type) {
      case 'prop':
      case 'readIndex':
      case 'transferLeader':
        if (this.lead !== null) this.send({ ...m, to: this.lead });
        return;
      case 'app':
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleAppend(m);
        return;
      case 'heartbeat':
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleHeartbeat(m);
        return;
      case 'snap':
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleSnapshot(m);
        return;
      case 'timeoutNow':
        this.hup(true);
        return;
      case 'readIndexResp':
        this.readStates.push({ index: m.index, requestCtx: m.context });
        return;
      case 'appResp':
      case 'voteResp':
      case 'preVoteResp':
      case 'heartbeatResp':
      case 'vote':
      case 'preVote':
        return;
    }
  }

  private stepCandidate(m: Message): void {
    switch (m.type) {
      case 'app':
        this.becomeFollower(m.term, m.from);
        this.handleAppend(m);
        return;
      case 'heartbeat':
        this.becomeFollower(m.term, m.from);
        this.handleHeartbeat(m);
        return;
      case 'snap':
        this.becomeFollower(m.term, m.from);
        this.handleSnapshot(m);
        return;
      case 'voteResp':
      case 'preVoteResp':
        this.handleVoteResponse(m);
        return;
      case 'prop':
      case 'readIndex':
      case 'readIndexResp':
      case 'transferLeader':
      case 'timeoutNow':
      case 'appResp':
      case 'heartbeatResp':
      case 'vote':
      case 'preVote':
        return;
    }
  }

  /** §5.3: the consistency check, then append and advance commit. */
  private handleAppend(m: AppendMessage): void {
    if (m.index < this.log.committed) {
      this.reply(m, { type: 'appResp', index: this.log.committed, reject: false, rejectHint: 0, logTerm: 0 });
      return;
    }
    const lastNew = this.log.maybeAppend(m.index, m.logTerm, m.commit, m.entries);
    if (lastNew !== undefined) {
      this.reply(m, { type: 'appResp', index: lastNew, reject: false, rejectHint: 0, logTerm: 0 });
      return;
    }
    const hint = this.log.findConflictByTerm(Math.min(m.index, this.log.lastIndex()), m.logTerm);
    this.reply(m, {
      type: 'appResp',
      index: m.index,
      reject: true,
      rejectHint: hint.index,
      logTerm: hint.term,
    });
  }

  private handleHeartbeat(m: HeartbeatMessage): void {
    this.log.commitTo(Math.min(m.commit, this.log.lastIndex()));
    this.reply(m, { type: 'heartbeatResp', context: m.context });
  }

  /** §7: install the leader's snapshot unless the log already covers it. */
  private handleSnapshot(m: SnapshotMessage): void {
    const s = m.snapshot;
    if (this.restore(s)) {
      this.reply(m, {
        type: 'appResp',
        index: this.log.lastIndex(),
        reject: false,
        rejectHint: 0,
        logTerm: 0,
      });
    } else {
      this.reply(m, { type: 'appResp', index: this.log.committed, reject: false, rejectHint: 0, logTerm: 0 });
    }
  }

  private restore(s: Snapshot): boolean {
    if (s.meta.index <= this.log.committed) return false;
    if (this.log.matchTerm(s.meta.index, s.meta.term)) {
      this.log.commitTo(s.meta.index);
      return false;
    }
    this.log.restore(s);
    this.applyConfState(s.meta.confState);
    return true;
  }

  private applyConfState(cs: ConfState): void {
    for (const id of this.prs.ids()) this.prs.delete(id);
    for (const id of cs.voters) this.prs.set(id, this.newProgress(false));
    for (const id of cs.learners) this.prs.set(id, this.newProgress(true));
  }

  // ---- leader ----

  private stepLeader(m: Message): void {
    switch (m.type) {
      case 'prop':
        this.handleForwardedProposal(m.entries);
        return;
      case 'readIndex':
        this.handleReadIndex(m.from, m.context);
        return;
      case 'transferLeader':
        this.handleTransfer(m.target);
        return;
      case 'appResp':
        this.handleAppendResponse(m);
        return;
      case 'heartbeatResp':
        this.handleHeartbeatResponse(m);
        return;
      case 'app':
      case 'heartbeat':
      case 'snap':
      case 'voteResp':
      case 'preVoteResp':
      case 'timeoutNow':
      case 'readIndexResp':
      case 'vote':
      case 'preVote':
        return;
    }
  }

  private handleForwardedProposal(entries: readonly Entry[]): void {
    if (this.leadTransferee !== null || !this.prs.get(this.id)) return;
    const size = entries.reduce((n, e) => n + entrySize(e), 0);
    if (this.uncommittedSize > 0 && this.uncommittedSize + size > this.cfg.maxUncommittedEntriesBytes) return;
    const accepted = entries.map((e) => {
      if (e.type !== 'confChange') return e;
      // One membership change at a time (§6): a second one becomes a no-op entry.
      if (this.pendingConfIndex > this.log.applied)
        return { ...e, type: 'normal' as const, data: new Uint8Array(0) };
      return e;
    });
    this.appendEntries(accepted);
    this.bcastAppend();
  }

  private handleAppendResponse(m: AppendResponse): void {
    const pr = this.prs.get(m.from);
    if (!pr) return;
    pr.recentActive = true;
    if (m.reject) {
      const hint = m.logTerm > 0 ? this.log.findConflictByTerm(m.rejectHint, m.logTerm).index : m.rejectHint;
      if (pr.maybeDecrTo(m.index, hint)) {
        if (pr.state === 'replicate') pr.becomeProbe();
        this.sendAppend(m.from, true);
      }
      return;
    }
    const wasPaused = pr.isPaused();
    if (!pr.maybeUpdate(m.index) && !(pr.match === m.index && pr.state === 'probe')) return;
    if (pr.state === 'probe') pr.becomeReplicate();
    else if (pr.state === 'snapshot' && pr.match >= pr.pendingSnapshot) pr.becomeProbe();
    else if (pr.state === 'replicate') pr.inflights.freeLE(m.index);
    if (this.maybeCommit()) this.bcastAppend();
    else if (wasPaused) this.sendAppend(m.from, true);
    while (this.sendAppend(m.from, false)) {
      // keep the pipeline full while the window allows
    }
    if (m.from === this.leadTransferee && pr.match === this.log.lastIndex()) {
      this.send({ type: 'timeoutNow', to: m.from, term: this.term });
    }
  }

  private handleHeartbeatResponse(m: HeartbeatResponse): void {
    const pr = this.prs.get(m.from);
    if (!pr) return;
    pr.recentActive = true;
    pr.probeSent = false;
    if (pr.state === 'replicate' && pr.inflights.full()) pr.inflights.freeFirstOne();
    if (pr.match < this.log.lastIndex()) this.sendAppend(m.from, true);
    if (m.context === null || !this.prs.isVoter(m.from)) return;
    const done = this.readOnly.ack(m.context, m.from, (acks) => this.hasQuorum(acks));
    for (const req of done) this.answerRead(req);
  }

  private hasQuorum(acks: ReadonlySet<NodeId>): boolean {
    return this.prs.voters().filter((id) => acks.has(id)).length >= this.prs.quorum();
  }

  /** §8 / dissertation §6.4: ReadIndex. */
  private handleReadIndex(from: NodeId, context: Uint8Array): void {
    if (this.prs.voters().length === 1 && this.prs.isVoter(this.id)) {
      this.answerRead({ key: '', context, index: this.log.committed, from, acks: new Set() });
      return;
    }
    if (this.log.term(this.log.committed) !== this.term) {
      // Not yet committed an entry of this term: the commit index may be stale. Answer later.
      this.pendingReads.push({ from, context });
      return;
    }
    this.readOnly.add(context, this.log.committed, from);
    this.readOnly.ack(context, this.id, () => false);
    this.bcastHeartbeat(context);
  }

  private answerRead(req: ReadRequest): void {
    if (req.from === this.id) this.readStates.push({ index: req.index, requestCtx: req.context });
    else
      this.send({
        type: 'readIndexResp',
        to: req.from,
        term: this.term,
        index: req.index,
        context: req.context,
      });
  }

  private handleTransfer(target: NodeId): void {
    const pr = this.prs.get(target);
    if (target === this.id || !pr || pr.isLearner || this.leadTransferee === target) return;
    this.leadTransferee = target;
    this.electionElapsed = 0;
    if (pr.match === this.log.lastIndex()) this.send({ type: 'timeoutNow', to: target, term: this.term });
    else this.sendAppend(target, true);
  }

  private maybeCommit(): boolean {
    const wasInTerm = this.log.term(this.log.committed) === this.term;
    if (!this.log.maybeCommit(this.prs.committedIndex(), this.term)) return false;
    if (!wasInTerm && this.pendingReads.length > 0) {
      const reads = this.pendingReads;
      this.pendingReads = [];
      for (const r of reads) this.handleReadIndex(r.from, r.context);
    }
    return true;
  }

  private appendEntries(entries: readonly { type: Entry['type']; data: Uint8Array }[]): void {
    let index = this.log.lastIndex();
    const stamped: Entry[] = entries.map((e) => ({
      term: this.term,
      index: ++index,
      type: e.type,
      data: e.data,
    }));
    for (const e of stamped) {
      if (e.type === 'confChange' && decodeConfChange(e.data)) this.pendingConfIndex = e.index;
      this.uncommittedSize += entrySize(e);
    }
    this.log.append(stamped);
  }

  /**
   * Sends `to` the entries it lacks, or a snapshot when they are compacted. With `sendIfEmpty` false,
   * sends only when there are entries. Returns whether a message went out.
   */
  private sendAppend(to: NodeId, sendIfEmpty: boolean): boolean {
    const pr = this.prs.get(to);
    if (!pr || to === this.id || pr.isPaused()) return false;
    const prevIndex = pr.next - 1;
    const prevTerm = this.log.term(prevIndex);
    if (prevTerm === undefined || pr.next < this.log.firstIndex()) return this.sendSnapshot(to, pr);
    const entries = this.log.entriesFrom(pr.next, this.cfg.maxSizePerMsgBytes);
    if (entries.length === 0 && !sendIfEmpty) return false;
    this.send({
      type: 'app',
      to,
      term: this.term,
      index: prevIndex,
      logTerm: prevTerm,
      entries,
      commit: this.log.committed,
    });
    const last = entries.at(-1);
    if (last)
      pr.sentEntries(
        last.index,
        entries.reduce((n, e) => n + entrySize(e), 0),
      );
    else if (pr.state === 'probe') pr.probeSent = true;
    return true;
  }

  private sendSnapshot(to: NodeId, pr: Progress): boolean {
    if (!pr.recentActive) return false;
    const snapshot = this.log.snapshot();
    if (snapshot.meta.index === 0) return false;
    pr.becomeSnapshot(snapshot.meta.index);
    this.send({ type: 'snap', to, term: this.term, snapshot });
    return true;
  }

  private bcastAppend(): void {
    for (const id of this.prs.ids()) if (id !== this.id) this.sendAppend(id, true);
  }

  private bcastHeartbeat(context: Uint8Array | null): void {
    for (const [id, pr] of this.prs.progress) {
      if (id === this.id) continue;
      const commit = Math.min(pr.match, this.log.committed);
      this.send({ type: 'heartbeat', to: id, term: this.term, commit, context });
    }
  }

  // ---- helpers ----

  private newProgress(isLearner: boolean): Progress {
    return new Progress(
      this.log.lastIndex() + 1,
      isLearner,
      this.cfg.maxInflightMsgs,
      this.cfg.maxInflightBytes,
    );
  }

  /** The last index known durable on this node. */
  private stableLastIndex(): LogIndex {
    return this.log.unstable.snapshot ? this.cfg.storage.lastIndex() : this.log.unstable.offset - 1;
  }

  private reply(m: Message, out: DistributiveOmit<Outgoing, 'to' | 'term'>): void {
    this.send({ ...out, to: m.from, term: this.term });
  }

  private send(m: Outgoing): void {
    this.msgs.push({ ...m, from: this.id });
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
