/**
 * The scheduler's picture of every node: the node object plus what the tasks placed on it use (CPU and
 * memory reservations, host-mode ports) and how many of them each service has. Kept up to date from
 * store events so that a decision reads counters instead of scanning tasks: a decision is O(nodes).
 *
 * A task counts on its node from ASSIGNED until it ends (observed state past RUNNING). It counts for
 * balancing and max-replicas only while its desired state is still RUNNING (or COMPLETE for jobs); a
 * task being shut down still holds its resources and ports until it has stopped — Swarm's accounting.
 */
import { isTerminal, observed, stateIndex } from '../orchestrator/common.ts';
import type { Node, Service, Task } from '../store/types.ts';

/** How long a failure counts against a node for its service, and how many make it go last. */
export const FAILURE_WINDOW_MS = 5 * 60_000;
export const FAILURES_TO_DEPRIORITIZE = 5;

/** What one task takes from its node. */
export interface TaskUsage {
  readonly serviceId: string;
  readonly nanoCpus: number;
  readonly memoryBytes: number;
  /** `tcp/8080`: host-mode published ports. */
  readonly hostPorts: readonly string[];
  /** Counts for balancing and max replicas (desired state not past COMPLETE). */
  readonly active: boolean;
}

export class NodeInfo {
  /** Undefined while tasks name a node the store does not hold (removed, or not yet seen). */
  node: Node | undefined;
  readonly tasks = new Map<string, TaskUsage>();
  readonly activeByService = new Map<string, number>();
  activeTasks = 0;
  reservedNanoCpus = 0;
  reservedMemoryBytes = 0;
  /** Host port → how many tasks hold it (more than one only if someone bypassed the scheduler). */
  readonly hostPorts = new Map<string, number>();
  /** Service → times its tasks failed here, oldest first. */
  private readonly failures = new Map<string, number[]>();

  constructor(readonly id: string) {}

  add(taskId: string, u: TaskUsage): void {
    this.tasks.set(taskId, u);
    this.reservedNanoCpus += u.nanoCpus;
    this.reservedMemoryBytes += u.memoryBytes;
    for (const p of u.hostPorts) this.hostPorts.set(p, (this.hostPorts.get(p) ?? 0) + 1);
    if (u.active) {
      this.activeTasks++;
      this.activeByService.set(u.serviceId, (this.activeByService.get(u.serviceId) ?? 0) + 1);
    }
  }

  remove(taskId: string): TaskUsage | undefined {
    const u = this.tasks.get(taskId);
    if (!u) return undefined;
    this.tasks.delete(taskId);
    this.reservedNanoCpus -= u.nanoCpus;
    this.reservedMemoryBytes -= u.memoryBytes;
    for (const p of u.hostPorts) {
      const n = (this.hostPorts.get(p) ?? 0) - 1;
      if (n > 0) this.hostPorts.set(p, n);
      else this.hostPorts.delete(p);
    }
    if (u.active) {
      this.activeTasks--;
      const n = (this.activeByService.get(u.serviceId) ?? 0) - 1;
      if (n > 0) this.activeByService.set(u.serviceId, n);
      else this.activeByService.delete(u.serviceId);
    }
    return u;
  }

  /** Tasks of `serviceId` that count here. */
  serviceTasks(serviceId: string): number {
    return this.activeByService.get(serviceId) ?? 0;
  }

  recordFailure(serviceId: string, atMs: number): void {
    let list = this.failures.get(serviceId);
    if (!list) this.failures.set(serviceId, (list = []));
    list.push(atMs);
    if (list.length > FAILURES_TO_DEPRIORITIZE) list.shift();
  }

  /** The service failed here at least 5 times in the last 5 minutes. */
  failingFor(serviceId: string, nowMs: number): boolean {
    const list = this.failures.get(serviceId);
    if (!list || list.length < FAILURES_TO_DEPRIORITIZE) return false;
    const oldest = list[list.length - FAILURES_TO_DEPRIORITIZE] ?? 0;
    return nowMs - oldest <= FAILURE_WINDOW_MS;
  }

  /** Nothing left worth keeping once the node is gone. */
  get empty(): boolean {
    return this.node === undefined && this.tasks.size === 0;
  }
}

/** The task holds resources on its node: assigned there and not ended. */
export function holdsNode(t: Task): boolean {
  return t.nodeId !== '' && stateIndex(observed(t)) >= stateIndex('TASK_STATE_ASSIGNED') && !isTerminal(t);
}

/** The task is wanted running (or completing, for jobs): it counts toward balancing and max replicas. */
export function isActive(t: Task): boolean {
  return stateIndex(t.desiredState) <= stateIndex('TASK_STATE_COMPLETE');
}

/** The host-mode published ports of a service, as `protocol/port` (ports published dynamically excluded). */
export function serviceHostPorts(service: Service | undefined): string[] {
  const allocated = service?.endpoint?.ports ?? [];
  const ports = allocated.length > 0 ? allocated : (service?.spec?.endpointSpec?.ports ?? []);
  const out: string[] = [];
  for (const p of ports) {
    if (p.publishMode !== 'PUBLISH_MODE_HOST' || p.publishedPort === 0) continue;
    out.push(`${protocolName(p.protocol)}/${p.publishedPort}`);
  }
  return out;
}

/** The ports a task holds: what its agent reported, else what its service publishes in host mode. */
export function taskHostPorts(t: Task, service: Service | undefined): string[] {
  const reported = t.status?.portStatus?.ports ?? [];
  if (reported.length === 0) return serviceHostPorts(service);
  const out: string[] = [];
  for (const p of reported) {
    if (p.publishMode !== 'PUBLISH_MODE_HOST' || p.publishedPort === 0) continue;
    out.push(`${protocolName(p.protocol)}/${p.publishedPort}`);
  }
  return out;
}

function protocolName(p: string): string {
  switch (p) {
    case 'PROTOCOL_UDP':
      return 'udp';
    case 'PROTOCOL_SCTP':
      return 'sctp';
    default:
      return 'tcp';
  }
}

const NO_PORTS: readonly string[] = Object.freeze([]);
const USAGES_KEPT = 10_000;
/** Tasks of one service version use the same: share one TaskUsage among them (100k tasks, 1 object). */
const usages = new Map<string, TaskUsage>();

/** What `t` takes from its node (a shared, frozen object). */
export function usageOf(t: Task, service: Service | undefined): TaskUsage {
  const r = t.spec?.resources?.reservations;
  const ports = taskHostPorts(t, service);
  const u: TaskUsage = {
    serviceId: t.serviceId,
    nanoCpus: r?.nanoCpus ?? 0,
    memoryBytes: r?.memoryBytes ?? 0,
    hostPorts: ports.length === 0 ? NO_PORTS : ports,
    active: isActive(t),
  };
  const key = `${u.serviceId}|${u.nanoCpus}|${u.memoryBytes}|${u.active}|${u.hostPorts.join(',')}`;
  const hit = usages.get(key);
  if (hit) return hit;
  if (usages.size >= USAGES_KEPT) usages.clear();
  usages.set(key, Object.freeze(u));
  return u;
}

/**
 * Every node's NodeInfo, and where each task is counted. `syncTask` is idempotent: it makes the
 * accounting of one task match the task as given, whatever was recorded before (an optimistic
 * `place`, an older version), so events may be replayed or arrive after our own guesses.
 */
export class NodeSet {
  readonly nodes = new Map<string, NodeInfo>();
  private readonly placedOn = new Map<string, string>();

  info(nodeId: string): NodeInfo {
    let i = this.nodes.get(nodeId);
    if (!i) this.nodes.set(nodeId, (i = new NodeInfo(nodeId)));
    return i;
  }

  setNode(node: Node): void {
    this.info(node.id).node = node;
  }

  removeNode(nodeId: string): void {
    const i = this.nodes.get(nodeId);
    if (!i) return;
    i.node = undefined;
    if (i.empty) this.nodes.delete(nodeId);
  }

  /**
   * Makes the accounting match `t` (undefined: the task is gone). Returns true when this freed
   * something on a node (a task ended, moved or was removed), which may let pending tasks fit.
   */
  syncTask(taskId: string, t: Task | undefined, service: Service | undefined): boolean {
    const where = this.placedOn.get(taskId);
    const holds = t !== undefined && holdsNode(t);
    if (t && holds && where === t.nodeId) {
      const i = this.info(where);
      const before = i.tasks.get(taskId);
      const now = usageOf(t, service);
      if (before && (before === now || sameUsage(before, now))) return false;
      i.remove(taskId);
      i.add(taskId, now);
      return before !== undefined && freedSomething(before, now);
    }
    let freed = false;
    if (where !== undefined) {
      this.unplace(taskId, where);
      freed = true;
    }
    if (t && holds) this.place(taskId, t.nodeId, usageOf(t, service));
    return freed;
  }

  /** Counts a task on a node (also used for a decision not yet committed). */
  place(taskId: string, nodeId: string, u: TaskUsage): void {
    const where = this.placedOn.get(taskId);
    if (where !== undefined) this.unplace(taskId, where);
    this.info(nodeId).add(taskId, u);
    this.placedOn.set(taskId, nodeId);
  }

  private unplace(taskId: string, nodeId: string): void {
    const i = this.nodes.get(nodeId);
    i?.remove(taskId);
    this.placedOn.delete(taskId);
    if (i?.empty) this.nodes.delete(nodeId);
  }

  clear(): void {
    this.nodes.clear();
    this.placedOn.clear();
  }
}

function sameUsage(a: TaskUsage, b: TaskUsage): boolean {
  return (
    a.serviceId === b.serviceId &&
    a.nanoCpus === b.nanoCpus &&
    a.memoryBytes === b.memoryBytes &&
    a.active === b.active &&
    a.hostPorts.length === b.hostPorts.length &&
    a.hostPorts.every((p, i) => b.hostPorts[i] === p)
  );
}

function freedSomething(before: TaskUsage, now: TaskUsage): boolean {
  return (
    now.nanoCpus < before.nanoCpus ||
    now.memoryBytes < before.memoryBytes ||
    (before.active && !now.active) ||
    before.hostPorts.some((p) => !now.hostPorts.includes(p))
  );
}
