/**
 * A porcupine-style linearizability checker (Wing & Gong search with Lowe's memoisation of (linearized
 * set, model state)), for the client histories the Raft simulator records. Pure and deterministic: the
 * budget is counted in search steps.
 */
export type { CheckResult, Model, Operation, StepResult, Verdict } from './types.ts';
export type { CheckOptions, ResolvedCheckOptions } from './options.ts';
export { DEFAULT_MAX_STEPS, resolveCheckOptions } from './options.ts';
export { checkOperations } from './check.ts';
export { describeOperation } from './witness.ts';
export { kvModel } from './kv.ts';
export type { KvInput, KvOp, KvOperation, KvOutput, KvValue } from './kv.ts';
export { InvalidOperationError, InvalidOptionError, LinError, type LinErrorCode } from './errors.ts';
