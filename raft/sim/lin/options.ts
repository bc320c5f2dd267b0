/**
 * Options of `checkOperations`, with their defaults in one place. The budget is counted in search steps,
 * not wall-clock time, so a verdict is the same on every machine and every run.
 */
import { InvalidOptionError } from './errors.ts';

/** Options as the caller gives them. */
export interface CheckOptions {
  /**
   * The most search steps (one model step or one backtrack each) to spend over all partitions before
   * answering `timeout`. A positive integer, or `Infinity` for no limit.
   */
  readonly maxSteps?: number;
}

/** Options with defaults filled in and validated. */
export interface ResolvedCheckOptions {
  readonly maxSteps: number;
}

/** Enough for thousands of operations per key with moderate concurrency. */
export const DEFAULT_MAX_STEPS = 1_000_000;

/** Fills in defaults and validates; throws `InvalidOptionError` on a bad value. */
export function resolveCheckOptions(given: CheckOptions = {}): ResolvedCheckOptions {
  const maxSteps = given.maxSteps ?? DEFAULT_MAX_STEPS;
  if (!(maxSteps === Infinity || (Number.isInteger(maxSteps) && maxSteps > 0))) {
    throw new InvalidOptionError('maxSteps', maxSteps, 'is not a positive integer or Infinity');
  }
  return Object.freeze({ maxSteps });
}
