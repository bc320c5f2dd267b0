/**
 * The data raft/storage persists. Plain structural types: raft/core uses the same shapes with branded
 * ids, terms and indexes, and its values can be handed to this module as they are (every field here is
 * readonly, so the core's readonly values fit). Reads hand back these plain types; the driver re-brands.
 */

/** A normal entry carries application data; a confChange entry carries a membership change. */
export type EntryType = 'normal' | 'confChange';

/** One log entry. `data` is opaque here; callers must not mutate it after handing it to `save`. */
export interface Entry {
  readonly term: number;
  readonly index: number;
  readonly type: EntryType;
  readonly data: Uint8Array;
}

/** What must be durable before a message depending on it is sent: current term, vote in it, commit index. */
export interface HardState {
  readonly term: number;
  readonly vote: string | null;
  readonly commit: number;
}

/** A membership: voters count toward quorums, learners only receive the log. */
export interface ConfState {
  readonly voters: readonly string[];
  readonly learners: readonly string[];
}

/** Where a snapshot sits in the log, and the membership as of that point. */
export interface SnapshotMeta {
  readonly index: number;
  readonly term: number;
  readonly confState: ConfState;
}

/** The application state as of `meta.index`; `data` is opaque here. */
export interface Snapshot {
  readonly meta: SnapshotMeta;
  readonly data: Uint8Array;
}

/**
 * A data-encryption key handed in by the caller (later the CA owns keys). `id` is written in clear in
 * every record header so that after a rotation the reader knows which key sealed a record; it must be
 * 1–255 bytes of UTF-8. `key` is 32 bytes of AES-256 key material.
 */
export interface EncryptionKey {
  readonly id: string;
  readonly key: Uint8Array;
}

/** One durable write: applied in the order snapshot, entries, hard state, in a single synced batch. */
export interface StorageUpdate {
  /** A snapshot received from the leader; replaces the log up to its index (see `applySnapshot`). */
  readonly snapshot?: Snapshot;
  /** Entries to append; any stored entries at or after the first one's index are replaced. */
  readonly entries?: readonly Entry[];
  readonly hardState?: HardState;
}

/** The hard state of a node that has never run. */
export const EMPTY_HARD_STATE: HardState = Object.freeze({ term: 0, vote: null, commit: 0 });

/** "No snapshot": index and term 0, no members, no data. */
export const EMPTY_SNAPSHOT: Snapshot = Object.freeze({
  meta: Object.freeze({
    index: 0,
    term: 0,
    confState: Object.freeze({ voters: Object.freeze([]), learners: Object.freeze([]) }),
  }),
  data: new Uint8Array(0),
});
