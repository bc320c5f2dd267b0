/**
 * The dispatcher's options: what the caller gives, the defaults (Swarm's values), and the resolved,
 * frozen form the dispatcher runs with. Heartbeat timing goes through the injected timers so tests can
 * drive expiry with a fake clock; batching windows use real timers.
 */
import type { ServerSurfaceCall } from '@grpc/grpc-js/build/src/server-call.js';
import { peerIdentity } from '../../ca/authz.ts';
import type { NodeRole__Output as NodeRole } from '../../proto/gen/shoal/api/NodeRole.ts';
import { UnauthenticatedError } from '../../proto/shared/errors.ts';
import type { Logger } from '../../proto/shared/log.ts';
import { silentLogger } from '../../proto/shared/log.ts';
import type { MemoryStore } from '../store/memory.ts';

/** An opaque handle from {@link DispatcherOptions.setTimer}. */
export type TimerHandle = unknown;

/** A manager agents may connect to. */
export interface ManagerAddr {
  readonly nodeId: string;
  readonly addr: string;
}

export const DISPATCHER_DEFAULTS = Object.freeze({
  /** Swarm: 5 s (cluster spec dispatcher.heartbeatPeriod overrides it). */
  heartbeatPeriodMs: 5000,
  /** The period handed to an agent varies by ±10% so heartbeats spread out. */
  heartbeatJitter: 0.1,
  /** Periods without a heartbeat before a node is DOWN. */
  missedPeriods: 3,
  /** Right after a leader change, nodes get this many times longer to come back. */
  leaderChangeGraceFactor: 2,
  /** Status updates are collected this long before one store write… */
  statusBatchMs: 100,
  /** …or until this many are waiting. */
  statusBatchMaxItems: 10_000,
  /** Assignment changes are collected this long before one message. */
  assignmentsBatchMs: 100,
  /** At most this many changes per incremental message. */
  assignmentsMaxChanges: 100,
  /** Session messages (node, managers, overlay peers) are recomputed at most this often. */
  sessionRefreshMs: 100,
  /** The manager list has no watch: it is polled this often. */
  managersPollMs: 1000,
  /** The weight of every manager in the list sent to agents (Swarm's default observation weight). */
  managerWeight: 10,
});

export interface DispatcherOptions {
  readonly store: MemoryStore;
  /** The caller's node ID; default: the CN of its mTLS certificate. Throw to refuse the call. */
  readonly nodeIdOf?: (call: ServerSurfaceCall) => string;
  /** The caller's role when known (default: the OU of its certificate, else worker). */
  readonly roleOf?: (call: ServerSurfaceCall) => 'manager' | 'worker' | undefined;
  /** The managers agents may use, leader first. */
  readonly managers: () => ManagerAddr[];
  /** Default: the cluster spec's dispatcher.heartbeatPeriod, else 5000. Read at every heartbeat. */
  readonly heartbeatPeriodMs?: () => number;
  readonly now?: () => number;
  readonly setTimer?: (fn: () => void, ms: number) => TimerHandle;
  readonly clearTimer?: (handle: TimerHandle) => void;
  /** In [0, 1); for the heartbeat jitter. */
  readonly random?: () => number;
  readonly statusBatchMs?: number;
  readonly assignmentsBatchMs?: number;
  readonly sessionRefreshMs?: number;
  readonly managersPollMs?: number;
  readonly log?: Logger;
}

/** The options with every default applied. */
export interface ResolvedOptions {
  readonly store: MemoryStore;
  readonly nodeIdOf: (call: ServerSurfaceCall) => string;
  readonly roleOf: (call: ServerSurfaceCall) => NodeRole;
  readonly managers: () => ManagerAddr[];
  readonly heartbeatPeriodMs: () => number;
  readonly now: () => number;
  readonly setTimer: (fn: () => void, ms: number) => TimerHandle;
  readonly clearTimer: (handle: TimerHandle) => void;
  readonly random: () => number;
  readonly statusBatchMs: number;
  readonly assignmentsBatchMs: number;
  readonly sessionRefreshMs: number;
  readonly managersPollMs: number;
  readonly log: Logger;
}

function certNodeId(call: ServerSurfaceCall): string {
  const id = peerIdentity(call.getAuthContext());
  if (!id) throw new UnauthenticatedError('the dispatcher needs a node certificate issued by this swarm');
  return id.nodeId;
}

function certRole(call: ServerSurfaceCall): 'manager' | 'worker' | undefined {
  try {
    return peerIdentity(call.getAuthContext())?.role;
  } catch {
    return undefined;
  }
}

/** The heartbeat period in the cluster spec (stored in ns), or the default. */
export function clusterHeartbeatPeriodMs(store: MemoryStore): number {
  const ns = store.find('cluster')[0]?.spec?.dispatcher?.heartbeatPeriod ?? 0;
  return ns > 0 ? ns / 1e6 : DISPATCHER_DEFAULTS.heartbeatPeriodMs;
}

export function resolveOptions(o: DispatcherOptions): ResolvedOptions {
  const roleOf = o.roleOf ?? certRole;
  return Object.freeze({
    store: o.store,
    nodeIdOf: o.nodeIdOf ?? certNodeId,
    roleOf: (call: ServerSurfaceCall): NodeRole =>
      roleOf(call) === 'manager' ? 'NODE_ROLE_MANAGER' : 'NODE_ROLE_WORKER',
    managers: o.managers,
    heartbeatPeriodMs: o.heartbeatPeriodMs ?? (() => clusterHeartbeatPeriodMs(o.store)),
    now: o.now ?? Date.now,
    setTimer: o.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms)),
    clearTimer: o.clearTimer ?? ((h: TimerHandle) => clearTimeout(h as NodeJS.Timeout)),
    random: o.random ?? Math.random,
    statusBatchMs: o.statusBatchMs ?? DISPATCHER_DEFAULTS.statusBatchMs,
    assignmentsBatchMs: o.assignmentsBatchMs ?? DISPATCHER_DEFAULTS.assignmentsBatchMs,
    sessionRefreshMs: o.sessionRefreshMs ?? DISPATCHER_DEFAULTS.sessionRefreshMs,
    managersPollMs: o.managersPollMs ?? DISPATCHER_DEFAULTS.managersPollMs,
    log: (o.log ?? silentLogger()).child({ component: 'dispatcher' }),
  });
}
