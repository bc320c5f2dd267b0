/**
 * The task state machine shared by every engine: one {@link TaskRunner} per task drives its
 * {@link TaskController} from ACCEPTED to a terminal state, following the task's desired state.
 *
 * Invariants: observed states only move forward (one function, `advance`, moves them); once a task is
 * COMPLETE, SHUTDOWN, FAILED or REJECTED it never changes again; a runner never restarts a task (that is
 * the orchestrator's job: it makes a new task). Model: swarmkit `agent/exec/controller.go` `Do`.
 */
import type { TaskState__Output as TaskState } from '../../proto/gen/shoal/api/TaskState.ts';
import type { TaskStatus__Output as TaskStatus } from '../../proto/gen/shoal/api/TaskStatus.ts';
import type { ExitStatus, PrepareContext, Task, TaskController } from './types.ts';

export type { TaskStatus };

/** The stop grace period when the task's spec has none (Docker's default). */
export const DEFAULT_STOP_GRACE_MS = 10_000;

const ORDER: readonly TaskState[] = [
  'TASK_STATE_UNSPECIFIED',
  'TASK_STATE_NEW',
  'TASK_STATE_ALLOCATED',
  'TASK_STATE_PENDING',
  'TASK_STATE_ASSIGNED',
  'TASK_STATE_ACCEPTED',
  'TASK_STATE_PREPARING',
  'TASK_STATE_READY',
  'TASK_STATE_STARTING',
  'TASK_STATE_RUNNING',
  'TASK_STATE_COMPLETE',
  'TASK_STATE_SHUTDOWN',
  'TASK_STATE_FAILED',
  'TASK_STATE_REJECTED',
  'TASK_STATE_REMOVE',
  'TASK_STATE_ORPHANED',
];

/** The position of a state in the task model's order. */
export function stateRank(s: TaskState): number {
  return ORDER.indexOf(s);
}

const RUNNING = stateRank('TASK_STATE_RUNNING');
const HEALTH_POLL_MS = 500;

/** True for the states a task never leaves. */
export function isTerminal(s: TaskState): boolean {
  return stateRank(s) > RUNNING;
}

/** The message Swarm reports with each state the agent writes. */
const MESSAGES: Partial<Record<TaskState, string>> = {
  TASK_STATE_ACCEPTED: 'accepted',
  TASK_STATE_PREPARING: 'preparing',
  TASK_STATE_READY: 'prepared',
  TASK_STATE_STARTING: 'starting',
  TASK_STATE_RUNNING: 'started',
  TASK_STATE_COMPLETE: 'finished',
  TASK_STATE_SHUTDOWN: 'shutdown',
};

export interface TaskRunnerOptions {
  readonly task: Task;
  readonly controller: TaskController;
  /** Called with every transition, in order. Must not throw. */
  readonly onStatus: (status: TaskStatus) => void;
  /** Builds what `prepare` needs (materialises secrets and configs); called once per prepare. */
  readonly prepareContext: (task: Task) => Promise<PrepareContext>;
  /**
   * Set when resuming after an agent restart: the status last reported for the task, and whether the
   * engine still has work for it (`engine.list()`). The runner adopts running work instead of starting it.
   */
  readonly resume?: { readonly status: TaskStatus; readonly present: boolean };
  /**
   * Set when the task cannot run on this node (e.g. a malformed service template): the runner reports
   * FAILED with this message right after ACCEPTED, without preparing anything.
   */
  readonly failure?: string;
  readonly now?: () => Date;
}

/**
 * Drives one task. Call {@link update} with every new version of the task (the desired state may change),
 * {@link remove} when the task left the node's assignments, {@link detach} when the agent stops (the
 * workload keeps running so a restarted agent can adopt it).
 */
export class TaskRunner {
  private task: Task;
  private current: TaskStatus | undefined;
  private busy = false;
  private again = false;
  private detached = false;
  private stopping = false;
  private removed = false;
  private removeWanted = false;
  private watching = false;
  /** The workload exited. */
  private ended = false;
  /** Its healthcheck failed: the exit is reported as unhealthy. */
  private unhealthy = false;
  private adopted = false;
  /** PrepareContext.notes of the last prepare, appended to the RUNNING message. */
  private notes: readonly string[] = [];
  private idleWaiters: (() => void)[] = [];
  private readonly now: () => Date;

  constructor(private readonly o: TaskRunnerOptions) {
    this.task = o.task;
    this.now = o.now ?? ((): Date => new Date());
    if (o.resume) this.current = o.resume.status;
    this.kick();
  }

  /** The last status this runner reached (undefined before ACCEPTED). */
  get status(): TaskStatus | undefined {
    return this.current;
  }

  get taskId(): string {
    return this.task.id;
  }

  /** A newer version of the task (e.g. desired state moved). */
  update(task: Task): void {
    this.task = task;
    this.kick();
  }

  /** Shuts the task down if needed and removes its work; resolves when done. */
  remove(): Promise<void> {
    this.removeWanted = true;
    this.kick();
    return this.idle();
  }

  /** Stops driving the task and reporting; the workload is left as it is. */
  detach(): void {
    this.detached = true;
  }

  /** Resolves once no step is in progress. */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  // ---- driver ----

  private kick(): void {
    if (this.detached) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    void this.loop();
  }

  private async loop(): Promise<void> {
    try {
      if (this.o.resume && !this.adopted) {
        this.adopted = true;
        await this.adopt(this.o.resume.present);
      }
      do {
        this.again = false;
        while (!this.detached && (await this.stepSafely()));
      } while (this.again && !this.detached);
    } finally {
      this.busy = false;
      for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  private async stepSafely(): Promise<boolean> {
    try {
      return await this.step();
    } catch (err) {
      // Only remove() can throw here (the others turn errors into states); a failed remove is not retried.
      this.removed = true;
      void err;
      return false;
    }
  }

  private get state(): TaskState {
    return this.current?.state ?? 'TASK_STATE_UNSPECIFIED';
  }

  private wantsStop(): boolean {
    return this.removeWanted || stateRank(this.task.desiredState) > RUNNING;
  }

  /** Performs the next action toward the desired state; false when there is nothing to do. */
  private async step(): Promise<boolean> {
    const obs = this.state;
    if (this.wantsStop()) {
      if (!isTerminal(obs)) {
        await this.shutdownWork(obs);
        this.advance('TASK_STATE_SHUTDOWN');
        return true;
      }
      if ((this.removeWanted || this.task.desiredState === 'TASK_STATE_REMOVE') && !this.removed) {
        this.removed = true;
        await this.o.controller.remove();
        return true;
      }
      return false;
    }
    switch (obs) {
      case 'TASK_STATE_UNSPECIFIED':
      case 'TASK_STATE_NEW':
      case 'TASK_STATE_ALLOCATED':
      case 'TASK_STATE_PENDING':
      case 'TASK_STATE_ASSIGNED':
        return this.advance('TASK_STATE_ACCEPTED');
      case 'TASK_STATE_ACCEPTED':
        if (this.o.failure !== undefined) return this.advance('TASK_STATE_FAILED', this.o.failure);
        return this.advance('TASK_STATE_PREPARING');
      case 'TASK_STATE_PREPARING':
        return this.prepare();
      case 'TASK_STATE_READY':
        return stateRank(this.task.desiredState) >= RUNNING && this.advance('TASK_STATE_STARTING');
      case 'TASK_STATE_STARTING':
        return this.start();
      case 'TASK_STATE_RUNNING': // the exit arrives through wait()
      case 'TASK_STATE_COMPLETE':
      case 'TASK_STATE_SHUTDOWN':
      case 'TASK_STATE_FAILED':
      case 'TASK_STATE_REJECTED':
      case 'TASK_STATE_REMOVE':
      case 'TASK_STATE_ORPHANED':
        return false;
    }
  }

  private async prepare(): Promise<boolean> {
    try {
      const ctx = await this.o.prepareContext(this.task);
      this.notes = ctx.notes ?? [];
      await this.o.controller.prepare(ctx);
    } catch (err) {
      return this.advance('TASK_STATE_REJECTED', errorText(err));
    }
    return this.advance('TASK_STATE_READY');
  }

  private async start(): Promise<boolean> {
    try {
      await this.o.controller.start();
    } catch (err) {
      return this.advance('TASK_STATE_FAILED', errorText(err));
    }
    await this.running();
    return true;
  }

  /**
   * Reports RUNNING with the runtime's IDs and watches for the exit. A task with a healthcheck stays
   * STARTING until it is healthy; an unhealthy one (then or later) is killed and FAILED, as Swarm does.
   */
  private async running(): Promise<void> {
    this.watch();
    let rt = await this.o.controller.inspect().catch(() => undefined);
    while (rt?.health === 'starting' && !this.stopping && !this.detached && !this.ended) {
      await new Promise((r) => setTimeout(r, HEALTH_POLL_MS));
      rt = await this.o.controller.inspect().catch(() => undefined);
    }
    if (this.stopping || this.detached || this.ended) return;
    if (rt?.health === 'unhealthy') {
      this.unhealthy = true;
      await this.o.controller.terminate().catch(() => undefined);
      return;
    }
    if (rt?.health === 'healthy') this.monitorHealth();
    this.advance(
      'TASK_STATE_RUNNING',
      undefined,
      { containerId: rt?.runtimeId ?? '', pid: rt?.pid ?? 0, exitCode: 0 },
      this.notes.length > 0 ? `started (${this.notes.join('; ')})` : undefined,
    );
    this.watch();
  }

  private watch(): void {
    if (this.watching) return;
    this.watching = true;
    this.o.controller.wait().then(
      (exit) => this.exited(exit),
      (err: unknown) => this.exited({ exitCode: -1, error: errorText(err) }),
    );
  }

  /** Keeps checking a healthy task; when it turns unhealthy, kills it (the exit reports FAILED). */
  private monitorHealth(): void {
    const check = (): void => {
      if (this.stopping || this.detached || this.ended) return;
      void this.o.controller.inspect().then(
        async (rt) => {
          if (rt.health === 'unhealthy' && !this.stopping && !this.ended) {
            this.unhealthy = true;
            await this.o.controller.terminate().catch(() => undefined);
            return;
          }
          const t = setTimeout(check, HEALTH_POLL_MS);
          t.unref();
        },
        () => undefined,
      );
    };
    const t = setTimeout(check, HEALTH_POLL_MS);
    t.unref();
  }

  private exited(exit: ExitStatus): void {
    this.ended = true;
    if (this.stopping || this.detached) return;
    const cs = { ...this.containerStatus(), exitCode: exit.exitCode };
    if (this.unhealthy) this.advance('TASK_STATE_FAILED', 'task: unhealthy container', cs);
    else if (exit.error !== undefined) this.advance('TASK_STATE_FAILED', exit.error, cs);
    else if (exit.exitCode === 0) this.advance('TASK_STATE_COMPLETE', undefined, cs);
    else this.advance('TASK_STATE_FAILED', `task: non-zero exit (${exit.exitCode})`, cs);
    this.kick();
  }

  private async shutdownWork(obs: TaskState): Promise<void> {
    if (stateRank(obs) < stateRank('TASK_STATE_PREPARING')) return;
    this.stopping = true;
    const ns = this.task.spec?.containerSpec?.stopGracePeriod;
    const graceMs = ns === undefined ? DEFAULT_STOP_GRACE_MS : Math.round(ns / 1e6);
    await this.o.controller.shutdown(graceMs).catch(() => this.o.controller.terminate());
  }

  /** After an agent restart: find out what the engine still runs and continue from there. */
  private async adopt(present: boolean): Promise<void> {
    const obs = this.state;
    if (obs !== 'TASK_STATE_RUNNING' && obs !== 'TASK_STATE_STARTING') {
      if (obs === 'TASK_STATE_READY' && !present) {
        // The work was removed while the agent was down: prepare it again (no state change to report).
        await this.o.controller
          .prepare(await this.o.prepareContext(this.task))
          .catch((err: unknown) => this.advance('TASK_STATE_REJECTED', errorText(err)));
      }
      return;
    }
    if (!present) {
      this.advance('TASK_STATE_FAILED', 'task: lost while the agent was down');
      return;
    }
    const rt = await this.o.controller.inspect().catch(() => undefined);
    if (rt?.running === true && obs === 'TASK_STATE_STARTING') await this.running();
    else this.watch();
  }

  private containerStatus(): { containerId: string; pid: number; exitCode: number } {
    const cs = this.current?.containerStatus;
    return { containerId: cs?.containerId ?? '', pid: cs?.pid ?? 0, exitCode: cs?.exitCode ?? 0 };
  }

  /**
   * The one place observed state moves. Ignores a move backward or out of a terminal state.
   * @returns true when the state changed.
   */
  private advance(
    state: TaskState,
    err?: string,
    containerStatus?: { containerId: string; pid: number; exitCode: number },
    message?: string,
  ): boolean {
    const obs = this.state;
    if (isTerminal(obs) || stateRank(state) <= stateRank(obs)) return false;
    const ms = this.now().getTime();
    this.current = {
      state,
      message: err ?? message ?? MESSAGES[state] ?? state.replace('TASK_STATE_', '').toLowerCase(),
      err: err ?? '',
      timestamp: { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 },
      containerStatus: containerStatus ?? this.containerStatus(),
      portStatus: null,
    };
    if (!this.detached) this.o.onStatus(this.current);
    return true;
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
