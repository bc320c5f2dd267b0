/**
 * What the core reads from stable storage. Reads are synchronous: durable implementations keep an
 * in-memory mirror of what they have synced. Only the driver writes, after each Ready.
 */
import { CompactedError, SnapshotOutOfDateError, UnavailableError } from './errors.ts';
import {
  encodeConfChange,
  EMPTY_HARD_STATE,
  EMPTY_SNAPSHOT,
  entrySize,
  type ConfState,
  type Entry,
  type HardState,
  type LogIndex,
  type Snapshot,
  type Term,
} from './types.ts';

export interface Storage {
  /** The persisted hard state and the membership as of the last snapshot (or none). */
  initialState(): { hardState: HardState; confState: ConfState };
  /**
   * Entries [lo, hi), at most `maxBytes` in total but always at least one. Throws CompactedError when
   * lo is at or below the snapshot, UnavailableError when hi is past lastIndex()+1.
   */
  entries(lo: LogIndex, hi: LogIndex, maxBytes: number): Entry[];
  /** The term of entry i; valid from firstIndex()-1 (the snapshot's index) to lastIndex(). */
  term(i: LogIndex): Term;
  firstIndex(): LogIndex;
  lastIndex(): LogIndex;
  snapshot(): Snapshot;
}

/** The log entries that create a cluster's first configuration (see MemoryStorage.bootstrap). */
export function bootstrapEntries(voters: ConfState['voters']): Entry[] {
  return [...voters].sort().map((id, i) => ({
    term: 1,
    index: i + 1,
    type: 'confChange' as const,
    data: encodeConfChange({ type: 'addNode', nodeId: id }),
  }));
}

/** Takes entries from the front while they fit in maxBytes (at least one). */
export function limitSize(entries: Entry[], maxBytes: number): Entry[] {
  if (entries.length === 0) return entries;
  let size = entrySize(entries[0] as Entry);
  let n = 1;
  for (; n < entries.length; n++) {
    size += entrySize(entries[n] as Entry);
    if (size > maxBytes) break;
  }
  return n === entries.length ? entries : entries.slice(0, n);
}

/**
 * Storage in memory: the simulator's disk and the reference for durable implementations. `ents[0]` is
 * a dummy entry holding the snapshot's index and term.
 */
export class MemoryStorage implements Storage {
  private hardState: HardState = EMPTY_HARD_STATE;
  private snap: Snapshot = EMPTY_SNAPSHOT;
  private ents: Entry[] = [{ term: 0, index: 0, type: 'normal', data: new Uint8Array(0) }];

  /**
   * A storage for a member of a brand-new cluster of `voters`: the first configuration is written as
   * committed addNode entries (indexes 1..n, term 1), so members that join later learn it from the log.
   */
  static bootstrap(voters: ConfState['voters']): MemoryStorage {
    const s = new MemoryStorage();
    s.append(bootstrapEntries(voters));
    s.setHardState({ term: 1, vote: null, commit: voters.length });
    return s;
  }

  initialState(): { hardState: HardState; confState: ConfState } {
    return { hardState: this.hardState, confState: this.snap.meta.confState };
  }

  setHardState(hs: HardState): void {
    this.hardState = hs;
  }

  private get offset(): number {
    return (this.ents[0] as Entry).index;
  }

  entries(lo: LogIndex, hi: LogIndex, maxBytes: number): Entry[] {
    if (lo <= this.offset) throw new CompactedError(lo);
    if (hi > this.lastIndex() + 1) throw new UnavailableError(hi);
    return limitSize(this.ents.slice(lo - this.offset, hi - this.offset), maxBytes);
  }

  term(i: LogIndex): Term {
    if (i < this.offset) throw new CompactedError(i);
    if (i - this.offset >= this.ents.length) throw new UnavailableError(i);
    return (this.ents[i - this.offset] as Entry).term;
  }

  firstIndex(): LogIndex {
    return this.offset + 1;
  }

  lastIndex(): LogIndex {
    return this.offset + this.ents.length - 1;
  }

  snapshot(): Snapshot {
    return this.snap;
  }

  /** Replaces everything with a snapshot received from the leader. */
  applySnapshot(snap: Snapshot): void {
    if (snap.meta.index < this.snap.meta.index) throw new SnapshotOutOfDateError(snap.meta.index);
    this.snap = snap;
    this.ents = [{ term: snap.meta.term, index: snap.meta.index, type: 'normal', data: new Uint8Array(0) }];
  }

  /** Records a snapshot of the applied state at `index` (≤ lastIndex). Entries stay until compact(). */
  createSnapshot(index: LogIndex, confState: ConfState, data: Uint8Array): Snapshot {
    if (index <= this.snap.meta.index) throw new SnapshotOutOfDateError(index);
    if (index > this.lastIndex()) throw new UnavailableError(index);
    this.snap = { meta: { index, term: this.term(index), confState }, data };
    return this.snap;
  }

  /** Drops entries up to and including `index` (which must be ≤ the applied index). */
  compact(index: LogIndex): void {
    if (index <= this.offset) return;
    if (index > this.lastIndex()) throw new UnavailableError(index);
    const i = index - this.offset;
    const head = this.ents[i] as Entry;
    this.ents = [
      { term: head.term, index: head.index, type: 'normal', data: new Uint8Array(0) },
      ...this.ents.slice(i + 1),
    ];
  }

  /** Appends entries, replacing any conflicting suffix. Entries must follow on from the log. */
  append(entries: readonly Entry[]): void {
    if (entries.length === 0) return;
    const first = (entries[0] as Entry).index;
    if (first > this.lastIndex() + 1) throw new UnavailableError(first);
    const last = first + entries.length - 1;
    if (last <= this.offset) return;
    const kept = first <= this.offset ? entries.slice(this.offset + 1 - first) : entries;
    const from = (kept[0] as Entry).index - this.offset;
    this.ents = [...this.ents.slice(0, from), ...kept];
  }
}
