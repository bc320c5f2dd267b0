/** `service create` and `service update`: flags → spec → request → convergence progress. */
import type { Ctx } from '../context.ts';
import { ApiError, CliError, UsageError } from '../errors.ts';
import { parsePort, parseUint, type FileRef, type PortConfig } from '../flags.ts';
import { waitOnService } from '../progress.ts';
import type { Json, SecretOrConfig, Service, ServiceSpec } from '../types.ts';
import { filter, seg } from './common.ts';
import {
  applyScalarFlags,
  modeFrom,
  normalizeImage,
  parseLists,
  shellSplit,
  type SpecFlags,
} from './service-spec.ts';

/** Flags only `create` has beyond the shared ones. */
export interface CreateFlags extends SpecFlags {
  readonly detach?: boolean;
  readonly quiet?: boolean;
  readonly resolveImage?: boolean;
}

/** Builds the create spec; throws UsageError on any bad flag. Secrets/configs come back unresolved. */
export function createSpec(image: string, args: readonly string[], o: CreateFlags) {
  const mode = modeFrom(o);
  const lists = parseLists(o);
  const cs: Json = { Image: normalizeImage(image) };
  if (Object.keys(lists.containerLabels).length > 0) cs.Labels = lists.containerLabels;
  if (args.length > 0) cs.Args = [...args];
  if (lists.env.length > 0) cs.Env = [...lists.env];
  if (lists.mounts.length > 0) cs.Mounts = lists.mounts;
  cs.Init = o.init ?? false;
  cs.DNSConfig = {};
  const spec: ServiceSpec = {
    Name: o.name ?? '',
    Labels: lists.labels,
    TaskTemplate: {
      ContainerSpec: cs,
      Resources: { Limits: {}, Reservations: {} },
      Placement: {},
      ForceUpdate: 0,
    },
    Mode: mode,
  };
  const tt = spec.TaskTemplate ?? {};
  const placement = (tt.Placement ??= {});
  if (o.constraint?.length) placement.Constraints = [...o.constraint];
  if (lists.prefs.length > 0) placement.Preferences = lists.prefs;
  if (o.network?.length) tt.Networks = o.network.map((n) => ({ Target: n }));
  applyScalarFlags(spec, o);
  const endpoint: NonNullable<ServiceSpec['EndpointSpec']> = { Mode: spec.EndpointSpec?.Mode ?? 'vip' };
  if (lists.ports.length > 0) endpoint.Ports = lists.ports;
  spec.EndpointSpec = endpoint;
  return { spec, secrets: lists.secrets, configs: lists.configs };
}

/** Looks up secret or config names and returns the references the spec carries. */
async function resolveRefs(ctx: Ctx, kind: 'secret' | 'config', refs: readonly FileRef[]): Promise<Json[]> {
  if (refs.length === 0) return [];
  const names = [...new Set(refs.map((r) => r.source))];
  const found = await ctx.api().get<SecretOrConfig[]>(`/${kind}s`, { filters: filter('name', ...names) });
  const ids = new Map(found.map((f) => [f.Spec.Name, f.ID]));
  return refs.map((r) => {
    const id = ids.get(r.source);
    if (id === undefined) throw new CliError(`${kind} not found: ${r.source}`);
    const file = { Name: r.target, UID: r.uid, GID: r.gid, Mode: r.mode };
    return kind === 'secret'
      ? { File: file, SecretID: id, SecretName: r.source }
      : { File: file, ConfigID: id, ConfigName: r.source };
  });
}

/** Asks the daemon for the image digest; on failure prints docker's warning (stderr) and carries on. */
async function resolveImage(ctx: Ctx, image: string): Promise<void> {
  try {
    await ctx.api().request('GET', `/distribution/${image}/json`);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    ctx.io.err(
      `image ${image} could not be accessed on a registry to record\nits digest. Each node will access ${image} independently,\npossibly leading to different nodes running different\nversions of the image.\n\n`,
    );
  }
}

/** `service create`. */
export async function createService(ctx: Ctx, image: string, args: string[], o: CreateFlags): Promise<void> {
  const { spec, secrets, configs } = createSpec(image, args, o);
  const cs = spec.TaskTemplate?.ContainerSpec ?? {};
  const resolvedSecrets = await resolveRefs(ctx, 'secret', secrets);
  if (resolvedSecrets.length > 0) cs.Secrets = resolvedSecrets;
  const resolvedConfigs = await resolveRefs(ctx, 'config', configs);
  if (resolvedConfigs.length > 0) cs.Configs = resolvedConfigs;
  if (o.resolveImage !== false) await resolveImage(ctx, cs.Image ?? image);
  const res = await ctx.api().json<{ ID: string; Warnings?: string[] | null }>('POST', '/services/create', {
    body: spec,
  });
  for (const w of res.Warnings ?? []) ctx.io.err(`${w}\n`);
  ctx.io.out(`${res.ID}\n`);
  if (!o.detach) await waitOnService(ctx, res.ID, o.quiet ?? false);
}

/** Flags only `update` has. */
export interface UpdateFlags extends SpecFlags {
  readonly detach?: boolean;
  readonly quiet?: boolean;
  readonly resolveImage?: boolean;
  readonly image?: string;
  readonly args?: string;
  readonly force?: boolean;
  readonly rollback?: boolean;
  readonly envAdd?: string[];
  readonly envRm?: string[];
  readonly labelAdd?: string[];
  readonly labelRm?: string[];
  readonly containerLabelAdd?: string[];
  readonly containerLabelRm?: string[];
  readonly constraintAdd?: string[];
  readonly constraintRm?: string[];
  readonly placementPrefAdd?: string[];
  readonly placementPrefRm?: string[];
  readonly publishAdd?: string[];
  readonly publishRm?: string[];
  readonly secretAdd?: string[];
  readonly secretRm?: string[];
  readonly configAdd?: string[];
  readonly configRm?: string[];
  readonly networkAdd?: string[];
  readonly networkRm?: string[];
  readonly mountAdd?: string[];
  readonly mountRm?: string[];
}

function samePort(a: PortConfig, rm: PortConfig): boolean {
  return (
    a.Protocol === rm.Protocol &&
    a.TargetPort === rm.TargetPort &&
    (!rm.PublishedPort || rm.PublishedPort === a.PublishedPort)
  );
}

/** Applies update flags to a copy of `current`; validation happens in `validateUpdate` first. */
export function updatedSpec(current: ServiceSpec, o: UpdateFlags): ServiceSpec {
  const spec: ServiceSpec = structuredClone(current);
  const tt = (spec.TaskTemplate ??= {});
  const cs = (tt.ContainerSpec ??= {});
  const adds = parseLists({
    env: o.envAdd,
    label: o.labelAdd,
    containerLabel: o.containerLabelAdd,
    placementPref: o.placementPrefAdd,
    publish: o.publishAdd,
    mount: o.mountAdd,
  });
  if (o.image !== undefined) cs.Image = normalizeImage(o.image);
  if (o.args !== undefined) cs.Args = shellSplit(o.args);
  if (o.envAdd || o.envRm) {
    const key = (e: string) => e.split('=')[0] ?? e;
    const drop = new Set([...(o.envRm ?? []), ...adds.env].map(key));
    cs.Env = [...(cs.Env ?? []).filter((e) => !drop.has(key(e))), ...adds.env];
  }
  if (o.labelAdd || o.labelRm) {
    spec.Labels = { ...spec.Labels, ...adds.labels };
    for (const k of o.labelRm ?? []) delete spec.Labels[k];
  }
  if (o.containerLabelAdd || o.containerLabelRm) {
    cs.Labels = { ...cs.Labels, ...adds.containerLabels };
    for (const k of o.containerLabelRm ?? []) delete cs.Labels[k];
  }
  if (o.constraintAdd || o.constraintRm) {
    const placement = (tt.Placement ??= {});
    const rm = new Set(o.constraintRm ?? []);
    const kept = (placement.Constraints ?? []).filter((c) => !rm.has(c));
    placement.Constraints = [...kept, ...(o.constraintAdd ?? []).filter((c) => !kept.includes(c))];
  }
  if (o.placementPrefAdd || o.placementPrefRm) {
    const placement = (tt.Placement ??= {});
    const rm = new Set((o.placementPrefRm ?? []).map((p) => p.replace(/^spread=/, '')));
    placement.Preferences = [
      ...(placement.Preferences ?? []).filter((p) => !rm.has(p.Spread.SpreadDescriptor)),
      ...adds.prefs,
    ];
  }
  if (o.publishAdd || o.publishRm) {
    const endpoint = (spec.EndpointSpec ??= { Mode: 'vip' });
    const rm = (o.publishRm ?? []).map(parsePort);
    const kept = (endpoint.Ports ?? []).filter((p) => !rm.some((r) => samePort(p as PortConfig, r)));
    const added = adds.ports;
    endpoint.Ports = [
      ...kept.filter(
        (p) => !added.some((a) => a.PublishedPort !== undefined && a.PublishedPort === p.PublishedPort),
      ),
      ...added,
    ];
  }
  if (o.networkAdd || o.networkRm) {
    const rm = new Set(o.networkRm ?? []);
    tt.Networks = [
      ...(tt.Networks ?? []).filter((n) => !rm.has(n.Target)),
      ...(o.networkAdd ?? []).map((n) => ({ Target: n })),
    ];
  }
  if (o.mountAdd || o.mountRm) {
    const rm = new Set(o.mountRm ?? []);
    const targets = new Set(adds.mounts.map((m) => m.Target));
    cs.Mounts = [
      ...(cs.Mounts ?? []).filter((m) => !rm.has(m.Target as string) && !targets.has(m.Target)),
      ...adds.mounts,
    ];
  }
  if (o.replicas !== undefined) {
    const replicas = parseUint('--replicas', o.replicas);
    if (spec.Mode?.Replicated) spec.Mode.Replicated.Replicas = replicas;
    else if (spec.Mode?.ReplicatedJob) spec.Mode.ReplicatedJob.TotalCompletions = replicas;
    else throw new UsageError('replicas can only be used with replicated or replicated-job mode');
  }
  applyScalarFlags(spec, o);
  if (o.force) tt.ForceUpdate = (tt.ForceUpdate ?? 0) + 1;
  return spec;
}

/** `service update`: validates every flag on an empty spec first, so a bad value sends nothing. */
export async function updateService(ctx: Ctx, ref: string, o: UpdateFlags): Promise<void> {
  updatedSpec({ Mode: { Replicated: {} } }, o);
  const secretAdds = (o.secretAdd ?? [])
    .map((s) => parseLists({ secret: [s] }).secrets[0])
    .filter((s) => s !== undefined);
  const configAdds = (o.configAdd ?? [])
    .map((s) => parseLists({ config: [s] }).configs[0])
    .filter((s) => s !== undefined);
  const service = await ctx.api().get<Service>(`/services/${seg(ref)}`, { insertDefaults: false });
  const query: Record<string, string | number> = {
    registryAuthFrom: 'spec',
    version: service.Version?.Index ?? 0,
  };
  let spec: ServiceSpec = service.Spec;
  if (o.rollback) {
    query.rollback = 'previous';
  } else {
    spec = updatedSpec(service.Spec, o);
    const cs = (spec.TaskTemplate ??= {}).ContainerSpec ?? {};
    if (o.secretAdd || o.secretRm) {
      const added = await resolveRefs(ctx, 'secret', secretAdds);
      const rm = new Set([...(o.secretRm ?? []), ...added.map((s) => s.SecretName as string)]);
      cs.Secrets = [...(cs.Secrets ?? []).filter((s) => !rm.has(s.SecretName as string)), ...added];
    }
    if (o.configAdd || o.configRm) {
      const added = await resolveRefs(ctx, 'config', configAdds);
      const rm = new Set([...(o.configRm ?? []), ...added.map((s) => s.ConfigName as string)]);
      cs.Configs = [...(cs.Configs ?? []).filter((s) => !rm.has(s.ConfigName as string)), ...added];
    }
    if (o.image !== undefined && o.resolveImage !== false) await resolveImage(ctx, cs.Image ?? o.image);
  }
  const res = await ctx
    .api()
    .json<{ Warnings?: string[] | null }>('POST', `/services/${seg(service.ID)}/update`, {
      query,
      body: spec,
    });
  for (const w of res?.Warnings ?? []) ctx.io.err(`${w}\n`);
  ctx.io.out(`${ref}\n`);
  if (!o.detach) await waitOnService(ctx, ref, o.quiet ?? false);
}
