/**
 * Raft settings, with their defaults in one place. Parsed and frozen once when a node is created.
 */
import type { Storage } from './storage.ts';
import type { LogIndex, NodeId } from './types.ts';

export interface RaftConfigInput {
  readonly id: NodeId;
  readonly storage: Storage;
  /** A PRNG returning [0, 1): the only source of randomness (election timeouts). Never Math.random. */
  readonly random: () => number;
  /** Ticks without hearing from a leader before campaigning; the timeout is drawn from [ET, 2·ET). */
  readonly electionTicks?: number;
  /** Ticks between leader heartbeats. Must be < electionTicks. */
  readonly heartbeatTicks?: number;
  readonly preVote?: boolean;
  readonly checkQuorum?: boolean;
  /** Upper bound on one append message's entry bytes (at least one entry is always sent). */
  readonly maxSizePerMsgBytes?: number;
  /** Unacknowledged appends per follower in replicate state. */
  readonly maxInflightMsgs?: number;
  /** Unacknowledged append bytes per follower (0 = no byte limit). */
  readonly maxInflightBytes?: number;
  /** Bytes of proposed-but-not-yet-applied entries the leader accepts before refusing proposals. */
  readonly maxUncommittedEntriesBytes?: number;
  /** Bytes of committed entries handed out in one Ready. */
  readonly maxCommittedSizePerReadyBytes?: number;
  /** The last index the application has applied (when restarting). */
  readonly applied?: LogIndex;
}

export type RaftConfig = Required<RaftConfigInput>;

export const RAFT_DEFAULTS = Object.freeze({
  electionTicks: 10,
  heartbeatTicks: 1,
  preVote: true,
  checkQuorum: true,
  maxSizePerMsgBytes: 1024 * 1024,
  maxInflightMsgs: 256,
  maxInflightBytes: 0,
  maxUncommittedEntriesBytes: 64 * 1024 * 1024,
  maxCommittedSizePerReadyBytes: 16 * 1024 * 1024,
  applied: 0,
});

/** Fills defaults and validates; throws on settings that cannot work. */
export function resolveConfig(input: RaftConfigInput): Readonly<RaftConfig> {
  const c: RaftConfig = { ...RAFT_DEFAULTS, ...input };
  if (c.heartbeatTicks <= 0) throw new Error('raft: heartbeatTicks must be > 0');
  if (c.electionTicks <= c.heartbeatTicks) throw new Error('raft: electionTicks must be > heartbeatTicks');
  if (c.maxInflightMsgs <= 0) throw new Error('raft: maxInflightMsgs must be > 0');
  if (c.maxSizePerMsgBytes <= 0) throw new Error('raft: maxSizePerMsgBytes must be > 0');
  if (c.maxUncommittedEntriesBytes <= 0) throw new Error('raft: maxUncommittedEntriesBytes must be > 0');
  return Object.freeze(c);
}
