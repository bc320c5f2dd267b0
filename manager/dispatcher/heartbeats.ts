/**
 * One deadline per node: armed when a session opens and at every heartbeat, for `missedPeriods`
 * heartbeat periods (twice that for nodes inherited from the previous leader). When it passes, the
 * owner marks the node DOWN. Time comes from the injected timers so tests drive it with a fake clock.
 */
import type { TimerHandle } from './options.ts';

export interface HeartbeatTimers {
  readonly setTimer: (fn: () => void, ms: number) => TimerHandle;
  readonly clearTimer: (handle: TimerHandle) => void;
}

export class Heartbeats {
  private readonly deadlines = new Map<string, TimerHandle>();

  constructor(
    private readonly timers: HeartbeatTimers,
    private readonly onExpire: (nodeId: string) => void,
  ) {}

  /** (Re)starts the node's deadline: it expires in `ms` unless armed again first. */
  arm(nodeId: string, ms: number): void {
    this.disarm(nodeId);
    const h = this.timers.setTimer(() => {
      if (this.deadlines.get(nodeId) !== h) return;
      this.deadlines.delete(nodeId);
      this.onExpire(nodeId);
    }, ms);
    this.deadlines.set(nodeId, h);
  }

  disarm(nodeId: string): void {
    const h = this.deadlines.get(nodeId);
    if (h === undefined) return;
    this.timers.clearTimer(h);
    this.deadlines.delete(nodeId);
  }

  /** Cancels every deadline (the dispatcher stopped). */
  clear(): void {
    for (const id of [...this.deadlines.keys()]) this.disarm(id);
  }

  has(nodeId: string): boolean {
    return this.deadlines.has(nodeId);
  }
}
