/**
 * Plaintexts of the records (before sealing). Entries are binary, because they are the hot path:
 *
 *   type(1: 0 normal, 1 confChange) | term(u64 BE) | data
 *
 * (the index is the record's key, authenticated as AAD). The small, rare records are JSON. Every
 * decoder checks shapes and calls `fail(reason)` on anything unexpected; it never guesses.
 */
import { SNAPSHOT_GEN_BYTES } from './keys.ts';
import type { ConfState, Entry, EntryType, HardState, SnapshotMeta } from './types.ts';

/** Reports why a plaintext does not parse; the caller turns it into a CorruptRecordError. */
export type Fail = (reason: string) => never;

const TWO_32 = 2 ** 32;
const ENTRY_HEADER_BYTES = 9;
const ENTRY_TYPES: readonly EntryType[] = ['normal', 'confChange'];

/** The marker sealed in the key-check record. */
export const KEY_CHECK_MAGIC = 'shoal-raft-storage';
/** The on-disk format this code writes and reads. */
export const STORAGE_FORMAT = 1;

/** The plaintext of an entry, as parts to seal (so the data is not copied first). */
export function encodeEntry(e: Entry): Uint8Array[] {
  const head = Buffer.allocUnsafe(ENTRY_HEADER_BYTES);
  head[0] = e.type === 'normal' ? 0 : 1;
  head.writeUInt32BE(Math.floor(e.term / TWO_32), 1);
  head.writeUInt32BE(e.term % TWO_32, 5);
  return [head, e.data];
}

export function decodeEntry(index: number, pt: Buffer, fail: Fail): Entry {
  if (pt.length < ENTRY_HEADER_BYTES) fail(`entry plaintext of ${pt.length} bytes`);
  const type = ENTRY_TYPES[pt[0] as number];
  if (type === undefined) fail(`unknown entry type ${pt[0]}`);
  const term = pt.readUInt32BE(1) * TWO_32 + pt.readUInt32BE(5);
  return { term, index, type, data: pt.subarray(ENTRY_HEADER_BYTES) };
}

/** A JSON record's plaintext. */
export function encodeJson(value: unknown): Uint8Array[] {
  return [Buffer.from(JSON.stringify(value), 'utf8')];
}

function parseObject(pt: Buffer, fail: Fail): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(pt.toString('utf8'));
  } catch {
    fail('not JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail('not a JSON object');
  return v as Record<string, unknown>;
}

function count(o: Record<string, unknown>, field: string, fail: Fail): number {
  const v = o[field];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) fail(`${field} is ${JSON.stringify(v)}`);
  return v;
}

function ids(o: Record<string, unknown>, field: string, fail: Fail): string[] {
  const v = o[field];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) fail(`${field} is not a list of ids`);
  return v;
}

export function encodeHardState(hs: HardState): Uint8Array[] {
  return encodeJson({ term: hs.term, vote: hs.vote, commit: hs.commit });
}

export function decodeHardState(pt: Buffer, fail: Fail): HardState {
  const o = parseObject(pt, fail);
  const vote = o['vote'];
  if (vote !== null && typeof vote !== 'string') fail(`vote is ${JSON.stringify(vote)}`);
  return { term: count(o, 'term', fail), vote, commit: count(o, 'commit', fail) };
}

/** Index and term of the entry just before the first stored one (the compaction point). */
export interface LogStart {
  readonly index: number;
  readonly term: number;
}

export function encodeLogStart(start: LogStart): Uint8Array[] {
  return encodeJson({ index: start.index, term: start.term });
}

export function decodeLogStart(pt: Buffer, fail: Fail): LogStart {
  const o = parseObject(pt, fail);
  return { index: count(o, 'index', fail), term: count(o, 'term', fail) };
}

/** Snapshot metadata plus where its data lives: `chunks` records of generation `gen`, `size` bytes. */
export interface StoredSnapshotMeta {
  readonly meta: SnapshotMeta;
  readonly size: number;
  readonly chunks: number;
  readonly gen: Buffer;
}

export function encodeSnapshotMeta(s: StoredSnapshotMeta): Uint8Array[] {
  const { index, term, confState } = s.meta;
  return encodeJson({
    index,
    term,
    voters: confState.voters,
    learners: confState.learners,
    size: s.size,
    chunks: s.chunks,
    gen: s.gen.toString('hex'),
  });
}

export function decodeSnapshotMeta(pt: Buffer, fail: Fail): StoredSnapshotMeta {
  const o = parseObject(pt, fail);
  const gen = o['gen'];
  if (typeof gen !== 'string' || !/^[0-9a-f]+$/.test(gen) || gen.length !== SNAPSHOT_GEN_BYTES * 2) {
    fail(`gen is ${JSON.stringify(gen)}`);
  }
  const confState: ConfState = { voters: ids(o, 'voters', fail), learners: ids(o, 'learners', fail) };
  return {
    meta: { index: count(o, 'index', fail), term: count(o, 'term', fail), confState },
    size: count(o, 'size', fail),
    chunks: count(o, 'chunks', fail),
    gen: Buffer.from(gen, 'hex'),
  };
}

export function encodeKeyCheck(): Uint8Array[] {
  return encodeJson({ magic: KEY_CHECK_MAGIC, format: STORAGE_FORMAT });
}

/** Checks the key-check plaintext and returns the database's format. */
export function decodeKeyCheck(pt: Buffer, fail: Fail): number {
  const o = parseObject(pt, fail);
  if (o['magic'] !== KEY_CHECK_MAGIC) fail(`magic is ${JSON.stringify(o['magic'])}`);
  return count(o, 'format', fail);
}
