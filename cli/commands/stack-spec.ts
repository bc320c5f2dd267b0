/**
 * What `stack deploy` decides per service before writing: the image to send (docker's
 * `--resolve-image` rules), the spec an update sends (keeping what docker keeps), and whether the
 * server already has that spec, so an unchanged file changes nothing.
 */
import { isDeepStrictEqual } from 'node:util';
import { imageWithTag } from '../../compose/convert/image.ts';
import type { Ctx } from '../context.ts';
import { ApiError } from '../errors.ts';
import type { Json, Service, ServiceSpec } from '../types.ts';

/** docker's `--resolve-image` values. */
export const RESOLVE_IMAGE = ['always', 'changed', 'never'] as const;

/** When to ask the registry for an image digest. */
export type ResolveImage = (typeof RESOLVE_IMAGE)[number];

/** The label holding the image as the compose file wrote it. */
export const LABEL_IMAGE = 'com.docker.stack.image';

/** The image as written in the file (the converter's untagged `ContainerSpec.Image`). */
export function rawImage(spec: ServiceSpec): string {
  return spec.Labels?.[LABEL_IMAGE] ?? spec.TaskTemplate?.ContainerSpec?.Image ?? '';
}

/** docker's digest warning, printed for updates when the registry lookup fails. */
export function digestWarning(image: string): string {
  return `image ${image} could not be accessed on a registry to record\nits digest. Each node will access ${image} independently,\npossibly leading to different nodes running different\nversions of the image.`;
}

/** The outcome of a registry lookup: the image to send and docker's warning when it failed. */
export interface ResolvedImage {
  readonly image: string;
  readonly warning?: string;
}

/**
 * docker's client-side `QueryRegistry`: `GET /distribution/<image:tag>/json`; with a digest the image
 * is pinned (`image@sha256:…`), without one it gets `:latest` when untagged and a warning.
 */
export async function queryRegistry(ctx: Ctx, raw: string): Promise<ResolvedImage> {
  const tagged = imageWithTag(raw);
  try {
    const res = await ctx
      .api()
      .get<{ Descriptor?: { digest?: string } } | undefined>(`/distribution/${tagged}/json`);
    const digest = res?.Descriptor?.digest;
    if (digest === undefined || raw.includes('@')) return { image: tagged };
    const untagged = raw.includes(':') ? tagged : tagged.replace(/:latest$/, '');
    return { image: `${untagged}@${digest}` };
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return { image: tagged, warning: digestWarning(tagged) };
  }
}

/**
 * The spec docker's deployServices sends for an existing service: the converted spec, with the
 * server's image kept when the file's image did not change (unless resolving `always`), and the
 * server's `ForceUpdate` kept so that tasks are not redeployed for nothing. The image goes out with
 * `:latest` when untagged, as docker's API client sends every service update (`imageWithTagString`).
 */
export async function updatedSpec(
  ctx: Ctx,
  converted: ServiceSpec,
  current: Service,
  resolve: ResolveImage,
): Promise<{ spec: ServiceSpec; warning?: string }> {
  const spec = structuredClone(converted);
  const container = (spec.TaskTemplate ??= {}).ContainerSpec ?? {};
  spec.TaskTemplate.ContainerSpec = container;
  const raw = rawImage(converted);
  const sameImage = raw === current.Spec.Labels?.[LABEL_IMAGE];
  let warning: string | undefined;
  if (resolve === 'always' || (resolve === 'changed' && !sameImage)) {
    const resolved = await queryRegistry(ctx, raw);
    container.Image = resolved.image;
    warning = resolved.warning;
  } else if (sameImage) {
    const image = current.Spec.TaskTemplate?.ContainerSpec?.Image;
    if (image === undefined) delete container.Image;
    else container.Image = image;
  }
  if (container.Image !== undefined) container.Image = imageWithTag(container.Image);
  spec.TaskTemplate.ForceUpdate = current.Spec.TaskTemplate?.ForceUpdate ?? 0;
  return warning === undefined ? { spec } : { spec, warning };
}

/**
 * Whether `current` (as `GET /services` shows it) already has `wanted`. Both sides go through the
 * Docker JSON ↔ proto canonical form (the server drops zero values and empty lists); `wanted` first
 * gets what the server fills in on create: one replica, `vip` endpoint mode, network names resolved
 * to IDs (`networkIds`); both get the zero-valued fields Docker's daemon writes (withZeroFields).
 */
export async function sameSpec(
  wanted: ServiceSpec,
  current: ServiceSpec,
  networkIds: ReadonlyMap<string, string>,
): Promise<boolean> {
  // Loaded on demand: the proto reflection is heavy and only deploy needs it.
  const { canonical } = await import('../../proto/docker/canonical.ts');
  const filled = withServerDefaults(wanted, networkIds);
  const shown = structuredClone(current);
  withZeroFields(shown);
  try {
    return isDeepStrictEqual(
      canonical('ServiceSpec', filled as never),
      canonical('ServiceSpec', shown as never),
    );
  } catch {
    return false; // a field the proto does not know: let the server decide
  }
}

function withServerDefaults(wanted: ServiceSpec, networkIds: ReadonlyMap<string, string>): ServiceSpec {
  const spec = structuredClone(wanted);
  const mode = spec.Mode;
  if (!mode || (!mode.Replicated && !mode.Global && !mode.ReplicatedJob && !mode.GlobalJob)) {
    spec.Mode = { Replicated: { Replicas: 1 } };
  } else if (mode.Replicated && mode.Replicated.Replicas === undefined) {
    mode.Replicated.Replicas = 1;
  }
  const endpoint = (spec['EndpointSpec'] ?? {}) as Json;
  endpoint['Mode'] ??= 'vip';
  spec['EndpointSpec'] = endpoint;
  withZeroFields(spec);
  for (const list of [spec.TaskTemplate?.['Networks'], spec['Networks']]) {
    if (!Array.isArray(list)) continue;
    for (const n of list as Json[]) {
      const id = typeof n['Target'] === 'string' ? networkIds.get(n['Target']) : undefined;
      if (id !== undefined) n['Target'] = id;
    }
  }
  return spec;
}

const json = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;

/**
 * The fields a service's GET shows at their zero value, as Docker's daemon writes them (see
 * daemon/api/services.ts `withDockerZeroFields`): the runtime, the isolation, a restart policy's
 * condition, an update or rollback config's failure action and order, and the numbers.
 */
function withZeroFields(spec: ServiceSpec): void {
  const task = json(spec.TaskTemplate);
  if (task) {
    task['ForceUpdate'] ??= 0;
    if (!task['PluginSpec'] && !task['NetworkAttachmentSpec']) task['Runtime'] ??= 'container';
    const container = json(task['ContainerSpec']);
    if (container) container['Isolation'] ??= 'default';
    const restart = json(task['RestartPolicy']);
    if (restart) {
      restart['Condition'] ??= 'any';
      restart['MaxAttempts'] ??= 0;
    }
  }
  for (const key of ['UpdateConfig', 'RollbackConfig']) {
    const c = json((spec as Json)[key]);
    if (!c) continue;
    c['Parallelism'] ??= 0;
    c['FailureAction'] ??= 'pause';
    c['MaxFailureRatio'] ??= 0;
    c['Order'] ??= 'stop-first';
  }
}
