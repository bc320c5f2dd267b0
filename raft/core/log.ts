/**
 * The node's view of the log (§5.3): stable entries in Storage plus the unstable tail (and possibly a
 * snapshot) not yet persisted, with the commit and applied indexes.
 */
import { CompactedError, UnavailableError } from './errors.ts';
import { limitSize, type Storage } from './storage.ts';
import type { Entry, LogIndex, Snapshot, Term } from './types.ts';

/** Entries and snapshot not yet written to stable storage. `offset` is the index of entries[0]. */
class Unstable {
  snapshot: Snapshot | null = null;
  entries: Entry[] = [];

  constructor(public offset: LogIndex) {}

  maybeFirstIndex(): LogIndex | undefined {
    return this.snapshot ? this.snapshot.meta.index + 1 : undefined;
  }

  maybeLastIndex(): LogIndex | undefined {
    if (this.entries.length > 0) return this.offset + this.entries.length - 1;
    return this.snapshot?.meta.index;
  }

  maybeTerm(i: LogIndex): Term | undefined {
    if (i < this.offset) return this.snapshot?.meta.index === i ? this.snapshot.meta.term : undefined;
    const last = this.maybeLastIndex();
    if (last === undefined || i > last) return undefined;
    return this.entries[i - this.offset]?.term;
  }

  stableTo(i: LogIndex, t: Term): void {
    if (this.maybeTerm(i) === t && i >= this.offset) {
      this.entries = this.entries.slice(i + 1 - this.offset);
      this.offset = i + 1;
    }
  }

  stableSnapTo(i: LogIndex): void {
    if (this.snapshot?.meta.index === i) this.snapshot = null;
  }

  restore(s: Snapshot): void {
    this.offset = s.meta.index + 1;
    this.entries = [];
    this.snapshot = s;
  }

  truncateAndAppend(ents: readonly Entry[]): void {
    const after = (ents[0] as Entry).index;
    if (after === this.offset + this.entries.length) {
      this.entries.push(...ents);
    } else if (after <= this.offset) {
      this.offset = after;
      this.entries = [...ents];
    } else {
      this.entries = [...this.entries.slice(0, after - this.offset), ...ents];
    }
  }
}

export class RaftLog {
  readonly unstable: Unstable;
  committed: LogIndex;
  applied: LogIndex;

  constructor(
    readonly storage: Storage,
    readonly maxBytesPerMsg: number,
  ) {
    const first = storage.firstIndex();
    const last = storage.lastIndex();
    this.unstable = new Unstable(last + 1);
    this.committed = first - 1;
    this.applied = first - 1;
  }

  firstIndex(): LogIndex {
    return this.unstable.maybeFirstIndex() ?? this.storage.firstIndex();
  }

  lastIndex(): LogIndex {
    return this.unstable.maybeLastIndex() ?? this.storage.lastIndex();
  }

  lastTerm(): Term {
    return this.term(this.lastIndex()) ?? 0;
  }

  /** The term of entry i, or undefined when i is compacted or past the end. */
  term(i: LogIndex): Term | undefined {
    const dummy = this.firstIndex() - 1;
    if (i < dummy || i > this.lastIndex()) return undefined;
    const t = this.unstable.maybeTerm(i);
    if (t !== undefined) return t;
    try {
      return this.storage.term(i);
    } catch (err) {
      if (err instanceof CompactedError || err instanceof UnavailableError) return undefined;
      throw err;
    }
  }

  matchTerm(i: LogIndex, t: Term): boolean {
    return this.term(i) === t;
  }

  /** §5.4.1: is (lastIndex, lastTerm) of a candidate at least as up-to-date as ours? */
  isUpToDate(lastIndex: LogIndex, lastTerm: Term): boolean {
    return lastTerm > this.lastTerm() || (lastTerm === this.lastTerm() && lastIndex >= this.lastIndex());
  }

  /**
   * §5.3: appends `entries` following (index, logTerm) if that matches, truncating a conflicting suffix.
   * Returns the new last index, or undefined on mismatch.
   */
  maybeAppend(
    index: LogIndex,
    logTerm: Term,
    committed: LogIndex,
    entries: readonly Entry[],
  ): LogIndex | undefined {
    if (!this.matchTerm(index, logTerm)) return undefined;
    const lastNew = index + entries.length;
    const conflict = this.findConflict(entries);
    if (conflict !== 0) {
      if (conflict <= this.committed)
        throw new Error(
          `raft: entry ${conflict} conflicts with committed entry (committed ${this.committed})`,
        );
      this.append(entries.slice(conflict - index - 1));
    }
    this.commitTo(Math.min(committed, lastNew));
    return lastNew;
  }

  append(entries: readonly Entry[]): LogIndex {
    if (entries.length === 0) return this.lastIndex();
    const after = (entries[0] as Entry).index - 1;
    if (after < this.committed)
      throw new Error(`raft: append after ${after} is below committed ${this.committed}`);
    this.unstable.truncateAndAppend(entries);
    return this.lastIndex();
  }

  /** The index of the first entry that conflicts with the log (or is new), 0 when all already match. */
  private findConflict(entries: readonly Entry[]): LogIndex {
    for (const e of entries) if (!this.matchTerm(e.index, e.term)) return e.index;
    return 0;
  }

  /**
   * For a rejected append: the largest index ≤ `index` whose term is ≤ `term` — where the logs can
   * possibly match — with its term.
   */
  findConflictByTerm(index: LogIndex, term: Term): { index: LogIndex; term: Term } {
    for (let i = Math.min(index, this.lastIndex()); i >= this.firstIndex() - 1; i--) {
      const t = this.term(i);
      if (t === undefined) return { index: i, term: 0 };
      if (t <= term) return { index: i, term: t };
    }
    return { index: 0, term: 0 };
  }

  commitTo(i: LogIndex): void {
    if (i <= this.committed) return;
    if (i > this.lastIndex()) throw new Error(`raft: commit ${i} is past the last index ${this.lastIndex()}`);
    this.committed = i;
  }

  appliedTo(i: LogIndex): void {
    if (i === 0) return;
    if (i > this.committed || i < this.applied)
      throw new Error(`raft: applied ${i} outside [${this.applied}, ${this.committed}]`);
    this.applied = i;
  }

  /** §5.4.2: commit only entries of the current term by counting replicas. */
  maybeCommit(maxIndex: LogIndex, term: Term): boolean {
    if (maxIndex > this.committed && this.term(maxIndex) === term) {
      this.commitTo(maxIndex);
      return true;
    }
    return false;
  }

  /** Entries [lo, hi) across storage and the unstable tail, limited to maxBytes (at least one). */
  slice(lo: LogIndex, hi: LogIndex, maxBytes: number): Entry[] {
    if (lo >= hi) return [];
    if (lo < this.firstIndex()) throw new CompactedError(lo);
    if (hi > this.lastIndex() + 1) throw new UnavailableError(hi);
    let out: Entry[] = [];
    const uOffset = this.unstable.offset;
    if (lo < uOffset) {
      out = this.storage.entries(lo, Math.min(hi, uOffset), maxBytes);
      if (out.length < Math.min(hi, uOffset) - lo) return out;
    }
    if (hi > uOffset) {
      const from = Math.max(lo, uOffset) - uOffset;
      out = out.concat(this.unstable.entries.slice(from, hi - uOffset));
    }
    return limitSize(out, maxBytes);
  }

  /** Entries from i on, limited to maxBytes. */
  entriesFrom(i: LogIndex, maxBytes: number): Entry[] {
    return i > this.lastIndex() ? [] : this.slice(i, this.lastIndex() + 1, maxBytes);
  }

  unstableEntries(): Entry[] {
    return this.unstable.entries;
  }

  /** Committed entries not yet applied, limited so a Ready stays bounded. */
  nextCommittedEntries(maxBytes: number): Entry[] {
    const lo = Math.max(this.applied + 1, this.firstIndex());
    if (this.committed + 1 <= lo) return [];
    return this.slice(lo, this.committed + 1, maxBytes);
  }

  hasNextCommittedEntries(): boolean {
    return this.committed > Math.max(this.applied, this.firstIndex() - 1);
  }

  snapshot(): Snapshot {
    return this.unstable.snapshot ?? this.storage.snapshot();
  }

  /** Replaces the log with a snapshot from the leader (§7). */
  restore(s: Snapshot): void {
    this.committed = s.meta.index;
    this.unstable.restore(s);
  }

  stableTo(i: LogIndex, t: Term): void {
    this.unstable.stableTo(i, t);
  }

  stableSnapTo(i: LogIndex): void {
    this.unstable.stableSnapTo(i);
  }
}
