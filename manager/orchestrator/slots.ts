/**
 * Slots: the places a service's tasks fill. A replicated service (or replicated job) has slots
 * 1..N; a global service (or global job) has one slot per node, keyed by node ID (task.slot is 0).
 * A slot's history is every task ever made for it; its live tasks are those still wanted.
 */
import type { Node, Service, Task } from '../store/types.ts';
import { modeOf, observed, stateIndex } from './common.ts';
import { msOf } from './clock.ts';

/** The service runs to completion (replicated-job or global-job). */
export function isJob(service: Service): boolean {
  const m = modeOf(service);
  return m === 'replicated-job' || m === 'global-job';
}

/** The service has one slot per node (global or global-job). */
export function isGlobalMode(service: Service): boolean {
  const m = modeOf(service);
  return m === 'global' || m === 'global-job';
}

/** The desired state a started task of this service gets: COMPLETE for jobs, else RUNNING. */
export function runTarget(service: Service): 'TASK_STATE_COMPLETE' | 'TASK_STATE_RUNNING' {
  return isJob(service) ? 'TASK_STATE_COMPLETE' : 'TASK_STATE_RUNNING';
}

/** Still wanted: desired READY, RUNNING or (jobs) COMPLETE. */
export function isLive(t: Task): boolean {
  const d = stateIndex(t.desiredState);
  return d >= stateIndex('TASK_STATE_NEW') && d <= stateIndex('TASK_STATE_COMPLETE');
}

/** Observed past RUNNING (for a job task: other than by completing). */
export function hasEnded(t: Task, job: boolean): boolean {
  const s = observed(t);
  if (job && s === 'TASK_STATE_COMPLETE') return false;
  return stateIndex(s) > stateIndex('TASK_STATE_RUNNING');
}

/** The slot a task belongs to: its slot number, or its node for global tasks. */
export function slotKey(t: Pick<Task, 'slot' | 'nodeId'>): string {
  return t.slot > 0 ? `slot:${t.slot}` : `node:${t.nodeId}`;
}

/** When the task was created (ms; its first status timestamp when the store has none). */
export function createdMs(t: Task): number {
  return msOf(t.createdAt) || msOf(t.status?.timestamp);
}

/** When the task's observed state last changed (ms). */
export function statusMs(t: Task): number {
  return msOf(t.status?.timestamp) || msOf(t.updatedAt);
}

/** Groups values by a key, keeping their order. */
export function groupBy<K, V>(values: Iterable<V>, key: (v: V) => K): Map<K, V[]> {
  const out = new Map<K, V[]>();
  for (const v of values) {
    const k = key(v);
    const list = out.get(k);
    if (list) list.push(v);
    else out.set(k, [v]);
  }
  return out;
}

/** The most recently created task of a list (undefined when empty). */
export function newest(tasks: readonly Task[]): Task | undefined {
  let best: Task | undefined;
  for (const t of tasks) if (!best || createdMs(t) > createdMs(best)) best = t;
  return best;
}

/** The node is gone from the swarm or DOWN: its tasks are lost. */
export function isNodeLost(node: Node | undefined): boolean {
  return !node || node.status?.state === 'STATE_DOWN';
}

/** The node takes no tasks and its tasks must move (DOWN, DRAIN, or gone). */
export function isNodeUnavailable(node: Node | undefined): boolean {
  return isNodeLost(node) || node?.spec?.availability === 'AVAILABILITY_DRAIN';
}

/**
 * Each slot's live tasks desired RUNNING or less, for the updater: by slot number (replicated) or by
 * node (global); only slots holding a task made from an older spec version.
 */
export function dirtySlots(service: Service, tasks: readonly Task[]): Task[][] {
  const live = tasks.filter(
    (t) => isLive(t) && stateIndex(t.desiredState) <= stateIndex('TASK_STATE_RUNNING'),
  );
  const slots = groupBy(live, slotKey);
  return [...slots.values()].filter((slot) => slot.some((t) => t.specVersion !== service.specVersion));
}
