/**
 * The messages Raft peers exchange: a plain-data union tagged on `type`, so the transport can map
 * each to proto and back. Every message names `from`, `to` and the sender's `term`.
 *
 * Requests a follower forwards to its leader on a client's behalf ('prop', 'readIndex',
 * 'transferLeader') carry term 0, as etcd's MsgProp and MsgReadIndex do: they are not part of the
 * protocol's term rules (§5.1), so they never bump or get rejected by a term.
 */
import type { Entry, LogIndex, NodeId, ProposalEntry, Snapshot, Term } from './types.ts';

/** The fields every message has. */
export interface Envelope {
  readonly from: NodeId;
  readonly to: NodeId;
  /** The sender's term; 0 only on forwarded client requests. */
  readonly term: Term;
}

/** AppendEntries (§5.3): `entries` follow the entry at (index, logTerm); `commit` is the leader's. */
export interface AppendMessage extends Envelope {
  readonly type: 'app';
  readonly index: LogIndex;
  readonly logTerm: Term;
  readonly entries: readonly Entry[];
  readonly commit: LogIndex;
}

/**
 * AppendEntries reply. Accepted: `index` is the follower's last matching index. Rejected: `index` is
 * the rejected append's `index`, and (`rejectHint`, `logTerm`) the follower's last entry whose term is
 * ≤ the append's logTerm — where the logs may match (the fast back-off of §5.3's last paragraph).
 */
export interface AppendResponse extends Envelope {
  readonly type: 'appResp';
  readonly index: LogIndex;
  readonly reject: boolean;
  readonly rejectHint: LogIndex;
  readonly logTerm: Term;
}

/**
 * RequestVote (§5.2) or its PreVote twin (dissertation §9.6). (index, logTerm) are the candidate's
 * last entry (§5.4.1). A PreVote carries the term the candidate would campaign in. `transfer` marks a
 * campaign started by leadership transfer, which voters grant even while they hear from a leader.
 */
export interface VoteMessage extends Envelope {
  readonly type: 'vote' | 'preVote';
  readonly index: LogIndex;
  readonly logTerm: Term;
  readonly transfer: boolean;
}

/** A vote (or pre-vote) granted or refused. A grant carries the request's term. */
export interface VoteResponse extends Envelope {
  readonly type: 'voteResp' | 'preVoteResp';
  readonly reject: boolean;
}

/**
 * Heartbeat: `commit` is min(the follower's match, the leader's commit), so a follower never commits
 * an entry it may not have. `context` carries the newest pending ReadIndex round (§8), if any.
 */
export interface HeartbeatMessage extends Envelope {
  readonly type: 'heartbeat';
  readonly commit: LogIndex;
  readonly context: Uint8Array | null;
}

/** Heartbeat reply, echoing the heartbeat's context. */
export interface HeartbeatResponse extends Envelope {
  readonly type: 'heartbeatResp';
  readonly context: Uint8Array | null;
}

/** InstallSnapshot (§7). The transport may stream `snapshot.data` in chunks. Answered by 'appResp'. */
export interface SnapshotMessage extends Envelope {
  readonly type: 'snap';
  readonly snapshot: Snapshot;
}

/** Tells a caught-up transfer target to campaign at once (dissertation §3.10). */
export interface TimeoutNowMessage extends Envelope {
  readonly type: 'timeoutNow';
}

/** A proposal a follower forwards to its leader (term 0). */
export interface ProposalMessage extends Envelope {
  readonly type: 'prop';
  readonly entries: readonly ProposalEntry[];
}

/** A ReadIndex request a follower forwards to its leader (term 0, §8). */
export interface ReadIndexMessage extends Envelope {
  readonly type: 'readIndex';
  readonly context: Uint8Array;
}

/** The leader's answer to a forwarded ReadIndex: read once applied up to `index`. */
export interface ReadIndexResponse extends Envelope {
  readonly type: 'readIndexResp';
  readonly index: LogIndex;
  readonly context: Uint8Array;
}

/** A leadership-transfer request a follower forwards to its leader (term 0). */
export interface TransferLeaderMessage extends Envelope {
  readonly type: 'transferLeader';
  readonly target: NodeId;
}

/** Every message of the protocol. Switch on `type`. */
export type Message =
  | AppendMessage
  | AppendResponse
  | VoteMessage
  | VoteResponse
  | HeartbeatMessage
  | HeartbeatResponse
  | SnapshotMessage
  | TimeoutNowMessage
  | ProposalMessage
  | ReadIndexMessage
  | ReadIndexResponse
  | TransferLeaderMessage;

/** The tag of a Message. */
export type MessageType = Message['type'];

/** The message of a given tag. */
export type MessageOf<T extends MessageType> = Extract<Message, { readonly type: T }>;

/** Messages a node sends in answer to one of its own requests: only members may send them. */
export const RESPONSE_TYPES: ReadonlySet<MessageType> = new Set<MessageType>([
  'appResp',
  'voteResp',
  'preVoteResp',
  'heartbeatResp',
]);

/** Forwarded client requests, which carry term 0. */
export const FORWARDED_TYPES: ReadonlySet<MessageType> = new Set<MessageType>([
  'prop',
  'readIndex',
  'transferLeader',
]);
