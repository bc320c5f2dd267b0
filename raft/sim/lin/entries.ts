/**
 * The call and return events of one partition as a doubly linked list in time order, the structure the
 * Wing & Gong / Lowe search walks (porcupine's `makeLinkedEntries`, `lift`, `unlift`). Arrays of
 * indices rather than node objects: the search touches them millions of times.
 */
import { InvalidOperationError } from './errors.ts';

/** The index of the list's head sentinel; entries are 1..2n. */
export const HEAD = 0;
/** The end of the list, and "no match" for return entries. */
export const NIL = -1;

/** The events of one partition. Every index stored here is in range by construction. */
export interface EntryList {
  /** Entry → the index of its operation in the partition. */
  readonly op: Int32Array;
  /** Call entry → its return entry; return entry → `NIL`. */
  readonly match: Int32Array;
  readonly next: Int32Array;
  readonly prev: Int32Array;
}

interface Event {
  readonly time: number;
  readonly isReturn: boolean;
  readonly op: number;
}

/**
 * Orders by time; at equal times calls come before returns, so operations that touch are concurrent
 * (the lenient choice: a tick is coarse, and the checker must not invent a real-time order); then by
 * operation index, so the search order, and with it the step count, is deterministic.
 */
function byTime(a: Event, b: Event): number {
  if (a.time !== b.time) return a.time < b.time ? -1 : 1;
  if (a.isReturn !== b.isReturn) return a.isReturn ? 1 : -1;
  return a.op - b.op;
}

/** Throws unless `call` is finite and `return` is a number not before it. */
export function validateInterval(
  op: { readonly call: number; readonly return: number },
  index: number,
): void {
  if (!Number.isFinite(op.call)) throw new InvalidOperationError(index, 'call', op.call, 'is not finite');
  if (Number.isNaN(op.return)) throw new InvalidOperationError(index, 'return', op.return, 'is NaN');
  if (op.return < op.call) {
    throw new InvalidOperationError(index, 'return', op.return, `is before call ${op.call}`);
  }
}

/** Builds the list for operations already validated with `validateInterval`. */
export function buildEntries(ops: readonly { readonly call: number; readonly return: number }[]): EntryList {
  const events: Event[] = [];
  ops.forEach((o, i) => {
    events.push({ time: o.call, isReturn: false, op: i }, { time: o.return, isReturn: true, op: i });
  });
  events.sort(byTime);
  const size = events.length + 1;
  const list: EntryList = {
    op: new Int32Array(size).fill(NIL),
    match: new Int32Array(size).fill(NIL),
    next: new Int32Array(size).fill(NIL),
    prev: new Int32Array(size).fill(NIL),
  };
  const returnOf = new Int32Array(ops.length);
  events.forEach((e, i) => {
    if (e.isReturn) returnOf[e.op] = i + 1;
  });
  events.forEach((e, i) => {
    const at = i + 1;
    list.op[at] = e.op;
    if (!e.isReturn) list.match[at] = returnOf[e.op]!;
    list.prev[at] = at - 1;
    list.next[at - 1] = at;
  });
  return list;
}

/** Unlinks a call entry and its return entry: the operation is linearized. */
export function lift(l: EntryList, call: number): void {
  const { next, prev } = l;
  // A call's return always follows it, so a call entry always has a successor.
  next[prev[call]!] = next[call]!;
  prev[next[call]!] = prev[call]!;
  const ret = l.match[call]!;
  next[prev[ret]!] = next[ret]!;
  if (next[ret] !== NIL) prev[next[ret]!] = prev[ret]!;
}

/** Relinks what `lift` unlinked; must undo lifts in reverse order. */
export function unlift(l: EntryList, call: number): void {
  const { next, prev } = l;
  const ret = l.match[call]!;
  next[prev[ret]!] = ret;
  if (next[ret] !== NIL) prev[next[ret]!] = ret;
  next[prev[call]!] = call;
  prev[next[call]!] = call;
}
