/**
 * Raft settings, with their defaults in one place. Stages: `RaftConfigInput` (what the caller gives)
 * → `resolveConfig` fills defaults and validates → a frozen `RaftConfig`, read by the core only.
 */
import { InvalidConfigError } from './errors.ts';
import type { Storage } from './storage.ts';
import { logIndex, type LogIndex, type NodeId } from './types.ts';

/** What a caller gives to create a node; omitted fields take RAFT_DEFAULTS. */
export interface RaftConfigInput {
  /** This node's id. Must be non-empty. */
  readonly id: NodeId;
  /** The node's stable storage (read by the core; written only by the driver after each Ready). */
  readonly storage: Storage;
  /** A PRNG returning [0, 1): the only source of randomness (election timeouts). Never Math.random. */
  readonly random: () => number;
  /** Ticks without hearing from a leader before campaigning; each timeout is drawn from [ET, 2·ET). */
  readonly electionTicks?: number;
  /** Ticks between leader heartbeats. Must be < electionTicks. */
  readonly heartbeatTicks?: number;
  /** Run a pre-election before bumping the term, so a rejoining node cannot depose a live leader. */
  readonly preVote?: boolean;
  /** Leaders step down after an election timeout without hearing from a quorum; followers hold a lease. */
  readonly checkQuorum?: boolean;
  /** Upper bound on one append's entry bytes (one entry is always sent, however large). */
  readonly maxSizePerMsgBytes?: number;
  /** Unacknowledged appends per follower in replicate state. */
  readonly maxInflightMsgs?: number;
  /** Unacknowledged append bytes per follower in replicate state; 0 = no byte limit. */
  readonly maxInflightBytes?: number;
  /** Bytes of proposed-but-unapplied entries a leader holds before refusing proposals. */
  readonly maxUncommittedEntriesBytes?: number;
  /** Bytes of committed entries handed out in one Ready (at least one entry). */
  readonly maxCommittedSizePerReadyBytes?: number;
  /** The last index the application applied before this (re)start; 0 for a fresh node. */
  readonly applied?: number;
}

/** The settings after defaults and validation. Frozen. */
export interface RaftConfig {
  readonly id: NodeId;
  readonly storage: Storage;
  readonly random: () => number;
  readonly electionTicks: number;
  readonly heartbeatTicks: number;
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  readonly maxSizePerMsgBytes: number;
  readonly maxInflightMsgs: number;
  readonly maxInflightBytes: number;
  readonly maxUncommittedEntriesBytes: number;
  readonly maxCommittedSizePerReadyBytes: number;
  readonly applied: LogIndex;
}

const MiB = 1024 * 1024;

/** The defaults, in one place (etcd's, except the larger uncommitted-bytes bound). */
export const RAFT_DEFAULTS = Object.freeze({
  electionTicks: 10,
  heartbeatTicks: 1,
  preVote: true,
  checkQuorum: true,
  maxSizePerMsgBytes: 1 * MiB,
  maxInflightMsgs: 256,
  maxInflightBytes: 0,
  maxUncommittedEntriesBytes: 64 * MiB,
  maxCommittedSizePerReadyBytes: 16 * MiB,
  applied: 0,
});

/** Fills defaults, validates once and freezes. Throws InvalidConfigError naming the bad field. */
export function resolveConfig(input: RaftConfigInput): RaftConfig {
  const c = { ...RAFT_DEFAULTS, ...input };
  if (typeof c.id !== 'string' || c.id === '') throw new InvalidConfigError('id', c.id, 'a non-empty NodeId');
  if (typeof c.random !== 'function') throw new InvalidConfigError('random', c.random, 'a () => number PRNG');
  positiveInt('heartbeatTicks', c.heartbeatTicks);
  positiveInt('electionTicks', c.electionTicks);
  if (c.electionTicks <= c.heartbeatTicks) {
    throw new InvalidConfigError('electionTicks', c.electionTicks, `> heartbeatTicks (${c.heartbeatTicks})`);
  }
  positiveInt('maxSizePerMsgBytes', c.maxSizePerMsgBytes);
  positiveInt('maxInflightMsgs', c.maxInflightMsgs);
  nonNegativeInt('maxInflightBytes', c.maxInflightBytes);
  positiveInt('maxUncommittedEntriesBytes', c.maxUncommittedEntriesBytes);
  positiveInt('maxCommittedSizePerReadyBytes', c.maxCommittedSizePerReadyBytes);
  nonNegativeInt('applied', c.applied);
  return Object.freeze({ ...c, applied: logIndex(c.applied) });
}

function positiveInt(field: string, v: number): void {
  if (!Number.isSafeInteger(v) || v <= 0) throw new InvalidConfigError(field, v, 'an integer > 0');
}

function nonNegativeInt(field: string, v: number): void {
  if (!Number.isSafeInteger(v) || v < 0) throw new InvalidConfigError(field, v, 'an integer ≥ 0');
}
