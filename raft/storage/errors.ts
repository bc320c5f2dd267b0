/**
 * Errors of raft/storage. Every message starts with `raft log <dir>:` so an operator knows which
 * database is meant. Base classes in proto/shared/errors.ts pick the HTTP/gRPC status and `retryable`.
 */
import {
  FailedPreconditionError,
  InternalError,
  InvalidArgumentError,
  UnauthenticatedError,
} from '../../proto/shared/errors.ts';

/**
 * A stored record failed to authenticate, decrypt or parse, or the log has a hole. Thrown by
 * `DurableStorage.open` (everything is read and checked there); bad data is never served.
 * `record` names it as in the message (`entry 1234`, `hard state`, `snapshot chunk 3 of snapshot 500`).
 */
export class CorruptRecordError extends InternalError {
  constructor(
    readonly dir: string,
    readonly record: string,
    readonly reason: string,
    /** The log index for entry records, else null. */
    readonly index: number | null = null,
    options?: ErrorOptions,
  ) {
    super(`raft log ${dir}: ${record} is corrupt (${reason})`, options);
  }
}

/**
 * The key given to `open` cannot read the database: a record names a key id that was not given, or
 * the key-check record does not authenticate under the given key (same id, different key material).
 */
export class WrongKeyError extends UnauthenticatedError {
  constructor(
    readonly dir: string,
    /** The key id the database (or `record`) says it was sealed with. */
    readonly storedKeyId: string,
    /** The key ids that were given. */
    readonly givenKeyIds: readonly string[],
    readonly record: string,
  ) {
    const given = givenKeyIds.map((id) => JSON.stringify(id)).join(', ');
    super(
      storedKeyId === '' || givenKeyIds.includes(storedKeyId)
        ? `raft log ${dir}: ${record} does not authenticate under key ${JSON.stringify(storedKeyId)}: wrong key material for that id`
        : `raft log ${dir}: ${record} is sealed with key ${JSON.stringify(storedKeyId)}, but only key ${given} was given`,
    );
  }
}

/** An `EncryptionKey` or option is unusable (key not 32 bytes, id empty or over 255 bytes). */
export class StorageOptionError extends InvalidArgumentError {
  constructor(
    field: string,
    readonly value: unknown,
    want: string,
  ) {
    super(`raft storage: option ${field} is ${JSON.stringify(value)}: want ${want}`, field);
  }
}

/** Which raft/core error a read error stands for, so the driver can translate without parsing text. */
export type LogReadFailure = 'Compacted' | 'Unavailable';

/** A read asked for an index below firstIndex() (term(): below firstIndex()-1); it is in the snapshot. */
export class LogCompactedError extends FailedPreconditionError {
  readonly raftCode: LogReadFailure = 'Compacted';
  constructor(
    readonly dir: string,
    readonly index: number,
    readonly firstIndex: number,
  ) {
    super(`raft log ${dir}: index ${index} is compacted (first index ${firstIndex})`);
  }
}

/** A read or a snapshot asked for an index past lastIndex() (entries(): hi past lastIndex()+1). */
export class LogUnavailableError extends FailedPreconditionError {
  readonly raftCode: LogReadFailure = 'Unavailable';
  constructor(
    readonly dir: string,
    readonly index: number,
    readonly lastIndex: number,
  ) {
    super(`raft log ${dir}: index ${index} is not in the log (last index ${lastIndex})`);
  }
}

/** `save` was given entries that are not consecutive or that would leave a gap after lastIndex(). */
export class InvalidAppendError extends InvalidArgumentError {
  constructor(
    readonly dir: string,
    readonly index: number,
    reason: string,
  ) {
    super(`raft log ${dir}: cannot append entry ${index}: ${reason}`, 'entries');
  }
}

/** A snapshot at or below the current one was created, or one below it was applied. */
export class SnapshotOutOfDateError extends FailedPreconditionError {
  constructor(
    readonly dir: string,
    readonly index: number,
    readonly currentIndex: number,
  ) {
    super(`raft log ${dir}: snapshot at ${index} is older than the current one at ${currentIndex}`);
  }
}

/** `compact(index)` past the latest snapshot: the entries would be lost, not folded into a snapshot. */
export class CompactPastSnapshotError extends FailedPreconditionError {
  constructor(
    readonly dir: string,
    readonly index: number,
    readonly snapshotIndex: number,
  ) {
    super(`raft log ${dir}: cannot compact to ${index}: the latest snapshot is at ${snapshotIndex}`);
  }
}

/** A write after `close()`, or after a failed write left the storage in an unknown state. */
export class StorageClosedError extends FailedPreconditionError {
  constructor(
    readonly dir: string,
    readonly operation: string,
    readonly state: 'closed' | 'failed',
  ) {
    super(
      state === 'closed'
        ? `raft log ${dir}: cannot ${operation}: the storage is closed`
        : `raft log ${dir}: cannot ${operation}: an earlier write failed; reopen the storage`,
    );
  }
}

/** LevelDB failed: the database could not be opened (locked, unreadable) or a batch did not commit. */
export class StorageIOError extends InternalError {
  constructor(
    readonly dir: string,
    readonly operation: string,
    detail: string,
    cause: unknown,
  ) {
    super(`raft log ${dir}: ${operation} failed: ${detail}`, { cause });
  }
}
