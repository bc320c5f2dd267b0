// kvModel: per-operation semantics, per-key partitioning and operations with unknown outcomes.
import { describe, expect, it } from 'vitest';
import {
  checkOperations,
  InvalidOperationError,
  kvModel,
  type KvInput,
  type KvOperation,
  type KvOutput,
} from './index.ts';

const ok = (value?: string): KvOutput => (value === undefined ? { kind: 'ok' } : { kind: 'ok', value });
const FAIL: KvOutput = { kind: 'fail' };
const UNKNOWN: KvOutput = { kind: 'unknown' };

function op(input: KvInput, output: KvOutput, call: number, ret: number, clientId = 0): KvOperation {
  return { clientId, input, call, output, return: ret };
}
const get = (key: string, out: KvOutput, call: number, ret: number): KvOperation =>
  op({ op: 'get', key }, out, call, ret);
const put = (key: string, value: string, out: KvOutput, call: number, ret: number): KvOperation =>
  op({ op: 'put', key, value }, out, call, ret);
const append = (key: string, value: string, out: KvOutput, call: number, ret: number): KvOperation =>
  op({ op: 'append', key, value }, out, call, ret);
const cas = (
  key: string,
  expected: string | undefined,
  value: string,
  out: KvOutput,
  call: number,
  ret: number,
) =>
  op(
    expected === undefined ? { op: 'cas', key, value } : { op: 'cas', key, value, expected },
    out,
    call,
    ret,
  );

const check = (h: KvOperation[]) => checkOperations(kvModel, h).result;

describe('kvModel semantics', () => {
  it('reads an absent key as an ok without a value', () => {
    expect(check([get('a', ok(), 0, 1)])).toBe('ok');
    expect(check([get('a', ok(''), 0, 1)])).toBe('illegal');
  });

  it('appends to the current value, absent counting as empty', () => {
    const h = [append('a', 'x', ok(), 0, 1), append('a', 'y', ok(), 2, 3), get('a', ok('xy'), 4, 5)];
    expect(check(h)).toBe('ok');
    expect(check([...h.slice(0, 2), get('a', ok('yx'), 4, 5)])).toBe('illegal');
  });

  it('applies cas only when the key holds expected, absent expected meaning an absent key', () => {
    expect(check([cas('a', undefined, '1', ok(), 0, 1), get('a', ok('1'), 2, 3)])).toBe('ok');
    expect(check([put('a', '0', ok(), 0, 1), cas('a', undefined, '1', ok(), 2, 3)])).toBe('illegal');
    expect(check([put('a', '0', ok(), 0, 1), cas('a', undefined, '1', FAIL, 2, 3)])).toBe('ok');
    expect(check([put('a', '0', ok(), 0, 1), cas('a', '0', '1', FAIL, 2, 3)])).toBe('illegal');
    const h = [put('a', '0', ok(), 0, 1), cas('a', '0', '1', ok(), 2, 3), get('a', ok('1'), 4, 5)];
    expect(check(h)).toBe('ok');
  });

  it('orders concurrent cas operations: only one of two racing cas(0 ⇒ x) can succeed', () => {
    const base = put('a', '0', ok(), 0, 1);
    expect(check([base, cas('a', '0', '1', ok(), 2, 9), cas('a', '0', '2', FAIL, 2, 9)])).toBe('ok');
    expect(check([base, cas('a', '0', '1', ok(), 2, 9), cas('a', '0', '2', ok(), 2, 9)])).toBe('illegal');
  });

  it('treats a failed put or append as having no effect', () => {
    expect(check([put('a', '1', FAIL, 0, 1), get('a', ok(), 2, 3)])).toBe('ok');
    expect(check([append('a', '1', FAIL, 0, 1), get('a', ok('1'), 2, 3)])).toBe('illegal');
  });

  it('describes operations and states in witnesses', () => {
    const r = checkOperations(kvModel, [put('k', 'v', ok(), 0, 1), get('k', ok(), 2, 3)]);
    expect(r.witness).toContain('c0 put("k", "v") → ok [0, 1]');
    expect(r.witness).toContain(
      'in state "v" no order of the pending operations can place c0 get("k") → ∅ [2, 3]',
    );
    expect(kvModel.describe?.({ op: 'cas', key: 'k', value: 'n' }, UNKNOWN)).toBe('cas("k", ∅ ⇒ "n") → ?');
  });

  it('rejects malformed inputs', () => {
    const bad = op({ op: 'put', key: 'a' }, ok(), 0, 1);
    expect(() => check([get('a', ok(), 0, 1), bad])).toThrow(InvalidOperationError);
    const badOp = op({ op: 'delete' as 'get', key: 'a' }, ok(), 0, 1);
    expect(() => check([badOp])).toThrow(/input.op = delete/);
  });
});

describe('per-key partitioning', () => {
  it('checks each key alone', () => {
    const h = [put('a', '1', ok(), 0, 10), get('b', ok(), 20, 30), get('a', ok('1'), 20, 30)];
    expect(kvModel.partition?.(h).map((p) => p.length)).toEqual([2, 1]);
    expect(check(h)).toBe('ok');
  });

  it('names the key whose history is not linearizable', () => {
    const h = [
      put('a', '1', ok(), 0, 10),
      get('a', ok('1'), 20, 30),
      put('b', '1', ok(), 0, 10),
      get('b', ok(), 20, 30),
      put('c', '1', ok(), 0, 10),
    ];
    const r = checkOperations(kvModel, h);
    expect(r.result).toBe('illegal');
    expect(r.witness).toMatch(/partition 2 of 3 \(2 ops\)[^]*get\("b"\) → ∅/);
  });

  it('drops operations that neither change nor observe the state', () => {
    const h = [
      get('a', UNKNOWN, 0, 1),
      get('a', FAIL, 0, 1),
      put('a', '1', FAIL, 0, 1),
      cas('a', 'x', 'y', FAIL, 0, 1),
    ];
    expect(kvModel.partition?.(h)).toEqual([[h[3]]]);
  });
});

describe('operations with unknown outcome', () => {
  it('accepts a timed-out put either visible or not', () => {
    const timedOut = put('a', '1', UNKNOWN, 0, Infinity);
    expect(check([timedOut, get('a', ok('1'), 10, 20)])).toBe('ok');
    expect(check([timedOut, get('a', ok(), 10, 20)])).toBe('ok');
  });

  it('rejects a timed-out put that becomes visible and then disappears', () => {
    const h = [put('a', '1', UNKNOWN, 0, Infinity), get('a', ok('1'), 10, 20), get('a', ok(), 30, 40)];
    expect(check(h)).toBe('illegal');
  });

  it('rejects a timed-out put seen before it was called', () => {
    expect(check([get('a', ok('1'), 0, 5), put('a', '1', UNKNOWN, 10, Infinity)])).toBe('illegal');
  });

  it('lets an unknown outcome take effect after the client stopped waiting, whatever return says', () => {
    const h = [put('a', '1', UNKNOWN, 0, 5), get('a', ok(), 10, 20), get('a', ok('1'), 30, 40)];
    expect(kvModel.partition?.(h)[0]?.[0]?.return).toBe(Infinity);
    expect(check(h)).toBe('ok');
  });

  it('applies an unknown cas only if its comparison would succeed', () => {
    const h = [
      put('a', '0', ok(), 0, 1),
      cas('a', '9', '1', UNKNOWN, 2, Infinity),
      get('a', ok('1'), 10, 20),
    ];
    expect(check(h)).toBe('illegal');
    const h2 = [
      put('a', '0', ok(), 0, 1),
      cas('a', '0', '1', UNKNOWN, 2, Infinity),
      get('a', ok('1'), 10, 20),
    ];
    expect(check(h2)).toBe('ok');
  });

  it('accepts appends that timed out interleaved in any order', () => {
    const h = [
      append('a', 'x', UNKNOWN, 0, Infinity),
      append('a', 'y', UNKNOWN, 0, Infinity),
      append('a', 'z', ok(), 0, 5),
      get('a', ok('yz'), 10, 20),
      get('a', ok('yzx'), 30, 40),
    ];
    expect(check(h)).toBe('ok');
    expect(check([...h.slice(0, 4), get('a', ok('xyz'), 30, 40)])).toBe('illegal');
  });
});

describe('unknown writes nothing observed', () => {
  it('are left out of the partition', () => {
    const h = [
      put('a', 'lost', UNKNOWN, 0, Infinity),
      append('a', 'gone', UNKNOWN, 1, Infinity),
      put('a', 'seen', UNKNOWN, 2, Infinity),
      get('a', ok('seen'), 10, 20),
    ];
    expect(kvModel.partition?.(h)).toEqual([[h[2], h[3]]]);
  });

  it('are kept when seen inside a longer value or as a cas expectation', () => {
    const h = [
      append('a', 'x', UNKNOWN, 0, Infinity),
      put('a', 'y', UNKNOWN, 0, Infinity),
      get('a', ok('yx'), 5, 6),
    ];
    expect(kvModel.partition?.(h)[0]).toHaveLength(3);
    const c = [put('a', 'v', UNKNOWN, 0, Infinity), cas('a', 'v', 'w', ok(), 5, 6)];
    expect(kvModel.partition?.(c)[0]).toHaveLength(2);
    expect(check(c)).toBe('ok');
  });

  it('are kept when a failed cas could have been decided by them', () => {
    // Only the lost put explains why cas(a ⇒ b) failed.
    const h = [
      put('k', 'a', ok(), 0, 1),
      put('k', 'v', UNKNOWN, 2, Infinity),
      cas('k', 'a', 'b', FAIL, 10, 11),
    ];
    expect(kvModel.partition?.(h)[0]).toHaveLength(3);
    expect(check(h)).toBe('ok');
  });

  it('drop a key whose every operation was left out', () => {
    expect(kvModel.partition?.([put('a', 'x', UNKNOWN, 0, Infinity), get('b', FAIL, 0, 1)])).toEqual([]);
  });
});
