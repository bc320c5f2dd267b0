/**
 * Errors of the raft transport. Sending never throws (failures are reported through `onUnreachable` and
 * `onSnapshotStatus`); these are thrown by the API for misuse, and returned to peers as gRPC statuses
 * by the service (their base classes in proto/shared/errors.ts pick the status code).
 */
import {
  FailedPreconditionError,
  InvalidArgumentError,
  UnavailableError,
} from '../../proto/shared/errors.ts';

/** An option given to `new RaftTransport()` is out of range; `field` names it. */
export class TransportOptionError extends InvalidArgumentError {
  constructor(
    field: string,
    readonly value: unknown,
    want: string,
  ) {
    super(`raft transport: option ${field} is ${JSON.stringify(value)}: want ${want}`, field);
  }
}

/** A peer was given an unusable identity or address (empty, or this node's own ID). */
export class InvalidPeerError extends InvalidArgumentError {
  constructor(
    readonly peerId: string,
    readonly addr: string,
    reason: string,
  ) {
    super(`raft transport: peer ${JSON.stringify(peerId)} at ${JSON.stringify(addr)}: ${reason}`, 'peer');
  }
}

/**
 * A lifecycle call came in the wrong state: `start()` after `stop()`, `listen()` twice or after stop.
 * The transport is single-use; make a new one.
 */
export class TransportStateError extends FailedPreconditionError {
  constructor(
    readonly operation: string,
    readonly state: string,
  ) {
    super(`raft transport: cannot ${operation} while ${state}`);
  }
}

/**
 * Returned to a peer whose stream arrives while this transport is not running (not started yet,
 * stopping, or destroyed). Retryable: the peer backs off and reconnects.
 */
export class TransportNotRunningError extends UnavailableError {
  constructor(readonly state: string) {
    super(`raft transport: not accepting raft traffic (${state})`);
  }
}

/**
 * Returned to a peer that sent traffic meant for another node: the address it dialled belongs to a
 * different member (a stale address book). The peer sees its stream fail and reports us unreachable.
 */
export class MisaddressedError extends FailedPreconditionError {
  constructor(
    readonly to: string,
    readonly selfId: string,
  ) {
    super(`raft transport: message addressed to ${JSON.stringify(to)} reached ${JSON.stringify(selfId)}`);
  }
}

/**
 * A snapshot stream broke the chunking rules: the first chunk must carry the message and total_bytes,
 * offsets must be contiguous, every chunk must agree on total_bytes, and the data must add up to it.
 */
export class SnapshotChunkError extends InvalidArgumentError {
  constructor(
    message: string,
    readonly offset: number,
    readonly expected: number,
  ) {
    super(`raft transport: snapshot chunk at offset ${offset}: ${message} (expected ${expected})`, 'offset');
  }
}
