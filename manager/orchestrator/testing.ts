/**
 * Test kit for the orchestrators (tests only): a manual clock, an Updater that records its calls,
 * and helpers that write nodes, services and task states straight into a MemoryStore.
 */
import { messageType } from '../../proto/load.ts';
import { newId } from '../../proto/shared/ids.ts';
import { blank, clone, MemoryStore, TO_OBJECT } from '../store/memory.ts';
import type { Node, Service, Task, TaskState } from '../store/types.ts';
import type { TimerHandle } from './clock.ts';
import { Orchestrator, type OrchestratorOptions } from './orchestrator.ts';
import type { Updater } from './updater-api.ts';

/** Lets pending promise chains (store commits, rounds) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
}

interface FakeTimer {
  readonly id: number;
  readonly at: number;
  readonly fn: () => void;
}

/** Time that moves only when the test says so; due timers fire in order. */
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

  /** Timers not yet fired. */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing every timer due on the way (settling after each). */
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
}

/** An Updater that only records what it was asked. */
export class FakeUpdater implements Updater {
  readonly updates: { serviceId: string; specVersion: number; slots: string[][] }[] = [];
  readonly cancels: string[] = [];
  stopped = false;

  update(service: Service, slots: readonly (readonly Task[])[]): void {
    this.updates.push({
      serviceId: service.id,
      specVersion: service.specVersion,
      slots: slots.map((s) => s.map((t) => t.id)),
    });
  }

  cancel(serviceId: string): void {
    this.cancels.push(serviceId);
  }

  stop(): Promise<void> {
    this.stopped = true;
    return Promise.resolve();
  }
}

export interface NodeInit {
  readonly id?: string;
  readonly hostname?: string;
  readonly role?: 'manager' | 'worker';
  readonly labels?: Record<string, string>;
  readonly state?: 'READY' | 'DOWN';
  readonly availability?: 'ACTIVE' | 'PAUSE' | 'DRAIN';
}

function nodeOf(init: NodeInit): Node {
  const n = blank('node');
  n.id = init.id ?? newId<'node'>();
  n.spec = {
    name: '',
    labels: { ...init.labels },
    role: init.role === 'manager' ? 'NODE_ROLE_MANAGER' : 'NODE_ROLE_WORKER',
    availability: `AVAILABILITY_${init.availability ?? 'ACTIVE'}`,
  };
  n.description = messageType('NodeDescription').toObject(
    messageType('NodeDescription').fromObject({ hostname: init.hostname ?? `host-${n.id.slice(0, 4)}` }),
    TO_OBJECT,
  ) as Node['description'];
  n.status = { state: `STATE_${init.state ?? 'READY'}`, message: '', addr: '10.0.0.1' };
  return n;
}

/** A plain ServiceSpec from a loose object (as the control API would store it). */
export function serviceSpec(spec: Record<string, unknown>): NonNullable<Service['spec']> {
  const type = messageType('ServiceSpec');
  return type.toObject(type.fromObject(spec), TO_OBJECT) as NonNullable<Service['spec']>;
}

/** A store, a clock, an updater and an orchestrator on them (not started). */
export class World {
  readonly clock = new FakeClock();
  readonly store = MemoryStore.local({ now: this.clock.now });
  readonly updater = new FakeUpdater();
  readonly orchestrator: Orchestrator;

  constructor(o: Partial<OrchestratorOptions> = {}) {
    this.orchestrator = this.makeOrchestrator(o);
  }

  /** Another orchestrator on the same store (a new leader). */
  makeOrchestrator(o: Partial<OrchestratorOptions> = {}): Orchestrator {
    return new Orchestrator({
      store: this.store,
      updater: this.updater,
      now: this.clock.now,
      setTimer: this.clock.setTimer,
      clearTimer: this.clock.clearTimer,
      ...o,
    });
  }

  async node(init: NodeInit = {}): Promise<Node> {
    const n = nodeOf(init);
    await this.store.update((tx) => tx.create('node', n));
    await settle();
    return this.store.get('node', n.id) as Node;
  }

  async changeNode(id: string, change: (n: Node) => void): Promise<void> {
    await this.store.update((tx) => {
      const n = clone(tx.get('node', id) as Node);
      change(n);
      tx.update('node', n);
    });
    await settle();
  }

  async service(
    spec: Record<string, unknown>,
    name = `svc-${newId<'service'>().slice(0, 6)}`,
  ): Promise<Service> {
    const s = blank('service');
    s.id = newId<'service'>();
    s.spec = serviceSpec({ name, ...spec });
    s.specVersion = 1;
    await this.store.update((tx) => tx.create('service', s));
    await settle();
    return this.store.get('service', s.id) as Service;
  }

  /** Changes a service as the control API does; `newVersion` bumps specVersion (the task template changed). */
  async changeService(id: string, change: (s: Service) => void, newVersion = false): Promise<void> {
    await this.store.update((tx) => {
      const s = clone(tx.get('service', id) as Service);
      change(s);
      if (newVersion) s.specVersion += 1;
      tx.update('service', s);
    });
    await settle();
  }

  async removeService(id: string): Promise<void> {
    await this.store.update((tx) => tx.remove('service', id));
    await settle();
  }

  /** Writes a task's observed state (as an agent's status update would), optionally its node. */
  async observe(taskId: string, state: TaskState, nodeId?: string): Promise<void> {
    await this.store.update((tx) => {
      const t = clone(tx.get('task', taskId) as Task);
      t.status = { ...(t.status as NonNullable<Task['status']>), state, timestamp: stamp(this.clock.now()) };
      if (nodeId !== undefined) t.nodeId = nodeId;
      tx.update('task', t);
    });
    await settle();
  }

  /** Runs the given tasks: assigned to a node (round robin over `nodes`) and observed RUNNING. */
  async runAll(tasks: readonly Task[], nodes: readonly string[] = []): Promise<void> {
    let i = 0;
    for (const t of tasks) {
      const node = t.nodeId || nodes[i++ % Math.max(1, nodes.length)] || '';
      await this.observe(t.id, 'TASK_STATE_RUNNING', node);
    }
  }

  tasks(serviceId: string): Task[] {
    return this.store.find('task', { serviceId });
  }

  /** Tasks of the service desired RUNNING (or COMPLETE), by slot number. */
  wanted(serviceId: string): Task[] {
    return this.tasks(serviceId)
      .filter((t) =>
        ['TASK_STATE_RUNNING', 'TASK_STATE_COMPLETE', 'TASK_STATE_READY'].includes(t.desiredState),
      )
      .sort((a, b) => a.slot - b.slot || a.nodeId.localeCompare(b.nodeId));
  }

  /** Lets the orchestrator finish its rounds. */
  async settled(): Promise<void> {
    await settle();
    await this.orchestrator.idle();
    await settle();
  }
}

function stamp(ms: number): { seconds: number; nanos: number } {
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 };
}
