/**
 * The agent's task set: one TaskRunner per assigned task, the secrets and configs the tasks reference
 * (in memory only), persistence of tasks and statuses, and applying assignment messages.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AssignmentsMessage__Output } from '../../proto/gen/shoal/api/AssignmentsMessage.ts';
import type { Config__Output as Config } from '../../proto/gen/shoal/api/Config.ts';
import type { Secret__Output as Secret } from '../../proto/gen/shoal/api/Secret.ts';
import type { Logger } from '../../proto/shared/log.ts';
import { isTerminal, TaskRunner, type TaskStatus } from '../executor/statemachine.ts';
import { expandTask, TemplateError, type NodeInfo } from '../executor/template.ts';
import type { Engine, PrepareContext, SecretFile, Task } from '../executor/types.ts';
import type { TaskNetworks } from './network.ts';
import type { StatusReporter } from './reporter.ts';
import type { AgentStore } from './store.ts';

/** Materialises a task's secrets and configs (worker/secrets); the agent calls it before `prepare`. */
export interface SecretsHook {
  materialise(task: Task, secrets: readonly Secret[], configs: readonly Config[]): Promise<SecretFile[]>;
  release(taskId: string): Promise<void>;
}

export interface TaskManagerOptions {
  readonly engine: Engine;
  readonly store: AgentStore;
  readonly reporter: StatusReporter;
  readonly workRoot: string;
  readonly secrets?: SecretsHook | undefined;
  /** Overlay networking of tasks (network.ts): before `prepare`, after removal, at resume. */
  readonly network?: TaskNetworks | undefined;
  /** This node's own description: what `{{.Node.Hostname}}` and `{{.Node.Platform.*}}` expand to. */
  readonly node?: NodeInfo | undefined;
  readonly log: Logger;
  readonly now?: (() => Date) | undefined;
}

export class TaskManager {
  private readonly runners = new Map<string, TaskRunner>();
  /** The latest task object of each runner (for log subscriptions). */
  private readonly objects = new Map<string, Task>();
  private readonly removing = new Map<string, Promise<void>>();
  /** Secret and config objects with their data: memory only, replaced by every COMPLETE assignment. */
  private readonly secrets = new Map<string, Secret>();
  /** Tasks whose secrets were released when they reached a terminal state (the release in flight). */
  private readonly secretsReleased = new Map<string, Promise<void>>();
  private readonly configs = new Map<string, Config>();
  private closed = false;

  constructor(private readonly o: TaskManagerOptions) {}

  /** Re-creates runners for persisted tasks, adopting work the engine still has. */
  async resume(): Promise<void> {
    const stored = await this.o.store.load();
    // Before any runner exists: the data plane is adopted (and orphans removed) from what is persisted.
    await this.o.network
      ?.resume(stored.map((s) => s.task))
      .catch((err: unknown) => this.o.log.error({ err }, 'resuming overlay networking'));
    const present = new Set(await this.o.engine.list());
    for (const { task, status } of stored) {
      this.o.log.info({ taskId: task.id, state: status?.state }, 'resuming task');
      this.create(task, status ? { status, present: present.has(task.id) } : undefined);
      // Tell the manager where the task stands now (it may have missed the last report).
      if (status) this.o.reporter.report(task.id, status);
    }
  }

  /** Statuses of every task, for a fresh session (the manager drops regressions). */
  reportAll(): void {
    for (const r of this.runners.values()) if (r.status) this.o.reporter.report(r.taskId, r.status);
  }

  /** IDs of tasks this agent currently drives. */
  taskIds(): string[] {
    return [...this.runners.keys()];
  }

  /** The tasks this agent drives now, as last assigned. */
  tasks(): Task[] {
    return [...this.objects.values()];
  }

  apply(m: AssignmentsMessage__Output): void {
    if (m.type === 'TYPE_COMPLETE') {
      const keep = new Set(m.changes.flatMap((c) => (c.assignment?.task ? [c.assignment.task.id] : [])));
      for (const id of [...this.runners.keys()]) if (!keep.has(id)) this.drop(id);
      this.secrets.clear();
      this.configs.clear();
    }
    for (const c of m.changes) {
      const a = c.assignment;
      if (!a) continue;
      const remove = c.action === 'ACTION_REMOVE';
      if (a.task) {
        if (remove) this.drop(a.task.id);
        else this.assign(a.task);
      } else if (a.secret) {
        if (remove) this.secrets.delete(a.secret.id);
        else this.secrets.set(a.secret.id, a.secret);
      } else if (a.config) {
        if (remove) this.configs.delete(a.config.id);
        else this.configs.set(a.config.id, a.config);
      }
    }
  }

  /** `swarm leave`: shuts down and removes every task, and resolves once all of them are gone. */
  async removeAll(): Promise<void> {
    for (const id of [...this.runners.keys()]) this.drop(id);
    await Promise.allSettled([...this.removing.values()]);
  }

  /** Stops driving tasks (their work keeps running) and waits for removals in progress. */
  async close(): Promise<void> {
    this.closed = true;
    for (const r of this.runners.values()) r.detach();
    await Promise.allSettled([...this.removing.values()]);
  }

  private assign(task: Task): void {
    if (this.removing.has(task.id)) return;
    const r = this.runners.get(task.id);
    void this.o.store.putTask(task).catch((err: unknown) => this.o.log.error({ err }, 'persisting task'));
    this.objects.set(task.id, task);
    if (r) r.update(task);
    else this.create(task, undefined);
  }

  private create(task: Task, resume: { status: TaskStatus; present: boolean } | undefined): void {
    // Service templates are expanded here, before the engine sees the task (as Swarm's executor does).
    let expanded = task;
    let failure: string | undefined;
    try {
      expanded = expandTask(task, this.o.node);
    } catch (err) {
      if (!(err instanceof TemplateError)) throw err;
      failure = err.message;
    }
    const runner = new TaskRunner({
      task,
      controller: this.o.engine.controller(expanded),
      ...(failure !== undefined ? { failure } : {}),
      onStatus: (s) => this.onStatus(task.id, s),
      prepareContext: (t) => this.prepareContext(t),
      ...(resume ? { resume } : {}),
      ...(this.o.now ? { now: this.o.now } : {}),
    });
    this.runners.set(task.id, runner);
    this.objects.set(task.id, task);
  }

  private onStatus(taskId: string, status: TaskStatus): void {
    if (this.closed) return;
    // A task that ended keeps no secrets on this node (as Docker removes a stopped container's): its
    // object stays assigned as history, but nothing runs that may read them.
    if (isTerminal(status.state) && !this.secretsReleased.has(taskId) && this.o.secrets) {
      const hook = this.o.secrets;
      this.secretsReleased.set(
        taskId,
        hook.release(taskId).catch((err: unknown) => this.o.log.error({ err, taskId }, 'releasing secrets')),
      );
    }
    // Persist before sending: a restarted agent must not report less than the manager already saw.
    void this.o.store
      .putStatus(taskId, status)
      .catch((err: unknown) => this.o.log.error({ err, taskId }, 'persisting task status'));
    this.o.reporter.report(taskId, status);
  }

  /** The task left this node's assignments: shut it down, remove its work, forget it. */
  private drop(taskId: string): void {
    const r = this.runners.get(taskId);
    if (!r || this.removing.has(taskId)) return;
    const done = (async (): Promise<void> => {
      try {
        await r.remove();
        await this.secretsReleased.get(taskId);
        await this.o.secrets?.release(taskId);
        await this.o.network?.release(taskId);
        await rm(join(this.o.workRoot, taskId), { recursive: true, force: true });
        if (!this.closed) await this.o.store.delete(taskId);
      } catch (err) {
        this.o.log.error({ err, taskId }, 'removing task');
      } finally {
        this.runners.delete(taskId);
        this.objects.delete(taskId);
        this.removing.delete(taskId);
        this.secretsReleased.delete(taskId);
      }
    })();
    this.removing.set(taskId, done);
  }

  private async prepareContext(task: Task): Promise<PrepareContext> {
    const workDir = join(this.o.workRoot, task.id);
    await mkdir(workDir, { recursive: true, mode: 0o700 });
    const cs = task.spec?.containerSpec;
    const secrets = (cs?.secrets ?? []).map((ref) => this.secrets.get(ref.secretId));
    const configs = (cs?.configs ?? []).map((ref) => this.configs.get(ref.configId));
    const missing = [...secrets, ...configs].includes(undefined);
    if (missing) throw new Error(`task ${task.id}: a referenced secret or config was not assigned`);
    const files = this.o.secrets
      ? await this.o.secrets.materialise(
          task,
          secrets.filter((s) => s !== undefined),
          configs.filter((c) => c !== undefined),
        )
      : [];
    const net = await this.o.network?.prepare(task);
    return {
      files: [...files, ...(net?.files ?? [])],
      workDir,
      ...(net?.network !== undefined ? { network: net.network } : {}),
      ...(net !== undefined && net.notes.length > 0 ? { notes: net.notes } : {}),
    };
  }
}
