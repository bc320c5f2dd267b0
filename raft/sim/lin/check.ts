/**
 * `checkOperations`: partition the history, search each partition, combine the verdicts.
 */
import { validateInterval } from './entries.ts';
import { resolveCheckOptions, type CheckOptions } from './options.ts';
import { searchPartition } from './search.ts';
import type { CheckResult, Model, Operation } from './types.ts';
import { illegalWitness, partitionLabel, timeoutWitness } from './witness.ts';

/**
 * Checks that `history` is linearizable with respect to `model`. Partitions are searched smallest first
 * (so a cheap violation is not hidden behind an expensive partition) and share one budget of
 * `maxSteps`; the first `illegal` or `timeout` ends the check. Throws `InvalidOperationError` on a
 * malformed operation and `InvalidOptionError` on a bad option.
 */
export function checkOperations<State, Input, Output>(
  model: Model<State, Input, Output>,
  history: readonly Operation<Input, Output>[],
  options?: CheckOptions,
): CheckResult {
  const { maxSteps } = resolveCheckOptions(options);
  history.forEach(validateInterval);
  const partitions = model.partition ? model.partition(history) : [history];
  partitions.forEach((p) => p.forEach(validateInterval));
  const order = partitions.map((p, i) => ({ p, i })).sort((a, b) => a.p.length - b.p.length || a.i - b.i);

  let steps = 0;
  for (const { p, i } of order) {
    if (p.length === 0) continue;
    const out = searchPartition(model, p, maxSteps - steps);
    steps += out.steps;
    const label = partitionLabel(i, partitions.length, p.length);
    switch (out.verdict) {
      case 'ok':
        break;
      case 'illegal':
        return {
          result: 'illegal',
          steps,
          witness: illegalWitness(model, p, label, out.prefix, out.blocked),
        };
      case 'timeout':
        return { result: 'timeout', steps, witness: timeoutWitness(label, maxSteps) };
    }
  }
  return { result: 'ok', steps };
}
