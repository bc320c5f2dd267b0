/**
 * The definition of linearizability, executed literally: some order of all operations that respects
 * real time (a before b when a returned strictly before b was called) and that the model accepts.
 * Exponential; for cross-checking the search on histories of a few operations.
 */
import type { Model, Operation } from './types.ts';

export function bruteForceLinearizable<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly Operation<I, O>[],
): boolean {
  const used = new Array<boolean>(ops.length).fill(false);
  const placed: Operation<I, O>[] = [];
  const extend = (state: S): boolean => {
    if (placed.length === ops.length) return true;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      if (used[i]) continue;
      // op may go next only if no other unplaced operation returned before op was called.
      if (ops.some((other, j) => !used[j] && j !== i && other.return < op.call)) continue;
      const r = model.step(state, op.input, op.output);
      if (!r.ok) continue;
      used[i] = true;
      placed.push(op);
      if (extend(r.state)) return true;
      placed.pop();
      used[i] = false;
    }
    return false;
  };
  return extend(model.init());
}
