/**
 * Reading a database on open: every record is opened (authenticated and decrypted) and checked, and
 * the log must be one unbroken run from the log start. Anything else throws CorruptRecordError or
 * WrongKeyError — a damaged log is never half-loaded.
 */
import type { Level } from 'level';
import { CorruptRecordError } from './errors.ts';
import {
  chunkKey,
  ENTRY_RANGE,
  entryIndexOf,
  HARD_STATE_KEY,
  KEY_CHECK_KEY,
  LOG_START_KEY,
  SNAPSHOT_META_KEY,
} from './keys.ts';
import type { ChunkSet, MirrorState } from './mirror.ts';
import {
  decodeEntry,
  decodeHardState,
  decodeKeyCheck,
  decodeLogStart,
  decodeSnapshotMeta,
  encodeKeyCheck,
  STORAGE_FORMAT,
  type Fail,
} from './records.ts';
import type { RecordSealer } from './seal.ts';
import { EMPTY_HARD_STATE, EMPTY_SNAPSHOT, type Entry, type Snapshot } from './types.ts';

/** The LevelDB handle raft/storage uses: binary keys and values. */
export type Db = Level<Buffer, Buffer>;

/** Entries read from LevelDB per native call while loading. */
const LOAD_BATCH_ENTRIES = 1024;

function failer(dir: string, record: string, index: number | null = null): Fail {
  return (reason: string): never => {
    throw new CorruptRecordError(dir, record, reason, index);
  };
}

/** Checks the key-check record, writing it first if the database is brand new. */
export async function checkKey(db: Db, dir: string, sealer: RecordSealer): Promise<void> {
  const value = await db.get(KEY_CHECK_KEY);
  if (value === undefined) {
    const anything = await db.keys({ limit: 1 }).all();
    if (anything.length > 0)
      throw new CorruptRecordError(dir, 'key check', 'missing from a non-empty database');
    await db.put(KEY_CHECK_KEY, sealer.seal(KEY_CHECK_KEY, encodeKeyCheck()), { sync: true });
    return;
  }
  const pt = sealer.open(KEY_CHECK_KEY, value, 'key check', null, 'wrongKey');
  const format = decodeKeyCheck(pt, failer(dir, 'key check'));
  if (format !== STORAGE_FORMAT) {
    throw new CorruptRecordError(
      dir,
      'key check',
      `format ${format}; this build reads format ${STORAGE_FORMAT}`,
    );
  }
}

/** Loads everything into a mirror state. The key check must have passed. */
export async function loadState(db: Db, dir: string, sealer: RecordSealer): Promise<MirrorState> {
  const hsValue = await db.get(HARD_STATE_KEY);
  const hardState =
    hsValue === undefined
      ? EMPTY_HARD_STATE
      : decodeHardState(sealer.open(HARD_STATE_KEY, hsValue, 'hard state', null), failer(dir, 'hard state'));
  const startValue = await db.get(LOG_START_KEY);
  const start =
    startValue === undefined
      ? { index: 0, term: 0 }
      : decodeLogStart(sealer.open(LOG_START_KEY, startValue, 'log start', null), failer(dir, 'log start'));
  const { snapshot, chunkSet } = await loadSnapshot(db, dir, sealer);
  const entries = await loadEntries(db, dir, sealer, start.index);
  const snapIndex = snapshot.meta.index;
  if (start.index > snapIndex || (start.index === snapIndex && start.term !== snapshot.meta.term)) {
    throw new CorruptRecordError(
      dir,
      'log start',
      `index ${start.index} term ${start.term} disagrees with the snapshot at index ${snapIndex} term ${snapshot.meta.term}`,
    );
  }
  if (snapIndex > start.index + entries.length) {
    throw new CorruptRecordError(dir, 'snapshot metadata', `index ${snapIndex} is past the log's last entry`);
  }
  return { hardState, snapshot, chunkSet, start, entries };
}

async function loadSnapshot(
  db: Db,
  dir: string,
  sealer: RecordSealer,
): Promise<{ snapshot: Snapshot; chunkSet: ChunkSet | null }> {
  const value = await db.get(SNAPSHOT_META_KEY);
  if (value === undefined) return { snapshot: EMPTY_SNAPSHOT, chunkSet: null };
  const stored = decodeSnapshotMeta(
    sealer.open(SNAPSHOT_META_KEY, value, 'snapshot metadata', null),
    failer(dir, 'snapshot metadata'),
  );
  const { gen, chunks, size, meta } = stored;
  const keys = Array.from({ length: chunks }, (_, n) => chunkKey(gen, n));
  const values = await db.getMany(keys);
  const parts = values.map((v, n) => {
    const record = `snapshot chunk ${n} of the snapshot at index ${meta.index}`;
    if (v === undefined) throw new CorruptRecordError(dir, record, `missing (the snapshot has ${chunks})`);
    return sealer.open(keys[n] as Buffer, v, record, meta.index);
  });
  const data = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
  if (data.length !== size) {
    throw new CorruptRecordError(
      dir,
      `snapshot at index ${meta.index}`,
      `its chunks hold ${data.length} bytes, its metadata says ${size}`,
    );
  }
  return { snapshot: { meta, data }, chunkSet: { gen, chunks } };
}

async function loadEntries(db: Db, dir: string, sealer: RecordSealer, startIndex: number): Promise<Entry[]> {
  const entries: Entry[] = [];
  const it = db.iterator(ENTRY_RANGE);
  try {
    for (;;) {
      const batch = await it.nextv(LOAD_BATCH_ENTRIES);
      if (batch.length === 0) return entries;
      for (const [key, value] of batch) {
        const index = entryIndexOf(key);
        const expected = startIndex + 1 + entries.length;
        if (index === null)
          throw new CorruptRecordError(dir, `key ${key.toString('hex')}`, 'not an entry key');
        if (index !== expected) {
          const reason =
            index < expected
              ? `it is at or below the log start ${startIndex}`
              : `missing: the log jumps from ${expected - 1} to ${index}`;
          const at = index < expected ? index : expected;
          throw new CorruptRecordError(dir, `entry ${at}`, reason, at);
        }
        const record = `entry ${index}`;
        entries.push(decodeEntry(index, sealer.open(key, value, record, index), failer(dir, record, index)));
      }
    }
  } finally {
    await it.close();
  }
}
