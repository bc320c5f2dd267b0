/** Time as the updater sees it, injected so tests run delays and monitor windows without waiting. */

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
