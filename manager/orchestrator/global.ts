/**
 * Global services (swarmkit `orchestrator/global/global.go`): one task per eligible node, in slot 0
 * with its node ID. A node is eligible when it is not DOWN, not drained, and meets the placement
 * constraints; a paused node keeps its task but gets no new one.
 */
import type { Node, Service, Task } from '../store/types.ts';
import type { Plan } from './plan.ts';
import { groupBy, hasEnded, isLive, isNodeUnavailable } from './slots.ts';
import { isHeld, makeTask, type PlanContext } from './steps.ts';

/** The node may keep running the service's task. */
export function mayRun(node: Node | undefined, service: Service, ctx: PlanContext): node is Node {
  return !!node && !isNodeUnavailable(node) && ctx.fits(node, service);
}

/** The node should get a task of the service (eligible and not paused). */
export function mayStart(node: Node | undefined, service: Service, ctx: PlanContext): node is Node {
  return mayRun(node, service, ctx) && node.spec?.availability !== 'AVAILABILITY_PAUSE';
}

/**
 * Tasks on nodes that no longer fit are shut down (kept as history); an eligible node without a
 * live task gets one, unless its last one ended and the restart policy declined to replace it.
 * `done(nodeTasks)` (global jobs) says a node needs nothing more.
 */
export function planGlobal(
  plan: Plan,
  service: Service,
  ctx: PlanContext,
  done: (nodeTasks: readonly Task[]) => boolean = () => false,
): void {
  const job = service.spec?.mode?.globalJob != null;
  for (const t of plan.view())
    if (!plan.isTouched(t.id) && isLive(t) && !mayRun(ctx.nodes.get(t.nodeId), service, ctx))
      plan.add(plan.desire(t, 'TASK_STATE_SHUTDOWN'));
  const byNode = groupBy(plan.view(), (t) => t.nodeId);
  for (const node of ctx.nodes.values()) {
    if (!mayStart(node, service, ctx)) continue;
    const tasks = byNode.get(node.id) ?? [];
    if (tasks.some((t) => isLive(t) && !hasEnded(t, job))) continue;
    if (done(tasks) || isHeld(tasks, service, ctx.history)) continue;
    const desired = job ? 'TASK_STATE_COMPLETE' : 'TASK_STATE_RUNNING';
    plan.add(plan.create(makeTask(service, { nodeId: node.id }, ctx, desired)));
  }
}
