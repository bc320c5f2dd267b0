/**
 * The Wing & Gong search with Lowe's memoisation, as in porcupine's `checkSingle`: walk the events in
 * time order; at a call, try to linearize that operation now (the model accepts its output and the
 * pair (linearized set, state) has not been entered before); at a return whose operation is still
 * pending, no order of the pending calls explains the history so far, so backtrack.
 *
 * Beyond porcupine, a "free move": a pending operation the model calls `readOnly` whose output is
 * possible now is linearized at once, and its position tries nothing else. Any linearization that places
 * it later can place it here instead: it changes the state nowhere, so nothing it jumps over sees a
 * difference, and it is a candidate only if every operation that returned before its call is already
 * linearized. So if the free move leads nowhere, neither does its position. Reads then never branch.
 */
import { Bitset } from './bitset.ts';
import { HEAD, NIL, buildEntries, lift, unlift, type EntryList } from './entries.ts';
import { Memo } from './memo.ts';
import { Deepest, Path } from './path.ts';
import type { Model, Operation, Verdict } from './types.ts';

/** What the search of one partition found. */
export interface SearchOutcome {
  readonly verdict: Verdict;
  /** Steps taken: each tries one operation or meets one return. */
  readonly steps: number;
  /**
   * On `illegal`: the longest linearizable prefix found, as operation indices in linearization order.
   * On `ok`: a full linearization. On `timeout`: empty.
   */
  readonly prefix: readonly number[];
  /** On `illegal`: the operation that could not be placed after `prefix`; otherwise `NIL`. */
  readonly blocked: number;
}

/** Where backtracking ends when every position has been tried: the history is not linearizable. */
const EXHAUSTED = -2;

/**
 * Searches one partition for a linearization, spending at most `budget` steps. `ops` must have passed
 * `validateInterval`.
 */
export function searchPartition<State, Input, Output>(
  model: Model<State, Input, Output>,
  ops: readonly Operation<Input, Output>[],
  budget: number,
): SearchOutcome {
  return new Search(model, ops).run(budget);
}

class Search<State, Input, Output> {
  private readonly list: EntryList;
  private readonly bits: Bitset;
  private readonly memo: Memo<State>;
  private readonly deepest: Deepest;
  private readonly path = new Path<State>();
  /** Per operation, 1 if the model calls it read-only. */
  private readonly readOnly: Uint8Array;
  private state: State;
  /** The entry the scan is at. */
  private entry: number;
  /**
   * Each position is scanned twice: first only its read-only candidates, for a free move; then, if
   * there is none, only the others (the read-only ones were just found impossible in this state).
   */
  private freePass = true;
  private steps = 0;

  constructor(
    private readonly model: Model<State, Input, Output>,
    private readonly ops: readonly Operation<Input, Output>[],
  ) {
    this.list = buildEntries(ops);
    this.bits = new Bitset(ops.length);
    this.memo = new Memo<State>(model);
    this.deepest = new Deepest(ops.length);
    this.readOnly = Uint8Array.from(ops, (o) => (model.readOnly?.(o.input, o.output) === true ? 1 : 0));
    this.state = model.init();
    this.entry = this.list.next[HEAD]!;
  }

  run(budget: number): SearchOutcome {
    const { list } = this;
    while (list.next[HEAD] !== NIL) {
      const opIndex = list.op[this.entry]!;
      const isCall = list.match[this.entry] !== NIL;
      if (isCall && this.readOnly[opIndex] !== (this.freePass ? 1 : 0)) {
        this.entry = list.next[this.entry]!; // not scanned in this pass
        continue;
      }
      if (this.steps >= budget) return { verdict: 'timeout', steps: this.steps, prefix: [], blocked: NIL };
      this.steps++;
      if (isCall) this.tryCall(opIndex);
      else this.atReturn(opIndex);
      if (this.entry === EXHAUSTED) {
        const prefix = this.deepest.prefix();
        return { verdict: 'illegal', steps: this.steps, prefix, blocked: this.deepest.blocked };
      }
    }
    return { verdict: 'ok', steps: this.steps, prefix: this.path.ops, blocked: NIL };
  }

  /** The scan met the return of a pending operation: the end of a pass. */
  private atReturn(opIndex: number): void {
    if (this.freePass) {
      this.freePass = false;
      this.entry = this.list.next[HEAD]!;
      return;
    }
    this.deepest.offer(this.path.ops, opIndex);
    this.entry = this.backtrack();
  }

  private tryCall(opIndex: number): void {
    const op = this.ops[opIndex]!;
    const r = this.model.step(this.state, op.input, op.output);
    if (!r.ok) {
      this.entry = this.list.next[this.entry]!;
      return;
    }
    this.bits.add(opIndex);
    if (this.memo.insert(this.bits, r.state)) {
      this.push(opIndex, r.state);
      return;
    }
    // Entered before and failed; for a free move that means this whole position fails.
    this.bits.remove(opIndex);
    this.entry = this.freePass ? this.backtrack() : this.list.next[this.entry]!;
    this.freePass = false;
  }

  private push(opIndex: number, next: State): void {
    const { path } = this;
    path.entries.push(this.entry);
    path.ops.push(opIndex);
    path.statesBefore.push(this.state);
    path.free.push(this.freePass);
    this.state = next;
    lift(this.list, this.entry);
    this.entry = this.list.next[HEAD]!;
    this.freePass = true;
  }

  /**
   * Undoes linearizations up to a position with candidates left (past free moves, whose positions have
   * none); returns the entry to resume its second pass at, or `EXHAUSTED`.
   */
  private backtrack(): number {
    const { path } = this;
    for (;;) {
      const call = path.entries.pop();
      if (call === undefined) return EXHAUSTED;
      this.bits.remove(path.ops.pop()!);
      this.state = path.statesBefore.pop()!;
      this.deepest.popped(path.entries.length);
      unlift(this.list, call);
      if (!path.free.pop()) return this.list.next[call]!;
    }
  }
}
