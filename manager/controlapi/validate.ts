/**
 * Checks of user-written specs, before anything is stored. Every failure is an InvalidArgumentError
 * whose message starts with the field as Docker's JSON names it (`Spec.TaskTemplate.ContainerSpec.Image:
 * …`) and says what was wrong with which value. Texts follow swarmkit's controlapi where users know them.
 */
import type { NetworkSpec__Output as NetworkSpec } from '../../proto/gen/shoal/api/NetworkSpec.ts';
import type { ServiceMode__Output as ServiceMode } from '../../proto/gen/shoal/api/ServiceMode.ts';
import type { ServiceSpec__Output as ServiceSpec } from '../../proto/gen/shoal/api/ServiceSpec.ts';
import type { UpdateConfig__Output as UpdateConfig } from '../../proto/gen/shoal/api/UpdateConfig.ts';
import { messageType } from '../../proto/load.ts';
import { InvalidArgumentError } from '../../proto/shared/errors.ts';
import { parseConstraints } from '../scheduler/constraint.ts';
import { parseSpreadDescriptor } from '../scheduler/placement.ts';
import { parseReference } from './reference.ts';

/** Checks placement constraints; throws (any error) on a bad expression. Default: `checkConstraints`. */
export type ConstraintParser = (exprs: string[]) => void;

/** Swarm's limit on secret and config data: strictly less than 500 KiB. */
export const MAX_DATA_BYTES = 500 * 1024;

/**
 * The most a spec (service, secret, config, network, node, cluster) may weigh, protobuf-encoded:
 * swarmkit's `MaxTransactionBytes` (1.5 MiB). Every object goes through raft and to every manager;
 * every task carries a copy of its service's spec.
 */
export const MAX_SPEC_BYTES = 1.5 * 1024 * 1024;

/**
 * The most replicas one replicated service (or concurrent tasks one replicated job) may ask for.
 * Docker sets no bound, but one request must not make the leader create a million tasks in one go
 * (each a store object replicated to every manager): 10,000 per service is beyond the largest Swarm
 * deployments reported (thousands of tasks per service), and more can be spread over several services.
 */
export const MAX_REPLICAS = 10_000;

/** The most completions one replicated job may ask for (the job orchestrator walks every slot). */
export const MAX_JOB_COMPLETIONS = 1_000_000;

/** The longest network name (Docker sets none; the name is a DNS name for the service's tasks). */
const NETWORK_NAME_MAX = 255;

const SERVICE_NAME = /^[a-zA-Z0-9](?:[-_]*[A-Za-z0-9]+)*$/;
const SERVICE_NAME_MAX = 63;
const SECRET_NAME = /^[a-zA-Z0-9]+(?:[a-zA-Z0-9-_.]*[a-zA-Z0-9])?$/;
const SECRET_NAME_MAX = 64;
const PREDEFINED_NETWORKS = ['bridge', 'host', 'none', 'default'];

function invalid(field: string, problem: string): InvalidArgumentError {
  return new InvalidArgumentError(`${field}: ${problem}`, field);
}

/** Docker's rule for service names: a DNS name component of at most 63 characters. */
export function checkServiceName(name: string): void {
  if (name === '') throw invalid('Spec.Name', 'name must be provided');
  if (name.length > SERVICE_NAME_MAX)
    throw invalid(
      'Spec.Name',
      `name ${JSON.stringify(name)} must be ${SERVICE_NAME_MAX} characters or fewer`,
    );
  if (!SERVICE_NAME.test(name))
    throw invalid('Spec.Name', `name ${JSON.stringify(name)} must be valid as a DNS name component`);
}

/** Docker's rule for secret and config names. */
export function checkSecretName(kind: 'secret' | 'config', name: string): void {
  if (name === '') throw invalid('Spec.Name', `${kind} name must be provided`);
  if (name.length > SECRET_NAME_MAX || !SECRET_NAME.test(name))
    throw invalid(
      'Spec.Name',
      `invalid name ${JSON.stringify(name)}, only ${SECRET_NAME_MAX} [a-zA-Z0-9-_.] characters allowed, and the start and end character must be [a-zA-Z0-9]`,
    );
}

/** Secret data: more than 0 bytes and less than 500 KiB. */
export function checkSecretSpec(
  spec: { readonly name: string; readonly data: Buffer },
  kind: 'secret' | 'config',
): void {
  checkSecretName(kind, spec.name);
  const n = spec.data.length;
  if (n < 1 || n >= MAX_DATA_BYTES)
    throw invalid('Spec.Data', `${kind} data must be larger than 0 and less than 500 KiB (got ${n} bytes)`);
}

/**
 * Throws when `spec`, encoded as the proto message `typeName`, is over {@link MAX_SPEC_BYTES}. `field`
 * is where the spec sits in the request (`Spec`).
 */
export function checkSpecSize(typeName: string, spec: object, field = 'Spec'): void {
  const type = messageType(typeName);
  const bytes = type.encode(type.fromObject(spec)).finish().length;
  if (bytes > MAX_SPEC_BYTES)
    throw invalid(
      field,
      `the spec is ${bytes} bytes encoded; at most ${MAX_SPEC_BYTES} bytes are allowed (labels, env and options count)`,
    );
}

export function checkNetworkSpec(spec: NetworkSpec): void {
  const name = spec.name;
  if (name === '') throw invalid('Spec.Name', 'network name must be provided');
  if (PREDEFINED_NETWORKS.includes(name))
    throw invalid('Spec.Name', `${name} is a pre-defined network and cannot be created`);
  // Whitespace, path separators, control and bidi-format characters (a name that prints as another).
  if (/[\s/\\:\p{Cc}\p{Cf}]/u.test(name))
    throw invalid('Spec.Name', `invalid network name ${JSON.stringify(name)}`);
  if (name.length > NETWORK_NAME_MAX)
    throw invalid(
      'Spec.Name',
      `network name must be ${NETWORK_NAME_MAX} characters or fewer (got ${name.length})`,
    );
  const driver = spec.driverConfiguration?.name ?? '';
  if (driver !== '' && driver !== 'overlay')
    throw invalid(
      'Spec.DriverConfiguration.Name',
      `driver ${JSON.stringify(driver)} is not supported in swarm mode (use overlay)`,
    );
  for (const c of spec.ipamOptions?.configs ?? []) {
    if (c.subnet !== '' && !isCidr(c.subnet))
      throw invalid('Spec.IPAMOptions.Configs.Subnet', `invalid subnet ${JSON.stringify(c.subnet)}`);
    if (c.gateway !== '' && !isIpv4(c.gateway))
      throw invalid('Spec.IPAMOptions.Configs.Gateway', `invalid gateway ${JSON.stringify(c.gateway)}`);
  }
}

function isIpv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

function isCidr(s: string): boolean {
  const [ip = '', bits, ...rest] = s.split('/');
  return (
    rest.length === 0 && bits !== undefined && /^\d{1,2}$/.test(bits) && Number(bits) <= 32 && isIpv4(ip)
  );
}

/** Which of the four modes a spec has ('' when none is set). */
export function modeKind(m: ServiceMode | null): string {
  if (!m) return '';
  const set = (['replicated', 'global', 'replicatedJob', 'globalJob'] as const).filter((k) => m[k]);
  return set.join('+');
}

/**
 * The default constraint check: the scheduler's own parser (`key == value` or `key != value`, one of
 * Swarm's keys, a valid value), so a service is refused at create time for exactly the expressions the
 * scheduler could not place by. Throws its InvalidArgumentError naming the expression and what is wrong.
 */
export function checkConstraints(exprs: string[]): void {
  parseConstraints(exprs);
}

function checkUpdateConfig(field: string, c: UpdateConfig | null): void {
  if (!c) return;
  if (c.delay < 0) throw invalid(`${field}.Delay`, `delay cannot be negative (got ${c.delay})`);
  if (c.monitor < 0) throw invalid(`${field}.Monitor`, `monitor cannot be negative (got ${c.monitor})`);
  if (!(c.maxFailureRatio >= 0 && c.maxFailureRatio <= 1))
    throw invalid(`${field}.MaxFailureRatio`, `must be between 0 and 1 (got ${c.maxFailureRatio})`);
}

/**
 * The whole service spec. `rawReplicas` is the count as the caller sent it, before the conversion to
 * the unsigned proto field could hide a negative number.
 */
export function checkServiceSpec(
  spec: ServiceSpec,
  o: { readonly rawReplicas?: unknown; readonly parseConstraints: ConstraintParser },
): void {
  checkServiceName(spec.name);
  checkMode(spec.mode, o.rawReplicas);
  const task = spec.taskTemplate;
  const container = task?.containerSpec;
  if (!container) throw invalid('Spec.TaskTemplate.ContainerSpec', 'a container spec must be provided');
  if (container.image === '')
    throw invalid('Spec.TaskTemplate.ContainerSpec.Image', 'image reference must be provided');
  const ref = parseReference(container.image);
  if ('error' in ref)
    throw invalid(
      'Spec.TaskTemplate.ContainerSpec.Image',
      `${JSON.stringify(container.image)} is not a valid repository/tag: ${ref.error}`,
    );
  if ((container.stopGracePeriod ?? 0) < 0)
    throw invalid('Spec.TaskTemplate.ContainerSpec.StopGracePeriod', 'stop grace period cannot be negative');
  const restart = task.restartPolicy;
  if (restart && (restart.delay ?? 0) < 0)
    throw invalid(
      'Spec.TaskTemplate.RestartPolicy.Delay',
      `restart delay cannot be negative (got ${restart.delay})`,
    );
  if (restart && (restart.window ?? 0) < 0)
    throw invalid(
      'Spec.TaskTemplate.RestartPolicy.Window',
      `restart window cannot be negative (got ${restart.window})`,
    );
  for (const [k, r] of [
    ['Limits', task.resources?.limits],
    ['Reservations', task.resources?.reservations],
  ] as const) {
    if (r && (r.nanoCpus < 0 || r.memoryBytes < 0))
      throw invalid(`Spec.TaskTemplate.Resources.${k}`, 'CPU and memory cannot be negative');
  }
  const placement = task.placement;
  if (placement?.constraints.length) {
    try {
      o.parseConstraints([...placement.constraints]);
    } catch (err) {
      throw invalid(
        'Spec.TaskTemplate.Placement.Constraints',
        err instanceof Error ? err.message : String(err),
      );
    }
  }
  for (const p of placement?.preferences ?? []) {
    try {
      parseSpreadDescriptor(p.spread?.spreadDescriptor ?? '');
    } catch (err) {
      throw invalid(
        'Spec.TaskTemplate.Placement.Preferences',
        err instanceof Error ? err.message : String(err),
      );
    }
  }
  checkUpdateConfig('Spec.UpdateConfig', spec.updateConfig);
  checkUpdateConfig('Spec.RollbackConfig', spec.rollbackConfig);
  checkPorts(spec);
}

function checkMode(mode: ServiceMode | null, rawReplicas: unknown): void {
  const kind = modeKind(mode);
  if (kind.includes('+')) {
    if (mode?.global && mode.replicated)
      throw invalid('Spec.Mode', 'replicas can only be used with a replicated service, not a global one');
    throw invalid('Spec.Mode', `exactly one mode must be set (got ${kind})`);
  }
  const job = mode?.replicatedJob;
  if (job) {
    checkCount('Spec.Mode.ReplicatedJob.MaxConcurrent', job.maxConcurrent, MAX_REPLICAS);
    checkCount('Spec.Mode.ReplicatedJob.TotalCompletions', job.totalCompletions, MAX_JOB_COMPLETIONS);
  }
  const given = rawReplicas ?? mode?.replicated?.replicas;
  if (given === undefined || given === null) return;
  checkCount('Spec.Mode.Replicated.Replicas', given, MAX_REPLICAS);
}

/** A count as the caller sent it: a non-negative integer up to `max`. */
function checkCount(field: string, given: unknown, max: number): void {
  if (given === undefined || given === null) return;
  const text =
    typeof given === 'object' ? (given as { toString(): string }).toString() : `${given as number}`;
  const n = Number(text);
  const what = field.slice(field.lastIndexOf('.') + 1).toLowerCase();
  if (!Number.isSafeInteger(n) || n < 0)
    throw invalid(field, `${what} must be a non-negative integer (got ${text})`);
  if (n > max) throw invalid(field, `${what} must be at most ${max} (got ${text})`);
}

function checkPorts(spec: ServiceSpec): void {
  const ep = spec.endpointSpec;
  if (!ep) return;
  const seen = new Set<string>();
  for (const [i, p] of ep.ports.entries()) {
    const ingress = p.publishMode !== 'PUBLISH_MODE_HOST';
    if (ep.mode === 'MODE_DNSRR' && ingress && p.publishedPort !== 0)
      throw invalid(
        'Spec.EndpointSpec.Ports',
        "port published with ingress mode can't be used with dnsrr mode",
      );
    if (p.targetPort < 1 || p.targetPort > 65535)
      throw invalid(
        `Spec.EndpointSpec.Ports[${i}].TargetPort`,
        `port ${p.targetPort} is out of range (want 1 to 65535)`,
      );
    if (p.publishedPort > 65535)
      throw invalid(
        `Spec.EndpointSpec.Ports[${i}].PublishedPort`,
        `port ${p.publishedPort} is out of range (want 1 to 65535, or 0 for one chosen by the swarm)`,
      );
    if (p.publishedPort === 0) continue;
    const key = `${p.publishedPort}/${protocolName(p.protocol)}`;
    if (seen.has(key))
      throw invalid('Spec.EndpointSpec.Ports', `duplicate published ports provided (${key} twice)`);
    seen.add(key);
  }
}

/** tcp, udp or sctp (unspecified is tcp). */
export function protocolName(p: string): string {
  return p === 'PROTOCOL_UNSPECIFIED' ? 'tcp' : p.replace('PROTOCOL_', '').toLowerCase();
}
