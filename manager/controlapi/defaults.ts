/**
 * Swarm's defaults, in one place (swarmkit `api/defaults/service.go`, reference/swarmkit-facts.md).
 *
 * Two stages, as in Docker:
 * - {@link withCreateDefaults}: what Swarm itself writes into a stored spec — `Replicas: 1` for a
 *   replicated service given without a count, endpoint mode `vip`. Everything else stays as the user
 *   gave it (Docker shows a spec back as it was sent).
 * - {@link withDefaults}: what `GET /services/{id}?insertDefaults=true` shows — update and rollback
 *   config, restart policy, stop grace period filled where unset. Never stored.
 */
import type protobuf from 'protobufjs';
import { messageType } from '../../proto/load.ts';
import type {
  ClusterSpec as ClusterSpecInput,
  ClusterSpec__Output as ClusterSpec,
} from '../../proto/gen/shoal/api/ClusterSpec.ts';
import type { ServiceSpec__Output as ServiceSpec } from '../../proto/gen/shoal/api/ServiceSpec.ts';
import type { UpdateConfig__Output as UpdateConfig } from '../../proto/gen/shoal/api/UpdateConfig.ts';
import { TO_OBJECT } from '../store/memory.ts';

const SECOND_NS = 1_000_000_000;

/** Swarm's service defaults, durations in nanoseconds (as in the spec). */
export const SERVICE_DEFAULTS = {
  replicas: 1,
  stopGracePeriodNs: 10 * SECOND_NS,
  restartDelayNs: 5 * SECOND_NS,
  updateParallelism: 1,
  updateMonitorNs: 5 * SECOND_NS,
} as const;

/** Swarm's cluster defaults (`docker swarm init` without options). */
export const CLUSTER_DEFAULTS = {
  taskHistoryRetentionLimit: 5,
  dispatcherHeartbeatPeriodNs: 5 * SECOND_NS,
  nodeCertExpiryNs: 90 * 24 * 3600 * SECOND_NS,
  snapshotInterval: 10_000,
  logEntriesForSlowFollowers: 500,
  electionTick: 10,
  heartbeatTick: 1,
} as const;

/**
 * A plain, fully-shaped copy of a proto value (defaults filled, absent messages null), whatever shape
 * the caller passed (the loose request types, or objects decoded from Docker JSON). Also detaches the
 * result from the caller's object.
 */
export function normalize<T>(typeName: string, value: unknown): T {
  const type: protobuf.Type = messageType(typeName);
  return type.toObject(type.fromObject(value ?? {}), TO_OBJECT) as T;
}

function defaultUpdateConfig(): UpdateConfig {
  return {
    parallelism: SERVICE_DEFAULTS.updateParallelism,
    delay: 0,
    failureAction: 'FAILURE_ACTION_PAUSE',
    monitor: SERVICE_DEFAULTS.updateMonitorNs,
    maxFailureRatio: 0,
    order: 'ORDER_STOP_FIRST',
  };
}

function fillUpdateConfig(c: UpdateConfig | null): UpdateConfig {
  if (!c) return defaultUpdateConfig();
  return {
    ...c,
    failureAction:
      c.failureAction === 'FAILURE_ACTION_UNSPECIFIED' ? 'FAILURE_ACTION_PAUSE' : c.failureAction,
    monitor: c.monitor === 0 ? SERVICE_DEFAULTS.updateMonitorNs : c.monitor,
    order: c.order === 'ORDER_UNSPECIFIED' ? 'ORDER_STOP_FIRST' : c.order,
  };
}

/** The defaults Swarm stores with a new or updated service spec (replicas 1, endpoint mode vip). */
export function withCreateDefaults(given: ServiceSpec): ServiceSpec {
  const spec = structuredClone(given);
  const m = spec.mode;
  if (!m || (!m.replicated && !m.global && !m.replicatedJob && !m.globalJob)) {
    spec.mode = { replicated: { replicas: SERVICE_DEFAULTS.replicas }, mode: 'replicated' };
  } else if (m.replicated && m.replicated.replicas === undefined) {
    m.replicated = { replicas: SERVICE_DEFAULTS.replicas };
  }
  spec.endpointSpec ??= { mode: 'MODE_VIP', ports: [] };
  if (spec.endpointSpec.mode === 'MODE_UNSPECIFIED') spec.endpointSpec.mode = 'MODE_VIP';
  return spec;
}

/**
 * The spec as `insertDefaults=true` shows it: Swarm's defaults wherever the user left a field unset.
 * Returns a copy; the stored spec keeps what the user gave.
 */
export function withDefaults(given: ServiceSpec): ServiceSpec {
  const spec = withCreateDefaults(given);
  spec.updateConfig = fillUpdateConfig(spec.updateConfig);
  spec.rollbackConfig = fillUpdateConfig(spec.rollbackConfig);
  const task = spec.taskTemplate ?? normalize<NonNullable<ServiceSpec['taskTemplate']>>('TaskSpec', {});
  spec.taskTemplate = task;
  const container =
    task.containerSpec ?? normalize<NonNullable<typeof task.containerSpec>>('ContainerSpec', {});
  task.containerSpec = container;
  container.stopGracePeriod ??= SERVICE_DEFAULTS.stopGracePeriodNs;
  const restart =
    task.restartPolicy ?? normalize<NonNullable<typeof task.restartPolicy>>('RestartPolicy', {});
  task.restartPolicy = restart;
  if (restart.condition === 'CONDITION_UNSPECIFIED') restart.condition = 'CONDITION_ANY';
  restart.delay ??= SERVICE_DEFAULTS.restartDelayNs;
  restart.maxAttempts ??= 0;
  task.resources ??= normalize('ResourceRequirements', { limits: {}, reservations: {} });
  task.placement ??= normalize('Placement', {});
  return spec;
}

/** The cluster spec of `swarm init`: the given non-zero fields over Swarm's defaults. */
export function defaultClusterSpec(given?: ClusterSpecInput): ClusterSpec {
  const d: ClusterSpec = normalize('ClusterSpec', {
    name: 'default',
    orchestration: { taskHistoryRetentionLimit: CLUSTER_DEFAULTS.taskHistoryRetentionLimit },
    raft: {
      snapshotInterval: CLUSTER_DEFAULTS.snapshotInterval,
      keepOldSnapshots: 0,
      logEntriesForSlowFollowers: CLUSTER_DEFAULTS.logEntriesForSlowFollowers,
      electionTick: CLUSTER_DEFAULTS.electionTick,
      heartbeatTick: CLUSTER_DEFAULTS.heartbeatTick,
    },
    dispatcher: { heartbeatPeriod: CLUSTER_DEFAULTS.dispatcherHeartbeatPeriodNs },
    caConfig: { nodeCertExpiry: CLUSTER_DEFAULTS.nodeCertExpiryNs },
    taskDefaults: {},
    encryptionConfig: { autoLockManagers: false },
  });
  if (!given) return d;
  const g: ClusterSpec = normalize('ClusterSpec', given);
  return {
    name: g.name || d.name,
    labels: { ...d.labels, ...g.labels },
    orchestration: {
      taskHistoryRetentionLimit:
        g.orchestration?.taskHistoryRetentionLimit ?? CLUSTER_DEFAULTS.taskHistoryRetentionLimit,
    },
    raft: mergeNonZero(d.raft, g.raft),
    dispatcher: mergeNonZero(d.dispatcher, g.dispatcher),
    caConfig: mergeNonZero(d.caConfig, g.caConfig),
    taskDefaults: g.taskDefaults ?? d.taskDefaults,
    encryptionConfig: mergeNonZero(d.encryptionConfig, g.encryptionConfig),
  };
}

function isZero(v: unknown): boolean {
  return (
    v === 0 || v === '' || v === false || v === null || v === undefined || (Array.isArray(v) && !v.length)
  );
}

function mergeNonZero<T extends object>(base: T | null, over: T | null): T | null {
  if (!over) return base;
  if (!base) return over;
  const out = { ...base } as Record<string, unknown>;
  for (const [k, v] of Object.entries(over)) if (!isZero(v)) out[k] = v;
  return out as T;
}
