/**
 * Jobs (swarmkit `orchestrator/jobs/`): tasks run to completion, desired COMPLETE.
 *
 * - replicated-job: `totalCompletions` (default `maxConcurrent`) completions, at most `maxConcurrent`
 *   (default 1) tasks at a time. Each completion has its own slot 1..totalCompletions; a failed task is
 *   replaced in its slot by the restart supervisor (condition on-failure by default).
 * - global-job: one completion per eligible node (nodes that join later get one too).
 *
 * An iteration is one run of the job: `Service.jobStatus.jobIteration.index`, written by the
 * orchestrator — set to 0 when it first sees the job, and advanced (with `lastExecution`) when the
 * job's spec changed (its tasks are of an older spec version), which runs it again. Tasks carry their
 * iteration; those of earlier iterations are set desired SHUTDOWN (running ones are stopped).
 */
import type { Service, Task } from '../store/types.ts';
import { clone } from '../store/memory.ts';
import { observed } from './common.ts';
import { timestampOf } from './clock.ts';
import { planGlobal } from './global.ts';
import type { Plan } from './plan.ts';
import { groupBy, hasEnded, isLive } from './slots.ts';
import { isHeld, makeTask, type PlanContext } from './steps.ts';

const completed = (t: Task): boolean => observed(t) === 'TASK_STATE_COMPLETE';

/** The iteration the job is at, and the service write that starts a new one (if any). */
export function planIteration(plan: Plan, service: Service, ctx: PlanContext): Service {
  const index = service.jobStatus?.jobIteration?.index;
  const current = plan.view().filter((t) => t.jobIteration?.index === index);
  const stale = current.some((t) => t.specVersion !== service.specVersion);
  if (index !== undefined && !stale) return service;
  const next = clone(service);
  next.jobStatus = {
    jobIteration: { index: index === undefined ? 0 : index + 1 },
    lastExecution: timestampOf(ctx.nowMs),
  };
  plan.add({ kind: 'service', service: next });
  return next;
}

/** Tasks of earlier iterations: desired SHUTDOWN (kept as history). Runs before the restart step. */
export function planOldIterations(plan: Plan, service: Service): void {
  const index = service.jobStatus?.jobIteration?.index ?? 0;
  for (const t of plan.view())
    if (!plan.isTouched(t.id) && isLive(t) && t.jobIteration?.index !== index)
      plan.add(plan.desire(t, 'TASK_STATE_SHUTDOWN'));
}

/** Numbers of a replicated job. */
export function jobCounts(service: Service): { maxConcurrent: number; totalCompletions: number } {
  const j = service.spec?.mode?.replicatedJob;
  const maxConcurrent = j?.maxConcurrent ?? 1;
  return { maxConcurrent, totalCompletions: j?.totalCompletions ?? maxConcurrent };
}

/** Starts tasks in free slots until `maxConcurrent` run or every slot has completed or runs. */
export function planReplicatedJob(plan: Plan, service: Service, ctx: PlanContext): void {
  const index = service.jobStatus?.jobIteration?.index ?? 0;
  const { maxConcurrent, totalCompletions } = jobCounts(service);
  const slots = groupBy(
    plan.view().filter((t) => t.jobIteration?.index === index),
    (t) => t.slot,
  );
  let running = 0;
  const free: number[] = [];
  for (let slot = 1; slot <= totalCompletions; slot++) {
    const tasks = slots.get(slot) ?? [];
    if (tasks.some(completed)) continue;
    if (tasks.some((t) => isLive(t) && !hasEnded(t, true))) running++;
    else if (!isHeld(tasks, service, ctx.history)) free.push(slot);
  }
  for (const slot of free.slice(0, Math.max(0, maxConcurrent - running)))
    plan.add(plan.create(makeTask(service, { slot }, ctx, 'TASK_STATE_COMPLETE', index)));
}

/** One completion per eligible node, for the current iteration. */
export function planGlobalJob(plan: Plan, service: Service, ctx: PlanContext): void {
  const index = service.jobStatus?.jobIteration?.index ?? 0;
  planGlobal(plan, service, ctx, (tasks) =>
    tasks.some((t) => t.jobIteration?.index === index && completed(t)),
  );
}
