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
  /** Only gets and puts, half each, as the simulator's clients issue; otherwise all four kinds. */
  readonly putGetOnly?: boolean;
}

function randomInput(rng: Rng, key: string, current: KvValue, serial: number, o: GenOptions): KvInput {
  if (o.putGetOnly === true)
    return rng.chance(0.5) ? { op: 'get', key } : { op: 'put', key, value: `v${serial}` };
  const r = rng.next();
  if (r < 0.4) return { op: 'get', key };
  if (r < 0.65) return { op: 'put', key, value: `v${serial}` };
  if (r < 0.8) return { op: 'append', key, value: `+${serial % 10}` };
  const hit = current !== undefined && rng.chance(0.6);
  return hit
    ? { op: 'cas', key, value: `c${serial}`, expected: current }
    : { op: 'cas', key, value: `c${serial}`, expected: 'nope' };
}

function apply(current: KvValue, input: KvInput): { next: KvValue; output: KvOutput } {
  switch (input.op) {
    case 'get':
      return {
        next: current,
        output: current === undefined ? { kind: 'ok' } : { kind: 'ok', value: current },
      };
    case 'put':
      return { next: input.value, output: { kind: 'ok' } };
    case 'append':
      return { next: (current ?? '') + (input.value ?? ''), output: { kind: 'ok' } };
    case 'cas':
      return current === input.expected
        ? { next: input.value, output: { kind: 'ok' } }
        : { next: current, output: { kind: 'fail' } };
  }
}

/**
 * A linearizable history from a sequential execution: each operation takes effect at a tick inside its
 * interval, and each client has at most one operation outstanding (it calls again only after its
 * previous operation returned or it gave up), as the simulator's clients do.
 */
export function linearizableHistory(rng: Rng, o: GenOptions): KvOperation[] {
  const store = new Map<string, KvValue>();
  /** Per client: the tick its previous operation returned or was given up. */
  const free = new Array<number>(o.clients).fill(-1);
  const out: KvOperation[] = [];
  let t = 0;
  for (let i = 0; i < o.ops; i++) {
    t = Math.max(t + 1, Math.min(...free) + 1);
    const idle = free.flatMap((f, c) => (f < t ? [c] : []));
    const clientId = rng.pick(idle);
    const call = rng.between(Math.max((free[clientId] ?? 0) + 1, t - o.maxLatency), t);
    const key = `k${rng.int(o.keys)}`;
    const input = randomInput(rng, key, store.get(key), i, o);
    if (input.op !== 'get' && rng.chance(o.lostRate)) {
      out.push({ clientId, input, call, output: { kind: 'unknown' }, return: Infinity });
      free[clientId] = call + rng.between(0, o.maxLatency);
      continue;
    }
    const { next, output } = apply(store.get(key), input);
    store.set(key, next);
    if (rng.chance(o.unknownRate)) {
      // The client gave up, possibly before the operation took effect at t.
      out.push({ clientId, input, call, output: { kind: 'unknown' }, return: Infinity });
      free[clientId] = call + rng.between(0, o.maxLatency);
    } else {
      const ret = t + rng.between(0, o.maxLatency);
      out.push({ clientId, input, call, output, return: ret });
      free[clientId] = ret;
    }
  }
  return out;
}

/** A small arbitrary single-key history, usually not linearizable. */
export function arbitraryHistory(rng: Rng, size: number): KvOperation[] {
  const values = ['a', 'b', 'ab', 'ba'];
  const out: KvOperation[] = [];
  for (let i = 0; i < size; i++) {
    const r = rng.int(4);
    // x and y are never read back, so unknown writes of them are left out by the partition.
    const value = rng.pick(['a', 'b', 'a', 'b', 'x', 'y']);
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
      k < 2
        ? { kind: 'unknown' }
        : k < 3
          ? { kind: 'fail' }
          : k < 5 || input.op !== 'get'
            ? { kind: 'ok' }
            : { kind: 'ok', value: rng.pick(values) };
    const call = rng.int(12);
    const ret = output.kind === 'unknown' ? Infinity : call + rng.int(6);
    out.push({ clientId: i, input, call, output, return: ret });
  }
  return out;
}
