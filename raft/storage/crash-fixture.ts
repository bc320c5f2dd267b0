/**
 * What crash-writer.ts writes and crash.test.ts checks: a fixed test key and data that is a pure
 * function of index and term, so the checker can tell exactly what each record must hold.
 */
import { createHash } from 'node:crypto';
import type { ConfState, EncryptionKey } from './types.ts';

/** The crash test's key (a test fixture, never a real key). */
export const CRASH_TEST_KEY: EncryptionKey = Object.freeze({
  id: 'crash-test',
  key: createHash('sha256').update('shoal raft storage crash test').digest(),
});

/** Small chunks so a snapshot write is many records. */
export const CRASH_SNAPSHOT_CHUNK_BYTES = 64 * 1024;

/** The writer's membership. */
export const CRASH_CONF: ConfState = Object.freeze({ voters: ['w'], learners: [] });

/** The data of entry `index` written in `term`; its length varies with the index. */
export function crashEntryData(index: number, term: number): Buffer {
  return Buffer.from(`crash entry ${index} term ${term} ${'x'.repeat(index % 300)}`);
}

/** Data the writer writes first and then overwrites before acknowledging (a truncated suffix). */
export function crashTentativeData(index: number): Buffer {
  return Buffer.from(`tentative ${index}`);
}

/** The snapshot data at `index`: about 300 KiB, so several chunks. */
export function crashSnapshotData(index: number): Buffer {
  const seed = createHash('sha256').update(`snapshot ${index}`).digest();
  return Buffer.concat(Array.from({ length: 300 * 32 }, () => seed));
}

/** A line of the writer's stdout: its start, or an acknowledged save. */
export type CrashLine =
  | { readonly kind: 'start'; readonly term: number; readonly from: number }
  | { readonly kind: 'ack'; readonly index: number; readonly commit: number };

/** `START <term> <from>` and `ACK <index> <commit>`; null for anything else. */
export function parseCrashLine(line: string): CrashLine | null {
  const [word, a, b] = line.trim().split(' ');
  const x = Number(a);
  const y = Number(b);
  if (!Number.isSafeInteger(x) || !Number.isSafeInteger(y)) return null;
  if (word === 'START') return { kind: 'start', term: x, from: y };
  if (word === 'ACK') return { kind: 'ack', index: x, commit: y };
  return null;
}
