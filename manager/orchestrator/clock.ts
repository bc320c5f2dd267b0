/** Time as the orchestrators see it, injected so tests run restart delays and the 24 h rule without waiting. */

export type TimerHandle = unknown;

export interface Clock {
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  /** Calls `fn` once after `ms`. */
  readonly setTimer: (fn: () => void, ms: number) => TimerHandle;
  readonly clearTimer: (handle: TimerHandle) => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** A proto Timestamp (or null) in milliseconds; 0 when absent. */
export function msOf(ts: { seconds: number; nanos: number } | null | undefined): number {
  if (!ts) return 0;
  return ts.seconds * 1000 + Math.floor(ts.nanos / 1e6);
}

/** Milliseconds as a proto Timestamp. */
export function timestampOf(ms: number): { seconds: number; nanos: number } {
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 };
}
