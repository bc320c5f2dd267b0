/**
 * Building blocks for the scheduler's tests and benchmark: nodes, services and PENDING tasks as the
 * other components would have written them, and a wait that explains itself when it times out.
 */
import { newId } from '../../proto/shared/ids.ts';
import { newTask } from '../orchestrator/common.ts';
import { blank, type MemoryStore } from '../store/memory.ts';
import type { Node, Service, Task } from '../store/types.ts';

export interface NodeOptions {
  readonly id?: string;
  readonly hostname?: string;
  readonly labels?: Record<string, string>;
  readonly engineLabels?: Record<string, string>;
  readonly role?: 'manager' | 'worker';
  readonly state?: 'STATE_READY' | 'STATE_DOWN' | 'STATE_UNKNOWN' | 'STATE_DISCONNECTED';
  readonly availability?: 'AVAILABILITY_ACTIVE' | 'AVAILABILITY_PAUSE' | 'AVAILABILITY_DRAIN';
  readonly nanoCpus?: number;
  readonly memoryBytes?: number;
  readonly os?: string;
  readonly arch?: string;
  readonly addr?: string;
}

/** A READY, ACTIVE worker with 4 CPUs and 8 GiB unless told otherwise. */
export function makeNode(o: NodeOptions = {}): Node {
  const n = blank('node');
  n.id = o.id ?? newId<'node'>();
  n.spec = {
    name: '',
    labels: { ...o.labels },
    role: o.role === 'manager' ? 'NODE_ROLE_MANAGER' : 'NODE_ROLE_WORKER',
    availability: o.availability ?? 'AVAILABILITY_ACTIVE',
  };
  n.description = {
    hostname: o.hostname ?? `host-${n.id.slice(0, 6)}`,
    platform: { os: o.os ?? 'linux', architecture: o.arch ?? 'x86_64' },
    resources: {
      nanoCpus: o.nanoCpus ?? 4e9,
      memoryBytes: o.memoryBytes ?? 8 * 2 ** 30,
      genericResources: [],
    },
    engine: { engineVersion: 'shoal', labels: { ...o.engineLabels }, plugins: [] },
    tlsInfo: null,
    csiInfo: [],
  };
  n.status = { state: o.state ?? 'STATE_READY', message: '', addr: o.addr ?? '10.0.0.1' };
  return n;
}

export interface ServiceOptions {
  readonly id?: string;
  readonly name?: string;
  readonly replicas?: number;
  readonly global?: boolean;
  readonly constraints?: string[];
  readonly spread?: string[];
  readonly maxReplicas?: number;
  readonly nanoCpus?: number;
  readonly memoryBytes?: number;
  readonly platforms?: { os: string; architecture: string }[];
  readonly hostPorts?: number[];
}

export function makeService(o: ServiceOptions = {}): Service {
  const s = blank('service');
  s.id = o.id ?? newId<'service'>();
  s.specVersion = 1;
  const spec = blank('service').spec ?? s.spec;
  const template = blank('task').spec;
  s.spec = {
    ...(spec ?? ({} as NonNullable<Service['spec']>)),
    name: o.name ?? `svc-${s.id.slice(0, 6)}`,
    labels: {},
    mode: o.global
      ? { global: {}, mode: 'global' }
      : { replicated: { replicas: o.replicas ?? 1 }, mode: 'replicated' },
    taskTemplate: {
      ...(template ?? ({} as NonNullable<Task['spec']>)),
      resources: {
        limits: null,
        reservations: { nanoCpus: o.nanoCpus ?? 0, memoryBytes: o.memoryBytes ?? 0, genericResources: [] },
      },
      placement: {
        constraints: o.constraints ?? [],
        preferences: (o.spread ?? []).map((d) => ({ spread: { spreadDescriptor: d } })),
        maxReplicas: o.maxReplicas ?? 0,
        platforms: o.platforms ?? [],
      },
    },
    endpointSpec: {
      mode: 'MODE_VIP',
      ports: (o.hostPorts ?? []).map((p) => ({
        name: '',
        protocol: 'PROTOCOL_TCP',
        targetPort: 80,
        publishedPort: p,
        publishMode: 'PUBLISH_MODE_HOST',
      })),
    },
  };
  return s;
}

/** A task as the allocator leaves it: PENDING, desired RUNNING (on `nodeId` for global services). */
export function pendingTask(service: Service, where: { slot?: number; nodeId?: string }): Task {
  const t = newTask(service, where, new Date(0));
  if (t.status) {
    t.status.state = 'TASK_STATE_PENDING';
    t.status.message = 'pending task scheduling';
  }
  return t;
}

/** Creates a service and `count` PENDING tasks of it (slots 1..count), in batches. */
export async function addService(store: MemoryStore, s: Service, count: number): Promise<Task[]> {
  await store.update((tx) => tx.create('service', s));
  const stored = store.get('service', s.id) ?? s;
  const tasks: Task[] = [];
  for (let slot = 1; slot <= count; slot++) tasks.push(pendingTask(stored, { slot }));
  await store.batch((b) => {
    for (const t of tasks) b.update((tx) => tx.create('task', t));
  });
  return tasks;
}

export async function addNodes(store: MemoryStore, nodes: readonly Node[]): Promise<void> {
  await store.batch((b) => {
    for (const n of nodes) b.update((tx) => tx.create('node', n));
  });
}

/** Polls `cond` every 5 ms; on timeout fails with `describe()` so the test says what it saw. */
export async function eventually(
  cond: () => boolean,
  describe: () => string,
  timeoutMs = 5000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out; state: ${describe()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
