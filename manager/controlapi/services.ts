/**
 * Services: create, update (with rollback and force), remove, and the status counts of `service ls`.
 *
 * Spec versions: `Service.specVersion` starts at 1 and goes up by one whenever the part of the spec that
 * tasks are made from changes (task template — including ForceUpdate —, endpoint spec, networks).
 * Scaling or relabelling a service changes its spec but not its tasks, so running tasks stay up to date
 * (Swarm does not redeploy on `service scale` either). `previousSpec` is the spec before each update.
 */
import type { CreateServiceRequest } from '../../proto/gen/shoal/api/CreateServiceRequest.ts';
import type { ServiceSpec__Output as ServiceSpec } from '../../proto/gen/shoal/api/ServiceSpec.ts';
import type { ServiceStatus__Output as ServiceStatus } from '../../proto/gen/shoal/api/ServiceStatus.ts';
import type { UpdateServiceRequest } from '../../proto/gen/shoal/api/UpdateServiceRequest.ts';
import { FailedPreconditionError, InvalidArgumentError, NotFoundError } from '../../proto/shared/errors.ts';
import { newId } from '../../proto/shared/ids.ts';
import { modeOf, observed, replicasOf } from '../orchestrator/common.ts';
import { blank, type WriteTx } from '../store/memory.ts';
import { OutOfSequenceError, type Service } from '../store/types.ts';
import { canonicalJson, copy, timestamp, type Ctx } from './context.ts';
import { normalize, withCreateDefaults } from './defaults.ts';
import { resolve } from './lookup.ts';
import { randomName } from './names.ts';
import { checkServiceSpec, checkSpecSize, modeKind, protocolName } from './validate.ts';
import { HOST_NETWORK } from '../allocator/objects.ts';

/** Validates a spec as given and returns it with Swarm's stored defaults. */
function prepareSpec(ctx: Ctx, raw: CreateServiceRequest['spec'], currentName?: string): ServiceSpec {
  if (!raw) throw new InvalidArgumentError('Spec: a service spec must be provided', 'Spec');
  const spec = normalize<ServiceSpec>('ServiceSpec', raw);
  if (spec.name === '') spec.name = currentName ?? randomName();
  checkSpecSize('ServiceSpec', spec);
  checkServiceSpec(spec, {
    rawReplicas: raw.mode?.replicated?.replicas,
    parseConstraints: ctx.parseConstraints,
  });
  return withCreateDefaults(spec);
}

function taskPart(spec: ServiceSpec | null): string {
  return canonicalJson({ t: spec?.taskTemplate, e: spec?.endpointSpec, n: spec?.networks });
}

/**
 * Resolves what the spec names to IDs (networks may be given by name; secrets and configs by ID or
 * name) and checks they exist, inside the transaction so the check and the write see one state.
 */
function resolveReferences(tx: WriteTx, spec: ServiceSpec): void {
  const task = spec.taskTemplate;
  for (const list of [task?.networks ?? [], spec.networks]) {
    for (const na of list) {
      if (na.target === HOST_NETWORK) {
        // Docker's predefined host network: tasks use their node's own network, and nothing else.
        if (list.length > 1)
          throw new InvalidArgumentError(
            'Spec.TaskTemplate.Networks: a service on the host network cannot be attached to other networks',
            'Spec.TaskTemplate.Networks',
          );
        continue;
      }
      const n = resolve(tx, 'network', na.target);
      if (n.spec?.ingress)
        throw new InvalidArgumentError(
          `Spec.TaskTemplate.Networks: service cannot be explicitly attached to the ingress network ${JSON.stringify(n.spec.name)}`,
          'Spec.TaskTemplate.Networks',
        );
      na.target = n.id;
    }
  }
  const container = task?.containerSpec;
  if (!container) return;
  const targets = new Map<string, string>();
  const missing: string[] = [];
  for (const ref of container.secrets) {
    const s =
      (ref.secretId ? tx.get('secret', ref.secretId) : undefined) ??
      (ref.secretName ? tx.find('secret', { name: ref.secretName })[0] : undefined);
    if (!s) {
      missing.push(ref.secretName || ref.secretId);
      continue;
    }
    ref.secretId = s.id;
    ref.secretName = s.spec?.name ?? ref.secretName;
    const target = ref.file?.name || ref.secretName;
    const other = targets.get(target);
    if (other !== undefined)
      throw new InvalidArgumentError(
        `Spec.TaskTemplate.ContainerSpec.Secrets: secret references '${other}' and '${ref.secretName}' have a conflicting target: '${target}'`,
        'Spec.TaskTemplate.ContainerSpec.Secrets',
      );
    targets.set(target, ref.secretName);
  }
  if (missing.length)
    throw new InvalidArgumentError(
      `Spec.TaskTemplate.ContainerSpec.Secrets: secret${missing.length > 1 ? 's' : ''} not found: ${missing.join(', ')}`,
      'Spec.TaskTemplate.ContainerSpec.Secrets',
    );
  for (const ref of container.configs) {
    const c =
      (ref.configId ? tx.get('config', ref.configId) : undefined) ??
      (ref.configName ? tx.find('config', { name: ref.configName })[0] : undefined);
    if (!c) missing.push(ref.configName || ref.configId);
    else {
      ref.configId = c.id;
      ref.configName = c.spec?.name ?? ref.configName;
    }
  }
  if (missing.length)
    throw new InvalidArgumentError(
      `Spec.TaskTemplate.ContainerSpec.Configs: config${missing.length > 1 ? 's' : ''} not found: ${missing.join(', ')}`,
      'Spec.TaskTemplate.ContainerSpec.Configs',
    );
}

/** Ingress-published ports are swarm-wide: another service may not publish the same port/protocol. */
function checkPortConflicts(tx: WriteTx, spec: ServiceSpec, selfId: string): void {
  const wanted = new Set(
    (spec.endpointSpec?.ports ?? [])
      .filter((p) => p.publishedPort !== 0 && p.publishMode !== 'PUBLISH_MODE_HOST')
      .map((p) => `${p.publishedPort}/${protocolName(p.protocol)}`),
  );
  if (wanted.size === 0) return;
  for (const other of tx.find('service')) {
    if (other.id === selfId) continue;
    const ports = [...(other.spec?.endpointSpec?.ports ?? []), ...(other.endpoint?.ports ?? [])];
    for (const p of ports) {
      if (p.publishMode === 'PUBLISH_MODE_HOST') continue;
      if (wanted.has(`${p.publishedPort}/${protocolName(p.protocol)}`))
        throw new InvalidArgumentError(
          `Spec.EndpointSpec.Ports: port '${p.publishedPort}' is already in use by service '${other.spec?.name ?? ''}' (${other.id}) as an ingress port`,
          'Spec.EndpointSpec.Ports',
        );
    }
  }
}

export async function createService(ctx: Ctx, raw: CreateServiceRequest['spec']): Promise<Service> {
  const spec = prepareSpec(ctx, raw);
  const id = newId<'service'>();
  await ctx.store.update((tx) => {
    resolveReferences(tx, spec);
    checkPortConflicts(tx, spec, id);
    const s = blank('service');
    s.id = id;
    s.spec = spec;
    s.specVersion = 1;
    tx.create('service', s);
  });
  ctx.log.info({ serviceId: id, name: spec.name }, 'service created');
  return stored(ctx, id);
}

function stored(ctx: Ctx, id: string): Service {
  const s = ctx.store.get('service', id);
  if (!s) throw new NotFoundError(`service ${id} not found`);
  return copy(s);
}

/** The version the caller read: required, and it must still be the stored one. */
export function checkVersion(
  kind: string,
  given: { index?: unknown } | null | undefined,
  current: number,
): number {
  if (!given) throw new InvalidArgumentError(`${kind} version must be provided`, 'version');
  const index = Number(given.index ?? 0);
  if (index !== current) throw new OutOfSequenceError();
  return index;
}

export async function updateService(ctx: Ctx, req: UpdateServiceRequest): Promise<Service> {
  const ref = req.serviceId ?? '';
  const cur = resolve(ctx.store, 'service', ref);
  const version = checkVersion('service', req.serviceVersion, cur.version?.index ?? 0);
  const rollback = req.rollback ?? '';
  if (rollback === 'previous') return rollbackTo(ctx, cur, ref, version);
  if (rollback !== '' && rollback !== 'none')
    throw new InvalidArgumentError(
      `rollback: unknown value ${JSON.stringify(rollback)} (want "previous")`,
      'rollback',
    );
  const spec = prepareSpec(ctx, req.spec, cur.spec?.name);
  if (spec.name !== cur.spec?.name)
    throw new InvalidArgumentError('Spec.Name: renaming services is not supported', 'Spec.Name');
  if (modeKind(spec.mode) !== modeKind(cur.spec?.mode ?? null))
    throw new InvalidArgumentError('Spec.Mode: service mode change is not allowed', 'Spec.Mode');
  await ctx.store.update((tx) => {
    resolveReferences(tx, spec);
    checkPortConflicts(tx, spec, cur.id);
    const s = copy(cur);
    s.version = { index: version };
    s.previousSpec = s.spec;
    s.spec = spec;
    if (taskPart(s.previousSpec) !== taskPart(spec)) s.specVersion += 1;
    s.updateStatus = null;
    tx.update('service', s);
  });
  ctx.log.info({ serviceId: cur.id, specVersion: stored(ctx, cur.id).specVersion }, 'service updated');
  return stored(ctx, cur.id);
}

/** `service rollback`: the previous spec comes back (and the current one becomes the previous). */
async function rollbackTo(ctx: Ctx, cur: Service, ref: string, version: number): Promise<Service> {
  if (!cur.previousSpec) throw new FailedPreconditionError(`service ${ref} does not have a previous spec`);
  await ctx.store.update((tx) => {
    const s = copy(cur);
    s.version = { index: version };
    const back = s.previousSpec;
    s.previousSpec = s.spec;
    s.spec = back;
    if (taskPart(s.previousSpec) !== taskPart(back)) s.specVersion += 1;
    s.updateStatus = {
      state: 'STATE_ROLLBACK_STARTED',
      startedAt: timestamp(ctx.now()),
      completedAt: null,
      message: 'manually requested rollback',
    };
    tx.update('service', s);
  });
  ctx.log.info({ serviceId: cur.id }, 'service rollback requested');
  return stored(ctx, cur.id);
}

export async function removeService(ctx: Ctx, ref: string): Promise<void> {
  const s = resolve(ctx.store, 'service', ref);
  await ctx.store.update((tx) => tx.remove('service', s.id));
  ctx.log.info({ serviceId: s.id }, 'service removed');
}

/** `GET /services?status=true`: running and desired task counts (completed for jobs). */
export function serviceStatus(ctx: Ctx, s: Service): ServiceStatus {
  const tasks = ctx.store.find('task', { serviceId: s.id });
  const running = tasks.filter(
    (t) => t.desiredState === 'TASK_STATE_RUNNING' && observed(t) === 'TASK_STATE_RUNNING',
  ).length;
  const completed = tasks.filter((t) => observed(t) === 'TASK_STATE_COMPLETE').length;
  const mode = modeOf(s);
  let desired: number;
  if (mode === 'replicated') desired = replicasOf(s);
  else if (mode === 'replicated-job') desired = s.spec?.mode?.replicatedJob?.maxConcurrent ?? 1;
  else
    desired = tasks.filter(
      (t) => t.desiredState === 'TASK_STATE_RUNNING' || t.desiredState === 'TASK_STATE_COMPLETE',
    ).length;
  return { runningTasks: running, desiredTasks: desired, completedTasks: completed };
}
