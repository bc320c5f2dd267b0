/**
 * One rolling update (or rollback) of one service at one spec version, as Swarm runs it
 * (swarmkit `manager/orchestrator/update/updater.go`): `parallelism` workers take the dirty slots in
 * turn, each replacing its slot's task (stop-first or start-first) and pausing `delay` after each;
 * every task this run creates is watched until `monitor` after it reached RUNNING; too many failures
 * run the failure action; when all slots are done and one more monitor window passed, the status
 * says completed.
 *
 * Everything the run knows that matters to a successor is in the store: the status, and which tasks
 * are up to date. A run stopped half-way (leadership lost, newer spec) writes nothing more, and the
 * next run — on this manager or a new leader — carries on from the slots still dirty.
 */
import type { Logger } from '../../proto/shared/log.ts';
import { before, isDirty, isTerminal, newTask, observed } from '../orchestrator/common.ts';
import type { MemoryStore } from '../store/memory.ts';
import type { Service, StoreEvent, Task } from '../store/types.ts';
import type { Clock, TimerHandle } from '../orchestrator/clock.ts';
import { resolvePolicy, type UpdatePolicy } from './policy.ts';
import { isSlotDirty, allInSlot, distinctKeys, keyString, slotTasks, type SlotKey } from './slots.ts';
import {
  MESSAGES,
  completeUpdate,
  inProgress,
  isPaused,
  isRollback,
  pauseUpdate,
  startRollback,
  startUpdate,
  stateOf,
  type ServiceChange,
} from './status.ts';
import { changeService, createTask, setDesired, shutDown, transact } from './writes.ts';

/** What a run needs from the updater that owns it. */
export interface RunDeps {
  readonly store: MemoryStore;
  readonly log: Logger;
  readonly clock: Clock;
  /** How long stop-first waits for the old task to stop before starting the new one anyway. */
  readonly oldTaskTimeoutMs: number;
  /** An automatic rollback was written: the owner starts it (the rolled-back spec is a new version). */
  readonly rolledBack: (serviceId: string) => void;
}

type Outcome = 'ok' | 'timeout' | 'halted';

interface Waiter {
  readonly cond: () => boolean;
  readonly settle: (o: Outcome) => void;
  timer?: TimerHandle;
}

/** The failure action fired, because of this task. */
interface Verdict {
  readonly action: 'pause' | 'rollback';
  readonly taskId: string;
}

const RUNNING = 'TASK_STATE_RUNNING';

/** An ended task that counts as a failure: not one that was asked to stop and did. */
function isFailure(t: Task): boolean {
  if (!isTerminal(t)) return false;
  const s = observed(t);
  return !before(RUNNING, t.desiredState) || s === 'TASK_STATE_FAILED' || s === 'TASK_STATE_REJECTED';
}

/** Stopped as far as a stop-first update cares: ended, or never handed to a node. */
function isStopped(t: Task): boolean {
  return isTerminal(t) || before(observed(t), 'TASK_STATE_ASSIGNED');
}

export class UpdateRun {
  readonly serviceId: string;
  readonly specVersion: number;
  /** Resolves when the run has ended and made its last write. Never rejects. */
  readonly done: Promise<void>;
  private stopped = false;
  private halted = false;
  private verdict: Verdict | undefined;
  private readonly waiters = new Set<Waiter>();
  /** Tasks this run started, and when each reached RUNNING (undefined: not yet). */
  private readonly started = new Map<string, number | undefined>();
  private readonly failed = new Set<string>();
  private policy: UpdatePolicy = resolvePolicy(null, 1);
  private dirtyCount = 1;
  private rollback = false;
  private readonly log: Logger;

  /** Starts at once, or after `previous` (the run this one replaces) has ended. */
  constructor(
    private readonly deps: RunDeps,
    service: Service,
    slots: readonly (readonly Task[])[],
    previous?: Promise<void>,
  ) {
    this.serviceId = service.id;
    this.specVersion = service.specVersion;
    this.log = deps.log.child({ serviceId: service.id, specVersion: service.specVersion });
    const keys = distinctKeys(service, slots);
    this.done = this.main(keys, previous).catch((err: unknown) => {
      this.log.error({ err }, 'update failed');
    });
  }

  /** Stops now; writes nothing more. The run is over once `done` resolves. */
  stop(): void {
    this.stopped = true;
    this.halt();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  private async main(keys: readonly SlotKey[], previous: Promise<void> | undefined): Promise<void> {
    await previous;
    const { store } = this.deps;
    const service = store.get('service', this.serviceId);
    if (this.stopped || !service || service.specVersion !== this.specVersion || isPaused(service)) return;

    const updating = inProgress(service);
    const dirty = keys.filter((k) => isSlotDirty(service, slotTasks(store, service.id, k), updating));
    if (dirty.length === 0) {
      if (updating) await this.write(completeUpdate(this.deps.clock.now()));
      return;
    }
    if (stateOf(service) === 'STATE_UNSPECIFIED') await this.write(startUpdate(this.deps.clock.now()));
    if (this.stopped) return;

    this.rollback = isRollback(service);
    const config = this.rollback ? service.spec?.rollbackConfig : service.spec?.updateConfig;
    this.policy = resolvePolicy(config ?? null, dirty.length);
    this.dirtyCount = dirty.length;
    this.log.info({ slots: dirty.length, rollback: this.rollback, ...this.policy }, 'update started');

    await this.watching(() => this.work(service, dirty));
    if (this.stopped) return;
    if (this.verdict) await this.act(this.verdict);
    else await this.write(completeUpdate(this.deps.clock.now()));
  }

  /** The workers, then one more monitor window, all while task events are watched. */
  private async work(service: Service, dirty: readonly SlotKey[]): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let k = dirty[next++]; k !== undefined && !this.halted; k = dirty[next++]) {
        try {
          await this.updateSlot(service, k);
        } catch (err) {
          this.log.error({ err, slot: keyString(k) }, 'update of a slot failed');
        }
        if (!this.halted && this.policy.delayMs > 0) await this.sleep(this.policy.delayMs);
      }
    };
    await Promise.all(Array.from({ length: this.policy.parallelism }, worker));
    if (!this.halted) await this.sleep(this.policy.monitorMs);
  }

  private async watching(body: () => Promise<void>): Promise<void> {
    const { events } = this.deps.store;
    const onCommit = (changes: readonly StoreEvent[]): void => this.onCommit(changes);
    const onRestore = (): void => this.checkWaiters();
    events.on('commit', onCommit);
    events.on('restore', onRestore);
    try {
      await body();
    } finally {
      events.off('commit', onCommit);
      events.off('restore', onRestore);
      this.halt();
    }
  }

  /**
   * One slot: reuse an up-to-date task already there, or make a new one; then swap it in the order
   * the policy says and wait until it runs (or ends).
   */
  private async updateSlot(service: Service, k: SlotKey): Promise<void> {
    const { store } = this.deps;
    const tasks = slotTasks(store, service.id, k);
    if (tasks.length === 0) return;
    const clean = tasks.filter((t) => !isDirty(service, t));
    const running = clean.find((t) => t.desiredState === RUNNING);
    if (running) {
      // Already replaced (a start-first update cut short): only the others have to go.
      await transact(store, (tx) => shutDown(tx, ids(tasks, running.id)));
      return;
    }
    const existing = clean.find((t) => before(t.desiredState, RUNNING));
    const fresh = existing ?? newTask(service, k, new Date(this.deps.clock.now()));
    this.started.set(fresh.id, undefined);
    const startFirst = this.policy.order === 'start-first';
    if (!existing) fresh.desiredState = startFirst ? RUNNING : 'TASK_STATE_READY';

    const created = await transact(store, (tx) => {
      if (!existing && !createTask(tx, service, fresh)) return false;
      if (startFirst) setDesired(tx, fresh.id, RUNNING);
      else shutDown(tx, ids(slotTasks(tx, service.id, k), fresh.id));
      return true;
    });
    if (!created) return;
    this.log.debug({ taskId: fresh.id, slot: keyString(k), order: this.policy.order }, 'task replaced');

    if (!startFirst) {
      const old = await this.waitUntil(
        () => allInSlot(store, service.id, k).every((t) => t.id === fresh.id || isStopped(t)),
        this.deps.oldTaskTimeoutMs,
      );
      if (old === 'halted') return;
      if (old === 'timeout') this.log.warn({ slot: keyString(k) }, 'old task did not stop; starting anyway');
      await transact(store, (tx) => setDesired(tx, fresh.id, RUNNING));
    }

    const up = await this.waitUntil(() => {
      const t = store.get('task', fresh.id);
      return !t || !before(observed(t), RUNNING) || before(RUNNING, t.desiredState);
    });
    const now = store.get('task', fresh.id);
    if (up === 'halted' || !startFirst || !now || observed(now) !== RUNNING) return;
    await transact(store, (tx) => shutDown(tx, ids(slotTasks(tx, service.id, k), fresh.id)));
  }

  /** Per committed transaction: count failures, then wake the waits whose condition now holds. */
  private onCommit(changes: readonly StoreEvent[]): void {
    for (const e of changes) {
      if (e.kind === 'task' && e.action !== 'remove') this.observeTask(e.object as Task);
    }
    this.checkWaiters();
  }

  private observeTask(t: Task): void {
    if (!this.started.has(t.id) || this.failed.has(t.id) || this.halted) return;
    const now = this.deps.clock.now();
    const runningSince = this.started.get(t.id);
    if (observed(t) === RUNNING && runningSince === undefined) {
      this.started.set(t.id, now);
      return;
    }
    if (!isFailure(t)) return;
    if (runningSince !== undefined && now - runningSince > this.policy.monitorMs) return;
    this.failed.add(t.id);
    const ratio = Math.fround(this.failed.size / this.dirtyCount);
    this.log.warn(
      { taskId: t.id, state: observed(t), failures: this.failed.size, slots: this.dirtyCount },
      'task of this update failed',
    );
    const action = this.policy.failureAction;
    if (action === 'continue' || ratio <= Math.fround(this.policy.maxFailureRatio)) return;
    this.verdict = { action, taskId: t.id };
    this.halt();
  }

  /** The failure action, in Swarm's words. A rollback is never rolled back: it pauses. */
  private async act(v: Verdict): Promise<void> {
    if (v.action === 'pause') {
      await this.write(pauseUpdate(MESSAGES.paused(v.taskId)));
    } else if (this.rollback) {
      await this.write(pauseUpdate(MESSAGES.rollbackPaused(v.taskId)));
    } else if (await this.write(startRollback(MESSAGES.rolledBack(v.taskId)))) {
      this.log.info({ taskId: v.taskId }, 'rolling back');
      this.deps.rolledBack(this.serviceId);
    } else if (!this.deps.store.get('service', this.serviceId)?.previousSpec) {
      this.log.warn('cannot roll back service because no previous spec is available');
      await this.write(pauseUpdate(MESSAGES.paused(v.taskId)));
    }
  }

  private async write(change: ServiceChange): Promise<boolean> {
    if (this.stopped) return false;
    return changeService(this.deps.store, this.serviceId, this.specVersion, change);
  }

  // ---- waiting: conditions on the store, checked after every commit; timers from the clock ----

  private waitUntil(cond: () => boolean, timeoutMs?: number): Promise<Outcome> {
    if (this.halted) return Promise.resolve('halted');
    if (cond()) return Promise.resolve('ok');
    return new Promise((resolve) => {
      let settled = false;
      const w: Waiter = {
        cond,
        settle: (o) => {
          if (settled) return;
          settled = true;
          this.waiters.delete(w);
          if (w.timer !== undefined) this.deps.clock.clearTimer(w.timer);
          resolve(o);
        },
      };
      this.waiters.add(w);
      if (timeoutMs !== undefined) w.timer = this.deps.clock.setTimer(() => w.settle('timeout'), timeoutMs);
    });
  }

  private sleep(ms: number): Promise<Outcome> {
    return this.waitUntil(() => false, ms);
  }

  private checkWaiters(): void {
    for (const w of [...this.waiters]) if (w.cond()) w.settle('ok');
  }

  /** Ends every wait: the workers finish their current step and take no more slots. */
  private halt(): void {
    this.halted = true;
    for (const w of [...this.waiters]) w.settle('halted');
  }
}

function ids(tasks: readonly Task[], except: string): string[] {
  return tasks.filter((t) => t.id !== except).map((t) => t.id);
}
