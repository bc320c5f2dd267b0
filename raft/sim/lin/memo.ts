/**
 * Lowe's memoisation: the (linearized set, model state) pairs the search has already entered. A pair met
 * again leads to a sub-search already explored — and failed, or the search would have stopped — so it
 * is pruned. This is what keeps the search polynomial on most real histories.
 */
import type { Bitset } from './bitset.ts';
import type { Model } from './types.ts';

interface MemoEntry<State> {
  readonly words: Uint32Array;
  readonly state: State;
}

export class Memo<State> {
  private readonly buckets = new Map<string, MemoEntry<State>[]>();

  constructor(private readonly model: Pick<Model<State, never, never>, 'hash' | 'equal'>) {}

  /** Adds the pair unless present; returns whether it was new. Hash matches are confirmed exactly. */
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
