/**
 * Slots as the updater sees them: a replicated service's tasks share a slot number, a global
 * service's tasks share a node. The orchestrator hands over its view; the updater re-reads each slot
 * from the store when it gets to it, since that view may be stale by then.
 */
import { before, isDirty, modeOf } from '../orchestrator/common.ts';
import type { ReadTx } from '../store/memory.ts';
import type { Service, Task } from '../store/types.ts';

/** Where a slot is: its number (replicated) or its node (global). Also what newTask() takes. */
export type SlotKey = { readonly slot: number } | { readonly nodeId: string };

function isGlobal(s: Service): boolean {
  const m = modeOf(s);
  return m === 'global' || m === 'global-job';
}

/** The key of the slot holding `task`. */
export function keyOf(service: Service, task: Task): SlotKey {
  return isGlobal(service) ? { nodeId: task.nodeId } : { slot: task.slot };
}

export function keyString(k: SlotKey): string {
  return 'slot' in k ? `slot ${k.slot}` : `node ${k.nodeId}`;
}

/** Every task ever in the slot (history included). */
export function allInSlot(tx: ReadTx, serviceId: string, k: SlotKey): Task[] {
  return 'slot' in k
    ? tx.find('task', { serviceId, slot: k.slot })
    : tx.find('task', { serviceId, nodeId: k.nodeId }).filter((t) => t.slot === 0);
}

/** The desired-RUNNING-or-less tasks of the slot: what Swarm calls the slot. */
export function slotTasks(tx: ReadTx, serviceId: string, k: SlotKey): Task[] {
  return allInSlot(tx, serviceId, k).filter((t) => !before('TASK_STATE_RUNNING', t.desiredState));
}

/**
 * The slot needs the updater: more than one task (a start-first update cut short), a task from an
 * older spec, or — while an update is in progress — a replacement created but never started (a
 * stop-first update cut short by a change of leader).
 */
export function isSlotDirty(service: Service, tasks: readonly Task[], updating: boolean): boolean {
  if (tasks.length > 1) return true;
  return tasks.some((t) => isDirty(service, t) || (updating && before(t.desiredState, 'TASK_STATE_RUNNING')));
}

/** The distinct slots of `slots`, in order, by key. */
export function distinctKeys(service: Service, slots: readonly (readonly Task[])[]): SlotKey[] {
  const seen = new Map<string, SlotKey>();
  for (const slot of slots) {
    const first = slot[0];
    if (!first) continue;
    const k = keyOf(service, first);
    if (!seen.has(keyString(k))) seen.set(keyString(k), k);
  }
  return [...seen.values()];
}

/** The service's slots read from the store (for a rollback the updater starts itself). */
export function currentSlots(tx: ReadTx, service: Service): Task[][] {
  const bySlot = new Map<string, Task[]>();
  for (const t of tx.find('task', { serviceId: service.id })) {
    if (before('TASK_STATE_RUNNING', t.desiredState)) continue;
    const k = keyString(keyOf(service, t));
    const list = bySlot.get(k);
    if (list) list.push(t);
    else bySlot.set(k, [t]);
  }
  return [...bySlot.values()];
}
