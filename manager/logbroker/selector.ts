/**
 * Which tasks and nodes a log selector names. A task is selected when its ID, its service's ID or its
 * node's ID is in the selector (a union, as swarmkit's broker does it); only tasks placed on a node
 * have logs. Pure functions over a read view of the store.
 */
import type { LogSelector__Output } from '../../proto/gen/shoal/api/LogSelector.ts';
import { InvalidArgumentError } from '../../proto/shared/errors.ts';
import type { ReadTx } from '../store/memory.ts';
import type { Task } from '../store/types.ts';

/** A selector with every list present (the wire form may omit empty lists). */
export type Selector = LogSelector__Output;

/** The tasks a selector names, grouped by the node that has them. */
export interface Resolved {
  /** Task IDs by node ID; a node appears only if it has at least one selected task. */
  readonly tasksByNode: ReadonlyMap<string, readonly string[]>;
}

/** The selector with absent lists made empty; throws InvalidArgument when it names nothing at all. */
export function normaliseSelector(s: Partial<Selector> | null | undefined): Selector {
  const out: Selector = {
    serviceIds: [...(s?.serviceIds ?? [])],
    nodeIds: [...(s?.nodeIds ?? [])],
    taskIds: [...(s?.taskIds ?? [])],
  };
  if (out.serviceIds.length + out.nodeIds.length + out.taskIds.length === 0)
    throw new InvalidArgumentError(
      'a log subscription must name at least one service, node or task (selector is empty)',
      'Selector',
    );
  return out;
}

/** Whether `task` is selected: its ID, service ID or node ID is named, and it is placed on a node. */
export function taskSelected(task: Pick<Task, 'id' | 'serviceId' | 'nodeId'>, s: Selector): boolean {
  if (task.nodeId === '') return false;
  return (
    s.taskIds.includes(task.id) || s.serviceIds.includes(task.serviceId) || s.nodeIds.includes(task.nodeId)
  );
}

/** Resolves a selector against the store: services to their tasks, tasks to the nodes that run them. */
export function resolveSelector(store: ReadTx, s: Selector): Resolved {
  const tasks = new Map<string, Task>();
  for (const serviceId of s.serviceIds) for (const t of store.find('task', { serviceId })) tasks.set(t.id, t);
  for (const nodeId of s.nodeIds) for (const t of store.find('task', { nodeId })) tasks.set(t.id, t);
  for (const id of s.taskIds) {
    const t = store.get('task', id);
    if (t) tasks.set(t.id, t);
  }
  const tasksByNode = new Map<string, string[]>();
  for (const t of tasks.values()) {
    if (!taskSelected(t, s)) continue;
    const list = tasksByNode.get(t.nodeId);
    if (list) list.push(t.id);
    else tasksByNode.set(t.nodeId, [t.id]);
  }
  return { tasksByNode };
}
