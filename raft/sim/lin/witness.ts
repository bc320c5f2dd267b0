/**
 * Human-readable explanations of a verdict: short enough for a test failure message, specific enough to
 * find the operations in a simulator trace.
 */
import type { Model, Operation } from './types.ts';

/** How many operations of the linearizable prefix a witness shows (the last ones). */
const PREFIX_SHOWN = 6;

/** `c<client> <operation> [call, return]`, with `∞` for an operation that never returned. */
export function describeOperation<I, O>(
  model: Pick<Model<never, I, O>, 'describe'>,
  op: Operation<I, O>,
): string {
  const what = model.describe ? model.describe(op.input, op.output) : JSON.stringify([op.input, op.output]);
  const ret = op.return === Infinity ? '∞' : String(op.return);
  return `c${op.clientId} ${what} [${op.call}, ${ret}]`;
}

/** The state after applying `prefix` (which the search found linearizable) from `init()`. */
function stateAfter<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly Operation<I, O>[],
  prefix: readonly number[],
): S {
  let state = model.init();
  for (const i of prefix) {
    const op = ops[i];
    if (op !== undefined) state = model.step(state, op.input, op.output).state;
  }
  return state;
}

/** Where a partition sits, e.g. `partition 3 of 10 (42 ops)`. */
export function partitionLabel(index: number, count: number, size: number): string {
  return `partition ${index + 1} of ${count} (${size} ops)`;
}

/**
 * Explains an `illegal` partition: the longest linearizable prefix the search found (its last few
 * operations), the state it leads to, and the operation whose return no order of the pending
 * operations could explain.
 */
export function illegalWitness<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly Operation<I, O>[],
  label: string,
  prefix: readonly number[],
  blocked: number,
): string {
  const lines = [`not linearizable: ${label}; longest linearizable prefix has ${prefix.length} ops`];
  const hidden = Math.max(0, prefix.length - PREFIX_SHOWN);
  if (hidden > 0) lines.push(`  … ${hidden} earlier`);
  for (const i of prefix.slice(hidden)) {
    const op = ops[i];
    if (op !== undefined) lines.push(`  ${describeOperation(model, op)}`);
  }
  const state = stateAfter(model, ops, prefix);
  const shownState = model.describeState ? model.describeState(state) : model.hash(state);
  const op = ops[blocked];
  const what = op === undefined ? `operation ${blocked}` : describeOperation(model, op);
  lines.push(`then in state ${shownState} no order of the pending operations can place ${what}`);
  return lines.join('\n');
}

/** Explains a `timeout`. */
export function timeoutWitness(label: string, maxSteps: number): string {
  return `step budget of ${maxSteps} exhausted in ${label}; no verdict`;
}
