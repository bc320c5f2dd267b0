import { afterEach, describe, expect, it } from 'vitest';
import {
  CompactPastSnapshotError,
  InvalidAppendError,
  LogCompactedError,
  LogUnavailableError,
  SnapshotOutOfDateError,
  StorageClosedError,
  StorageIOError,
} from './errors.ts';
import { DurableStorage } from './storage.ts';
import { makeEntries, plain, TempDirs, testKey } from './storage.testlib.ts';
import type { Snapshot } from './types.ts';

const dirs = new TempDirs();
afterEach(() => dirs.cleanup());

const key = testKey();
const conf = { voters: ['1', '2', '3'], learners: ['4'] };

async function fresh(): Promise<{ dir: string; s: DurableStorage }> {
  const dir = await dirs.make();
  return { dir, s: await DurableStorage.open(dir, { key }) };
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

async function reopen(s: DurableStorage): Promise<DurableStorage> {
  await s.close();
  return DurableStorage.open(s.dir, { key });
}

describe('DurableStorage', () => {
  it('starts empty', async () => {
    const { s } = await fresh();
    expect(s.initialState()).toEqual({
      hardState: { term: 0, vote: null, commit: 0 },
      confState: { voters: [], learners: [] },
    });
    expect([s.firstIndex(), s.lastIndex(), s.term(0)]).toEqual([1, 0, 0]);
    expect(s.entries(1, 1)).toEqual([]);
    expect(s.snapshot().meta.index).toBe(0);
    await s.close();
  });

  it('round-trips entries, hard state and snapshot across close and reopen', async () => {
    let { s } = await fresh();
    const cc = { index: 6, term: 2, type: 'confChange' as const, data: Buffer.from('{"type":"addNode"}') };
    await s.save({ entries: makeEntries(1, 5, 1), hardState: { term: 1, vote: '1', commit: 3 } });
    await s.save({ entries: [cc, ...makeEntries(7, 9, 2)], hardState: { term: 2, vote: null, commit: 8 } });
    await s.createSnapshot(4, conf, Buffer.from('state at 4'));
    const before = plain(s.entries(1, 10));
    s = await reopen(s);
    expect(plain(s.entries(1, 10))).toEqual(before);
    expect(s.entries(6, 7)[0]?.type).toBe('confChange');
    expect(s.initialState()).toEqual({ hardState: { term: 2, vote: null, commit: 8 }, confState: conf });
    expect(s.snapshot().meta).toEqual({ index: 4, term: 1, confState: conf });
    expect(Buffer.from(s.snapshot().data).toString()).toBe('state at 4');
    expect([s.firstIndex(), s.lastIndex(), s.term(6), s.term(9)]).toEqual([1, 9, 2, 2]);
    await s.close();
  });

  it('saves hard state alone, and keeps the latest', async () => {
    let { s } = await fresh();
    await s.save({ hardState: { term: 3, vote: '2', commit: 0 } });
    await s.save({ hardState: { term: 4, vote: null, commit: 0 } });
    s = await reopen(s);
    expect(s.initialState().hardState).toEqual({ term: 4, vote: null, commit: 0 });
    await s.close();
  });

  it('truncates a conflicting suffix, on disk as well as in memory', async () => {
    let { s } = await fresh();
    await s.save({ entries: makeEntries(1, 10, 1) });
    await s.save({ entries: makeEntries(6, 7, 2) });
    const want = [...plain(makeEntries(1, 5, 1)), ...plain(makeEntries(6, 7, 2))];
    expect(plain(s.entries(1, 8))).toEqual(want);
    expect(s.lastIndex()).toBe(7);
    s = await reopen(s);
    expect(s.lastIndex()).toBe(7);
    expect(plain(s.entries(1, 8))).toEqual(want);
    // Appending right after the new end works; past it would leave a gap.
    await s.save({ entries: makeEntries(8, 8, 2) });
    await expect(s.save({ entries: makeEntries(10, 10, 2) })).rejects.toBeInstanceOf(InvalidAppendError);
    await expect(s.save({ entries: [...makeEntries(9, 9, 2), ...makeEntries(11, 11, 2)] })).rejects.toThrow(
      /consecutive/,
    );
    expect(s.lastIndex()).toBe(8);
    await s.close();
  });

  it('replaces the whole log when new entries start at its first index', async () => {
    let { s } = await fresh();
    await s.save({ entries: makeEntries(1, 4, 1) });
    await s.save({ entries: makeEntries(1, 2, 3) });
    s = await reopen(s);
    expect(plain(s.entries(1, 3))).toEqual(plain(makeEntries(1, 2, 3)));
    await s.close();
  });

  it('limits entries by maxBytes but returns at least one', async () => {
    const { s } = await fresh();
    await s.save({ entries: makeEntries(1, 5, 1) }); // 16 bytes of data each
    expect(s.entries(1, 6, 0)).toHaveLength(1);
    expect(s.entries(1, 6, 32)).toHaveLength(2);
    expect(s.entries(1, 6, 33)).toHaveLength(2);
    expect(s.entries(1, 6)).toHaveLength(5);
    await s.close();
  });

  it('throws typed errors for compacted and unavailable indexes', async () => {
    const { s, dir } = await fresh();
    await s.save({ entries: makeEntries(1, 10, 1) });
    await s.createSnapshot(5, conf, Buffer.from('s5'));
    await s.compact(5);
    expect(() => s.entries(5, 7)).toThrow(LogCompactedError);
    expect(() => s.entries(6, 12)).toThrow(LogUnavailableError);
    expect(() => s.term(4)).toThrow(LogCompactedError);
    expect(() => s.term(11)).toThrow(LogUnavailableError);
    expect(s.term(5)).toBe(1);
    const err = caught(() => s.entries(2, 3));
    expect(err).toBeInstanceOf(LogCompactedError);
    expect((err as LogCompactedError).raftCode).toBe('Compacted');
    expect((err as Error).message).toContain(dir);
    await s.close();
  });

  it('compacts only up to the latest snapshot, durably', async () => {
    let { s } = await fresh();
    await s.save({ entries: makeEntries(1, 10, 1), hardState: { term: 1, vote: null, commit: 10 } });
    await expect(s.compact(3)).rejects.toBeInstanceOf(CompactPastSnapshotError);
    await s.createSnapshot(8, conf, Buffer.from('s8'));
    await s.compact(6);
    expect([s.firstIndex(), s.lastIndex(), s.term(6)]).toEqual([7, 10, 1]);
    await s.compact(4); // already compacted: no-op
    s = await reopen(s);
    expect([s.firstIndex(), s.lastIndex(), s.term(6)]).toEqual([7, 10, 1]);
    expect(plain(s.entries(7, 11))).toEqual(plain(makeEntries(7, 10, 1)));
    await s.compact(8);
    s = await reopen(s);
    expect([s.firstIndex(), s.lastIndex(), s.term(8)]).toEqual([9, 10, 1]);
    // Appends keep working after compaction, and stale entries at or below the start are skipped.
    await s.save({ entries: makeEntries(7, 12, 1) });
    expect([s.firstIndex(), s.lastIndex()]).toEqual([9, 12]);
    await s.close();
  });

  it('creates snapshots only past the current one and within the log', async () => {
    const { s } = await fresh();
    await s.save({ entries: makeEntries(1, 5, 2) });
    await expect(s.createSnapshot(6, conf, Buffer.from('x'))).rejects.toBeInstanceOf(LogUnavailableError);
    const snap = await s.createSnapshot(3, conf, Buffer.from('s3'));
    expect(snap.meta).toEqual({ index: 3, term: 2, confState: conf });
    await expect(s.createSnapshot(3, conf, Buffer.from('x'))).rejects.toBeInstanceOf(SnapshotOutOfDateError);
    await s.close();
  });

  it('applies a leader snapshot that conflicts with the log by dropping every entry', async () => {
    let { s } = await fresh();
    await s.save({ entries: makeEntries(1, 10, 1) });
    const snap: Snapshot = { meta: { index: 7, term: 3, confState: conf }, data: Buffer.from('leader 7') };
    await s.applySnapshot(snap);
    expect([s.firstIndex(), s.lastIndex(), s.term(7)]).toEqual([8, 7, 3]);
    s = await reopen(s);
    expect([s.firstIndex(), s.lastIndex(), s.term(7)]).toEqual([8, 7, 3]);
    expect(s.snapshot().meta).toEqual(snap.meta);
    expect(Buffer.from(s.snapshot().data).toString()).toBe('leader 7');
    await expect(
      s.applySnapshot({ meta: { index: 6, term: 3, confState: conf }, data: Buffer.alloc(0) }),
    ).rejects.toBeInstanceOf(SnapshotOutOfDateError);
    await s.close();
  });

  it('applies a leader snapshot that matches the log by dropping only the entries it covers', async () => {
    let { s } = await fresh();
    await s.save({ entries: makeEntries(1, 10, 1) });
    await s.applySnapshot({ meta: { index: 6, term: 1, confState: conf }, data: Buffer.from('6') });
    s = await reopen(s);
    expect([s.firstIndex(), s.lastIndex()]).toEqual([7, 10]);
    expect(plain(s.entries(7, 11))).toEqual(plain(makeEntries(7, 10, 1)));
    await s.close();
  });

  it('applies a snapshot past the end of the log, with entries and hard state in the same save', async () => {
    let { s } = await fresh();
    await s.save({ entries: makeEntries(1, 3, 1) });
    await s.save({
      snapshot: { meta: { index: 20, term: 4, confState: conf }, data: Buffer.from('20') },
      entries: makeEntries(21, 22, 4),
      hardState: { term: 4, vote: '2', commit: 20 },
    });
    s = await reopen(s);
    expect([s.firstIndex(), s.lastIndex(), s.term(20), s.term(22)]).toEqual([21, 22, 4, 4]);
    expect(s.initialState()).toEqual({ hardState: { term: 4, vote: '2', commit: 20 }, confState: conf });
    await s.close();
  });

  it('runs writes fired without awaiting in call order', async () => {
    let { s } = await fresh();
    const writes = [];
    for (let i = 1; i <= 50; i++) {
      writes.push(
        s.save({ entries: makeEntries(i, i, 1), hardState: { term: 1, vote: null, commit: i - 1 } }),
      );
    }
    writes.push(s.save({ entries: makeEntries(40, 40, 2) })); // truncates 41..50
    await Promise.all(writes);
    expect(s.lastIndex()).toBe(40);
    s = await reopen(s);
    expect([s.lastIndex(), s.term(40), s.initialState().hardState.commit]).toEqual([40, 2, 49]);
    await s.close();
  });

  it('does not show a write before it has synced', async () => {
    const { s } = await fresh();
    const pending = s.save({ entries: makeEntries(1, 3, 1) });
    expect(s.lastIndex()).toBe(0);
    await pending;
    expect(s.lastIndex()).toBe(3);
    await s.close();
  });

  it('refuses writes after close, and a second process while open', async () => {
    const { s, dir } = await fresh();
    await expect(DurableStorage.open(dir, { key })).rejects.toBeInstanceOf(StorageIOError);
    await s.close();
    await expect(s.save({ entries: makeEntries(1, 1, 1) })).rejects.toBeInstanceOf(StorageClosedError);
    expect(s.lastIndex()).toBe(0);
    await s.close(); // idempotent
  });
});
