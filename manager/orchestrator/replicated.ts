/**
 * Replicated services (swarmkit `orchestrator/replicated/services.go`): slots 1..N. Missing slots
 * are created; on scale-down the surplus slots go, chosen the way Swarm balances what is left.
 */
import type { Service, Task } from '../store/types.ts';
import { observed, replicasOf } from './common.ts';
import type { Plan } from './plan.ts';
import { groupBy, isLive } from './slots.ts';
import { isHeld, makeTask, type PlanContext } from './steps.ts';

/**
 * The slots to remove when `surplus` of `slots` must go. As Swarm: a slot counts as the nth copy of
 * the service on its node (running tasks counted first, then by slot number); the highest copies go
 * first — so the most loaded nodes lose tasks first —, and before them slots not on exactly one node
 * (unassigned, or several tasks). Ties go to the higher slot number.
 */
export function slotsToRemove(slots: ReadonlyMap<number, readonly Task[]>, surplus: number): number[] {
  const running = (ts: readonly Task[]): boolean => ts.some((t) => observed(t) === 'TASK_STATE_RUNNING');
  const order = [...slots.entries()].sort(
    ([a, ta], [b, tb]) => Number(running(tb)) - Number(running(ta)) || a - b,
  );
  const copies = new Map<string, number>();
  const ranked = order.map(([slot, ts]) => {
    const node = ts.length === 1 ? (ts[0]?.nodeId ?? '') : '';
    if (node === '') return { slot, copy: Infinity };
    const copy = (copies.get(node) ?? 0) + 1;
    copies.set(node, copy);
    return { slot, copy };
  });
  ranked.sort((a, b) => b.copy - a.copy || b.slot - a.slot);
  return ranked.slice(0, Math.max(0, surplus)).map((r) => r.slot);
}

/** Lowest slot numbers (from 1) not in `taken`. */
function freeSlots(taken: ReadonlySet<number>, count: number): number[] {
  const out: number[] = [];
  for (let n = 1; out.length < count; n++) if (!taken.has(n)) out.push(n);
  return out;
}

/** Creates missing slots and removes surplus ones (all their tasks desired REMOVE). */
export function planReplicated(plan: Plan, service: Service, ctx: PlanContext): void {
  const want = replicasOf(service);
  const all = groupBy(plan.view(), (t) => t.slot);
  const live = new Map<number, Task[]>();
  const held = new Set<number>();
  for (const [slot, tasks] of all) {
    const wanted = tasks.filter(isLive);
    if (wanted.length > 0) live.set(slot, wanted);
    else if (isHeld(tasks, service, ctx.history)) held.add(slot);
  }
  const missing = want - live.size - held.size;
  if (missing > 0) {
    for (const slot of freeSlots(new Set([...live.keys(), ...held]), missing))
      plan.add(plan.create(makeTask(service, { slot }, ctx, 'TASK_STATE_RUNNING')));
  }
  // The whole slot goes, its history too: the reaper deletes each task once it has stopped.
  for (const slot of slotsToRemove(live, live.size - want))
    for (const t of all.get(slot) ?? [])
      if (!plan.isTouched(t.id) && t.desiredState !== 'TASK_STATE_REMOVE')
        plan.add(plan.desire(t, 'TASK_STATE_REMOVE'));
}
