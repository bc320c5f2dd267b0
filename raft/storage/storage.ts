/**
 * DurableStorage: the Raft log, hard state and snapshots in LevelDB, every record sealed (seal.ts).
 * Reads are synchronous, served from an in-memory mirror loaded on open; writes are async, each one
 * LevelDB batch written with `sync: true`, and become visible to reads only after that batch synced.
 */
import { randomBytes } from 'node:crypto';
import { Level } from 'level';
import type { Logger } from '../../proto/shared/log.ts';
import { silentLogger } from '../../proto/shared/log.ts';
import { StorageClosedError, StorageIOError, StorageOptionError } from './errors.ts';
import {
  chunkKey,
  entryKey,
  HARD_STATE_KEY,
  LOG_START_KEY,
  SNAPSHOT_GEN_BYTES,
  SNAPSHOT_META_KEY,
} from './keys.ts';
import { checkKey, loadState, type Db } from './load.ts';
import { LogMirror, type ChunkSet, type WritePlan } from './mirror.ts';
import { encodeEntry, encodeHardState, encodeLogStart, encodeSnapshotMeta } from './records.ts';
import { RecordSealer } from './seal.ts';
import type { ConfState, EncryptionKey, Entry, HardState, Snapshot, StorageUpdate } from './types.ts';

/** Defaults of DurableStorageOptions, with units in their names. */
export const STORAGE_DEFAULTS = Object.freeze({
  /** Snapshot data is stored as records of at most this many bytes (each sealed on its own). */
  snapshotChunkBytes: 1024 * 1024,
});

/** The largest snapshot chunk accepted (LevelDB handles big values, but they bloat compactions). */
const MAX_SNAPSHOT_CHUNK_BYTES = 64 * 1024 * 1024;

export interface DurableStorageOptions {
  /** Seals every new record; opens records sealed with it. */
  readonly key: EncryptionKey;
  /** Older keys, only to open records sealed before a rotation. */
  readonly previousKeys?: readonly EncryptionKey[];
  readonly log?: Logger;
  /** Default {@link STORAGE_DEFAULTS.snapshotChunkBytes}. */
  readonly snapshotChunkBytes?: number;
}

type BatchOp = { type: 'put'; key: Buffer; value: Buffer } | { type: 'del'; key: Buffer };
type State = 'open' | 'closing' | 'closed' | 'failed';

/**
 * Durable Raft storage. One process at a time may hold a directory (LevelDB locks it).
 * Writes are queued and run one at a time in call order, so callers may fire them without awaiting
 * each other; a write's promise resolves once it is on disk and visible to reads. A failed batch
 * leaves the storage `failed`: later writes reject with StorageClosedError until it is reopened.
 */
export class DurableStorage {
  private state: State = 'open';
  private tail: Promise<void> = Promise.resolve();

  private constructor(
    /** The database directory, as given to open(). */
    readonly dir: string,
    private readonly db: Db,
    private sealer: RecordSealer,
    private readonly mirror: LogMirror,
    private readonly log: Logger,
    private readonly chunkBytes: number,
  ) {}

  /**
   * Opens (creating if missing) the database in `dir` and loads all of it. Throws WrongKeyError when
   * `options.key` cannot read it, CorruptRecordError when any record is damaged or the log has a hole,
   * StorageIOError when LevelDB cannot open it (e.g. another process holds it).
   */
  static async open(dir: string, options: DurableStorageOptions): Promise<DurableStorage> {
    const chunkBytes = options.snapshotChunkBytes ?? STORAGE_DEFAULTS.snapshotChunkBytes;
    if (!Number.isSafeInteger(chunkBytes) || chunkBytes < 1 || chunkBytes > MAX_SNAPSHOT_CHUNK_BYTES) {
      throw new StorageOptionError(
        'snapshotChunkBytes',
        chunkBytes,
        `an integer in 1..${MAX_SNAPSHOT_CHUNK_BYTES}`,
      );
    }
    const sealer = new RecordSealer(dir, options.key, options.previousKeys);
    const log = (options.log ?? silentLogger()).child({ component: 'raft-storage' });
    const began = performance.now();
    const db: Db = new Level<Buffer, Buffer>(dir, {
      keyEncoding: 'buffer',
      valueEncoding: 'buffer',
      compression: false, // sealed records do not compress
    });
    try {
      await db.open();
    } catch (err) {
      throw new StorageIOError(dir, 'open', describe(err), err);
    }
    try {
      await checkKey(db, dir, sealer);
      const state = await loadState(db, dir, sealer);
      const mirror = new LogMirror(dir, state);
      log.info(
        {
          dir,
          firstIndex: mirror.firstIndex(),
          lastIndex: mirror.lastIndex(),
          snapshotIndex: state.snapshot.meta.index,
          commit: state.hardState.commit,
          loadMs: Math.round(performance.now() - began),
        },
        'raft storage opened',
      );
      return new DurableStorage(dir, db, sealer, mirror, log, chunkBytes);
    } catch (err) {
      await db.close().catch(() => undefined);
      throw err;
    }
  }

  /** The persisted hard state, and the membership as of the latest snapshot (empty when none). */
  initialState(): { hardState: HardState; confState: ConfState } {
    return { hardState: this.mirror.hardState, confState: this.mirror.snapshot.meta.confState };
  }

  /**
   * Entries [lo, hi), as many as fit in `maxBytes` of data but always at least one when lo < hi.
   * Throws LogCompactedError when lo < firstIndex(), LogUnavailableError when hi > lastIndex()+1.
   */
  entries(lo: number, hi: number, maxBytes: number = Infinity): Entry[] {
    return this.mirror.entries(lo, hi, maxBytes);
  }

  /** The term of entry i, for firstIndex()-1 (the compaction point, e.g. the snapshot) to lastIndex(). */
  term(i: number): number {
    return this.mirror.term(i);
  }

  /** The first index still in the log (1 for a log never compacted). */
  firstIndex(): number {
    return this.mirror.firstIndex();
  }

  /** The last index in the log; firstIndex()-1 when it holds no entries. */
  lastIndex(): number {
    return this.mirror.lastIndex();
  }

  /** The latest snapshot (created here or received from the leader), or the empty one at index 0. */
  snapshot(): Snapshot {
    return this.mirror.snapshot;
  }

  /**
   * Persists a Ready's snapshot, entries and hard state in one synced batch (in that order). Stored
   * entries at or after the first new entry's index are replaced (a conflicting suffix is deleted).
   * Throws InvalidAppendError for non-consecutive entries or a gap after lastIndex(),
   * SnapshotOutOfDateError for a snapshot older than the current one.
   */
  save(update: StorageUpdate): Promise<void> {
    return this.enqueue('save', () => this.write(this.mirror.planSave(update)));
  }

  /**
   * Drops entries up to and including `index`, which must not pass the latest snapshot
   * (CompactPastSnapshotError); a no-op for an index already compacted.
   */
  compact(index: number): Promise<void> {
    return this.enqueue('compact', async () => {
      const plan = this.mirror.planCompact(index);
      if (plan) await this.write(plan);
    });
  }

  /**
   * Records a snapshot of the state machine as applied up to `index` (≤ lastIndex()), replacing the
   * previous snapshot; entries stay until compact(). Throws SnapshotOutOfDateError unless `index` is
   * past the current snapshot. Callers must not mutate `data` afterwards.
   */
  createSnapshot(index: number, confState: ConfState, data: Uint8Array): Promise<Snapshot> {
    return this.enqueue('createSnapshot', async () => {
      const plan = this.mirror.planCreateSnapshot(index, confState, data);
      await this.write(plan);
      return this.mirror.snapshot;
    });
  }

  /**
   * Replaces the log with a snapshot received from the leader: entries it covers are dropped, and if
   * the log does not hold the snapshot's last entry (same index and term) every entry is dropped.
   */
  applySnapshot(snap: Snapshot): Promise<void> {
    return this.save({ snapshot: snap });
  }

  /**
   * Re-encrypts every record under `key` in one synced batch (a data-key rotation, e.g. when autolock is
   * turned on). Afterwards only `key` is needed to open the database; until the batch has synced, the
   * old key still opens all of it.
   */
  rekey(key: EncryptionKey): Promise<void> {
    return this.enqueue('rekey', async () => {
      const next = new RecordSealer(this.dir, key);
      const ops: BatchOp[] = [];
      for await (const [k, v] of this.db.iterator()) {
        ops.push({ type: 'put', key: k, value: next.seal(k, [this.sealer.open(k, v, 'record', null)]) });
      }
      try {
        await this.db.batch(ops, { sync: true });
      } catch (err) {
        this.state = 'failed';
        throw new StorageIOError(this.dir, 'rekey', err instanceof Error ? err.message : String(err), err);
      }
      this.sealer = next;
      this.log.info({ dir: this.dir, records: ops.length, keyId: key.id }, 'raft storage re-encrypted');
    });
  }

  /** Waits for queued writes, then closes the database. Reads keep answering from the mirror. */
  async close(): Promise<void> {
    if (this.state === 'closing' || this.state === 'closed') return;
    this.state = 'closing';
    await this.tail;
    this.state = 'closed';
    await this.db.close();
  }

  private enqueue<T>(operation: string, run: () => Promise<T>): Promise<T> {
    if (this.state !== 'open') {
      return Promise.reject(
        new StorageClosedError(this.dir, operation, this.state === 'failed' ? 'failed' : 'closed'),
      );
    }
    const result = this.tail.then(() => {
      if (this.state === 'failed') throw new StorageClosedError(this.dir, operation, 'failed');
      return run();
    });
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private async write(plan: WritePlan): Promise<void> {
    const ops: BatchOp[] = [];
    for (const i of plan.deletes) ops.push({ type: 'del', key: entryKey(i) });
    const chunkSet = plan.snapshot ? this.snapshotOps(plan.snapshot, ops) : null;
    if (plan.start.index !== this.firstIndex() - 1 || plan.start.term !== this.term(plan.start.index)) {
      ops.push(this.put(LOG_START_KEY, encodeLogStart(plan.start)));
    }
    for (const e of plan.append) ops.push(this.put(entryKey(e.index), encodeEntry(e)));
    if (plan.hardState) ops.push(this.put(HARD_STATE_KEY, encodeHardState(plan.hardState)));
    if (ops.length === 0) return;
    try {
      await this.db.batch(ops, { sync: true });
    } catch (err) {
      this.state = 'failed';
      this.log.error({ dir: this.dir, err }, 'raft storage write failed; refusing further writes');
      throw new StorageIOError(this.dir, 'write', describe(err), err);
    }
    this.mirror.apply(plan, chunkSet);
  }

  /** Adds the ops that replace the current snapshot's chunks and metadata with `snap`'s. */
  private snapshotOps(snap: Snapshot, ops: BatchOp[]): ChunkSet {
    const old = this.mirror.chunkSet;
    if (old) for (let n = 0; n < old.chunks; n++) ops.push({ type: 'del', key: chunkKey(old.gen, n) });
    const gen = randomBytes(SNAPSHOT_GEN_BYTES);
    const size = snap.data.byteLength;
    const chunks = Math.ceil(size / this.chunkBytes);
    for (let n = 0; n < chunks; n++) {
      const part = snap.data.subarray(n * this.chunkBytes, Math.min(size, (n + 1) * this.chunkBytes));
      ops.push(this.put(chunkKey(gen, n), [part]));
    }
    ops.push(this.put(SNAPSHOT_META_KEY, encodeSnapshotMeta({ meta: snap.meta, size, chunks, gen })));
    return { gen, chunks };
  }

  private put(key: Buffer, parts: readonly Uint8Array[]): BatchOp {
    return { type: 'put', key, value: this.sealer.seal(key, parts) };
  }
}

/** An error's message with its causes (LevelDB's open error hides the reason in `cause`). */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const parts: string[] = [];
  for (let e: unknown = err; e instanceof Error && parts.length < 4; e = e.cause) parts.push(e.message);
  return parts.join(': ');
}
