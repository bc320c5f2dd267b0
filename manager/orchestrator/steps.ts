/**
 * Steps every mode shares: replacing tasks that ended (the restart supervisor), moving tasks off
 * nodes that are down, drained or gone, and removing a deleted service's tasks.
 */
import type { Node, Service, Task, TaskState } from '../store/types.ts';
import { newTask, observed } from './common.ts';
import type { Fits } from './constraints.ts';
import type { Plan } from './plan.ts';
import { restartPolicyOf, shouldRestart, type RestartHistory } from './restart.ts';
import {
  hasEnded,
  isGlobalMode,
  isJob,
  isLive,
  isNodeUnavailable,
  newest,
  runTarget,
  slotKey,
  statusMs,
} from './slots.ts';

/** What planners read besides the service's tasks. */
export interface PlanContext {
  readonly nowMs: number;
  /** Every node of the swarm, by ID. */
  readonly nodes: ReadonlyMap<string, Node>;
  readonly fits: Fits;
  readonly history: RestartHistory;
}

/** A new task of the service for a slot (replicated) or a node (global); jobs' tasks carry the iteration. */
export function makeTask(
  service: Service,
  where: { slot?: number; nodeId?: string },
  ctx: PlanContext,
  desired: TaskState,
  iteration?: number,
): Task {
  const t = newTask(service, where, new Date(ctx.nowMs));
  t.desiredState = desired;
  if (isJob(service)) t.jobIteration = { index: iteration ?? service.jobStatus?.jobIteration?.index ?? 0 };
  return t;
}

/**
 * The desired state of a task that is stopped for good: SHUTDOWN (kept as the slot's history), or
 * REMOVE for a global task whose node left the swarm (no slot is left to keep history for).
 */
function stopState(service: Service, t: Task, node: Node | undefined): TaskState {
  return isGlobalMode(service) && !node && t.nodeId !== '' ? 'TASK_STATE_REMOVE' : 'TASK_STATE_SHUTDOWN';
}

/** Where a replacement of `t` goes: its slot, or its node for global modes. */
function placeOf(service: Service, t: Task): { slot?: number; nodeId?: string } {
  return isGlobalMode(service) ? { nodeId: t.nodeId } : { slot: t.slot };
}

/**
 * Tasks that ended while still wanted: desired SHUTDOWN (kept as history) and, when the restart
 * policy says so, a replacement in the same slot — desired READY until its restart delay has passed
 * (the driver starts it then; no delay on a drained node), or started at once without a delay.
 * `mayRunOn` (global modes) refuses replacements on nodes the service no longer belongs on.
 */
export function planRestarts(
  plan: Plan,
  service: Service,
  ctx: PlanContext,
  mayRunOn: (node: Node | undefined) => boolean = () => true,
): void {
  const job = isJob(service);
  for (const t of plan.view()) {
    if (plan.isTouched(t.id) || !isLive(t) || !hasEnded(t, job)) continue;
    const node = ctx.nodes.get(t.nodeId);
    const shutdown = plan.desire(t, stopState(service, t, node));
    if (!shouldRestart(t, service, job, ctx.history, ctx.nowMs) || !mayRunOn(node)) {
      plan.add(shutdown);
      continue;
    }
    const r = makeTask(service, placeOf(service, t), ctx, runTarget(service), t.jobIteration?.index);
    const drained = node?.spec?.availability === 'AVAILABILITY_DRAIN';
    if (!drained && restartPolicyOf(r, job).delayMs > 0) {
      r.desiredState = 'TASK_STATE_READY';
      plan.delayedStarts.push(r.id);
    }
    plan.add(shutdown, plan.create(r));
    plan.restarts.push(r);
  }
}

/** Another live task of the slot runs (or may run) somewhere usable. */
function slotCovered(plan: Plan, t: Task, ctx: PlanContext, job: boolean): boolean {
  return plan
    .view()
    .some(
      (o) =>
        o.id !== t.id &&
        slotKey(o) === slotKey(t) &&
        isLive(o) &&
        !hasEnded(o, job) &&
        (o.nodeId === '' || !isNodeUnavailable(ctx.nodes.get(o.nodeId))),
    );
}

/**
 * Tasks on a node that is DOWN, drained or gone: desired SHUTDOWN; replicated modes get a
 * replacement in the slot at once (no restart delay, not counted as a restart). Global modes get
 * none: the node is no longer eligible (and a task of a node removed from the swarm is desired REMOVE).
 */
export function planNodeFailures(plan: Plan, service: Service, ctx: PlanContext): void {
  const job = isJob(service);
  const global = isGlobalMode(service);
  for (const t of plan.view()) {
    if (plan.isTouched(t.id) || !isLive(t) || t.nodeId === '' || hasEnded(t, job)) continue;
    if (job && observed(t) === 'TASK_STATE_COMPLETE') continue;
    const node = ctx.nodes.get(t.nodeId);
    if (!isNodeUnavailable(node)) continue;
    const covered = slotCovered(plan, t, ctx, job);
    const shutdown = plan.desire(t, stopState(service, t, node));
    if (global || covered) {
      plan.add(shutdown);
      continue;
    }
    const r = makeTask(service, { slot: t.slot }, ctx, runTarget(service), t.jobIteration?.index);
    plan.add(shutdown, plan.create(r));
  }
}

/** A deleted service: every task desired REMOVE (the reaper deletes them once they stopped). */
export function planServiceRemoved(plan: Plan): void {
  for (const t of plan.view())
    if (!plan.isTouched(t.id) && t.desiredState !== 'TASK_STATE_REMOVE')
      plan.add(plan.desire(t, 'TASK_STATE_REMOVE'));
}

const ENDED_ON_ITS_OWN = new Set<TaskState>([
  'TASK_STATE_COMPLETE',
  'TASK_STATE_FAILED',
  'TASK_STATE_REJECTED',
]);

/**
 * The slot was left empty on purpose: its newest task, of the current spec version, ended on its own
 * and the restart policy declined to replace it when it ended. Such a slot is not refilled (as in
 * Swarm, until the service's tasks are updated). `slotTasks`: all of the slot's tasks.
 */
export function isHeld(slotTasks: readonly Task[], service: Service, history: RestartHistory): boolean {
  const last = newest(slotTasks);
  if (!last || last.desiredState !== 'TASK_STATE_SHUTDOWN' || last.specVersion !== service.specVersion)
    return false;
  const job = isJob(service);
  const state = observed(last);
  if (!ENDED_ON_ITS_OWN.has(state) || (job && state === 'TASK_STATE_COMPLETE')) return false;
  return !shouldRestart(last, service, job, history, statusMs(last));
}
