/**
 * Errors of the Raft core. Each has a stable `code` the driver branches on and a `retryable` field
 * saying whether the same call may succeed later unchanged; none is retried by the core itself.
 * Broken invariants (a bug, or corrupted storage) throw plain `Error`s and must take the node down.
 */

/** Every code a RaftError can carry. */
export type RaftErrorCode =
  | 'ProposalDropped'
  | 'ReadIndexDropped'
  | 'ConfChangePending'
  | 'InvalidConfChange'
  | 'Compacted'
  | 'Unavailable'
  | 'SnapshotTemporarilyUnavailable'
  | 'SnapshotOutOfDate'
  | 'InvalidMessage'
  | 'InvalidConfig'
  | 'InvalidArgument';

/** The base of every error the core throws on purpose. */
export class RaftError extends Error {
  constructor(
    readonly code: RaftErrorCode,
    readonly retryable: boolean,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Why a proposal was refused. */
export type ProposalDropReason = 'noLeader' | 'transferring' | 'uncommittedLimit' | 'notMember';

/**
 * Thrown by propose()/proposeConfChange() when the proposal cannot be accepted now: no leader is known,
 * a leadership transfer is under way, the leader's uncommitted bytes would pass
 * `maxUncommittedEntriesBytes`, or the leader is no longer a member. Refused, never queued: retry later.
 */
export class ProposalDroppedError extends RaftError {
  constructor(readonly reason: ProposalDropReason) {
    super('ProposalDropped', true, `raft: proposal dropped (reason=${reason})`);
  }
}

/** Thrown by readIndex() when no leader is known to confirm the read. Retry once one is elected. */
export class ReadIndexDroppedError extends RaftError {
  constructor(readonly reason: 'noLeader') {
    super('ReadIndexDropped', true, `raft: read index dropped (reason=${reason})`);
  }
}

/**
 * Thrown by proposeConfChange() on a leader while an earlier membership change is uncommitted or
 * unapplied (§6: one change at a time). Retry after `pendingIndex` is applied.
 */
export class ConfChangePendingError extends RaftError {
  constructor(readonly pendingIndex: LogIndexLike) {
    super('ConfChangePending', true, `raft: membership change pending at index ${pendingIndex}`);
  }
}

/** Thrown by proposeConfChange() for a change that can never apply (e.g. removing the last voter). */
export class InvalidConfChangeError extends RaftError {
  constructor(readonly detail: string) {
    super('InvalidConfChange', false, `raft: invalid membership change: ${detail}`);
  }
}

/** Storage: the requested index was compacted into a snapshot (etcd's ErrCompacted). */
export class CompactedError extends RaftError {
  constructor(readonly index: LogIndexLike) {
    super('Compacted', false, `raft: index ${index} is compacted`);
  }
}

/** Storage: the requested index is past the end of the log (etcd's ErrUnavailable). */
export class UnavailableError extends RaftError {
  constructor(readonly index: LogIndexLike) {
    super('Unavailable', false, `raft: index ${index} is unavailable`);
  }
}

/**
 * Storage: the snapshot is being prepared and cannot be read now (etcd's
 * ErrSnapshotTemporarilyUnavailable). The leader skips sending one and tries again later.
 */
export class SnapshotTemporarilyUnavailableError extends RaftError {
  constructor() {
    super('SnapshotTemporarilyUnavailable', true, 'raft: snapshot is temporarily unavailable');
  }
}

/** Storage: a snapshot older than the current one was offered (etcd's ErrSnapOutOfDate). */
export class SnapshotOutOfDateError extends RaftError {
  constructor(readonly index: LogIndexLike) {
    super('SnapshotOutOfDate', false, `raft: snapshot at index ${index} is older than the current one`);
  }
}

/** Thrown by step() for a message that is malformed or addressed to another node (a transport bug). */
export class InvalidMessageError extends RaftError {
  constructor(
    readonly field: string,
    readonly value: unknown,
  ) {
    super('InvalidMessage', false, `raft: invalid message: ${field}=${safeString(value)}`);
  }
}

/** Thrown when creating a node with settings that cannot work. */
export class InvalidConfigError extends RaftError {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(
      'InvalidConfig',
      false,
      `raft: invalid config: ${field}=${safeString(value)}, expected ${expected}`,
    );
  }
}

/** Thrown by the id/term/index minting helpers and other argument checks. */
export class InvalidArgumentError extends RaftError {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super('InvalidArgument', false, `raft: ${field}=${safeString(value)}, expected ${expected}`);
  }
}

/** Errors are declared before the branded types; an index is just printed. */
type LogIndexLike = number;

function safeString(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  try {
    return JSON.stringify(v) ?? typeof v;
  } catch {
    return typeof v;
  }
}
