/**
 * The in-memory mirror of what is on disk, which serves every read synchronously, and the planning of
 * writes against it. A write is planned from the mirror (which validates it), turned into one LevelDB
 * batch by the storage, and only applied here after that batch has synced: the mirror never shows
 * anything that is not durable.
 */
import {
  CompactPastSnapshotError,
  InvalidAppendError,
  LogCompactedError,
  LogUnavailableError,
  SnapshotOutOfDateError,
} from './errors.ts';
import type { LogStart } from './records.ts';
import type { ConfState, Entry, HardState, Snapshot, StorageUpdate } from './types.ts';

/** Where a snapshot's data lives on disk: `chunks` records of generation `gen`. */
export interface ChunkSet {
  readonly gen: Buffer;
  readonly chunks: number;
}

/** A validated write: the next state, and the entry indexes the batch must delete. */
export interface WritePlan {
  readonly hardState: HardState | null;
  /** A new snapshot; its chunks are written by the storage, which fills in `chunkSet` on apply. */
  readonly snapshot: Snapshot | null;
  /** The log start after the write (changed by compaction and snapshots). */
  readonly start: LogStart;
  /** Stored entries kept, as an inclusive index range (empty when keepLo > keepHi). */
  readonly keepLo: number;
  readonly keepHi: number;
  /** Entries written after the kept ones; consecutive, starting at keepHi+1 when any are kept. */
  readonly append: readonly Entry[];
  /** Stored entries to delete (removed and not rewritten by `append`). */
  readonly deletes: readonly number[];
}

/** Everything the storage holds, as loaded on open. `entries[i].index === start.index + 1 + i`. */
export interface MirrorState {
  hardState: HardState;
  snapshot: Snapshot;
  chunkSet: ChunkSet | null;
  start: LogStart;
  entries: Entry[];
}

/** Takes entries from the front while their data fits in maxBytes, but always at least one. */
export function limitSize(entries: Entry[], maxBytes: number): Entry[] {
  let size = 0;
  for (let n = 0; n < entries.length; n++) {
    size += (entries[n] as Entry).data.byteLength;
    if (n > 0 && size > maxBytes) return entries.slice(0, n);
  }
  return entries;
}

/** The mirror. Reads never touch disk; writes go plan → batch → apply. */
export class LogMirror {
  constructor(
    private readonly dir: string,
    private readonly s: MirrorState,
  ) {}

  get hardState(): HardState {
    return this.s.hardState;
  }

  get snapshot(): Snapshot {
    return this.s.snapshot;
  }

  get chunkSet(): ChunkSet | null {
    return this.s.chunkSet;
  }

  firstIndex(): number {
    return this.s.start.index + 1;
  }

  lastIndex(): number {
    return this.s.start.index + this.s.entries.length;
  }

  term(i: number): number {
    const { start, entries } = this.s;
    if (i < start.index) throw new LogCompactedError(this.dir, i, this.firstIndex());
    if (i > this.lastIndex()) throw new LogUnavailableError(this.dir, i, this.lastIndex());
    return i === start.index ? start.term : (entries[i - start.index - 1] as Entry).term;
  }

  entries(lo: number, hi: number, maxBytes: number): Entry[] {
    if (lo < this.firstIndex()) throw new LogCompactedError(this.dir, lo, this.firstIndex());
    if (hi > this.lastIndex() + 1) throw new LogUnavailableError(this.dir, hi - 1, this.lastIndex());
    if (hi <= lo) return [];
    const off = this.s.start.index + 1;
    return limitSize(this.s.entries.slice(lo - off, hi - off), maxBytes);
  }

  /** Plans `save`: snapshot first, then entries (replacing any suffix they overlap), then hard state. */
  planSave(update: StorageUpdate): WritePlan {
    let start = this.s.start;
    let keepLo = start.index + 1;
    let keepHi = this.lastIndex();
    const snap = update.snapshot ?? null;
    if (snap) {
      const { index, term } = snap.meta;
      if (index < this.s.snapshot.meta.index) {
        throw new SnapshotOutOfDateError(this.dir, index, this.s.snapshot.meta.index);
      }
      // Entries after the snapshot survive only if the log holds the snapshot's own last entry
      // (then, by Log Matching, everything up to it agrees with the leader).
      const matches = index >= start.index && index <= keepHi && this.term(index) === term;
      start = { index, term };
      keepLo = index + 1;
      if (!matches) keepHi = index;
    }
    let append: readonly Entry[] = [];
    const entries = update.entries ?? [];
    if (entries.length > 0) {
      const first = (entries[0] as Entry).index;
      entries.forEach((e, i) => {
        if (e.index !== first + i) {
          throw new InvalidAppendError(this.dir, e.index, `entries must be consecutive from ${first}`);
        }
      });
      const last = Math.max(keepHi, start.index);
      if (first > last + 1) {
        throw new InvalidAppendError(this.dir, first, `the log ends at ${last}, which would leave a gap`);
      }
      // Entries at or below the log start are already folded into the snapshot: skip them.
      const skip = Math.max(0, start.index + 1 - first);
      if (skip < entries.length) {
        append = skip === 0 ? entries : entries.slice(skip);
        keepHi = Math.min(keepHi, first + skip - 1);
      }
    }
    return this.plan(update.hardState ?? null, snap, start, keepLo, keepHi, append);
  }

  /** Plans `createSnapshot`: records the applied state at `index`; keeps every entry. */
  planCreateSnapshot(index: number, confState: ConfState, data: Uint8Array): WritePlan {
    const current = this.s.snapshot.meta.index;
    if (index <= current) throw new SnapshotOutOfDateError(this.dir, index, current);
    const snap: Snapshot = { meta: { index, term: this.term(index), confState }, data };
    return this.plan(null, snap, this.s.start, this.firstIndex(), this.lastIndex(), []);
  }

  /** Plans `compact`, or returns null when `index` is already compacted. */
  planCompact(index: number): WritePlan | null {
    if (index <= this.s.start.index) return null;
    const snapIndex = this.s.snapshot.meta.index;
    if (index > snapIndex) throw new CompactPastSnapshotError(this.dir, index, snapIndex);
    const start = { index, term: this.term(index) };
    return this.plan(null, null, start, index + 1, this.lastIndex(), []);
  }

  private plan(
    hardState: HardState | null,
    snapshot: Snapshot | null,
    start: LogStart,
    keepLo: number,
    keepHi: number,
    append: readonly Entry[],
  ): WritePlan {
    const deletes: number[] = [];
    const appendLo = append.length > 0 ? (append[0] as Entry).index : Infinity;
    const appendHi = appendLo + append.length - 1;
    for (let i = this.firstIndex(); i <= this.lastIndex(); i++) {
      if (i === keepLo && keepHi >= keepLo) i = keepHi + 1;
      if (i >= appendLo && i <= appendHi) i = appendHi + 1;
      if (i <= this.lastIndex()) deletes.push(i);
    }
    return { hardState, snapshot, start, keepLo, keepHi, append, deletes };
  }

  /** Applies a plan whose batch has synced. `chunkSet` says where a new snapshot's data went. */
  apply(plan: WritePlan, chunkSet: ChunkSet | null): void {
    const s = this.s;
    if (plan.keepLo > plan.keepHi) {
      s.entries = [];
    } else {
      s.entries.length = plan.keepHi - s.start.index;
      if (plan.keepLo > s.start.index + 1) s.entries.splice(0, plan.keepLo - s.start.index - 1);
    }
    for (const e of plan.append) s.entries.push(e);
    s.start = plan.start;
    if (plan.hardState) s.hardState = plan.hardState;
    if (plan.snapshot) {
      s.snapshot = plan.snapshot;
      s.chunkSet = chunkSet;
    }
  }
}
