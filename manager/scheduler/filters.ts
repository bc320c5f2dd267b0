/**
 * The filter pipeline: which nodes may take a task, in Swarm's order — ready, resources, constraints,
 * platform, host ports, max replicas per node — and, when none may, a message that names every filter
 * that ruled nodes out and how many (each node is charged to the first filter it fails).
 *
 * What a task needs is worked out once per group of identical tasks (`needsOf`); checking a node is
 * then a handful of comparisons against the NodeInfo counters.
 */
import { InvalidArgumentError } from '../../proto/shared/errors.ts';
import type { Platform__Output } from '../../proto/gen/shoal/api/Platform.ts';
import type { Node, Service, Task } from '../store/types.ts';
import { constraintsHold, parseConstraints, type Constraint } from './constraint.ts';
import { serviceHostPorts, type NodeInfo } from './nodeinfo.ts';

export type FilterName = 'ready' | 'resources' | 'constraints' | 'platform' | 'hostPorts' | 'maxReplicas';

/** Pipeline order (Swarm's; its plugin filter has nothing to check here). */
export const FILTERS: readonly FilterName[] = [
  'ready',
  'resources',
  'constraints',
  'platform',
  'hostPorts',
  'maxReplicas',
];

/** What one task (and every task of its group) asks of a node. */
export interface TaskNeeds {
  readonly serviceId: string;
  readonly nanoCpus: number;
  readonly memoryBytes: number;
  readonly constraints: readonly Constraint[];
  readonly platforms: readonly Platform__Output[];
  readonly hostPorts: readonly string[];
  /** 0: no limit. */
  readonly maxReplicas: number;
  /** Set when the spec cannot be scheduled at all (an invalid constraint slipped past the API). */
  readonly invalid?: string;
}

export function needsOf(t: Task, service: Service | undefined): TaskNeeds {
  const placement = t.spec?.placement;
  const r = t.spec?.resources?.reservations;
  const base = {
    serviceId: t.serviceId,
    nanoCpus: r?.nanoCpus ?? 0,
    memoryBytes: r?.memoryBytes ?? 0,
    platforms: placement?.platforms ?? [],
    hostPorts: serviceHostPorts(service),
    maxReplicas: placement?.maxReplicas ?? 0,
  };
  try {
    return { ...base, constraints: parseConstraints(placement?.constraints ?? []) };
  } catch (e) {
    if (!(e instanceof InvalidArgumentError)) throw e;
    return { ...base, constraints: [], invalid: e.message };
  }
}

/** Whether the node passes one filter for a task needing `n`. */
export function passes(f: FilterName, info: NodeInfo, node: Node, n: TaskNeeds): boolean {
  switch (f) {
    case 'ready':
      return node.status?.state === 'STATE_READY' && node.spec?.availability === 'AVAILABILITY_ACTIVE';
    case 'resources':
      return fitsResources(info, node, n);
    case 'constraints':
      return constraintsHold(n.constraints, node);
    case 'platform':
      return fitsPlatform(n.platforms, node);
    case 'hostPorts':
      return n.hostPorts.every((p) => !info.hostPorts.has(p));
    case 'maxReplicas':
      return n.maxReplicas === 0 || info.serviceTasks(n.serviceId) < n.maxReplicas;
  }
}

/** The first filter the node fails, or undefined when the task may go there. */
export function firstFailing(info: NodeInfo, n: TaskNeeds): FilterName | undefined {
  const node = info.node;
  if (!node) return 'ready';
  for (const f of FILTERS) if (!passes(f, info, node, n)) return f;
  return undefined;
}

/**
 * The filters whose answer changes as tasks of the same group are placed (the rest are settled once
 * per group): resources, host ports, max replicas.
 */
export function stillFits(info: NodeInfo, n: TaskNeeds): boolean {
  const node = info.node;
  if (!node) return false;
  if ((n.nanoCpus > 0 || n.memoryBytes > 0) && !fitsResources(info, node, n)) return false;
  if (n.hostPorts.length > 0 && !passes('hostPorts', info, node, n)) return false;
  return n.maxReplicas === 0 || info.serviceTasks(n.serviceId) < n.maxReplicas;
}

function fitsResources(info: NodeInfo, node: Node, n: TaskNeeds): boolean {
  if (n.nanoCpus === 0 && n.memoryBytes === 0) return true;
  const total = node.description?.resources;
  const cpu = (total?.nanoCpus ?? 0) - info.reservedNanoCpus;
  const mem = (total?.memoryBytes ?? 0) - info.reservedMemoryBytes;
  return n.nanoCpus <= cpu && n.memoryBytes <= mem;
}

/** Swarm's platform match: any listed platform whose os and architecture (if given) are the node's. */
function fitsPlatform(platforms: readonly Platform__Output[], node: Node): boolean {
  if (platforms.length === 0) return true;
  const p = node.description?.platform;
  const os = (p?.os ?? '').toLowerCase();
  const arch = normalizeArch(p?.architecture ?? '');
  return platforms.some(
    (want) =>
      (want.os === '' || want.os.toLowerCase() === os) &&
      (want.architecture === '' || normalizeArch(want.architecture) === arch),
  );
}

function normalizeArch(a: string): string {
  const l = a.toLowerCase();
  if (l === 'x86_64') return 'amd64';
  if (l === 'aarch64') return 'arm64';
  return l;
}

const plural = (n: number): string => (n === 1 ? `${n} node` : `${n} nodes`);

/** How each filter says it ruled out `count` nodes. */
function explainOne(f: FilterName, count: number): string {
  switch (f) {
    case 'ready':
      return `${plural(count)} not available for new tasks`;
    case 'resources':
      return `insufficient resources on ${plural(count)}`;
    case 'constraints':
      return `scheduling constraints not satisfied on ${plural(count)}`;
    case 'platform':
      return `unsupported platform on ${plural(count)}`;
    case 'hostPorts':
      return `host-mode port already in use on ${plural(count)}`;
    case 'maxReplicas':
      return `max replicas per node limit exceeded on ${plural(count)}`;
  }
}

/**
 * Why no node takes a task: "no suitable node (…)" naming each filter that ruled nodes out with its
 * count, most first (Swarm's order), ties in pipeline order.
 */
export function explain(infos: Iterable<NodeInfo>, n: TaskNeeds): string {
  if (n.invalid !== undefined) return `no suitable node (${n.invalid})`;
  const counts = new Map<FilterName, number>();
  let nodes = 0;
  for (const info of infos) {
    if (!info.node) continue;
    nodes++;
    const f = firstFailing(info, n);
    if (f) counts.set(f, (counts.get(f) ?? 0) + 1);
  }
  if (nodes === 0) return 'no suitable node (no nodes in the swarm)';
  if (counts.size === 0) return 'no suitable node';
  const parts = FILTERS.filter((f) => counts.has(f))
    .map((f) => ({ f, c: counts.get(f) ?? 0 }))
    .sort((a, b) => b.c - a.c)
    .map(({ f, c }) => explainOne(f, c));
  return `no suitable node (${parts.join('; ')})`;
}
