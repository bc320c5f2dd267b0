/** Shared by the simulator's test files: runs a range of seeds and fails with every replay command. */
import { expect } from 'vitest';
import { runSeed } from './run.ts';

export function expectSeedsPass(from: number, count: number, nodes: 3 | 5): void {
  const failures: string[] = [];
  for (let seed = from; seed < from + count; seed++) {
    const r = runSeed({ seed, nodes });
    if (!r.ok) failures.push(`seed ${seed}: ${(r.error ?? '').split('\n')[0] ?? ''}\n  replay: ${r.replay}`);
  }
  expect(failures, failures.join('\n')).toEqual([]);
}
