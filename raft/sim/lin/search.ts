/**
 * The Wing & Gong search with Lowe's memoisation, as in porcupine's `checkSingle`: walk the events in
 * time order; at a call, try to linearize that operation now (the model accepts its output and the
 * pair (linearized set, state) has not been explored before); at a return whose operation is still
 * pending, no order of the pending calls can explain the history so far, so backtrack.
 */
import { Bitset } from './bitset.ts';
import { HEAD, NIL, buildEntries, lift, unlift } from './entries.ts';
import type { Model, Operation, Verdict } from './types.ts';

/** What the search of one partition found. */
export interface SearchOutcome {
  readonly verdict: Verdict;
  readonly steps: number;
  /**
   * On `illegal`: the longest linearizable prefix found, as operation indices in linearization order.
   * On `ok`: a full linearization. On `timeout`: empty.
   */
  readonly prefix: readonly number[];
  /** On `illegal`: the operation that could not be placed after `prefix`; otherwise `NIL`. */
  readonly blocked: number;
}

interface MemoEntry<State> {
  readonly words: Uint32Array;
  readonly state: State;
}

/**
 * Records (linearized set, state) pairs; a pair seen before leads to a sub-search already explored
 * (and failed, or we would have stopped), so it is pruned. Keyed by the set's hash and the model's.
 */
class Memo<State> {
  private readonly buckets = new Map<string, MemoEntry<State>[]>();

  constructor(private readonly model: Pick<Model<State, never, never>, 'hash' | 'equal'>) {}

  /** Adds the pair unless present; returns whether it was new. */
  insert(bits: Bitset, state: State): boolean {
    const key = `${bits.key()}|${this.model.hash(state)}`;
    const bucket = this.buckets.get(key);
    if (bucket === undefined) {
      this.buckets.set(key, [{ words: bits.snapshot(), state }]);
      return true;
    }
    for (const e of bucket) if (bits.sameWords(e.words) && this.model.equal(e.state, state)) return false;
    bucket.push({ words: bits.snapshot(), state });
    return true;
  }
}

/**
 * Keeps a copy of the deepest stack seen at a backtrack, in O(1) amortised per push and pop: only the
 * part of the stack above the lowest point it has been popped to since the last copy can differ.
 */
class Deepest {
  readonly ops: Int32Array;
  length = -1;
  blocked = NIL;
  private lowWater = 0;

  constructor(size: number) {
    this.ops = new Int32Array(size);
  }

  popped(depth: number): void {
    if (depth < this.lowWater) this.lowWater = depth;
  }

  /** Called at a backtrack: `stackOps` is linearized and `blocked` cannot follow it. */
  offer(stackOps: readonly number[], blocked: number): void {
    if (stackOps.length <= this.length) return;
    for (let i = this.lowWater; i < stackOps.length; i++) this.ops[i] = stackOps[i]!;
    this.length = stackOps.length;
    this.lowWater = stackOps.length;
    this.blocked = blocked;
  }
}

/**
 * Searches one partition for a linearization, spending at most `budget` steps. `ops` must have passed
 * `validateInterval`.
 */
export function searchPartition<State, Input, Output>(
  model: Model<State, Input, Output>,
  ops: readonly Operation<Input, Output>[],
  budget: number,
): SearchOutcome {
  const list = buildEntries(ops);
  const bits = new Bitset(ops.length);
  const memo = new Memo<State>(model);
  const deepest = new Deepest(ops.length);
  const stackEntries: number[] = [];
  const stackOps: number[] = [];
  const stackStates: State[] = [];
  let state = model.init();
  let entry = list.next[HEAD]!;
  let steps = 0;

  while (list.next[HEAD] !== NIL) {
    if (steps >= budget) return { verdict: 'timeout', steps, prefix: [], blocked: NIL };
    steps++;
    const opIndex = list.op[entry]!;
    if (list.match[entry] !== NIL) {
      const op = ops[opIndex]!;
      const r = model.step(state, op.input, op.output);
      if (!r.ok) {
        entry = list.next[entry]!;
        continue;
      }
      bits.add(opIndex);
      if (!memo.insert(bits, r.state)) {
        bits.remove(opIndex);
        entry = list.next[entry]!;
        continue;
      }
      stackEntries.push(entry);
      stackOps.push(opIndex);
      stackStates.push(state);
      state = r.state;
      lift(list, entry);
      entry = list.next[HEAD]!;
    } else {
      // A return whose operation is still pending: nothing before it can be placed so as to explain it.
      deepest.offer(stackOps, opIndex);
      if (stackEntries.length === 0) {
        return { verdict: 'illegal', steps, prefix: [...deepest.ops.subarray(0, deepest.length)], blocked: deepest.blocked };
      }
      const call = stackEntries.pop()!;
      bits.remove(stackOps.pop()!);
      state = stackStates.pop()!;
      deepest.popped(stackEntries.length);
      unlift(list, call);
      entry = list.next[call]!;
    }
  }
  return { verdict: 'ok', steps, prefix: stackOps, blocked: NIL };
}
