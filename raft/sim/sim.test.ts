import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runSeed } from './run.ts';

interface Regression {
  readonly seed: number;
  readonly nodes: 3 | 5;
  readonly found: string;
}

const regressions = JSON.parse(
  readFileSync(new URL('./regressions.json', import.meta.url), 'utf8'),
) as Regression[];

describe('simulator', () => {
  it.each(regressions.map((r) => [r.seed, r.nodes, r] as const))(
    'regression seed %i (%i nodes) passes',
    (_seed, _nodes, r) => {
      const result = runSeed({ seed: r.seed, nodes: r.nodes });
      expect(result.error ?? '', `${r.found}\nreplay: ${result.replay}`).toBe('');
      expect(result.ok).toBe(true);
    },
  );

  it('replays a seed exactly: same seed, same trace hash', () => {
    const a = runSeed({ seed: 4242, nodes: 3 });
    const b = runSeed({ seed: 4242, nodes: 3 });
    expect(a.traceHash).toBe(b.traceHash);
    expect(a.ticks).toBe(b.ticks);
    expect(a.ops).toBe(b.ops);
    expect(runSeed({ seed: 4243, nodes: 3 }).traceHash).not.toBe(a.traceHash);
  });

  it('does real work in a seed: commits entries and records client operations', () => {
    const r = runSeed({ seed: 7, nodes: 5 });
    expect(r.ok).toBe(true);
    expect(r.committed).toBeGreaterThan(20);
    expect(r.ops).toBeGreaterThan(20);
  });

  it('catches a planted bug: reads served from local state are not linearizable', () => {
    const failures = [];
    for (let seed = 1; seed <= 40; seed++) {
      const r = runSeed({ seed, nodes: 3, bug: 'staleReads' });
      if (!r.ok) failures.push(r.error ?? '');
    }
    expect(failures.length).toBeGreaterThan(0);
    expect(failures[0]).toMatch(/linearizab/);
  });

  it('prints a one-line replay command for a seed', () => {
    expect(runSeed({ seed: 9, nodes: 3 }).replay).toBe('npm run sim -- --seed 9 --nodes 3 --verbose');
  });
});
