/**
 * What the orchestrators, the updater, the scheduler and the dispatcher agree on about tasks: the
 * state order, which states are terminal, how a new task is made from a service, and whether a task
 * is up to date with its service.
 */
import { newId } from '../../proto/shared/ids.ts';
import { blank, clone } from '../store/memory.ts';
import type { Service, Task, TaskState } from '../store/types.ts';

/** Task states in order; a task's observed state only moves forward. */
export const TASK_STATES: readonly TaskState[] = [
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

const ORDER = new Map(TASK_STATES.map((s, i) => [s, i]));

/** Position of a state in the order (UNSPECIFIED = -1). */
export function stateIndex(s: TaskState): number {
  return ORDER.get(s) ?? -1;
}

/** a < b in the state order. */
export function before(a: TaskState, b: TaskState): boolean {
  return stateIndex(a) < stateIndex(b);
}

/** The task's observed state. */
export function observed(t: Task): TaskState {
  return t.status?.state ?? 'TASK_STATE_NEW';
}

/** Past RUNNING: the task ended (completed, shut down, failed, rejected, removed, orphaned). */
export function isTerminal(t: Task): boolean {
  return stateIndex(observed(t)) > stateIndex('TASK_STATE_RUNNING');
}

/** The service's mode, as one word. */
export type ServiceMode = 'replicated' | 'global' | 'replicated-job' | 'global-job';

export function modeOf(s: Service): ServiceMode {
  const m = s.spec?.mode;
  if (m?.global) return 'global';
  if (m?.replicatedJob) return 'replicated-job';
  if (m?.globalJob) return 'global-job';
  return 'replicated';
}

/** Desired replicas of a replicated service (default 1). */
export function replicasOf(s: Service): number {
  return s.spec?.mode?.replicated?.replicas ?? 1;
}

/** Built the way Swarm names tasks: `<service>.<slot>.<task id>`, or `<service>.<node id>.<task id>`. */
export function taskName(service: Service, t: Pick<Task, 'id' | 'slot' | 'nodeId'>): string {
  const name = service.spec?.name ?? service.id;
  return t.slot > 0 ? `${name}.${t.slot}.${t.id}` : `${name}.${t.nodeId}.${t.id}`;
}

/**
 * A new task for a service: desired RUNNING, observed NEW, the service's task template and spec
 * version, in `slot` (replicated) or on `nodeId` (global). Not yet stored.
 */
export function newTask(
  service: Service,
  where: { slot?: number; nodeId?: string },
  now: Date = new Date(),
): Task {
  const t = blank('task');
  t.id = newId<'task'>();
  t.serviceId = service.id;
  t.slot = where.slot ?? 0;
  t.nodeId = where.nodeId ?? '';
  t.name = taskName(service, t);
  t.spec = clone(service.spec?.taskTemplate ?? null);
  t.specVersion = service.specVersion;
  t.labels = { ...(service.spec?.labels ?? {}) };
  t.desiredState = 'TASK_STATE_RUNNING';
  t.status = {
    timestamp: { seconds: Math.floor(now.getTime() / 1000), nanos: (now.getTime() % 1000) * 1e6 },
    state: 'TASK_STATE_NEW',
    message: 'created',
    err: '',
    containerStatus: null,
    portStatus: null,
  };
  return t;
}

/** The task was made from an older version of its service's spec (it must be updated). */
export function isDirty(service: Service, t: Task): boolean {
  return t.specVersion !== service.specVersion;
}
