/**
 * The plain data of the Raft core: entries, persistent state, snapshots, membership changes and the
 * messages peers exchange. Everything here is serialisable as-is (the transport maps it to proto).
 */

declare const nodeIdBrand: unique symbol;

/** A raft member's identity (a manager's raft ID). Mint with {@link nodeId}. */
export type NodeId = string & { readonly [nodeIdBrand]: true };

/** Brands a non-empty string as a NodeId. */
export function nodeId(s: string): NodeId {
  if (s === '') throw new Error('raft: empty node id');
  return s as NodeId;
}

/** A term (§5.1). Plain numbers: terms and indexes are compared and incremented everywhere. */
export type Term = number;
/** A position in the log, from 1; 0 means "none". */
export type LogIndex = number;

export type EntryType = 'normal' | 'confChange';

export interface Entry {
  readonly term: Term;
  readonly index: LogIndex;
  readonly type: EntryType;
  readonly data: Uint8Array;
}

/** What must be on disk before any message that depends on it leaves (§5.1, Figure 2 "persistent state"). */
export interface HardState {
  readonly term: Term;
  readonly vote: NodeId | null;
  readonly commit: LogIndex;
}

export const EMPTY_HARD_STATE: HardState = Object.freeze({ term: 0, vote: null, commit: 0 });

export function hardStateEqual(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}

export interface ConfState {
  readonly voters: readonly NodeId[];
  readonly learners: readonly NodeId[];
}

export interface SnapshotMeta {
  readonly index: LogIndex;
  readonly term: Term;
  readonly confState: ConfState;
}

export interface Snapshot {
  readonly meta: SnapshotMeta;
  readonly data: Uint8Array;
}

export const EMPTY_SNAPSHOT: Snapshot = Object.freeze({
  meta: Object.freeze({ index: 0, term: 0, confState: Object.freeze({ voters: [], learners: [] }) }),
  data: new Uint8Array(0),
});

/**
 * A single-server membership change (§6 of the dissertation's simplification): add a voter (or promote
 * a learner), add a learner, or remove a member.
 */
export interface ConfChange {
  readonly type: 'addNode' | 'addLearner' | 'removeNode';
  readonly nodeId: NodeId;
  readonly context?: Uint8Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The data of a confChange entry. */
export function encodeConfChange(cc: ConfChange): Uint8Array {
  const context = cc.context ? Array.from(cc.context) : undefined;
  return encoder.encode(JSON.stringify({ type: cc.type, nodeId: cc.nodeId, context }));
}

export function decodeConfChange(data: Uint8Array): ConfChange {
  const raw = JSON.parse(decoder.decode(data)) as {
    type: ConfChange['type'];
    nodeId: string;
    context?: number[];
  };
  const base = { type: raw.type, nodeId: nodeId(raw.nodeId) };
  return raw.context ? { ...base, context: Uint8Array.from(raw.context) } : base;
}

export type Role = 'follower' | 'preCandidate' | 'candidate' | 'leader';

/** Volatile state worth telling the driver about when it changes. */
export interface SoftState {
  readonly lead: NodeId | null;
  readonly role: Role;
}

/** A linearizable read's answer: reading the state machine at or after `index` is linearizable. */
export interface ReadState {
  readonly index: LogIndex;
  readonly requestCtx: Uint8Array;
}

interface Envelope {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly term: Term;
}

/** AppendEntries (§5.3): entries after (index, logTerm), and the leader's commit. */
export interface AppendMessage extends Envelope {
  readonly type: 'app';
  readonly index: LogIndex;
  readonly logTerm: Term;
  readonly entries: readonly Entry[];
  readonly commit: LogIndex;
}

/** AppendEntries reply. On reject, `rejectHint`/`logTerm` point at where the follower's log may match. */
export interface AppendResponse extends Envelope {
  readonly type: 'appResp';
  readonly index: LogIndex;
  readonly reject: boolean;
  readonly rejectHint: LogIndex;
  readonly logTerm: Term;
}

/** RequestVote (§5.2) or its PreVote twin. `transfer` bypasses leases during leadership transfer. */
export interface VoteMessage extends Envelope {
  readonly type: 'vote' | 'preVote';
  readonly index: LogIndex;
  readonly logTerm: Term;
  readonly transfer: boolean;
}

export interface VoteResponse extends Envelope {
  readonly type: 'voteResp' | 'preVoteResp';
  readonly reject: boolean;
}

/** Heartbeat: commit is min(follower's match, leader's commit); context carries ReadIndex rounds. */
export interface HeartbeatMessage extends Envelope {
  readonly type: 'heartbeat';
  readonly commit: LogIndex;
  readonly context: Uint8Array | null;
}

export interface HeartbeatResponse extends Envelope {
  readonly type: 'heartbeatResp';
  readonly context: Uint8Array | null;
}

/** InstallSnapshot (§7). The transport streams `snapshot.data` separately in chunks. */
export interface SnapshotMessage extends Envelope {
  readonly type: 'snap';
  readonly snapshot: Snapshot;
}

/** Tells the transfer target to campaign at once (leadership transfer, dissertation §3.10). */
export interface TimeoutNowMessage extends Envelope {
  readonly type: 'timeoutNow';
}

/** A proposal forwarded by a follower to the leader. */
export interface ProposalMessage extends Envelope {
  readonly type: 'prop';
  readonly entries: readonly Entry[];
}

/** A ReadIndex request forwarded by a follower to the leader (§8). */
export interface ReadIndexMessage extends Envelope {
  readonly type: 'readIndex';
  readonly context: Uint8Array;
}

export interface ReadIndexResponse extends Envelope {
  readonly type: 'readIndexResp';
  readonly index: LogIndex;
  readonly context: Uint8Array;
}

/** A leadership-transfer request forwarded by a follower to the leader. */
export interface TransferLeaderMessage extends Envelope {
  readonly type: 'transferLeader';
  readonly target: NodeId;
}

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

export type MessageType = Message['type'];

/** Bytes an entry counts for in flow control (its payload). */
export function entrySize(e: Entry): number {
  return e.data.byteLength;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
