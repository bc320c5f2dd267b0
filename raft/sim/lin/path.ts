/**
 * The search's current path of linearized operations, and the deepest path it has seen fail, which
 * becomes the witness of an `illegal` verdict.
 */
import { NIL } from './entries.ts';

/** The path as parallel stacks, one element per linearized operation. */
export class Path<State> {
  /** The call entry that was lifted. */
  readonly entries: number[] = [];
  /** Its operation's index in the partition. */
  readonly ops: number[] = [];
  /** The model state before it. */
  readonly statesBefore: State[] = [];
  /** Whether it was a free move (see search.ts), which leaves its parent no alternatives. */
  readonly free: boolean[] = [];
}

/**
 * A copy of the longest path seen at a dead end, kept in O(1) amortised per push and pop: only the part
 * of the path above the lowest point it has been popped to since the last copy can have changed.
 */
export class Deepest {
  readonly ops: Int32Array;
  length = -1;
  /** The operation whose return ended that path. */
  blocked = NIL;
  private lowWater = 0;

  constructor(size: number) {
    this.ops = new Int32Array(size);
  }

  /** The path has just been popped down to `depth` operations. */
  popped(depth: number): void {
    if (depth < this.lowWater) this.lowWater = depth;
  }

  /** A dead end: `pathOps` is linearized and the return of `blocked` cannot be explained after it. */
  offer(pathOps: readonly number[], blocked: number): void {
    if (pathOps.length <= this.length) return;
    for (let i = this.lowWater; i < pathOps.length; i++) this.ops[i] = pathOps[i]!;
    this.length = pathOps.length;
    this.lowWater = pathOps.length;
    this.blocked = blocked;
  }

  prefix(): number[] {
    return [...this.ops.subarray(0, Math.max(0, this.length))];
  }
}
