/**
 * Pure translation of a Shoal task into the Docker Engine's container create request, the way Swarm's
 * own executor (moby `daemon/cluster/executor/container/container.go`) does it, minus what Shoal does
 * itself: restarts (Docker's policy is always `no`) and networking (always `none`; the overlay is
 * plumbed by worker/network).
 */
import type Docker from 'dockerode';
import type { Task, SecretFile } from '../../executor/types.ts';

/** Swarm's system labels, set on every task container (they override the spec's labels). */
export const LABELS = {
  task: 'com.docker.swarm.task',
  taskId: 'com.docker.swarm.task.id',
  taskName: 'com.docker.swarm.task.name',
  nodeId: 'com.docker.swarm.node.id',
  serviceId: 'com.docker.swarm.service.id',
  serviceName: 'com.docker.swarm.service.name',
} as const;

/** The container's name, as Swarm's: `<service name>.<slot or node id>.<task id>`. */
export function containerName(task: Task): string {
  if (task.name) return task.name;
  return `${task.serviceId}.${task.slot > 0 ? task.slot : task.nodeId}.${task.id}`;
}

/** The service's name: the manager names tasks `<service>.<slot or node>.<id>` (orchestrator/common.ts). */
export function serviceName(task: Task): string {
  const suffix = `.${task.slot > 0 ? task.slot : task.nodeId}.${task.id}`;
  return task.name.endsWith(suffix) ? task.name.slice(0, -suffix.length) : task.name || task.serviceId;
}

/** Nanoseconds (proto durations) to Docker's nanoseconds, dropping zero (= Docker's default). */
function ns(value: number | undefined): number | undefined {
  return value !== undefined && value > 0 ? value : undefined;
}

/** Copies only the defined fields (exactOptionalPropertyTypes: dockerode's optional fields forbid undefined). */
function defined<T extends object>(o: { [K in keyof T]: T[K] | undefined }): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function nonEmpty<T>(list: readonly T[]): T[] | undefined {
  return list.length > 0 ? [...list] : undefined;
}

/** Image name of the task, or throws when the task has no container spec (an invariant of the manager). */
export function imageOf(task: Task): string {
  const image = task.spec?.containerSpec?.image;
  if (!image) throw new Error(`task ${task.id} has no containerSpec.image`);
  return image;
}

function healthcheck(task: Task): Docker.HealthConfig | undefined {
  const h = task.spec?.containerSpec?.healthcheck;
  if (!h || h.test.length === 0) return undefined;
  return defined<Docker.HealthConfig>({
    Test: [...h.test],
    Interval: ns(h.interval),
    Timeout: ns(h.timeout),
    StartPeriod: ns(h.startPeriod),
    Retries: h.retries > 0 ? h.retries : undefined,
  });
}

function hostConfig(task: Task, files: readonly SecretFile[]): Docker.HostConfig {
  const c = task.spec?.containerSpec;
  const limits = task.spec?.resources?.limits;
  const ulimits = c?.ulimits.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })) ?? [];
  return defined<Docker.HostConfig>({
    NetworkMode: 'none',
    RestartPolicy: { Name: 'no' },
    Memory: limits && limits.memoryBytes > 0 ? limits.memoryBytes : undefined,
    NanoCpus: limits && limits.nanoCpus > 0 ? limits.nanoCpus : undefined,
    Init: c?.init,
    ReadonlyRootfs: c?.readOnly || undefined,
    CapAdd: nonEmpty(c?.capabilityAdd ?? []),
    CapDrop: nonEmpty(c?.capabilityDrop ?? []),
    GroupAdd: nonEmpty(c?.groups ?? []),
    Sysctls: c && Object.keys(c.sysctls).length > 0 ? { ...c.sysctls } : undefined,
    Ulimits: nonEmpty(ulimits),
    ExtraHosts: nonEmpty(c?.hosts ?? []),
    OomScoreAdj: c?.oomScoreAdj || undefined,
    Mounts: nonEmpty(
      files.map((f) => ({ Type: 'bind' as const, Source: f.hostPath, Target: f.target, ReadOnly: true })),
    ),
  });
}

/** The create request for `task`, its secret and config files bind-mounted read-only. */
export function createOptions(task: Task, files: readonly SecretFile[]): Docker.ContainerCreateOptions {
  const c = task.spec?.containerSpec;
  const grace = c?.stopGracePeriod;
  return defined<Docker.ContainerCreateOptions>({
    name: containerName(task),
    Image: imageOf(task),
    // Like Swarm: `command` replaces the image's entrypoint, `args` its CMD.
    Entrypoint: c && c.command.length > 0 ? [...c.command] : undefined,
    Cmd: nonEmpty(c?.args ?? []),
    Env: nonEmpty(c?.env ?? []),
    WorkingDir: c?.dir || undefined,
    User: c?.user || undefined,
    Hostname: c?.hostname || undefined,
    Tty: c?.tty || undefined,
    OpenStdin: c?.openStdin || undefined,
    StopSignal: c?.stopSignal || undefined,
    StopTimeout: grace !== undefined && grace > 0 ? Math.ceil(grace / 1e9) : undefined,
    Healthcheck: healthcheck(task),
    Labels: {
      ...(c?.labels ?? {}),
      [LABELS.task]: '',
      [LABELS.taskId]: task.id,
      [LABELS.taskName]: containerName(task),
      [LABELS.nodeId]: task.nodeId,
      [LABELS.serviceId]: task.serviceId,
      [LABELS.serviceName]: serviceName(task),
    },
    HostConfig: hostConfig(task, files),
  });
}
