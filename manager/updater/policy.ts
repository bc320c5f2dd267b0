/**
 * UpdateConfig (and RollbackConfig) with Swarm's defaults filled in, in milliseconds: the one place
 * where the updater's defaults live (swarmkit `api/defaults/service.go`).
 */
import type { UpdateConfig__Output } from '../../proto/gen/shoal/api/UpdateConfig.ts';

export type FailureAction = 'pause' | 'continue' | 'rollback';
export type UpdateOrder = 'stop-first' | 'start-first';

/** How one update (or rollback) proceeds. Frozen. */
export interface UpdatePolicy {
  /** Slots updated at once; never 0 here (0 in the spec means "all dirty slots"). */
  readonly parallelism: number;
  /** Pause of each worker after each slot. */
  readonly delayMs: number;
  readonly failureAction: FailureAction;
  /** How long a task of this update is watched after it reaches RUNNING. */
  readonly monitorMs: number;
  /** Failures / dirty slots above this run the failure action. */
  readonly maxFailureRatio: number;
  readonly order: UpdateOrder;
}

/** Swarm's defaults, for updates and rollbacks alike. */
export const DEFAULT_PARALLELISM = 1;
export const DEFAULT_DELAY_MS = 0;
export const DEFAULT_MONITOR_MS = 5_000;
export const DEFAULT_MAX_FAILURE_RATIO = 0;

const NS_PER_MS = 1_000_000;

function failureAction(c: UpdateConfig__Output): FailureAction {
  switch (c.failureAction) {
    case 'FAILURE_ACTION_CONTINUE':
      return 'continue';
    case 'FAILURE_ACTION_ROLLBACK':
      return 'rollback';
    case 'FAILURE_ACTION_PAUSE':
    case 'FAILURE_ACTION_UNSPECIFIED':
      return 'pause';
  }
}

/**
 * The policy for `config` (null: all defaults) over `dirtySlots` slots. A monitor of 0 means the
 * default, as in Docker's API (it sends no Monitor for 0); parallelism 0 means every dirty slot.
 */
export function resolvePolicy(config: UpdateConfig__Output | null, dirtySlots: number): UpdatePolicy {
  const parallelism = config ? config.parallelism : DEFAULT_PARALLELISM;
  const monitorNs = config?.monitor ?? 0;
  return Object.freeze({
    parallelism: Math.max(1, parallelism === 0 ? dirtySlots : Math.min(parallelism, Math.max(1, dirtySlots))),
    delayMs: config ? Math.max(0, config.delay / NS_PER_MS) : DEFAULT_DELAY_MS,
    failureAction: config ? failureAction(config) : 'pause',
    monitorMs: monitorNs > 0 ? monitorNs / NS_PER_MS : DEFAULT_MONITOR_MS,
    maxFailureRatio: config ? config.maxFailureRatio : DEFAULT_MAX_FAILURE_RATIO,
    order: config?.order === 'ORDER_START_FIRST' ? 'start-first' : 'stop-first',
  });
}
