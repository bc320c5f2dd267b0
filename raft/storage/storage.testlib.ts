/** Shared helpers of the raft/storage tests: temporary directories, keys and entries. */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EncryptionKey, Entry } from './types.ts';

/** A deterministic key (tests only): 32 bytes derived from `seed`. */
export function testKey(id = 'dek-1', seed = id): EncryptionKey {
  return { id, key: createHash('sha256').update(seed).digest() };
}

/** Temporary directories under os.tmpdir(); call `cleanup` from afterEach. */
export class TempDirs {
  private readonly made: string[] = [];

  async make(prefix = 'shoal-raft-storage-'): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    this.made.push(dir);
    return dir;
  }

  async cleanup(): Promise<void> {
    const dirs = this.made.splice(0);
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  }
}

/** Entries lo..hi (inclusive) of `term`, whose data names index and term. */
export function makeEntries(lo: number, hi: number, term: number, tag = ''): Entry[] {
  const out: Entry[] = [];
  for (let index = lo; index <= hi; index++) {
    out.push({ index, term, type: 'normal', data: Buffer.from(`entry ${index} term ${term}${tag}`) });
  }
  return out;
}

/** Entries as comparable plain values (data as text). */
export function plain(
  entries: readonly Entry[],
): { index: number; term: number; type: string; data: string }[] {
  return entries.map((e) => ({
    index: e.index,
    term: e.term,
    type: e.type,
    data: Buffer.from(e.data).toString(),
  }));
}
