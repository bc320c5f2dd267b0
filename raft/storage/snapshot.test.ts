import { createHash, randomBytes } from 'node:crypto';
import { Level } from 'level';
import { afterEach, describe, expect, it } from 'vitest';
import { CHUNK_RANGE } from './keys.ts';
import { DurableStorage, STORAGE_DEFAULTS } from './storage.ts';
import { makeEntries, TempDirs, testKey } from './storage.testlib.ts';

const dirs = new TempDirs();
afterEach(() => dirs.cleanup());

const key = testKey();
const MiB = 1024 * 1024;
const conf = { voters: ['1', '2', '3'], learners: [] };

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

async function chunkCount(dir: string): Promise<number> {
  const raw = new Level<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  const keys = await raw.keys(CHUNK_RANGE).all();
  await raw.close();
  return keys.length;
}

describe('large snapshots', () => {
  it('saves a 50 MiB snapshot in 1 MiB chunks and reads it back after reopen', async () => {
    const dir = await dirs.make();
    const data = randomBytes(50 * MiB + 123); // not a whole number of chunks
    let s = await DurableStorage.open(dir, { key });
    await s.save({ entries: makeEntries(1, 100, 2), hardState: { term: 2, vote: '1', commit: 100 } });
    await s.createSnapshot(90, conf, data);
    await s.compact(90);
    await s.close();
    expect(await chunkCount(dir)).toBe(Math.ceil(data.length / STORAGE_DEFAULTS.snapshotChunkBytes));

    s = await DurableStorage.open(dir, { key });
    const snap = s.snapshot();
    expect(snap.meta).toEqual({ index: 90, term: 2, confState: conf });
    expect(snap.data.byteLength).toBe(data.length);
    expect(sha(snap.data)).toBe(sha(data));
    expect([s.firstIndex(), s.lastIndex()]).toEqual([91, 100]);

    // A leader's snapshot replaces it, and the old chunks go in the same batch.
    const next = randomBytes(3 * MiB);
    await s.applySnapshot({ meta: { index: 200, term: 3, confState: conf }, data: next });
    await s.close();
    expect(await chunkCount(dir)).toBe(3);
    s = await DurableStorage.open(dir, { key });
    expect(sha(s.snapshot().data)).toBe(sha(next));
    expect([s.firstIndex(), s.lastIndex(), s.term(200)]).toEqual([201, 200, 3]);
    await s.close();
  }, 60_000);

  it('stores an empty snapshot with no chunks', async () => {
    const dir = await dirs.make();
    let s = await DurableStorage.open(dir, { key });
    await s.save({ entries: makeEntries(1, 3, 1) });
    await s.createSnapshot(2, conf, new Uint8Array(0));
    await s.close();
    expect(await chunkCount(dir)).toBe(0);
    s = await DurableStorage.open(dir, { key });
    expect(s.snapshot().meta.index).toBe(2);
    expect(s.snapshot().data.byteLength).toBe(0);
    await s.close();
  });

  it('splits at exact chunk boundaries', async () => {
    const dir = await dirs.make();
    let s = await DurableStorage.open(dir, { key, snapshotChunkBytes: 10 });
    await s.save({ entries: makeEntries(1, 3, 1) });
    await s.createSnapshot(1, conf, Buffer.from('0123456789abcdefghij'));
    await s.createSnapshot(3, conf, Buffer.from('0123456789abcdefghijk'));
    await s.close();
    expect(await chunkCount(dir)).toBe(3);
    s = await DurableStorage.open(dir, { key }); // the chunk size is not needed to read
    expect(Buffer.from(s.snapshot().data).toString()).toBe('0123456789abcdefghijk');
    await s.close();
  });
});
