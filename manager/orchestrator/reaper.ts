/**
 * The task reaper (swarmkit `orchestrator/taskreaper/task_reaper.go`): deletes tasks nobody needs.
 *
 * - A task desired REMOVE is deleted once it stopped (observed past RUNNING) or if it never reached a
 *   node (observed before ASSIGNED).
 * - Each slot keeps at most `taskHistoryRetentionLimit` tasks (the cluster's, default 5, counting the
 *   live one): the oldest (by status time) that are neither wanted nor possibly running on a node go.
 *   A negative limit keeps everything.
 */
import type { Cluster, Task } from '../store/types.ts';
import { observed, stateIndex } from './common.ts';
import type { Plan } from './plan.ts';
import { groupBy, slotKey, statusMs } from './slots.ts';

/** Swarm's task history per slot when the cluster spec names none. */
export const DEFAULT_TASK_HISTORY = 5;

/** The cluster's task history retention limit. */
export function retentionOf(cluster: Cluster | undefined): number {
  return cluster?.spec?.orchestration?.taskHistoryRetentionLimit ?? DEFAULT_TASK_HISTORY;
}

const RUNNING = stateIndex('TASK_STATE_RUNNING');
const ASSIGNED = stateIndex('TASK_STATE_ASSIGNED');

/** Possibly running on a node: observed ASSIGNED..RUNNING. */
function mayBeOnNode(t: Task): boolean {
  const s = stateIndex(observed(t));
  return s >= ASSIGNED && s <= RUNNING;
}

/** Neither wanted (desired past RUNNING; a job task desired COMPLETE is its record) nor on a node. */
function isHistory(t: Task): boolean {
  return stateIndex(t.desiredState) > RUNNING && t.desiredState !== 'TASK_STATE_COMPLETE' && !mayBeOnNode(t);
}

/** Deletes REMOVE tasks that stopped, and history beyond `limit` per slot. */
export function planReap(plan: Plan, limit: number): void {
  for (const t of plan.view())
    if (!plan.isTouched(t.id) && t.desiredState === 'TASK_STATE_REMOVE' && !mayBeOnNode(t))
      plan.add(plan.delete(t));
  if (limit < 0) return;
  for (const slot of groupBy(plan.view(), slotKey).values()) {
    if (slot.length <= limit) continue;
    let extra = slot.length - limit;
    const oldestFirst = [...slot].sort((a, b) => statusMs(a) - statusMs(b));
    for (const t of oldestFirst) {
      if (extra === 0) break;
      if (plan.isTouched(t.id) || !isHistory(t)) continue;
      plan.add(plan.delete(t));
      extra--;
    }
  }
}
