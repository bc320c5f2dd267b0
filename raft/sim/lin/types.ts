/**
 * The vocabulary of the linearizability checker: operations as a client saw them, and the sequential
 * model they are checked against (after anishathalye/porcupine's `Operation` and `Model`).
 */

/**
 * One client operation as the client observed it. `call` and `return` are logical timestamps (simulated
 * ticks) with `call <= return`; an operation whose `call` is at or after another's `return` must be
 * linearized after it, and operations whose intervals touch or overlap may be linearized in either order.
 *
 * An operation the client gave up on (timeout, crash) has `return: Infinity` and an output the model
 * accepts in any state (the KV model's `{ kind: 'unknown' }`): it may then be placed anywhere after its
 * call, including after every other operation, which is how "it never took effect" is expressed.
 */
export interface Operation<Input, Output> {
  readonly clientId: number;
  readonly input: Input;
  readonly call: number;
  readonly output: Output;
  readonly return: number;
}

/** The result of applying one operation to a model state. */
export interface StepResult<State> {
  /** Whether `output` is a possible result of applying `input` in the state before. */
  readonly ok: boolean;
  /** The state after the operation; ignored when `ok` is false. */
  readonly state: State;
}

/**
 * A sequential specification. Every function must be pure and deterministic, and states must be treated
 * as immutable values: the checker keeps old states to backtrack to and memoises on them.
 */
export interface Model<State, Input, Output> {
  /** The state before any operation. */
  init(): State;
  /** Applies `input` to `state`, checking that `output` is what a sequential object could return. */
  step(state: State, input: Input, output: Output): StepResult<State>;
  /** Exact state equality; the memo uses it to confirm a `hash` match. */
  equal(a: State, b: State): boolean;
  /** A digest of `state`: equal states must have equal hashes. */
  hash(state: State): string;
  /**
   * Splits a history into independent sub-histories (e.g. one per key) that are each checked alone;
   * sound only if the model is the product of independent per-partition objects.
   */
  partition?(history: readonly Operation<Input, Output>[]): Operation<Input, Output>[][];
  /**
   * An optional hint that speeds up the search: true only if, in every state where `step` accepts this
   * input and output, it leaves the state unchanged (a read, a failed compare-and-set). Such an
   * operation is linearized as soon as it can be, without trying later positions. Claiming it for an
   * operation that can change the state makes the checker unsound.
   */
  readOnly?(input: Input, output: Output): boolean;
  /** A short human-readable form of one operation, for witnesses. */
  describe?(input: Input, output: Output): string;
  /** A short human-readable form of a state, for witnesses; `hash` is used when absent. */
  describeState?(state: State): string;
}

/** `timeout` means the step budget ran out before a verdict: callers must treat it as a failure. */
export type Verdict = 'ok' | 'illegal' | 'timeout';

/** What `checkOperations` found. */
export interface CheckResult {
  readonly result: Verdict;
  /** Search steps taken, summed over partitions; never more than `maxSteps`. */
  readonly steps: number;
  /** On `illegal` and `timeout`: a short explanation naming the partition and the evidence. */
  readonly witness?: string;
}
