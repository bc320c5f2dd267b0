/** Builders for the allocator's tests: networks, services and tasks as the control API stores them. */
import type { NetworkSpec__Output } from '../../proto/gen/shoal/api/NetworkSpec.ts';
import type { PortConfig__Output } from '../../proto/gen/shoal/api/PortConfig.ts';
import type { ServiceSpec__Output } from '../../proto/gen/shoal/api/ServiceSpec.ts';
import { messageType } from '../../proto/load.ts';
import { newId } from '../../proto/shared/ids.ts';
import { newTask } from '../orchestrator/common.ts';
import { blank, clone, TO_OBJECT, type MemoryStore } from '../store/memory.ts';
import type { Network, Service, Task } from '../store/types.ts';

function empty<T>(message: string): T {
  const type = messageType(message);
  return type.toObject(type.create({}), TO_OBJECT) as T;
}

export interface NetworkOpts {
  readonly subnet?: string;
  readonly gateway?: string;
  readonly driver?: string;
}

export async function createNetwork(store: MemoryStore, name: string, o: NetworkOpts = {}): Promise<Network> {
  const n = blank('network');
  n.id = newId<'network'>();
  const spec = empty<NetworkSpec__Output>('NetworkSpec');
  spec.name = name;
  spec.driverConfiguration = { name: o.driver ?? 'overlay', options: {} };
  if (o.subnet)
    spec.ipamOptions = { driver: null, configs: [{ subnet: o.subnet, range: '', gateway: o.gateway ?? '' }] };
  n.spec = spec;
  await store.update((tx) => tx.create('network', n));
  return n;
}

export interface ServiceOpts {
  readonly networks?: readonly string[];
  readonly ports?: readonly Partial<PortConfig__Output>[];
  readonly dnsrr?: boolean;
}

export function serviceSpec(name: string, o: ServiceOpts = {}): ServiceSpec__Output {
  const spec = empty<ServiceSpec__Output>('ServiceSpec');
  spec.name = name;
  spec.taskTemplate = empty('TaskSpec');
  spec.taskTemplate!.networks = (o.networks ?? []).map((target) => ({ target, aliases: [], driverOpts: {} }));
  if (o.ports || o.dnsrr)
    spec.endpointSpec = {
      mode: o.dnsrr ? 'MODE_DNSRR' : 'MODE_VIP',
      ports: (o.ports ?? []).map((p) => ({
        name: '',
        protocol: 'PROTOCOL_TCP',
        targetPort: 80,
        publishedPort: 0,
        publishMode: 'PUBLISH_MODE_INGRESS',
        ...p,
      })),
    };
  return spec;
}

export async function createService(store: MemoryStore, name: string, o: ServiceOpts = {}): Promise<Service> {
  const s = blank('service');
  s.id = newId<'service'>();
  s.spec = serviceSpec(name, o);
  s.specVersion = 1;
  await store.update((tx) => tx.create('service', s));
  return s;
}

/** Creates `n` new tasks (NEW, desired RUNNING) of the service, in slots from `firstSlot`. */
export async function createTasks(store: MemoryStore, s: Service, n: number, firstSlot = 1): Promise<Task[]> {
  const stored = store.get('service', s.id) ?? s;
  const tasks = Array.from({ length: n }, (_, i) => newTask(stored, { slot: firstSlot + i }));
  await store.batch((b) => {
    for (const t of tasks) b.update((tx) => tx.create('task', t));
  });
  return tasks;
}

/** Moves a task's observed state (as the dispatcher would). */
export async function setState(store: MemoryStore, id: string, state: Task['desiredState']): Promise<void> {
  const t = clone(store.get('task', id));
  if (!t?.status) throw new Error(`task ${id} not found`);
  t.status.state = state;
  await store.update((tx) => tx.update('task', t));
}

export function task(store: MemoryStore, id: string): Task {
  const t = store.get('task', id);
  if (!t) throw new Error(`task ${id} not found`);
  return t;
}

/** Every address and VIP in the store, to check nothing is handed out twice. */
export function allAddresses(store: MemoryStore): string[] {
  const out: string[] = [];
  for (const t of store.find('task'))
    for (const a of t.networksAttachments)
      for (const addr of a.addresses) out.push(`${a.network?.id}/${addr}`);
  for (const s of store.find('service'))
    for (const v of s.endpoint?.virtualIps ?? []) out.push(`${v.networkId}/${v.addr}`);
  return out;
}
