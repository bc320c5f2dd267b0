/**
 * Errors of the Raft core. Each has a stable `code` the driver branches on; none is retried by the core.
 */
export type RaftErrorCode =
  | 'ProposalDropped'
  | 'ConfChangePending'
  | 'Compacted'
  | 'Unavailable'
  | 'SnapshotOutOfDate'
  | 'InvalidMessage'
  | 'NoClusterState';

export class RaftError extends Error {
  constructor(
    readonly code: RaftErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RaftError';
  }
}

/**
 * A proposal was refused: no leader is known, a leadership transfer is under way, or the leader's
 * uncommitted bytes would pass `maxUncommittedEntriesBytes`. Refused, never queued: retry later.
 */
export class ProposalDroppedError extends RaftError {
  constructor(readonly reason: 'noLeader' | 'transferring' | 'uncommittedLimit' | 'notMember') {
    super('ProposalDropped', `raft: proposal dropped (${reason})`);
  }
}

/** A membership change was proposed while another is still uncommitted or unapplied (§6). */
export class ConfChangePendingError extends RaftError {
  constructor(readonly pendingIndex: number) {
    super('ConfChangePending', `raft: a membership change is already pending at index ${pendingIndex}`);
  }
}

/** The requested entries were compacted into a snapshot. */
export class CompactedError extends RaftError {
  constructor(readonly index: number) {
    super('Compacted', `raft: index ${index} is compacted`);
  }
}

/** The requested entries are past the end of the log. */
export class UnavailableError extends RaftError {
  constructor(readonly index: number) {
    super('Unavailable', `raft: index ${index} is not in the log`);
  }
}

/** A snapshot older than the storage's current one was offered. */
export class SnapshotOutOfDateError extends RaftError {
  constructor(readonly index: number) {
    super('SnapshotOutOfDate', `raft: snapshot at ${index} is older than the current one`);
  }
}

/** A new cluster was forced from a node that holds no committed state (nothing to keep). */
export class NoClusterStateError extends RaftError {
  constructor() {
    super('NoClusterState', 'raft: cannot force a new cluster: this node holds no committed raft state');
  }
}
