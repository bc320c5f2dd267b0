import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Level } from 'level';
import { afterEach, describe, expect, it } from 'vitest';
import { CorruptRecordError, StorageOptionError, WrongKeyError } from './errors.ts';
import { chunkKey, entryKey, HARD_STATE_KEY, SNAPSHOT_META_KEY } from './keys.ts';
import { RecordSealer } from './seal.ts';
import { DurableStorage } from './storage.ts';
import { makeEntries, TempDirs, testKey } from './storage.testlib.ts';

const dirs = new TempDirs();
afterEach(() => dirs.cleanup());

const key = testKey('dek-1');
const CANARY = 'CANARY-7f3a9c';
const conf = { voters: ['1', '2'], learners: [] };

/** Every file under `dir`, recursively, as raw bytes. */
async function rawFiles(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const ent of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (ent.isFile()) out.set(join(ent.parentPath, ent.name), await readFile(join(ent.parentPath, ent.name)));
  }
  return out;
}

async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const hits: string[] = [];
  for (const [path, bytes] of await rawFiles(dir)) if (bytes.includes(Buffer.from(needle))) hits.push(path);
  return hits;
}

/** A database of entries 1..20 (term 1), hard state and a snapshot at 10, closed. */
async function populated(): Promise<string> {
  const dir = await dirs.make();
  const s = await DurableStorage.open(dir, { key, snapshotChunkBytes: 64 });
  await s.save({ entries: makeEntries(1, 20, 1), hardState: { term: 1, vote: '1', commit: 15 } });
  await s.createSnapshot(10, conf, Buffer.alloc(200, 's'));
  await s.close();
  return dir;
}

/** Rewrites the raw value under `k` with a raw LevelDB handle. */
async function tamper(dir: string, k: Buffer, change: (v: Buffer) => Buffer | null): Promise<void> {
  const raw = new Level<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  const v = await raw.get(k);
  if (v === undefined) throw new Error(`no record under ${k.toString('hex')}`);
  const next = change(Buffer.from(v));
  await (next === null ? raw.del(k) : raw.put(k, next));
  await raw.close();
}

function flip(at: (v: Buffer) => number): (v: Buffer) => Buffer {
  return (v) => {
    const i = at(v);
    v[i] = (v[i] as number) ^ 0x5a;
    return v;
  };
}

async function openError(dir: string, k = key): Promise<unknown> {
  return DurableStorage.open(dir, { key: k }).then(
    async (s) => {
      await s.close();
      return undefined;
    },
    (err: unknown) => err,
  );
}

describe('encryption at rest', () => {
  it('never writes the canary in clear: entries, hard state, snapshot data and membership', async () => {
    const dir = await dirs.make();
    const s = await DurableStorage.open(dir, { key, snapshotChunkBytes: 1000 });
    const data = Buffer.from(`payload ${CANARY} payload`);
    await s.save({
      entries: [{ index: 1, term: 1, type: 'normal', data }, ...makeEntries(2, 50, 1, CANARY)],
      hardState: { term: 1, vote: CANARY, commit: 1 },
    });
    await s.createSnapshot(40, { voters: [CANARY], learners: [] }, Buffer.from(CANARY.repeat(500)));
    await s.close();
    expect((await rawFiles(dir)).size).toBeGreaterThan(0);
    expect(await filesContaining(dir, CANARY)).toEqual([]);
    // The data is there and readable through the storage.
    const again = await DurableStorage.open(dir, { key });
    expect(again.initialState().hardState.vote).toBe(CANARY);
    expect(Buffer.from(again.snapshot().data).toString()).toContain(CANARY);
    await again.close();
  });

  it('the scan would see the canary were it written in clear (control)', async () => {
    const dir = await dirs.make();
    const raw = new Level<string, string>(dir, { compression: false });
    await raw.put('k', `plain ${CANARY}`, { sync: true });
    await raw.close();
    expect(await filesContaining(dir, CANARY)).not.toEqual([]);
  });

  it('seals each record with a fresh nonce and names the key in the header', () => {
    const sealer = new RecordSealer('/db', key);
    const a = sealer.seal(entryKey(1), [Buffer.from('same')]);
    const b = sealer.seal(entryKey(1), [Buffer.from('same')]);
    expect(a.equals(b)).toBe(false);
    expect(a.includes(Buffer.from('dek-1'))).toBe(true);
    expect(sealer.open(entryKey(1), a, 'entry 1', 1).toString()).toBe('same');
    expect(() => sealer.open(entryKey(2), a, 'entry 2', 2)).toThrow(CorruptRecordError);
  });
});

describe('corruption is detected on open', () => {
  const cases: [string, Buffer, (v: Buffer) => Buffer | null, RegExp][] = [
    [
      'a flipped ciphertext byte',
      entryKey(12),
      flip((v) => v.length - 20),
      /entry 12 is corrupt \(authentication failed\)/,
    ],
    [
      'a flipped tag byte',
      entryKey(12),
      flip((v) => v.length - 1),
      /entry 12 is corrupt \(authentication failed\)/,
    ],
    ['a flipped nonce byte', entryKey(12), flip(() => 10), /entry 12 is corrupt \(authentication failed\)/],
    ['a torn (truncated) value', entryKey(12), (v) => v.subarray(0, v.length - 7), /entry 12 is corrupt/],
    ['an empty value', entryKey(12), () => Buffer.alloc(0), /entry 12 is corrupt/],
    [
      'a missing entry',
      entryKey(12),
      () => null,
      /entry 12 is corrupt \(missing: the log jumps from 11 to 13\)/,
    ],
  ];
  it.each(cases)('%s in an entry', async (_name, k, change, message) => {
    const dir = await populated();
    await tamper(dir, k, change);
    const err = await openError(dir);
    expect(err).toBeInstanceOf(CorruptRecordError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).toContain(`raft log ${dir}: `);
    expect((err as CorruptRecordError).index).toBe(12);
    expect((err as CorruptRecordError).dir).toBe(dir);
  });

  it('an entry moved under another index', async () => {
    const dir = await populated();
    let moved: Buffer | null = null;
    await tamper(dir, entryKey(3), (v) => (moved = v));
    await tamper(dir, entryKey(4), () => moved);
    const err = await openError(dir);
    expect(err).toBeInstanceOf(CorruptRecordError);
    expect((err as Error).message).toContain(`${dir}: entry 4 is corrupt (authentication failed)`);
  });

  it.each([
    ['hard state', HARD_STATE_KEY, /hard state is corrupt/],
    ['snapshot metadata', SNAPSHOT_META_KEY, /snapshot metadata is corrupt/],
  ])('a flipped byte in the %s', async (_name, k, message) => {
    const dir = await populated();
    await tamper(
      dir,
      k,
      flip((v) => v.length - 3),
    );
    const err = await openError(dir);
    expect(err).toBeInstanceOf(CorruptRecordError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).toContain(dir);
  });

  it('a flipped byte in a snapshot chunk', async () => {
    const dir = await populated();
    const raw = new Level<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    const chunkKeys = await raw.keys({ gte: Buffer.from('c'), lt: Buffer.from('d') }).all();
    await raw.close();
    expect(chunkKeys).toHaveLength(4); // 200 bytes in 64-byte chunks
    await tamper(
      dir,
      chunkKeys[2] as Buffer,
      flip((v) => v.length - 30),
    );
    const err = await openError(dir);
    expect(err).toBeInstanceOf(CorruptRecordError);
    expect((err as Error).message).toContain(
      `${dir}: snapshot chunk 2 of the snapshot at index 10 is corrupt`,
    );
    expect(chunkKey((chunkKeys[2] as Buffer).subarray(1, 9), 2).equals(chunkKeys[2] as Buffer)).toBe(true);
  });
});

describe('keys', () => {
  it('a different key id is refused with a clear error', async () => {
    const dir = await populated();
    const err = await openError(dir, testKey('dek-2'));
    expect(err).toBeInstanceOf(WrongKeyError);
    expect((err as WrongKeyError).code).toBe('Unauthenticated');
    expect((err as Error).message).toBe(
      `raft log ${dir}: key check is sealed with key "dek-1", but only key "dek-2" was given`,
    );
  });

  it('the right id with the wrong key material is refused with a clear error', async () => {
    const dir = await populated();
    const err = await openError(dir, testKey('dek-1', 'another secret'));
    expect(err).toBeInstanceOf(WrongKeyError);
    expect((err as Error).message).toContain(
      `raft log ${dir}: key check does not authenticate under key "dek-1"`,
    );
  });

  it('after a rotation, records sealed with a previous key are read when that key is given', async () => {
    const dir = await populated();
    const next = testKey('dek-2');
    const s = await DurableStorage.open(dir, { key: next, previousKeys: [key] });
    await s.save({ entries: makeEntries(21, 21, 1) });
    expect(s.lastIndex()).toBe(21);
    await s.close();
    const err = await openError(dir, next);
    expect(err).toBeInstanceOf(WrongKeyError);
    const raw = new Level<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    const sealed = await raw.get(entryKey(21));
    await raw.close();
    expect(sealed?.includes(Buffer.from('dek-2'))).toBe(true);
  });

  it('rejects a key that is not 32 bytes, or an empty id', async () => {
    const dir = await dirs.make();
    await expect(
      DurableStorage.open(dir, { key: { id: 'k', key: new Uint8Array(16) } }),
    ).rejects.toBeInstanceOf(StorageOptionError);
    await expect(
      DurableStorage.open(dir, { key: { id: '', key: new Uint8Array(32) } }),
    ).rejects.toBeInstanceOf(StorageOptionError);
  });
});

describe('rekey (data key rotation)', () => {
  it('re-encrypts every record so that only the new key opens the log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shoal-rekey-'));
    try {
      const oldKey = { id: 'dek-1', key: randomBytes(32) };
      const newKey = { id: 'dek-2', key: randomBytes(32) };
      const s = await DurableStorage.open(dir, { key: oldKey });
      const entries = [1, 2, 3].map((i) => ({
        term: 1,
        index: i,
        type: 'normal' as const,
        data: Buffer.from(`v${i}`),
      }));
      await s.save({ entries, hardState: { term: 1, vote: '1', commit: 3 } });
      await s.createSnapshot(2, { voters: ['1'], learners: [] }, Buffer.from('snapshot-state'));
      await s.rekey(newKey);
      await s.save({ entries: [{ term: 1, index: 4, type: 'normal', data: Buffer.from('v4') }] });
      await s.close();
      await expect(DurableStorage.open(dir, { key: oldKey })).rejects.toBeInstanceOf(WrongKeyError);
      const r = await DurableStorage.open(dir, { key: newKey });
      expect(r.entries(1, 5).map((e) => Buffer.from(e.data).toString())).toEqual(['v1', 'v2', 'v3', 'v4']);
      expect(Buffer.from(r.snapshot().data).toString()).toBe('snapshot-state');
      expect(r.initialState().hardState).toEqual({ term: 1, vote: '1', commit: 3 });
      await r.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
