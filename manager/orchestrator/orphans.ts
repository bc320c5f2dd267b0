/**
 * The 24 hour rule: when a node has been DOWN for 24 h, its tasks that may still run there (observed
 * ASSIGNED..RUNNING) are marked ORPHANED — the node is not coming back with them, so they count as
 * ended and the reaper may delete them. A node removed from the swarm orphans its tasks at once.
 *
 * When the node went down is taken from its `updatedAt` when the DOWN status was written (the status
 * carries no time of its own); a new leader reads it from the store, so the 24 h run from the
 * original failure, not from the change of leader.
 */
import type { Logger } from '../../proto/shared/log.ts';
import type { MemoryStore } from '../store/memory.ts';
import type { Node, StoreEvent } from '../store/types.ts';
import { type Clock, type TimerHandle, msOf } from './clock.ts';
import { observed, stateIndex } from './common.ts';
import { applyPlans, Plan } from './plan.ts';

/** Swarm's: a node DOWN this long has its tasks marked ORPHANED. */
export const ORPHAN_AFTER_MS = 24 * 3600 * 1000;

const isDown = (n: Node | undefined): boolean => n?.status?.state === 'STATE_DOWN';

export class OrphanWatch {
  private readonly timers = new Map<string, TimerHandle>();
  private readonly writes = new Set<Promise<void>>();
  private active = false;

  constructor(
    private readonly store: MemoryStore,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly afterMs: number = ORPHAN_AFTER_MS,
  ) {}

  /** Arms a timer for every node that is DOWN now. */
  start(): void {
    this.active = true;
    for (const n of this.store.find('node')) if (isDown(n)) this.arm(n.id, msOf(n.updatedAt));
  }

  /** Clears every timer; resolves once no write of ours is in flight. */
  async stop(): Promise<void> {
    this.active = false;
    for (const h of this.timers.values()) this.clock.clearTimer(h);
    this.timers.clear();
    await Promise.allSettled([...this.writes]);
  }

  /** Follows a node event. */
  onNode(e: StoreEvent<'node'>): void {
    if (!this.active) return;
    if (e.action === 'remove') {
      this.disarm(e.object.id);
      this.orphan(e.object.id, 'node removed from the swarm');
      return;
    }
    if (!isDown(e.object)) this.disarm(e.object.id);
    else if (!isDown(e.old) || !this.timers.has(e.object.id)) this.arm(e.object.id, msOf(e.object.updatedAt));
  }

  private arm(nodeId: string, downSinceMs: number): void {
    this.disarm(nodeId);
    const wait = Math.max(0, downSinceMs + this.afterMs - this.clock.now());
    this.timers.set(
      nodeId,
      this.clock.setTimer(() => {
        this.timers.delete(nodeId);
        this.orphan(nodeId, 'task orphaned: node down for 24 hours');
      }, wait),
    );
  }

  private disarm(nodeId: string): void {
    const h = this.timers.get(nodeId);
    if (h !== undefined) this.clock.clearTimer(h);
    this.timers.delete(nodeId);
  }

  private orphan(nodeId: string, message: string): void {
    const plan = new Plan(this.store.find('task', { nodeId }));
    const now = this.clock.now();
    for (const t of plan.view()) {
      const s = stateIndex(observed(t));
      if (s >= stateIndex('TASK_STATE_ASSIGNED') && s <= stateIndex('TASK_STATE_RUNNING'))
        plan.add(plan.status(t, 'TASK_STATE_ORPHANED', message, now));
    }
    if (plan.units.length === 0) return;
    this.log.info({ nodeId, tasks: plan.units.length }, 'marking tasks orphaned');
    const write = applyPlans(this.store, [plan])
      .catch((err: unknown) => {
        this.log.warn({ err, nodeId }, 'marking tasks orphaned failed; trying again in 1 s');
        if (this.active && isDown(this.store.get('node', nodeId)))
          this.arm(nodeId, now - this.afterMs + 1000);
      })
      .finally(() => this.writes.delete(write));
    this.writes.add(write);
  }
}
