/**
 * Generators of KV histories for the checker's tests: linearizable by construction (a sequential
 * execution whose operations are given overlapping intervals around their linearization points), and
 * small arbitrary ones for cross-checking against brute force.
 */
import type { Rng } from '../rng.ts';
import type { KvInput, KvOperation, KvOutput, KvValue } from './kv.ts';

export interface GenOptions {
  readonly ops: number;
  readonly keys: number;
  readonly clients: number;
  /** Each interval extends up to this many ticks either side of its linearization point. */
  readonly maxLatency: number;
  /** Fraction of operations that took effect but whose client gave up (`unknown`, `return: Infinity`). */
  readonly unknownRate: number;
  /** Fraction of writes whose client gave up and that never took effect. */
  readonly lostRate: number;
}

function randomInput(rng: Rng, key: string, current: KvValue, serial: number): KvInput {
  const r = rng.next();
  if (r < 0.4) return { op: 'get', key };
  if (r < 0.65) return { op: 'put', key, value: `v${serial}` };
  if (r < 0.8) return { op: 'append', key, value: `+${serial % 10}` };
  const hit = current !== undefined && rng.chance(0.6);
  return hit ? { op: 'cas', key, value: `c${serial}`, expected: current } : { op: 'cas', key, value: `c${serial}`, expected: 'nope' };
}

function apply(current: KvValue, input: KvInput): { next: KvValue; output: KvOutput } {
  switch (input.op) {
    case 'get':
      return { next: current, output: current === undefined ? { kind: 'ok' } : { kind: 'ok', value: current } };
    case 'put':
      return { next: input.value, output: { kind: 'ok' } };
    case 'append':
      return { next: (current ?? '') + (input.value ?? ''), output: { kind: 'ok' } };
    case 'cas':
      return current === input.expected ? { next: input.value, output: { kind: 'ok' } } : { next: current, output: { kind: 'fail' } };
  }
}

/** A linearizable history: operation i takes effect at tick 2i, inside its interval. */
export function linearizableHistory(rng: Rng, o: GenOptions): KvOperation[] {
  const store = new Map<string, KvValue>();
  const out: KvOperation[] = [];
  for (let i = 0; i < o.ops; i++) {
    const t = 2 * i + o.maxLatency;
    const key = `k${rng.int(o.keys)}`;
    const input = randomInput(rng, key, store.get(key), i);
    const call = t - rng.between(0, o.maxLatency);
    const clientId = i % o.clients;
    if (input.op !== 'get' && rng.chance(o.lostRate)) {
      out.push({ clientId, input, call, output: { kind: 'unknown' }, return: Infinity });
      continue;
    }
    const { next, output } = apply(store.get(key), input);
    store.set(key, next);
    if (rng.chance(o.unknownRate)) out.push({ clientId, input, call, output: { kind: 'unknown' }, return: Infinity });
    else out.push({ clientId, input, call, output, return: t + rng.between(0, o.maxLatency) });
  }
  return out;
}

/** A small arbitrary single-key history, usually not linearizable. */
export function arbitraryHistory(rng: Rng, size: number): KvOperation[] {
  const values = ['a', 'b', 'ab', 'ba'];
  const out: KvOperation[] = [];
  for (let i = 0; i < size; i++) {
    const r = rng.int(4);
    const value = rng.pick(['a', 'b']);
    const input: KvInput =
      r === 0
        ? { op: 'get', key: 'k' }
        : r === 1
          ? { op: 'put', key: 'k', value }
          : r === 2
            ? { op: 'append', key: 'k', value }
            : rng.chance(0.3)
              ? { op: 'cas', key: 'k', value }
              : { op: 'cas', key: 'k', value, expected: rng.pick(values) };
    const k = rng.int(10);
    const output: KvOutput =
      k < 2 ? { kind: 'unknown' } : k < 3 ? { kind: 'fail' } : k < 5 || input.op !== 'get' ? { kind: 'ok' } : { kind: 'ok', value: rng.pick(values) };
    const call = rng.int(12);
    const ret = output.kind === 'unknown' ? Infinity : call + rng.int(6);
    out.push({ clientId: i, input, call, output, return: ret });
  }
  return out;
}
