/**
 * UpdateStatus as Docker shows it: the states, Swarm's exact messages, and the transitions the
 * updater makes. Each transition is a pure change of a cloned service; `writes.ts` commits it.
 */
import type { UpdateStatus__Output } from '../../proto/gen/shoal/api/UpdateStatus.ts';
import type { Service } from '../store/types.ts';

export type UpdateState = UpdateStatus__Output['state'];

/** Swarm's messages (swarmkit `manager/orchestrator/update/updater.go`, `controlapi/service.go`). */
export const MESSAGES = {
  updating: 'update in progress',
  completed: 'update completed',
  rollbackCompleted: 'rollback completed',
  /** Set by the control API for `docker service rollback`. */
  manualRollback: 'manually requested rollback',
  paused: (taskId: string) => `update paused due to failure or early termination of task ${taskId}`,
  rolledBack: (taskId: string) => `update rolled back due to failure or early termination of task ${taskId}`,
  rollbackPaused: (taskId: string) => `rollback paused due to failure or early termination of task ${taskId}`,
} as const;

/** The service's update state; UNSPECIFIED when there is none (Swarm: UpdateStatus == nil). */
export function stateOf(s: Service): UpdateState {
  return s.updateStatus?.state ?? 'STATE_UNSPECIFIED';
}

/** An update or rollback is under way (a new leader must carry it on). */
export function inProgress(s: Service): boolean {
  const st = stateOf(s);
  return st === 'STATE_UPDATING' || st === 'STATE_ROLLBACK_STARTED';
}

/** A paused update or rollback waits for the next spec update; nothing runs until then. */
export function isPaused(s: Service): boolean {
  const st = stateOf(s);
  return st === 'STATE_PAUSED' || st === 'STATE_ROLLBACK_PAUSED';
}

export function isRollback(s: Service): boolean {
  return stateOf(s) === 'STATE_ROLLBACK_STARTED';
}

export interface Timestamp {
  seconds: number;
  nanos: number;
}

export function timestamp(ms: number): Timestamp {
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 };
}

/** A change to a cloned service; false leaves the service alone (nothing to write). */
export type ServiceChange = (s: Service) => boolean;

/** No status yet → updating (Swarm's startUpdate). */
export function startUpdate(nowMs: number): ServiceChange {
  return (s) => {
    if (stateOf(s) !== 'STATE_UNSPECIFIED') return false;
    s.updateStatus = {
      state: 'STATE_UPDATING',
      message: MESSAGES.updating,
      startedAt: timestamp(nowMs),
      completedAt: null,
    };
    return true;
  };
}

/** updating → completed, rollback_started → rollback_completed. */
export function completeUpdate(nowMs: number): ServiceChange {
  return (s) => {
    const st = s.updateStatus;
    if (!st || st.state === 'STATE_UNSPECIFIED') return false;
    if (st.state === 'STATE_ROLLBACK_STARTED') {
      st.state = 'STATE_ROLLBACK_COMPLETED';
      st.message = MESSAGES.rollbackCompleted;
    } else {
      st.state = 'STATE_COMPLETED';
      st.message = MESSAGES.completed;
    }
    st.completedAt = timestamp(nowMs);
    return true;
  };
}

/** updating → paused, rollback_started → rollback_paused, with `message`. */
export function pauseUpdate(message: string): ServiceChange {
  return (s) => {
    const st = s.updateStatus;
    if (!st || st.state === 'STATE_UNSPECIFIED') return false;
    st.state = st.state === 'STATE_ROLLBACK_STARTED' ? 'STATE_ROLLBACK_PAUSED' : 'STATE_PAUSED';
    st.message = message;
    return true;
  };
}

/**
 * The automatic rollback: the previous spec comes back as a new spec version and the status says
 * rollback_started. Swarm drops PreviousSpec here (a second rollback has nothing to go back to).
 * False when there is no status or no previous spec.
 */
export function startRollback(message: string): ServiceChange {
  return (s) => {
    const st = s.updateStatus;
    if (!st || st.state === 'STATE_UNSPECIFIED' || !s.previousSpec) return false;
    s.spec = s.previousSpec;
    s.previousSpec = null;
    s.specVersion += 1;
    st.state = 'STATE_ROLLBACK_STARTED';
    st.message = message;
    st.completedAt = null;
    return true;
  };
}
