/**
 * Durability across real crashes (invariant 6 of reference/raft-testing.md): a separate process
 * appends through DurableStorage and is SIGKILLed at a random moment; every save it acknowledged must
 * be on disk, exactly, when the directory is reopened. The same directory lives through every
 * iteration, so each run also reopens what all earlier crashes left behind.
 *
 * SHOAL_CRASH_ITERATIONS=N runs N kills (default 20). SIGKILL loses the process, not the page cache:
 * this proves each batch is atomic and acknowledged only once written, not that fsync reached the disk.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CRASH_TEST_KEY, crashEntryData, crashSnapshotData, parseCrashLine } from './crash-fixture.ts';
import { DurableStorage } from './storage.ts';
import { TempDirs } from './storage.testlib.ts';

const dirs = new TempDirs();
afterEach(() => dirs.cleanup());

const ITERATIONS = Number(process.env['SHOAL_CRASH_ITERATIONS'] ?? 20);
const WRITER = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Longest wait for the writer's first acknowledgements (start-up under tsx on a busy machine). */
const WRITER_START_TIMEOUT_MS = 20_000;
const MAX_ACKS_BEFORE_KILL = 60;
const MAX_KILL_DELAY_MS = 40;

/** What one writer run acknowledged: entries [from, lastIndex] in `term`, and the highest commit. */
interface Run {
  term: number;
  from: number;
  lastIndex: number;
  commit: number;
  acks: number;
}

/** Runs the writer until `acksBeforeKill` ACKs plus a random delay, then SIGKILLs it. */
async function runAndKill(dir: string, acksBeforeKill: number, delayMs: number): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<string>((resolve) =>
    child.on('exit', (code, signal) => resolve(`code ${code} signal ${signal}`)),
  );
  const run: Run = { term: -1, from: -1, lastIndex: -1, commit: -1, acks: 0 };
  let killTimer: NodeJS.Timeout | undefined;
  const enough = new Promise<void>((resolve, reject) => {
    const timeout = setTimeout(
      () => reject(new Error(`writer gave ${run.acks} ACKs in time`)),
      WRITER_START_TIMEOUT_MS,
    );
    createInterface({ input: child.stdout }).on('line', (text) => {
      const l = parseCrashLine(text);
      if (l?.kind === 'start') Object.assign(run, { term: l.term, from: l.from });
      if (l?.kind === 'ack') Object.assign(run, { lastIndex: l.index, commit: l.commit, acks: run.acks + 1 });
      if (run.acks === acksBeforeKill) {
        clearTimeout(timeout);
        resolve();
      }
    });
    void exited.then((how) => reject(new Error(`writer exited by itself (${how}): ${stderr}`)));
  });
  try {
    await enough;
    await new Promise<void>((resolve) => (killTimer = setTimeout(resolve, delayMs)));
  } finally {
    clearTimeout(killTimer);
    child.kill('SIGKILL');
    await exited;
  }
  // Lines already read may include ACKs after the threshold: readline delivers them before 'exit'.
  return run;
}

/** Checks the directory against every run so far, then closes it. */
async function verify(dir: string, runs: readonly Run[]): Promise<void> {
  const s = await DurableStorage.open(dir, { key: CRASH_TEST_KEY });
  try {
    const hs = s.initialState().hardState;
    const acked = runs.filter((r) => r.acks > 0);
    const last = acked.at(-1);
    if (last) {
      expect(s.lastIndex()).toBeGreaterThanOrEqual(last.lastIndex);
      expect(hs.commit).toBeGreaterThanOrEqual(last.commit);
      expect(hs.term).toBeGreaterThanOrEqual(last.term);
    }
    for (const r of acked) {
      for (let i = Math.max(r.from, s.firstIndex()); i <= r.lastIndex; i++) {
        const [e] = s.entries(i, i + 1);
        expect(e?.term, `entry ${i}`).toBe(r.term);
        expect(Buffer.from(e?.data ?? []).equals(crashEntryData(i, r.term)), `entry ${i} data`).toBe(true);
      }
    }
    const snap = s.snapshot();
    if (snap.meta.index > 0) {
      expect(Buffer.from(snap.data).equals(crashSnapshotData(snap.meta.index)), 'snapshot data').toBe(true);
      expect(s.firstIndex() - 1).toBeLessThanOrEqual(snap.meta.index);
    }
  } finally {
    await s.close();
  }
}

describe('crash durability (real process, SIGKILL)', () => {
  it(
    `keeps every acknowledged save across ${ITERATIONS} kills`,
    async () => {
      const dir = await dirs.make('shoal-raft-crash-');
      const runs: Run[] = [];
      const began = performance.now();
      for (let k = 0; k < ITERATIONS; k++) {
        const acks = 1 + Math.floor(Math.random() * MAX_ACKS_BEFORE_KILL);
        const delayMs = Math.floor(Math.random() * MAX_KILL_DELAY_MS);
        runs.push(await runAndKill(dir, acks, delayMs));
        await verify(dir, runs);
      }
      const total = runs.reduce((n, r) => n + r.acks, 0);
      const s = await DurableStorage.open(dir, { key: CRASH_TEST_KEY });
      const summary = `last index ${s.lastIndex()}, snapshot at ${s.snapshot().meta.index}`;
      await s.close();
      console.log(
        `crash test: ${ITERATIONS} kills, ${total} acknowledged saves, ${summary}, ` +
          `${Math.round(performance.now() - began)} ms`,
      );
    },
    30_000 + ITERATIONS * 5_000,
  );
});
