/**
 * The process crash.test.ts kills: `node --import tsx raft/storage/crash-writer.ts DIR`.
 *
 * Reopens DIR, starts a new term and appends forever. Each save carries 1–4 new entries and a hard
 * state whose commit is everything acknowledged before; `ACK <last index> <commit>` is printed only
 * after the save resolved. Every 10th save first writes tentative entries and then overwrites them
 * (a truncated suffix, never acknowledged); every 25th creates a multi-chunk snapshot and compacts.
 */
import { CRASH_CONF, CRASH_SNAPSHOT_CHUNK_BYTES, CRASH_TEST_KEY, crashEntryData } from './crash-fixture.ts';
import { crashSnapshotData, crashTentativeData } from './crash-fixture.ts';
import { DurableStorage } from './storage.ts';
import type { Entry } from './types.ts';

/** Entries kept behind a snapshot when compacting. */
const KEEP_ENTRIES = 10;

function line(text: string): void {
  // stdout is a pipe: on Linux its writes are synchronous, so a printed ACK is really out.
  process.stdout.write(`${text}\n`);
}

async function main(dir: string): Promise<void> {
  const s = await DurableStorage.open(dir, {
    key: CRASH_TEST_KEY,
    snapshotChunkBytes: CRASH_SNAPSHOT_CHUNK_BYTES,
  });
  const term = s.initialState().hardState.term + 1;
  let next = s.lastIndex() + 1;
  let commit = s.initialState().hardState.commit;
  line(`START ${term} ${next}`);
  for (let save = 1; ; save++) {
    const n = 1 + (save % 4);
    const entries: Entry[] = [];
    for (let i = next; i < next + n; i++) {
      entries.push({ index: i, term, type: 'normal', data: crashEntryData(i, term) });
    }
    if (save % 10 === 0) {
      const tentative = [...entries, ...entries].map((e, k) => ({
        ...e,
        index: next + k,
        data: crashTentativeData(next + k),
      }));
      await s.save({ entries: tentative });
    }
    await s.save({ entries, hardState: { term, vote: 'w', commit } });
    line(`ACK ${next + n - 1} ${commit}`);
    if (save % 25 === 0) {
      await s.createSnapshot(commit, CRASH_CONF, crashSnapshotData(commit));
      await s.compact(Math.max(s.firstIndex() - 1, commit - KEEP_ENTRIES));
    }
    next += n;
    commit = next - 1; // a single voter commits what it has made durable
  }
}

const dir = process.argv[2];
if (dir === undefined) {
  process.stderr.write('usage: node --import tsx raft/storage/crash-writer.ts DIR\n');
  process.exit(2);
}
main(dir).catch((err: unknown) => {
  process.stderr.write(`crash-writer: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
