/**
 * Test kit for the updater: a manual clock, a tiny agent that moves tasks towards their desired
 * state (or fails them on purpose), what the control API does to a service on update and rollback,
 * and a counter of running tasks. Tests only.
 */
import { messageType } from '../../proto/load.ts';
import { newId } from '../../proto/shared/ids.ts';
import { before, newTask, observed } from '../orchestrator/common.ts';
import { TO_OBJECT, clone, type MemoryStore } from '../store/memory.ts';
import type { Service, StoreEvent, Task, TaskState } from '../store/types.ts';
import type { ServiceSpec__Output } from '../../proto/gen/shoal/api/ServiceSpec.ts';
import type { TimerHandle } from '../orchestrator/clock.ts';
import { MESSAGES, timestamp } from './status.ts';
import { currentSlots } from './slots.ts';
import { transact } from './writes.ts';

/** Lets every pending promise chain run (store commits are microtasks). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((r) => setImmediate(r));
}

interface FakeTimer {
  readonly id: number;
  readonly at: number;
  readonly fn: () => void;
}

/** Time that moves only when the test says so; timers fire in order, each followed by a settle(). */
export class FakeClock {
  private t = Date.UTC(2025, 0, 1);
  private seq = 0;
  private timers: FakeTimer[] = [];

  readonly now = (): number => this.t;

  readonly setTimer = (fn: () => void, ms: number): TimerHandle => {
    const id = ++this.seq;
    this.timers.push({ id, at: this.t + Math.max(0, ms), fn });
    return id;
  };

  readonly clearTimer = (h: TimerHandle): void => {
    this.timers = this.timers.filter((x) => x.id !== h);
  };

  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing every timer due on the way. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await settle();
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = due.at;
      due.fn();
    }
    this.t = end;
    await settle();
  }

  /** Advances in steps of `stepMs` until `cond` holds; fails after `maxMs`. */
  async until(cond: () => boolean, maxMs = 600_000, stepMs = 100): Promise<void> {
    for (let waited = 0; !cond(); waited += stepMs) {
      if (waited >= maxMs) throw new Error(`condition not met after ${maxMs} ms of fake time`);
      await this.advance(stepMs);
    }
  }
}

/** How the agent treats a task it is asked to run. */
export type Fate =
  | { readonly kind: 'run' }
  | { readonly kind: 'reject' }
  | { readonly kind: 'fail'; readonly afterMs: number };

export interface AgentOptions {
  /** Time from desired RUNNING to RUNNING. */
  readonly startMs?: number;
  /** Time from desired SHUTDOWN to SHUTDOWN. */
  readonly stopMs?: number;
  /** Per task; default: runs. */
  readonly fate?: (t: Task) => Fate;
}

/**
 * Runs tasks the way a worker would, through the store: desired READY → READY, desired RUNNING →
 * RUNNING (or REJECTED / FAILED as `fate` says), desired SHUTDOWN → SHUTDOWN. Unassigned tasks go
 * on node `node-1` unless they name their node.
 */
export class FakeAgent {
  private readonly scheduled = new Map<string, TimerHandle>();
  private readonly onCommit = (events: readonly StoreEvent[]): void => {
    for (const e of events) if (e.kind === 'task' && e.action !== 'remove') this.consider(e.object as Task);
  };
  private readonly startMs: number;
  private readonly stopMs: number;
  fate: (t: Task) => Fate;

  constructor(
    private readonly store: MemoryStore,
    private readonly clock: FakeClock,
    o: AgentOptions = {},
  ) {
    this.startMs = o.startMs ?? 100;
    this.stopMs = o.stopMs ?? 100;
    this.fate = o.fate ?? (() => ({ kind: 'run' }));
    store.events.on('commit', this.onCommit);
  }

  stop(): void {
    this.store.events.off('commit', this.onCommit);
    for (const h of this.scheduled.values()) this.clock.clearTimer(h);
    this.scheduled.clear();
  }

  private target(t: Task): TaskState | undefined {
    const s = observed(t);
    if (before('TASK_STATE_RUNNING', s)) return undefined;
    if (before('TASK_STATE_RUNNING', t.desiredState)) return 'TASK_STATE_SHUTDOWN';
    if (t.desiredState === 'TASK_STATE_RUNNING' && s !== 'TASK_STATE_RUNNING') return 'TASK_STATE_RUNNING';
    if (t.desiredState === 'TASK_STATE_READY' && before(s, 'TASK_STATE_READY')) return 'TASK_STATE_READY';
    return undefined;
  }

  private consider(t: Task): void {
    const target = this.target(t);
    if (!target || this.scheduled.has(t.id)) return;
    const ms = target === 'TASK_STATE_SHUTDOWN' ? this.stopMs : this.startMs;
    const h = this.clock.setTimer(() => {
      this.scheduled.delete(t.id);
      void this.step(t.id);
    }, ms);
    this.scheduled.set(t.id, h);
  }

  private async step(id: string): Promise<void> {
    const cur = this.store.get('task', id);
    if (!cur) return;
    const target = this.target(cur);
    if (!target) return;
    const fate = target === 'TASK_STATE_RUNNING' ? this.fate(cur) : { kind: 'run' as const };
    const to: TaskState = fate.kind === 'reject' ? 'TASK_STATE_REJECTED' : target;
    await this.report(id, to, 'expected');
    if (fate.kind === 'fail' && to === 'TASK_STATE_RUNNING') {
      this.clock.setTimer(
        () => void this.report(id, 'TASK_STATE_FAILED', 'task: non-zero exit (1)'),
        fate.afterMs,
      );
    }
  }

  /** What the dispatcher writes when an agent reports a task's status. */
  async report(id: string, state: TaskState, message: string): Promise<void> {
    await transact(this.store, (tx) => {
      const cur = tx.get('task', id);
      if (!cur || !before(observed(cur), state)) return;
      const t = clone(cur);
      if (!t.nodeId) t.nodeId = 'node-1';
      t.status = {
        timestamp: timestamp(this.clock.now()),
        state,
        message,
        err: state === 'TASK_STATE_FAILED' ? message : '',
        containerStatus: null,
        portStatus: null,
      };
      tx.update('task', t);
    });
  }
}

export interface ServiceOptions {
  readonly replicas?: number;
  /** Global service on these nodes instead of replicas. */
  readonly nodes?: readonly string[];
  readonly update?: Record<string, unknown>;
  readonly rollback?: Record<string, unknown>;
  readonly image?: string;
}

/** Seconds → the nanoseconds UpdateConfig durations are in. */
export const s = (seconds: number): number => seconds * 1e9;

/** Creates a service at spec version 1 and its tasks (observed NEW, desired RUNNING). */
export async function createService(store: MemoryStore, o: ServiceOptions = {}): Promise<Service> {
  const type = messageType('Service');
  const mode = o.nodes ? { global: {} } : { replicated: { replicas: o.replicas ?? 1 } };
  const service = type.toObject(
    type.fromObject({
      id: newId<'service'>(),
      specVersion: 1,
      spec: {
        name: 'web',
        taskTemplate: { containerSpec: { image: o.image ?? 'app:v1' } },
        mode,
        // as the docker CLI sends them: parallelism 1 unless given
        updateConfig: o.update ? { parallelism: 1, ...o.update } : null,
        rollbackConfig: o.rollback ? { parallelism: 1, ...o.rollback } : null,
      },
    }),
    TO_OBJECT,
  ) as Service;
  const where = o.nodes
    ? o.nodes.map((nodeId) => ({ nodeId }))
    : range(o.replicas ?? 1).map((i) => ({ slot: i + 1 }));
  await store.update((tx) => {
    tx.create('service', service);
    for (const w of where) tx.create('task', newTask(service, w));
  });
  const stored = store.get('service', service.id);
  if (!stored) throw new Error('service not stored');
  return stored;
}

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** What the control API does on `service update`: previous spec kept, version bumped, status cleared. */
export async function updateSpec(
  store: MemoryStore,
  id: string,
  change: (spec: ServiceSpec__Output) => void,
): Promise<Service> {
  await transact(store, (tx) => {
    const cur = tx.get('service', id);
    if (!cur?.spec) throw new Error(`no service ${id}`);
    const next = clone(cur);
    next.previousSpec = clone(cur.spec);
    change(next.spec as ServiceSpec__Output);
    next.specVersion += 1;
    next.updateStatus = null;
    tx.update('service', next);
  });
  return serviceOf(store, id);
}

/** What the control API does on `service rollback`. */
export async function requestRollback(store: MemoryStore, id: string, nowMs: number): Promise<Service> {
  await transact(store, (tx) => {
    const cur = tx.get('service', id);
    if (!cur?.previousSpec) throw new Error(`service ${id} does not have a previous spec`);
    const next = clone(cur);
    next.spec = clone(cur.previousSpec);
    next.previousSpec = clone(cur.spec);
    next.specVersion += 1;
    next.updateStatus = {
      state: 'STATE_ROLLBACK_STARTED',
      message: MESSAGES.manualRollback,
      startedAt: timestamp(nowMs),
      completedAt: null,
    };
    tx.update('service', next);
  });
  return serviceOf(store, id);
}

export function serviceOf(store: MemoryStore, id: string): Service {
  const svc = store.get('service', id);
  if (!svc) throw new Error(`no service ${id}`);
  return svc;
}

/** What the orchestrator hands the updater: the service's slots as stored now. */
export function slotsOf(store: MemoryStore, service: Service): Task[][] {
  return currentSlots(store, service);
}

/** The image a task runs. */
export function imageOf(t: Task): string {
  return t.spec?.containerSpec?.image ?? '';
}

/** Tasks of the service observed RUNNING. */
export function running(store: MemoryStore, serviceId: string): Task[] {
  return store.find('task', { serviceId }).filter((t) => observed(t) === 'TASK_STATE_RUNNING');
}

/** The fewest and most RUNNING tasks of a service seen after any commit since it started. */
export class RunningWatch {
  min = Infinity;
  max = 0;
  private readonly onCommit = (): void => {
    const n = running(this.store, this.serviceId).length;
    this.min = Math.min(this.min, n);
    this.max = Math.max(this.max, n);
  };

  constructor(
    private readonly store: MemoryStore,
    private readonly serviceId: string,
  ) {
    store.events.on('commit', this.onCommit);
  }

  stop(): void {
    this.store.events.off('commit', this.onCommit);
  }
}
