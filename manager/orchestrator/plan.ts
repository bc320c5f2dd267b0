/**
 * A reconciliation as data: planners read a service's tasks through a {@link Plan}, record the
 * writes they want (in units that must commit together), and see their own planned changes in later
 * steps. {@link applyPlans} then writes every unit in store batches, re-checking each object's
 * version so a unit whose objects changed meanwhile is skipped whole (the change that beat it fires
 * an event, and the service is reconciled again).
 */
import { clone, type MemoryStore, type WriteTx } from '../store/memory.ts';
import type { Service, Task, TaskState } from '../store/types.ts';
import { timestampOf } from './clock.ts';

/** One write of a unit. `version` is the version the planner read. */
export type Op =
  | { readonly kind: 'create'; readonly task: Task }
  | { readonly kind: 'desire'; readonly id: string; readonly version: number; readonly state: TaskState }
  | {
      readonly kind: 'status';
      readonly id: string;
      readonly version: number;
      readonly state: TaskState;
      readonly message: string;
      readonly atMs: number;
    }
  | { readonly kind: 'delete'; readonly id: string; readonly version: number }
  | { readonly kind: 'service'; readonly service: Service };

const versionOf = (o: { version: { index: number } | null }): number => o.version?.index ?? 0;

/** The planned writes of one service, and its tasks as they will be once they are applied. */
export class Plan {
  readonly units: Op[][] = [];
  /** Replacement tasks created at desired READY, to be started after their restart delay. */
  readonly delayedStarts: string[] = [];
  /** Replacements made by the restart supervisor, counted in the restart history once written. */
  readonly restarts: Task[] = [];
  private readonly tasks = new Map<string, Task>();
  private readonly touched = new Set<string>();

  constructor(tasks: readonly Task[]) {
    for (const t of tasks) this.tasks.set(t.id, t);
  }

  /** The service's tasks with the planned changes (treat as read-only). */
  view(): Task[] {
    return [...this.tasks.values()];
  }

  /** The plan already writes this task (a task is written at most once per plan). */
  isTouched(id: string): boolean {
    return this.touched.has(id);
  }

  /** Records writes that must commit together (or not at all). */
  add(...ops: Op[]): void {
    if (ops.length > 0) this.units.push(ops);
  }

  /** An op setting the task's desired state (seen at once by {@link view}). */
  desire(t: Task, state: TaskState): Op {
    this.claim(t.id);
    this.tasks.set(t.id, { ...t, desiredState: state });
    return { kind: 'desire', id: t.id, version: versionOf(t), state };
  }

  /** An op creating a task. */
  create(t: Task): Op {
    this.claim(t.id);
    this.tasks.set(t.id, t);
    return { kind: 'create', task: t };
  }

  /** An op setting the observed state (the manager's own status writes: ORPHANED). */
  status(t: Task, state: TaskState, message: string, atMs: number): Op {
    this.claim(t.id);
    this.tasks.set(t.id, { ...t, status: { ...emptyStatus(), ...t.status, state, message } });
    return { kind: 'status', id: t.id, version: versionOf(t), state, message, atMs };
  }

  /** An op deleting a task. */
  delete(t: Task): Op {
    this.claim(t.id);
    this.tasks.delete(t.id);
    return { kind: 'delete', id: t.id, version: versionOf(t) };
  }

  private claim(id: string): void {
    if (this.touched.has(id)) throw new Error(`orchestrator: task ${id} planned twice`);
    this.touched.add(id);
  }
}

function emptyStatus(): NonNullable<Task['status']> {
  return {
    timestamp: null,
    state: 'TASK_STATE_NEW',
    message: '',
    err: '',
    containerStatus: null,
    portStatus: null,
  };
}

function stillAsRead(tx: WriteTx, op: Op): boolean {
  switch (op.kind) {
    case 'create':
      return tx.get('task', op.task.id) === undefined;
    case 'desire':
    case 'status':
    case 'delete': {
      const cur = tx.get('task', op.id);
      return cur !== undefined && versionOf(cur) === op.version;
    }
    case 'service': {
      const cur = tx.get('service', op.service.id);
      return cur !== undefined && versionOf(cur) === versionOf(op.service);
    }
  }
}

function write(tx: WriteTx, op: Op): void {
  switch (op.kind) {
    case 'create':
      tx.create('task', clone(op.task));
      return;
    case 'desire': {
      const t = clone(tx.get('task', op.id) as Task);
      t.desiredState = op.state;
      tx.update('task', t);
      return;
    }
    case 'status': {
      const t = clone(tx.get('task', op.id) as Task);
      t.status = {
        ...emptyStatus(),
        ...t.status,
        state: op.state,
        message: op.message,
        timestamp: timestampOf(op.atMs),
      };
      tx.update('task', t);
      return;
    }
    case 'delete':
      tx.remove('task', op.id);
      return;
    case 'service':
      tx.update('service', clone(op.service));
      return;
  }
}

/** Writes one unit if every object it touches is still as the planner read it; else nothing. */
export function applyUnit(tx: WriteTx, ops: readonly Op[]): void {
  if (!ops.every((op) => stillAsRead(tx, op))) return;
  for (const op of ops) write(tx, op);
}

/** Writes every unit of the plans in store batches (a unit never spans two transactions). */
export async function applyPlans(store: MemoryStore, plans: readonly Plan[]): Promise<void> {
  if (!plans.some((p) => p.units.length > 0)) return;
  await store.batch((b) => {
    for (const p of plans) for (const u of p.units) b.update((tx) => applyUnit(tx, u));
  });
}
