/**
 * The plain data of the Raft core: ids, entries, persistent state, snapshots, membership changes and
 * the messages peers exchange. Everything here is serialisable as-is (the transport maps it to proto).
 */
import { InvalidArgumentError } from './errors.ts';

declare const nodeIdBrand: unique symbol;
declare const termBrand: unique symbol;
declare const logIndexBrand: unique symbol;

/** A raft member's identity (a manager's raft ID, e.g. "1"). Mint with {@link nodeId}. */
export type NodeId = string & { readonly [nodeIdBrand]: true };

/** A term (§5.1): a non-negative integer; 0 means "before any election". Mint with {@link term}. */
export type Term = number & { readonly [termBrand]: true };

/** A position in the log, from 1; 0 means "none" (or the empty log's start). Mint with {@link logIndex}. */
export type LogIndex = number & { readonly [logIndexBrand]: true };

/** Brands a non-empty string as a NodeId. Throws InvalidArgumentError on the empty string. */
export function nodeId(s: string): NodeId {
  if (typeof s !== 'string' || s === '') {
    throw new InvalidArgumentError('nodeId', s, 'a non-empty string');
  }
  return s as NodeId;
}

/** Brands a non-negative safe integer as a Term. */
export function term(n: number): Term {
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('term', n, 'an integer ≥ 0');
  return n as Term;
}

/** Brands a non-negative safe integer as a LogIndex. */
export function logIndex(n: number): LogIndex {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new InvalidArgumentError('logIndex', n, 'an integer ≥ 0');
  }
  return n as LogIndex;
}

/** The zero term and index, pre-minted. */
export const TERM_ZERO = term(0);
export const INDEX_ZERO = logIndex(0);

/** A normal entry carries application data (empty data: a leader's no-op); confChange carries a ConfChange. */
export type EntryType = 'normal' | 'confChange';

/** One log entry (§5.3). `data` is opaque to the core except for confChange entries. */
export interface Entry {
  readonly term: Term;
  readonly index: LogIndex;
  readonly type: EntryType;
  readonly data: Uint8Array;
}

/** What a proposal carries before the leader stamps it with a term and index. */
export interface ProposalEntry {
  readonly type: EntryType;
  readonly data: Uint8Array;
}

/**
 * What must be on disk before any message that depends on it leaves (Figure 2 "persistent state").
 * `commit` is persisted too so a restart does not re-learn it, but losing it is safe.
 */
export interface HardState {
  readonly term: Term;
  readonly vote: NodeId | null;
  readonly commit: LogIndex;
}

/** The hard state of a node that has never run. */
export const EMPTY_HARD_STATE: HardState = Object.freeze({ term: TERM_ZERO, vote: null, commit: INDEX_ZERO });

/** Field-wise equality of hard states. */
export function hardStateEqual(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}

/** A membership: voters count toward quorums; learners only receive the log. Disjoint, sorted. */
export interface ConfState {
  readonly voters: readonly NodeId[];
  readonly learners: readonly NodeId[];
}

/** Where a snapshot sits in the log and the membership as of that point. */
export interface SnapshotMeta {
  readonly index: LogIndex;
  readonly term: Term;
  readonly confState: ConfState;
}

/** The application state as of `meta.index` (§7); `data` is opaque to the core. */
export interface Snapshot {
  readonly meta: SnapshotMeta;
  readonly data: Uint8Array;
}

/** The snapshot of an empty log (index 0): "no snapshot". */
export const EMPTY_SNAPSHOT: Snapshot = Object.freeze({
  meta: Object.freeze({
    index: INDEX_ZERO,
    term: TERM_ZERO,
    confState: Object.freeze({ voters: [], learners: [] }),
  }),
  data: new Uint8Array(0),
});

/**
 * A single-server membership change (§6, the dissertation's §4.1 simplification): add a voter (or
 * promote an existing learner), add a learner, or remove a member. One may be in flight at a time.
 */
export interface ConfChange {
  readonly type: 'addNode' | 'addLearner' | 'removeNode';
  readonly nodeId: NodeId;
  readonly context?: Uint8Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const CONF_CHANGE_TYPES: ReadonlySet<string> = new Set(['addNode', 'addLearner', 'removeNode']);

/** The data of a confChange entry: self-describing JSON, so any node can decode it. */
export function encodeConfChange(cc: ConfChange): Uint8Array {
  const context = cc.context ? Array.from(cc.context) : undefined;
  return encoder.encode(JSON.stringify({ type: cc.type, nodeId: cc.nodeId, context }));
}

/** Decodes a confChange entry's data. Throws InvalidArgumentError when it is not one. */
export function decodeConfChange(data: Uint8Array): ConfChange {
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(data));
  } catch {
    throw new InvalidArgumentError('confChange', data.byteLength, 'JSON-encoded ConfChange data');
  }
  const r = raw as { type?: unknown; nodeId?: unknown; context?: unknown };
  if (typeof r.type !== 'string' || !CONF_CHANGE_TYPES.has(r.type) || typeof r.nodeId !== 'string') {
    throw new InvalidArgumentError('confChange', JSON.stringify(raw), '{type, nodeId}');
  }
  const base = { type: r.type as ConfChange['type'], nodeId: nodeId(r.nodeId) };
  return Array.isArray(r.context) ? { ...base, context: Uint8Array.from(r.context as number[]) } : base;
}

/** A node's role: etcd's StateFollower, StatePreCandidate, StateCandidate, StateLeader. */
export type Role = 'follower' | 'preCandidate' | 'candidate' | 'leader';

/** Volatile state worth telling the driver about when it changes; never persisted. */
export interface SoftState {
  readonly lead: NodeId | null;
  readonly role: Role;
}

/**
 * A linearizable read's answer (§8): once this node has applied up to `index`, reading its state
 * machine answers the request whose context is `requestCtx`.
 */
export interface ReadState {
  readonly index: LogIndex;
  readonly requestCtx: Uint8Array;
}

/** Bytes an entry counts for in flow control: its payload, as in etcd. */
export function entrySize(e: { readonly data: Uint8Array }): number {
  return e.data.byteLength;
}

/** Total payload bytes of some entries. */
export function entriesSize(entries: readonly { readonly data: Uint8Array }[]): number {
  let n = 0;
  for (const e of entries) n += e.data.byteLength;
  return n;
}

/** Byte-wise equality. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
