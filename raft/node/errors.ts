/** Errors of the raft driver, in the shared hierarchy (proto/shared/errors.ts). */
import { FailedPreconditionError, UnavailableError } from '../../proto/shared/errors.ts';

/** This node does not lead; retry on the leader (`leaderAddr`, when one is known). */
export class NotLeaderError extends UnavailableError {
  constructor(
    readonly leaderId: string | null,
    readonly leaderAddr: string | null,
  ) {
    super(
      leaderId === null
        ? 'raft: no leader is known'
        : `raft: not the leader; the leader is ${leaderId} at ${leaderAddr ?? 'an unknown address'}`,
    );
  }
}

/** A proposal or read was not committed/confirmed within its deadline. It may still take effect. */
export class RaftTimeoutError extends UnavailableError {
  constructor(what: string, timeoutMs: number) {
    super(`raft: ${what} not confirmed within ${timeoutMs} ms`);
  }
}

/**
 * This node stopped leading before a proposal made through it was committed. It may still take
 * effect (if it reached a majority, the new leader commits it): read, then retry if it is absent.
 */
export class LeadershipLostError extends UnavailableError {
  constructor() {
    super(
      'raft: this manager lost leadership before the change was committed; it may or may not have taken effect: check, then retry',
    );
  }
}

/** The node is stopping or stopped. */
export class RaftStoppedError extends UnavailableError {
  constructor() {
    super('raft: node is stopped');
  }
}

/** A membership change that cannot be made now (another is pending, or it would break quorum). */
export class MembershipError extends FailedPreconditionError {}
