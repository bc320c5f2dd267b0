/**
 * The LevelDB key layout. Keys are binary and stay in clear (they hold only indexes); every value is a
 * sealed record (seal.ts) whose AAD includes its key, so a value moved under another key fails to open.
 *
 *   'k'                          key check: proves the given key is the one the database was sealed with
 *   'h'                          hard state
 *   'o'                          log start: index and term of the entry just before firstIndex()
 *   's'                          snapshot metadata (index, term, membership, size, chunk count, generation)
 *   'c' gen(8) chunk(u32 BE)     snapshot data, one record per chunk; gen is random per snapshot
 *   'e' index(u64 BE)            one log entry; big-endian so LevelDB's order is log order
 */

export const KEY_CHECK_KEY: Buffer = Buffer.from('k');
export const HARD_STATE_KEY: Buffer = Buffer.from('h');
export const LOG_START_KEY: Buffer = Buffer.from('o');
export const SNAPSHOT_META_KEY: Buffer = Buffer.from('s');

const ENTRY_PREFIX = 0x65; // 'e'
const CHUNK_PREFIX = 0x63; // 'c'
const TWO_32 = 2 ** 32;

/** Bytes of a snapshot generation (random, names one snapshot's chunks). */
export const SNAPSHOT_GEN_BYTES = 8;

function writeU64(buf: Buffer, n: number, offset: number): void {
  buf.writeUInt32BE(Math.floor(n / TWO_32), offset);
  buf.writeUInt32BE(n % TWO_32, offset + 4);
}

function readU64(buf: Buffer, offset: number): number {
  return buf.readUInt32BE(offset) * TWO_32 + buf.readUInt32BE(offset + 4);
}

/** The key of entry `index`. */
export function entryKey(index: number): Buffer {
  const k = Buffer.allocUnsafe(9);
  k[0] = ENTRY_PREFIX;
  writeU64(k, index, 1);
  return k;
}

/** The index in an entry key, or null when `key` is not an entry key. */
export function entryIndexOf(key: Buffer): number | null {
  return key.length === 9 && key[0] === ENTRY_PREFIX ? readU64(key, 1) : null;
}

/** Iterator bounds covering every entry key. */
export const ENTRY_RANGE = { gte: Buffer.from([ENTRY_PREFIX]), lt: Buffer.from([ENTRY_PREFIX + 1]) };

/** The key of chunk `n` of the snapshot of generation `gen`. */
export function chunkKey(gen: Buffer, n: number): Buffer {
  const k = Buffer.allocUnsafe(1 + SNAPSHOT_GEN_BYTES + 4);
  k[0] = CHUNK_PREFIX;
  gen.copy(k, 1);
  k.writeUInt32BE(n, 1 + SNAPSHOT_GEN_BYTES);
  return k;
}

/** Iterator bounds covering every chunk key of any generation. */
export const CHUNK_RANGE = { gte: Buffer.from([CHUNK_PREFIX]), lt: Buffer.from([CHUNK_PREFIX + 1]) };

/** The generation and chunk number in a chunk key, or null when `key` is not a chunk key. */
export function chunkOf(key: Buffer): { gen: Buffer; n: number } | null {
  if (key.length !== 1 + SNAPSHOT_GEN_BYTES + 4 || key[0] !== CHUNK_PREFIX) return null;
  return { gen: key.subarray(1, 1 + SNAPSHOT_GEN_BYTES), n: key.readUInt32BE(1 + SNAPSHOT_GEN_BYTES) };
}
