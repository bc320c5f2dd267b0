/**
 * Secrets, configs, networks and tasks.
 *
 * Secret data never leaves the control API: every secret handed out has empty `data` (the store keeps
 * it; the dispatcher sends it only to nodes running a task that references it). Config data is shown,
 * as Docker does.
 */
import type { ConfigSpec__Output as ConfigSpec } from '../../proto/gen/shoal/api/ConfigSpec.ts';
import type { NetworkSpec__Output as NetworkSpec } from '../../proto/gen/shoal/api/NetworkSpec.ts';
import type { SecretSpec__Output as SecretSpec } from '../../proto/gen/shoal/api/SecretSpec.ts';
import {
  AlreadyExistsError,
  FailedPreconditionError,
  InvalidArgumentError,
} from '../../proto/shared/errors.ts';
import { newId } from '../../proto/shared/ids.ts';
import { before } from '../orchestrator/common.ts';
import { blank } from '../store/memory.ts';
import type { Config, Network, Secret, Service } from '../store/types.ts';
import { copy, type Ctx } from './context.ts';
import { normalize } from './defaults.ts';
import { resolve } from './lookup.ts';
import { checkVersion } from './services.ts';
import { checkNetworkSpec, checkSecretSpec, checkSpecSize } from './validate.ts';

/** A copy of a secret without its data. */
export function redacted(s: Secret): Secret {
  const c = copy(s);
  if (c.spec) c.spec.data = Buffer.alloc(0);
  return c;
}

type DataKind = 'secret' | 'config';

function specFor(kind: DataKind, raw: unknown): SecretSpec | ConfigSpec {
  if (!raw) throw new InvalidArgumentError(`Spec: a ${kind} spec must be provided`, 'Spec');
  const typeName = kind === 'secret' ? 'SecretSpec' : 'ConfigSpec';
  const spec = normalize<SecretSpec | ConfigSpec>(typeName, raw);
  checkSpecSize(typeName, spec);
  return spec;
}

export async function createData(ctx: Ctx, kind: DataKind, raw: unknown): Promise<Secret | Config> {
  const spec = specFor(kind, raw);
  checkSecretSpec(spec, kind);
  const id = newId<DataKind>();
  await ctx.store.update((tx) => {
    const o = blank(kind);
    o.id = id;
    o.spec = spec;
    tx.create(kind, o);
  });
  ctx.log.info({ [`${kind}Id`]: id, name: spec.name }, `${kind} created`);
  return copy(ctx.store.get(kind, id) as Secret | Config);
}

/** Only the labels of a secret or config may change (the data must be absent or the same). */
export async function updateData(
  ctx: Ctx,
  kind: DataKind,
  ref: string,
  version: { index?: unknown } | null | undefined,
  raw: unknown,
): Promise<Secret | Config> {
  const cur = resolve(ctx.store, kind, ref);
  const index = checkVersion(kind, version, cur.version?.index ?? 0);
  const spec = specFor(kind, raw);
  const data = cur.spec?.data ?? Buffer.alloc(0);
  if (spec.name !== cur.spec?.name || (spec.data.length > 0 && !spec.data.equals(data)))
    throw new InvalidArgumentError('Spec: only updates to Labels are allowed', 'Spec.Labels');
  await ctx.store.update((tx) => {
    const o = copy(cur);
    o.version = { index };
    if (o.spec) o.spec.labels = { ...spec.labels };
    tx.update(kind, o);
  });
  return copy(ctx.store.get(kind, cur.id) as Secret | Config);
}

function usersOf(ctx: Ctx, kind: DataKind, id: string): Service[] {
  return ctx.store.find('service').filter((s) => {
    const c = s.spec?.taskTemplate?.containerSpec;
    if (!c) return false;
    return kind === 'secret'
      ? c.secrets.some((r) => r.secretId === id)
      : c.configs.some((r) => r.configId === id);
  });
}

/** Removes a secret or config no service references ("secret 'x' is in use by the following service: web"). */
export async function removeData(ctx: Ctx, kind: DataKind, ref: string): Promise<void> {
  const o = resolve(ctx.store, kind, ref);
  const users = usersOf(ctx, kind, o.id).map((s) => s.spec?.name ?? s.id);
  if (users.length)
    throw new FailedPreconditionError(
      `${kind} '${o.spec?.name ?? o.id}' is in use by the following service${users.length > 1 ? 's' : ''}: ${users.join(', ')}`,
    );
  await ctx.store.update((tx) => tx.remove(kind, o.id));
  ctx.log.info({ [`${kind}Id`]: o.id }, `${kind} removed`);
}

export async function createNetwork(ctx: Ctx, raw: unknown): Promise<Network> {
  if (!raw) throw new InvalidArgumentError('Spec: a network spec must be provided', 'Spec');
  const spec = normalize<NetworkSpec>('NetworkSpec', raw);
  checkSpecSize('NetworkSpec', spec);
  checkNetworkSpec(spec);
  spec.driverConfiguration ??= { name: 'overlay', options: {} };
  if (spec.driverConfiguration.name === '') spec.driverConfiguration.name = 'overlay';
  if (spec.scope === '') spec.scope = 'swarm';
  const id = newId<'network'>();
  await ctx.store.update((tx) => {
    const ingress = spec.ingress ? tx.find('network').find((n) => n.spec?.ingress) : undefined;
    if (ingress)
      throw new AlreadyExistsError(
        `ingress network (${ingress.spec?.name ?? ingress.id}) is already present`,
      );
    const n = blank('network');
    n.id = id;
    n.spec = spec;
    tx.create('network', n);
  });
  ctx.log.info({ networkId: id, name: spec.name }, 'network created');
  return copy(ctx.store.get('network', id) as Network);
}

function publishesIngressPorts(s: Service): boolean {
  return [...(s.spec?.endpointSpec?.ports ?? []), ...(s.endpoint?.ports ?? [])].some(
    (p) => p.publishMode !== 'PUBLISH_MODE_HOST',
  );
}

/** Removes a network no service or live task uses; the ingress network only while no service publishes ports. */
export async function removeNetwork(ctx: Ctx, ref: string): Promise<void> {
  const n = resolve(ctx.store, 'network', ref);
  const name = n.spec?.name ?? n.id;
  const services = ctx.store.find('service');
  if (n.spec?.ingress) {
    const user = services.find(publishesIngressPorts);
    if (user)
      throw new FailedPreconditionError(
        `ingress network cannot be removed because service ${user.spec?.name ?? user.id} depends on it`,
      );
  }
  for (const s of services) {
    const task = s.spec?.taskTemplate?.networks ?? [];
    const attached = task.length ? task : (s.spec?.networks ?? []);
    if (attached.some((na) => na.target === n.id))
      throw new FailedPreconditionError(`network ${name} is in use by service ${s.spec?.name ?? s.id}`);
  }
  const serviceIds = new Set(services.map((s) => s.id));
  for (const t of ctx.store.find('task')) {
    if (!before(t.desiredState, 'TASK_STATE_COMPLETE')) continue;
    // a task of a removed service is going away even before the orchestrator marks it so (`stack rm`
    // removes the services, then at once the networks)
    if (t.serviceId !== '' && !serviceIds.has(t.serviceId)) continue;
    if (t.networksAttachments.some((a) => a.network?.id === n.id))
      throw new FailedPreconditionError(`network ${name} is in use by task ${t.id}`);
  }
  await ctx.store.update((tx) => tx.remove('network', n.id));
  ctx.log.info({ networkId: n.id }, 'network removed');
}

export async function removeTask(ctx: Ctx, ref: string): Promise<void> {
  const t = resolve(ctx.store, 'task', ref);
  await ctx.store.update((tx) => tx.remove('task', t.id));
}
