// checkOperations against a plain integer register: the porcupine README examples, real-time order,
// concurrency, validation and the witness.
import { describe, expect, it } from 'vitest';
import {
  checkOperations,
  InvalidOperationError,
  InvalidOptionError,
  type Model,
  type Operation,
} from './index.ts';

type RegInput = { readonly op: 'put'; readonly value: number } | { readonly op: 'get' };
type RegOp = Operation<RegInput, number>;

/** porcupine's register: starts at 0; put's output is ignored, get must return the current value. */
const register: Model<number, RegInput, number> = {
  init: () => 0,
  step: (s, i, o) => (i.op === 'put' ? { ok: true, state: i.value } : { ok: o === s, state: s }),
  equal: (a, b) => a === b,
  hash: String,
  describe: (i, o) => (i.op === 'put' ? `put(${i.value})` : `get() → ${o}`),
};

const put = (clientId: number, value: number, call: number, ret: number): RegOp => ({
  clientId,
  input: { op: 'put', value },
  call,
  output: 0,
  return: ret,
});
const get = (clientId: number, value: number, call: number, ret: number): RegOp => ({
  clientId,
  input: { op: 'get' },
  call,
  output: value,
  return: ret,
});

describe('porcupine README examples', () => {
  it('accepts put(100) overlapping get → 100 and get → 0', () => {
    const h = [put(0, 100, 0, 100), get(1, 100, 25, 75), get(2, 0, 30, 60)];
    expect(checkOperations(register, h).result).toBe('ok');
  });

  it('rejects get → 0 after a get → 200 that completed earlier', () => {
    const h = [put(0, 200, 0, 100), get(1, 200, 10, 30), get(2, 0, 40, 90)];
    const r = checkOperations(register, h);
    expect(r.result).toBe('illegal');
    expect(r.witness).toContain('get() → 0 [40, 90]');
  });
});

describe('real-time order', () => {
  it('rejects a stale read after a completed write', () => {
    expect(checkOperations(register, [put(0, 1, 0, 10), get(1, 0, 20, 30)]).result).toBe('illegal');
  });

  it('rejects a read of a value written only after the read completed', () => {
    expect(checkOperations(register, [get(1, 1, 0, 10), put(0, 1, 20, 30)]).result).toBe('illegal');
  });

  it('treats intervals that touch as concurrent', () => {
    expect(checkOperations(register, [put(0, 1, 0, 5), get(1, 0, 5, 9)]).result).toBe('ok');
    expect(checkOperations(register, [put(0, 1, 0, 5), get(1, 0, 6, 9)]).result).toBe('illegal');
  });

  it('rejects a value read back after it was overwritten and observed', () => {
    const h = [put(0, 1, 0, 10), put(1, 2, 0, 10), get(2, 2, 20, 30), get(3, 1, 40, 50)];
    expect(checkOperations(register, h).result).toBe('illegal');
  });
});

describe('concurrency', () => {
  it('accepts overlapping writes linearized in either order', () => {
    for (const seen of [1, 2]) {
      const h = [put(0, 1, 0, 10), put(1, 2, 5, 15), get(2, seen, 20, 30)];
      expect(checkOperations(register, h).result).toBe('ok');
    }
  });

  it('accepts reads on both sides of an overlapping write', () => {
    const h = [get(1, 1, 0, 10), put(0, 1, 0, 10), get(2, 0, 0, 10)];
    expect(checkOperations(register, h).result).toBe('ok');
  });

  it('lets an operation that never returned take effect any time after its call', () => {
    const h = [put(0, 7, 5, Infinity), get(1, 0, 10, 20), get(2, 7, 100, 110)];
    expect(checkOperations(register, h).result).toBe('ok');
    const before = [put(0, 7, 50, Infinity), get(1, 7, 10, 20)];
    expect(checkOperations(register, before).result).toBe('illegal');
  });

  it('linearizes reads without branching: 60 concurrent reads around one write, and one impossible', () => {
    const register2: Model<number, RegInput, number> = { ...register, readOnly: (i) => i.op === 'get' };
    const h = [
      ...Array.from({ length: 30 }, (_, i) => get(i, 0, 0, 10)),
      ...Array.from({ length: 30 }, (_, i) => get(30 + i, 1, 0, 10)),
      put(99, 1, 0, 10),
      get(100, 2, 0, 10),
    ];
    const fast = checkOperations(register2, h, { maxSteps: 10_000 });
    expect(fast.result).toBe('illegal');
    expect(fast.steps).toBeLessThan(500);
    // Without the hint the same answer needs far more steps.
    expect(checkOperations(register, h, { maxSteps: 10_000 }).result).toBe('timeout');
  });

  it('prunes with the memo: 12 concurrent puts then an impossible read stay far below 12! steps', () => {
    const h = [...Array.from({ length: 12 }, (_, i) => put(i, 1, 0, 10)), get(99, 2, 0, 10)];
    const r = checkOperations(register, h, { maxSteps: 200_000 });
    expect(r.result).toBe('illegal');
    expect(r.steps).toBeLessThan(200_000);
  });
});

describe('results', () => {
  it('accepts the empty history in zero steps', () => {
    expect(checkOperations(register, [])).toEqual({ result: 'ok', steps: 0 });
  });

  it('is deterministic: the same history takes the same steps', () => {
    const h = [put(0, 1, 0, 10), put(1, 2, 5, 15), get(2, 1, 8, 30), get(3, 2, 12, 40)];
    expect(checkOperations(register, h)).toEqual(checkOperations(register, h));
  });

  it('reports the longest linearizable prefix, its state and the operation that cannot be placed', () => {
    const h = [
      ...Array.from({ length: 8 }, (_, i) => put(0, i + 1, i * 10, i * 10 + 5)),
      get(1, 3, 100, 105),
    ];
    const w = checkOperations(register, h).witness ?? '';
    expect(w).toContain('partition 1 of 1 (9 ops)');
    expect(w).toContain('longest linearizable prefix has 8 ops');
    expect(w).toContain('… 2 earlier');
    expect(w).toContain('c0 put(8) [70, 75]');
    expect(w).toContain(
      'then in state 8 no order of the pending operations can place c1 get() → 3 [100, 105]',
    );
  });

  it('reports timeout, not illegal, when the budget runs out first', () => {
    const h = [put(0, 1, 0, 10), put(1, 2, 0, 10), get(2, 3, 0, 10)];
    const r = checkOperations(register, h, { maxSteps: 2 });
    expect(r.result).toBe('timeout');
    expect(r.steps).toBe(2);
    expect(r.witness).toBe('step budget of 2 exhausted in partition 1 of 1 (3 ops); no verdict');
  });
});

describe('validation', () => {
  it.each([
    ['a NaN call', get(0, 0, NaN, 1), 'call'],
    ['an infinite call', get(0, 0, Infinity, Infinity), 'call'],
    ['a NaN return', get(0, 0, 1, NaN), 'return'],
    ['a return before the call', get(0, 0, 5, 4), 'return'],
  ])('throws InvalidOperationError on %s', (_name, op, field) => {
    const e = (() => {
      try {
        checkOperations(register, [put(0, 1, 0, 1), op]);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(InvalidOperationError);
    expect(e).toMatchObject({ code: 'InvalidOperation', index: 1, field });
  });

  it.each([0, -1, 1.5, NaN])('throws InvalidOptionError on maxSteps %s', (maxSteps) => {
    expect(() => checkOperations(register, [], { maxSteps })).toThrow(InvalidOptionError);
  });

  it('accepts maxSteps Infinity', () => {
    expect(checkOperations(register, [put(0, 1, 0, 1)], { maxSteps: Infinity }).result).toBe('ok');
  });
});
