/**
 * The orchestrators as one leader-only component: replicated and global services, replicated and
 * global jobs, the restart supervisor, tasks moved off failed or drained nodes, the task reaper and
 * the 24 h orphan rule. Dirty tasks (of an older spec version) are left to the {@link Updater}.
 *
 * It reconciles services, not events: a store event marks its service (a node or cluster event
 * marks them all) for reconciliation; one round at a time plans every marked service from the
 * store's current content (`plan.ts`) and writes the plans in store batches. A round whose writes
 * were refused (someone changed a task first) runs again after `retryMs`. On start it marks every
 * service, so a new leader converges from whatever the old one left — including replacements left
 * at desired READY, started once their restart delay (counted from their creation) has passed.
 */
import type { Logger } from '../../proto/shared/log.ts';
import { silentLogger } from '../../proto/shared/log.ts';
import { clone, type MemoryStore } from '../store/memory.ts';
import type { Service, StoreEvent, Task } from '../store/types.ts';
import { type Clock, type TimerHandle, systemClock } from './clock.ts';
import { isTerminal, modeOf, observed, replicasOf, stateIndex } from './common.ts';
import { fitsConstraints, type Fits } from './constraints.ts';
import { mayRun, planGlobal } from './global.ts';
import { planGlobalJob, planIteration, planOldIterations, planReplicatedJob } from './jobs.ts';
import { ORPHAN_AFTER_MS, OrphanWatch } from './orphans.ts';
import { applyPlans, Plan } from './plan.ts';
import { planReap, retentionOf } from './reaper.ts';
import { planReplicated } from './replicated.ts';
import { RestartHistory, restartPolicyOf } from './restart.ts';
import { createdMs, dirtySlots, isJob, runTarget } from './slots.ts';
import { planNodeFailures, planRestarts, planServiceRemoved, type PlanContext } from './steps.ts';
import type { Updater } from './updater-api.ts';

export interface OrchestratorOptions {
  readonly store: MemoryStore;
  readonly updater: Updater;
  readonly log?: Logger;
  /** Clock (ms since the epoch); default Date.now. */
  readonly now?: () => number;
  readonly setTimer?: Clock['setTimer'];
  readonly clearTimer?: Clock['clearTimer'];
  /** Which nodes a global service belongs on; default: its placement constraints. */
  readonly fits?: Fits;
  /** Wait before a round whose writes were refused runs again (default 1 s). */
  readonly retryMs?: number;
  /** How long a node is DOWN before its tasks are ORPHANED (default 24 h). */
  readonly orphanAfterMs?: number;
}

export class Orchestrator {
  private readonly store: MemoryStore;
  private readonly updater: Updater;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly fits: Fits;
  private readonly retryMs: number;
  private readonly history = new RestartHistory();
  private readonly orphans: OrphanWatch;
  private readonly dirty = new Set<string>();
  private readonly retrying = new Set<string>();
  private readonly starts = new Map<string, TimerHandle>();
  private readonly writes = new Set<Promise<void>>();
  private retryTimer: { readonly handle: TimerHandle } | undefined;
  private running: Promise<void> | undefined;
  private active = false;

  constructor(o: OrchestratorOptions) {
    this.store = o.store;
    this.updater = o.updater;
    this.log = (o.log ?? silentLogger()).child({ component: 'orchestrator' });
    this.clock = {
      now: o.now ?? systemClock.now,
      setTimer: o.setTimer ?? systemClock.setTimer,
      clearTimer: o.clearTimer ?? systemClock.clearTimer,
    };
    this.fits = o.fits ?? fitsConstraints;
    this.retryMs = o.retryMs ?? 1000;
    this.orphans = new OrphanWatch(this.store, this.clock, this.log, o.orphanAfterMs ?? ORPHAN_AFTER_MS);
  }

  /** Starts following the store, reconciling everything it holds now. */
  start(): void {
    if (this.active) return;
    this.active = true;
    this.store.events.on('event', this.onEvent);
    this.store.events.on('restore', this.onRestore);
    this.adopt();
  }

  /** Stops: no timers or listeners are left, and nothing is written after this resolves. */
  async stop(): Promise<void> {
    if (!this.active) return;
    this.active = false;
    this.store.events.off('event', this.onEvent);
    this.store.events.off('restore', this.onRestore);
    for (const h of this.starts.values()) this.clock.clearTimer(h);
    this.starts.clear();
    if (this.retryTimer) this.clock.clearTimer(this.retryTimer.handle);
    this.retryTimer = undefined;
    this.dirty.clear();
    this.retrying.clear();
    await this.orphans.stop();
    await this.running;
    await Promise.allSettled([...this.writes]);
  }

  /** Resolves once no round is queued or running (tests, tools). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** What a new leader (or a restored snapshot) starts from: history, pending starts, down nodes. */
  private adopt(): void {
    const tasks = this.store.find('task');
    const byService = new Map<string, Task[]>();
    for (const t of tasks) {
      const list = byService.get(t.serviceId) ?? [];
      list.push(t);
      byService.set(t.serviceId, list);
      this.dirty.add(t.serviceId);
      if (t.desiredState === 'TASK_STATE_READY' && !isTerminal(t)) this.scheduleStart(t);
    }
    this.history.clear();
    for (const s of this.store.find('service')) {
      this.history.seed(s, byService.get(s.id) ?? []);
      this.dirty.add(s.id);
    }
    this.orphans.start();
    this.kick();
  }

  private readonly onRestore = (): void => {
    void this.orphans.stop().then(() => {
      if (this.active) this.adopt();
    });
  };

  private readonly onEvent = (e: StoreEvent): void => {
    switch (e.kind) {
      case 'task':
        this.onTask(e as StoreEvent<'task'>);
        break;
      case 'service':
        this.dirty.add(e.object.id);
        if (e.action === 'remove') {
          this.updater.cancel(e.object.id);
          this.history.forget(e.object.id);
        }
        break;
      case 'node':
        this.orphans.onNode(e as StoreEvent<'node'>);
        this.markAll();
        break;
      case 'cluster':
        this.markAll();
        break;
      case 'network':
      case 'secret':
      case 'config':
        return;
    }
    this.kick();
  };

  private onTask(e: StoreEvent<'task'>): void {
    if (e.action === 'remove') {
      const h = this.starts.get(e.object.id);
      if (h !== undefined) this.clock.clearTimer(h);
      this.starts.delete(e.object.id);
    }
    if (taskChangeMatters(e)) this.dirty.add(e.object.serviceId);
  }

  private markAll(): void {
    for (const s of this.store.find('service')) this.dirty.add(s.id);
  }

  /** Runs rounds until nothing is marked; one at a time. */
  private kick(): void {
    if (this.running || !this.active || this.dirty.size === 0) return;
    this.running = (async () => {
      // The rest of the commit's events arrive synchronously: let them mark their services first.
      await Promise.resolve();
      while (this.active && this.dirty.size > 0) {
        const ids = [...this.dirty];
        this.dirty.clear();
        await this.round(ids);
      }
    })().finally(() => {
      this.running = undefined;
      this.kick();
    });
  }

  private context(): PlanContext {
    return {
      nowMs: this.clock.now(),
      nodes: new Map(this.store.find('node').map((n) => [n.id, n])),
      fits: this.fits,
      history: this.history,
    };
  }

  private async round(ids: readonly string[]): Promise<void> {
    const ctx = this.context();
    const retention = retentionOf(this.store.find('cluster')[0]);
    const plans = ids.map((id) => ({ id, plan: this.planService(id, ctx, retention) }));
    try {
      await applyPlans(
        this.store,
        plans.map((p) => p.plan),
      );
    } catch (err) {
      this.log.debug({ err }, 'some orchestrator writes were refused; reconciling again');
      this.retryLater(ids);
    }
    if (!this.active) return;
    for (const { id, plan } of plans) this.afterWrite(id, plan);
  }

  /** Plans one service from the store's current content. */
  private planService(id: string, ctx: PlanContext, retention: number): Plan {
    const service = this.store.get('service', id);
    const plan = new Plan(this.store.find('task', { serviceId: id }));
    if (!service) planServiceRemoved(plan);
    else if (!this.planMode(plan, service, ctx)) return plan;
    planReap(plan, retention);
    return plan;
  }

  /** The mode's steps; false when the plan must be written alone first (a job's new iteration). */
  private planMode(plan: Plan, service: Service, ctx: PlanContext): boolean {
    const mode = modeOf(service);
    switch (mode) {
      case 'replicated':
        planRestarts(plan, service, ctx);
        planNodeFailures(plan, service, ctx);
        planReplicated(plan, service, ctx);
        return true;
      case 'global':
        planRestarts(plan, service, ctx, (n) => mayRun(n, service, ctx));
        planNodeFailures(plan, service, ctx);
        planGlobal(plan, service, ctx);
        return true;
      case 'replicated-job':
      case 'global-job': {
        if (planIteration(plan, service, ctx) !== service) return false;
        planOldIterations(plan, service);
        const global = mode === 'global-job';
        planRestarts(plan, service, ctx, global ? (n) => mayRun(n, service, ctx) : undefined);
        planNodeFailures(plan, service, ctx);
        if (global) planGlobalJob(plan, service, ctx);
        else planReplicatedJob(plan, service, ctx);
        return true;
      }
    }
  }

  /** After a round: restart history, delayed starts, and the updater for dirty slots. */
  private afterWrite(id: string, plan: Plan): void {
    for (const r of plan.restarts) {
      const stored = this.store.get('task', r.id);
      if (stored) this.history.record(stored, createdMs(stored));
    }
    for (const taskId of plan.delayedStarts) {
      const t = this.store.get('task', taskId);
      if (t) this.scheduleStart(t);
    }
    const service = this.store.get('service', id);
    if (!service || isJob(service)) return;
    if (modeOf(service) === 'replicated' && replicasOf(service) === 0) {
      this.updater.cancel(id);
      return;
    }
    const slots = dirtySlots(service, this.store.find('task', { serviceId: id }));
    if (slots.length > 0) this.updater.update(service, slots);
  }

  private retryLater(ids: readonly string[]): void {
    for (const id of ids) this.retrying.add(id);
    if (this.retryTimer !== undefined || !this.active) return;
    const handle = this.clock.setTimer(() => {
      this.retryTimer = undefined;
      for (const id of this.retrying) this.dirty.add(id);
      this.retrying.clear();
      this.kick();
    }, this.retryMs);
    this.retryTimer = { handle };
  }

  /**
   * A replacement left at desired READY starts (desired RUNNING, or COMPLETE for a job) once its
   * restart delay, counted from its creation, has passed — also after a change of leader.
   */
  private scheduleStart(t: Task): void {
    if (this.starts.has(t.id) || !this.active) return;
    const service = this.store.get('service', t.serviceId);
    const delay = restartPolicyOf(t, service ? isJob(service) : false).delayMs;
    const wait = Math.min(delay, Math.max(0, createdMs(t) + delay - this.clock.now()));
    this.starts.set(
      t.id,
      this.clock.setTimer(() => {
        this.starts.delete(t.id);
        this.track(this.startNow(t.id));
      }, wait),
    );
  }

  private async startNow(taskId: string): Promise<void> {
    try {
      await this.store.update((tx) => {
        const t = tx.get('task', taskId);
        const s = t && tx.get('service', t.serviceId);
        if (!t || !s || t.desiredState !== 'TASK_STATE_READY' || isTerminal(t)) return;
        const c = clone(t);
        c.desiredState = runTarget(s);
        tx.update('task', c);
      });
    } catch (err) {
      this.log.debug({ err, taskId }, 'starting a restarted task failed; trying again');
      const t = this.store.get('task', taskId);
      if (t && this.active)
        this.starts.set(
          taskId,
          this.clock.setTimer(() => {
            this.starts.delete(taskId);
            this.track(this.startNow(taskId));
          }, this.retryMs),
        );
    }
  }

  private track(p: Promise<void>): void {
    const tracked = p.finally(() => this.writes.delete(tracked));
    this.writes.add(tracked);
  }
}

/** A task change the orchestrators act on (not every step of a task's progress is one). */
function taskChangeMatters(e: StoreEvent<'task'>): boolean {
  const old = e.old;
  if (e.action !== 'update' || !old) return true;
  const t = e.object;
  const assigned = (x: Task): boolean => stateIndex(observed(x)) >= stateIndex('TASK_STATE_ASSIGNED');
  return (
    old.desiredState !== t.desiredState ||
    old.nodeId !== t.nodeId ||
    isTerminal(old) !== isTerminal(t) ||
    assigned(old) !== assigned(t) ||
    (observed(old) === 'TASK_STATE_RUNNING') !== (observed(t) === 'TASK_STATE_RUNNING')
  );
}
