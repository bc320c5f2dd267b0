/**
 * RollingUpdater: the leader's rolling updates and rollbacks, one run per service (swarmkit's
 * UpdateSupervisor). Created when this manager becomes leader, stopped when it stops being leader;
 * all it needs to carry on is in the store, so the next leader's orchestrator just calls update()
 * again for every service with dirty slots.
 */
import { silentLogger, type Logger } from '../../proto/shared/log.ts';
import type { MemoryStore } from '../store/memory.ts';
import type { Service, Task } from '../store/types.ts';
import type { Updater } from './api.ts';
import { systemClock, type Clock } from '../orchestrator/clock.ts';
import { UpdateRun } from './run.ts';
import { currentSlots } from './slots.ts';

/** Swarm waits this long for the old task of a stop-first update to stop (swarmkit restart.go). */
export const DEFAULT_OLD_TASK_TIMEOUT_MS = 60_000;

export interface RollingUpdaterOptions {
  readonly store: MemoryStore;
  readonly log?: Logger;
  /** Milliseconds since the epoch (status timestamps, monitor windows). */
  readonly now?: () => number;
  readonly setTimer?: Clock['setTimer'];
  readonly clearTimer?: Clock['clearTimer'];
  /** How long stop-first waits for an old task to stop before starting its replacement anyway. */
  readonly oldTaskTimeoutMs?: number;
}

export class RollingUpdater implements Updater {
  private readonly runs = new Map<string, UpdateRun>();
  private stopped = false;
  private readonly store: MemoryStore;
  private readonly deps: ConstructorParameters<typeof UpdateRun>[0];

  constructor(o: RollingUpdaterOptions) {
    this.store = o.store;
    const clock: Clock = {
      now: o.now ?? systemClock.now,
      setTimer: o.setTimer ?? systemClock.setTimer,
      clearTimer: o.clearTimer ?? systemClock.clearTimer,
    };
    this.deps = {
      store: o.store,
      log: (o.log ?? silentLogger()).child({ component: 'updater' }),
      clock,
      oldTaskTimeoutMs: o.oldTaskTimeoutMs ?? DEFAULT_OLD_TASK_TIMEOUT_MS,
      rolledBack: (id) => this.rolledBack(id),
    };
  }

  /**
   * Starts updating the dirty slots among `slots` towards `service.specVersion`. A call for the
   * version already being rolled out does nothing; a newer version stops the running update and
   * starts after it has ended. Reads the service's status from the store, so a paused update stays
   * paused and an update in progress carries on.
   */
  update(service: Service, slots: readonly (readonly Task[])[]): void {
    if (this.stopped) return;
    const cur = this.runs.get(service.id);
    if (cur && !cur.isStopped && cur.specVersion >= service.specVersion) return;
    cur?.stop();
    const run = new UpdateRun(this.deps, service, slots, cur?.done);
    this.runs.set(service.id, run);
    void run.done.then(() => {
      if (this.runs.get(service.id) === run) this.runs.delete(service.id);
    });
  }

  /** Stops the service's update where it is, without touching its status. */
  cancel(serviceId: string): void {
    this.runs.get(serviceId)?.stop();
  }

  /** Stops every update (leadership lost); resolves when none will write any more. */
  async stop(): Promise<void> {
    this.stopped = true;
    const runs = [...this.runs.values()];
    for (const r of runs) r.stop();
    await Promise.all(runs.map((r) => r.done));
  }

  /** An automatic rollback was written: roll the service back to it now, from the store's slots. */
  private rolledBack(serviceId: string): void {
    const service = this.store.get('service', serviceId);
    if (service) this.update(service, currentSlots(this.store, service));
  }
}
