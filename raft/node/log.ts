/**
 * The node's durable log: raft/storage's DurableStorage, seen by the core through the core's Storage
 * interface (branded ids, and the core's Compacted/Unavailable errors in place of the storage's).
 */
import type { Logger } from '../../proto/shared/log.ts';
import {
  CompactedError,
  UnavailableError,
  type ConfState,
  type Entry,
  type HardState,
  type Snapshot,
  type Storage,
} from '../core/index.ts';
import {
  DurableStorage,
  LogCompactedError,
  LogUnavailableError,
  type EncryptionKey,
} from '../storage/index.ts';

export type { EncryptionKey } from '../storage/index.ts';

export interface DurableLog {
  /** The synchronous view the core reads. */
  readonly core: Storage;
  save(update: { hardState?: HardState; entries?: readonly Entry[]; snapshot?: Snapshot }): Promise<void>;
  createSnapshot(index: number, confState: ConfState, data: Uint8Array): Promise<unknown>;
  compact(index: number): Promise<void>;
  snapshot(): Snapshot;
  firstIndex(): number;
  lastIndex(): number;
  /** Re-encrypts every record under `key` (data-key rotation). */
  rekey(key: EncryptionKey): Promise<void>;
  close(): Promise<void>;
}

function translate<T>(fn: () => T, index: number): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof LogCompactedError) throw new CompactedError(index);
    if (err instanceof LogUnavailableError) throw new UnavailableError(index);
    throw err;
  }
}

/** Opens the raft log in `dir` (encrypted with `key`). */
export async function openLog(dir: string, key: EncryptionKey, log?: Logger): Promise<DurableLog> {
  const s = await DurableStorage.open(dir, { key, ...(log ? { log } : {}) });
  const core: Storage = {
    initialState: () => s.initialState() as ReturnType<Storage['initialState']>,
    entries: (lo, hi, maxBytes) => translate(() => s.entries(lo, hi, maxBytes) as Entry[], lo),
    term: (i) => translate(() => s.term(i), i),
    firstIndex: () => s.firstIndex(),
    lastIndex: () => s.lastIndex(),
    snapshot: () => s.snapshot() as Snapshot,
  };
  return {
    core,
    save: (u) => s.save(u),
    createSnapshot: (index, cs, data) => s.createSnapshot(index, cs, data),
    compact: (index) => s.compact(index),
    snapshot: () => s.snapshot() as Snapshot,
    firstIndex: () => s.firstIndex(),
    lastIndex: () => s.lastIndex(),
    rekey: (key) => s.rekey(key),
    close: () => s.close(),
  };
}
