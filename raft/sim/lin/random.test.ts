// The checker on generated histories: cross-checked against brute force on small ones, and fast on a
// large linearizable one.
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.ts';
import { bruteForceLinearizable } from './brute.testlib.ts';
import { arbitraryHistory, linearizableHistory, type GenOptions } from './history.testlib.ts';
import { checkOperations, kvModel, type KvOperation } from './index.ts';

const LARGE: GenOptions = {
  ops: 2000,
  keys: 10,
  clients: 16,
  maxLatency: 20,
  unknownRate: 0.02,
  lostRate: 0.01,
};

describe('against brute force', () => {
  it('agrees on 3000 small arbitrary single-key histories', () => {
    const rng = new Rng(7);
    const verdicts = { ok: 0, illegal: 0 };
    for (let i = 0; i < 3000; i++) {
      const h = arbitraryHistory(rng, 1 + rng.int(6));
      // The raw history, so the brute force also checks what the partition leaves out.
      const raw = h.map((o) => (o.output.kind === 'unknown' ? { ...o, return: Infinity } : o));
      const expected = bruteForceLinearizable(kvModel, raw);
      const got = checkOperations(kvModel, h, { maxSteps: 100_000 }).result;
      expect(got, JSON.stringify(h)).toBe(expected ? 'ok' : 'illegal');
      verdicts[got === 'ok' ? 'ok' : 'illegal']++;
    }
    // Both verdicts are well represented, so the agreement means something.
    expect(verdicts.ok).toBeGreaterThan(300);
    expect(verdicts.illegal).toBeGreaterThan(300);
  });
});

describe('large histories', () => {
  const history = linearizableHistory(new Rng(42), LARGE);

  it('accepts 2000 overlapping operations over 10 keys within a modest budget', () => {
    const r = checkOperations(kvModel, history, { maxSteps: 20_000 });
    expect(r.result).toBe('ok');
    expect(history.filter((o) => o.return === Infinity).length).toBeGreaterThan(20);
  });

  it('rejects the same history with one read corrupted, naming its key', () => {
    const i = history.findIndex((o, j) => j > 1000 && o.input.op === 'get' && o.output.kind === 'ok');
    const victim = history[i]!;
    const corrupted: KvOperation[] = history.map((o, j) =>
      j === i ? { ...o, output: { kind: 'ok', value: 'bogus' } } : o,
    );
    const r = checkOperations(kvModel, corrupted, { maxSteps: 20_000 });
    expect(r.result).toBe('illegal');
    expect(r.witness).toContain(`get(${JSON.stringify(victim.input.key)}) → "bogus"`);
  });

  it('accepts a simulator-shaped history: 5 clients, 3 keys, puts and gets, a fifth timed out', () => {
    const sim: GenOptions = {
      ops: 5000,
      keys: 3,
      clients: 5,
      maxLatency: 50,
      unknownRate: 0.15,
      lostRate: 0.05,
      putGetOnly: true,
    };
    const h = linearizableHistory(new Rng(3), sim);
    expect(checkOperations(kvModel, h, { maxSteps: 50_000 }).result).toBe('ok');
  });

  it('reports timeout with a tiny budget, spending exactly that budget', () => {
    const r = checkOperations(kvModel, history, { maxSteps: 50 });
    expect(r).toMatchObject({ result: 'timeout', steps: 50 });
    expect(r.witness).toMatch(/^step budget of 50 exhausted in partition \d+ of 10 /);
  });
});
