/**
 * The restart supervisor's rules (swarmkit `orchestrator/restart/restart.go`): whether a task that
 * ended gets a replacement in its slot, after which delay, and how many restarts a slot has had.
 *
 * Condition `any` (the default for services) restarts whatever the ending, `on-failure` (the
 * default for jobs) anything but a clean completion, `none` never. `maxAttempts` (0 = unlimited)
 * counts restarts of the slot at the service's current spec version, within `window` when one is set.
 */
import type { Service, Task } from '../store/types.ts';
import { observed } from './common.ts';
import { createdMs, groupBy, slotKey } from './slots.ts';

const NS_PER_MS = 1_000_000;

/** Swarm's restart delay when the spec names none (5 s). */
export const DEFAULT_RESTART_DELAY_MS = 5_000;

export type RestartCondition = 'none' | 'on-failure' | 'any';

/** A task's restart policy with Swarm's defaults filled in, durations in ms. */
export interface RestartPolicy {
  readonly condition: RestartCondition;
  readonly delayMs: number;
  /** 0: unlimited. */
  readonly maxAttempts: number;
  /** 0: no window (attempts count forever). */
  readonly windowMs: number;
}

/** The restart policy of a task (its own spec's), defaults filled in. */
export function restartPolicyOf(t: Task, job: boolean): RestartPolicy {
  const p = t.spec?.restartPolicy;
  let condition: RestartCondition = job ? 'on-failure' : 'any';
  if (p?.condition === 'CONDITION_NONE') condition = 'none';
  else if (p?.condition === 'CONDITION_ON_FAILURE') condition = 'on-failure';
  else if (p?.condition === 'CONDITION_ANY') condition = 'any';
  return {
    condition,
    delayMs: p?.delay === undefined ? DEFAULT_RESTART_DELAY_MS : Math.max(0, p.delay / NS_PER_MS),
    maxAttempts: p?.maxAttempts ?? 0,
    windowMs: Math.max(0, (p?.window ?? 0) / NS_PER_MS),
  };
}

interface SlotRestarts {
  readonly specVersion: number;
  /** When each restart was made (ms), oldest first. */
  readonly times: number[];
}

/** Restarts made per slot. Kept in memory; a new leader rebuilds it from the tasks in the store. */
export class RestartHistory {
  private readonly slots = new Map<string, SlotRestarts>();

  private static key(t: Pick<Task, 'serviceId' | 'slot' | 'nodeId'>): string {
    return `${t.serviceId}/${slotKey(t)}`;
  }

  /** Counts a replacement made at `atMs` as a restart of its slot. */
  record(replacement: Task, atMs: number): void {
    const key = RestartHistory.key(replacement);
    const cur = this.slots.get(key);
    if (cur?.specVersion === replacement.specVersion) cur.times.push(atMs);
    else this.slots.set(key, { specVersion: replacement.specVersion, times: [atMs] });
  }

  /** Restarts of the task's slot at `specVersion` made in (sinceMs, untilMs]. */
  count(t: Task, specVersion: number, sinceMs: number, untilMs: number): number {
    const cur = this.slots.get(RestartHistory.key(t));
    if (cur?.specVersion !== specVersion) return 0;
    return cur.times.filter((x) => x > sinceMs && x <= untilMs).length;
  }

  /** Forgets a removed service. */
  forget(serviceId: string): void {
    for (const key of this.slots.keys()) if (key.startsWith(`${serviceId}/`)) this.slots.delete(key);
  }

  /**
   * Rebuilds a service's history from its tasks (on becoming leader): in each slot, every task of the
   * current spec version after the first is taken for a restart made when it was created. Tasks the
   * reaper already deleted are not counted.
   */
  seed(service: Service, tasks: readonly Task[]): void {
    this.forget(service.id);
    const current = tasks.filter((t) => t.specVersion === service.specVersion);
    for (const slot of groupBy(current, slotKey).values()) {
      const sorted = [...slot].sort((a, b) => createdMs(a) - createdMs(b));
      for (const t of sorted.slice(1)) this.record(t, createdMs(t));
    }
  }

  clear(): void {
    this.slots.clear();
  }
}

/**
 * Whether a task that ended at `atMs` is to be replaced (Swarm's `shouldRestart`). A completed job
 * task never is. Restart counts are read at the service's current spec version: a task made from an
 * older one starts afresh.
 */
export function shouldRestart(
  t: Task,
  service: Service,
  job: boolean,
  history: RestartHistory,
  atMs: number,
): boolean {
  const state = observed(t);
  if (job && state === 'TASK_STATE_COMPLETE') return false;
  const p = restartPolicyOf(t, job);
  if (p.condition === 'none') return false;
  if (p.condition === 'on-failure' && state === 'TASK_STATE_COMPLETE') return false;
  if (p.maxAttempts === 0) return true;
  if (t.specVersion !== service.specVersion) return true;
  const since = p.windowMs > 0 ? atMs - p.windowMs : -Infinity;
  return history.count(t, service.specVersion, since, atMs) < p.maxAttempts;
}
