/**
 * `kvModel`: the simulator's key-value store as a sequential specification, partitioned per key (each
 * key is an independent register, so by locality each is checked alone).
 */
import { partitionKv } from './kv-partition.ts';
import type { Model, Operation, StepResult } from './types.ts';

export type KvOp = 'get' | 'put' | 'append' | 'cas';

/**
 * `put`, `append` and `cas` need `value`. `cas` sets `value` if the key currently holds `expected`;
 * an absent `expected` means "the key is absent".
 */
export interface KvInput {
  readonly op: KvOp;
  readonly key: string;
  readonly value?: string;
  readonly expected?: string;
}

/**
 * - `ok`: the operation took effect; for `get`, `value` is what was read (absent: the key was absent).
 *   For `put` and `append` any `value` is ignored.
 * - `fail`: for `cas`, the comparison failed (the key did not hold `expected`); for the others, the
 *   operation definitely had no effect. A request refused before it could reach the state machine
 *   (e.g. "not leader") should be left out of the history, or recorded as `fail` except for `cas`.
 * - `unknown`: the client gave up; the operation may or may not have taken effect, at any time after its
 *   call. `partition` sets its `return` to `Infinity`, whatever the caller recorded (see kv-partition.ts).
 */
export type KvOutput =
  { readonly kind: 'ok'; readonly value?: string } | { readonly kind: 'fail' } | { readonly kind: 'unknown' };

/** The value of one key; `undefined` when absent. */
export type KvValue = string | undefined;

export type KvOperation = Operation<KvInput, KvOutput>;

/** The state after `input` takes effect in `state`, as the store would apply it. */
function effect(state: KvValue, input: KvInput): KvValue {
  // `partition` has checked that put, append and cas carry a value.
  const value = input.value ?? '';
  switch (input.op) {
    case 'get':
      return state;
    case 'put':
      return value;
    case 'append':
      return (state ?? '') + value;
    case 'cas':
      return state === input.expected ? value : state;
  }
}

function step(state: KvValue, input: KvInput, output: KvOutput): StepResult<KvValue> {
  switch (output.kind) {
    case 'unknown':
      return { ok: true, state: effect(state, input) };
    case 'fail':
      return { ok: input.op !== 'cas' || state !== input.expected, state };
    case 'ok':
      if (input.op === 'get') return { ok: output.value === state, state };
      if (input.op === 'cas' && state !== input.expected) return { ok: false, state };
      return { ok: true, state: effect(state, input) };
  }
}

/**
 * Reads, failed compare-and-sets and failed writes never change the state. An `unknown` outcome is never
 * read-only: a timed-out write may have taken effect.
 */
function readOnly(input: KvInput, output: KvOutput): boolean {
  switch (output.kind) {
    case 'ok':
      return input.op === 'get';
    case 'fail':
      return true;
    case 'unknown':
      return input.op === 'get';
  }
}

function show(v: KvValue): string {
  return v === undefined ? '∅' : JSON.stringify(v);
}

function describeOutput(output: KvOutput): string {
  switch (output.kind) {
    case 'ok':
      return 'ok';
    case 'fail':
      return 'fail';
    case 'unknown':
      return '?';
  }
}

function describe(input: KvInput, output: KvOutput): string {
  const k = JSON.stringify(input.key);
  switch (input.op) {
    case 'get':
      return `get(${k}) → ${output.kind === 'ok' ? show(output.value) : describeOutput(output)}`;
    case 'put':
    case 'append':
      return `${input.op}(${k}, ${show(input.value)}) → ${describeOutput(output)}`;
    case 'cas':
      return `cas(${k}, ${show(input.expected)} ⇒ ${show(input.value)}) → ${describeOutput(output)}`;
  }
}

/**
 * A linearizable string key-value store with get, put, append and compare-and-set. Its state is one
 * key's value, which is sound because `partition` gives each key its own search.
 */
export const kvModel: Model<KvValue, KvInput, KvOutput> = Object.freeze({
  init: (): KvValue => undefined,
  step,
  equal: (a: KvValue, b: KvValue) => a === b,
  hash: show,
  partition: partitionKv,
  readOnly,
  describe,
  describeState: show,
});
