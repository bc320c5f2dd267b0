/**
 * `shoal stack deploy`: docker's `deployCompose`, request for request (docker-cli-28-trace.txt). The
 * compose files are loaded and converted before the first request, so an invalid file changes
 * nothing; external networks, secrets and configs are checked before anything is created. Existing
 * services are updated only when their spec differs from the server's (docker updates them all).
 */
import {
  ComposeError,
  convertStack,
  loadComposeFiles,
  readObjectFile,
  type ConvertedStack,
} from '../../compose/index.ts';
import { imageWithTag } from '../../compose/convert/image.ts';
import type { Ctx } from '../context.ts';
import { ApiError, CliError } from '../errors.ts';
import { waitOnService } from '../progress.ts';
import type { Info, Json, Network, SecretOrConfig, Service, ServiceSpec } from '../types.ts';
import { filter, seg } from './common.ts';
import { queryRegistry, rawImage, sameSpec, updatedSpec, type ResolveImage } from './stack-spec.ts';
import { removeServices, stackFilter } from './stack-objects.ts';

/** Options of `stack deploy`, parsed. */
export interface DeployOptions {
  readonly composeFiles: readonly string[];
  readonly prune: boolean;
  readonly resolveImage: ResolveImage;
  /** `undefined` when `--detach` was not given (docker then prints a notice and does not wait). */
  readonly detach: boolean | undefined;
  readonly quiet: boolean;
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
}

/** Loads and converts the files; compose errors become CLI errors naming file, path and problem. */
export function loadStack(namespace: string, o: DeployOptions): ConvertedStack {
  if (o.composeFiles.length === 0) throw new CliError('Specify a Compose file (with --compose-file)');
  try {
    const project = loadComposeFiles(o.composeFiles, o.env === undefined ? {} : { env: o.env });
    // Images stay as written: deployServices adds the tag or digest as docker's client does.
    return convertStack(project, namespace, { readFile: readObjectFile, tagImages: false });
  } catch (err) {
    if (err instanceof ComposeError) {
      // Conversion errors come after the merge, without a file: name the files they came from.
      if (err.file !== undefined) throw new CliError(err.message);
      throw new CliError(
        `${o.composeFiles.join(', ')}${o.composeFiles.length > 1 ? ' (merged)' : ''}: ${err.message}`,
      );
    }
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') throw new CliError(err.message);
    throw err;
  }
}

/** Runs `stack deploy` for an already converted stack. */
export async function deployStack(
  ctx: Ctx,
  namespace: string,
  stack: ConvertedStack,
  o: DeployOptions,
): Promise<void> {
  for (const w of stack.warnings) ctx.io.err(`${w}\n`);
  if (stack.warnings.length > 0) ctx.io.err('\n');
  if (o.detach === undefined) {
    ctx.io.err(
      'Since --detach=false was not specified, tasks will be created in the background.\n' +
        'In a future release, --detach=false will become the default.\n',
    );
  }
  const info = await ctx.api().get<Info>('/info');
  if (!info.Swarm?.ControlAvailable) {
    throw new CliError(
      'this node is not a swarm manager. Use "shoal swarm init" or "shoal swarm join" to connect this node to swarm and try again',
    );
  }
  const networkIds = new Map<string, string>();
  await checkExternalNetworks(ctx, stack.externalNetworks, networkIds);
  const specs = stack.services.map((s) => s.spec as ServiceSpec);
  await checkExternalObjects(ctx, 'secret', stack.externalSecrets, specs);
  await checkExternalObjects(ctx, 'config', stack.externalConfigs, specs);
  await checkConfigData(ctx, stack);
  // docker prunes first; after the checks, a deploy that cannot succeed removes nothing either.
  if (o.prune) await prune(ctx, namespace, new Set(stack.services.map((s) => s.name)));
  await createNetworks(ctx, namespace, stack, networkIds);
  for (const s of stack.secrets) await createOrUpdateObject(ctx, 'secret', s.name, s.spec);
  for (const c of stack.configs) await createOrUpdateObject(ctx, 'config', c.name, c.spec);
  for (const spec of specs) {
    await resolveIds(ctx, 'secret', spec);
    await resolveIds(ctx, 'config', spec);
  }
  const ids = await deployServices(ctx, namespace, specs, networkIds, o.resolveImage);
  if (o.detach === false) for (const id of ids) await waitOnService(ctx, id, o.quiet);
}

async function prune(ctx: Ctx, namespace: string, keep: ReadonlySet<string>): Promise<void> {
  let services: Service[] = [];
  try {
    services = await ctx.api().get<Service[]>('/services', { filters: stackFilter(namespace) });
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    ctx.io.err(`Failed to list services: Error response from daemon: ${err.message}\n`);
  }
  await removeServices(
    ctx,
    services.filter((s) => !keep.has(s.Spec.Name ?? '')),
  );
}

const PREDEFINED_NETWORKS: ReadonlySet<string> = new Set(['host', 'bridge', 'none']);

/** docker's validateExternalNetworks: each must exist and be swarm-scoped. */
async function checkExternalNetworks(
  ctx: Ctx,
  names: readonly string[],
  ids: Map<string, string>,
): Promise<void> {
  for (const name of names) {
    // docker skips its predefined networks (`host`, `bridge`, `none`): the daemon knows them.
    if (PREDEFINED_NETWORKS.has(name)) continue;
    let network: Network;
    try {
      network = await ctx.api().get<Network>(`/networks/${seg(name)}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        throw new CliError(
          `network "${name}" is declared as external, but could not be found. You need to create a swarm-scoped network before the stack is deployed`,
        );
      }
      throw err;
    }
    if (network.Scope !== 'swarm') {
      throw new CliError(
        `network "${name}" is declared as external, but it is not in the right scope: "${network.Scope ?? ''}" instead of "swarm"`,
      );
    }
    ids.set(name, network.Id);
  }
}

/** Names the services reference (`SecretName`/`ConfigName`). */
function referenced(kind: 'secret' | 'config', specs: readonly ServiceSpec[]): Set<string> {
  const field = kind === 'secret' ? 'SecretName' : 'ConfigName';
  const names = new Set<string>();
  for (const spec of specs) {
    const refs = spec.TaskTemplate?.ContainerSpec?.[kind === 'secret' ? 'Secrets' : 'Configs'] ?? [];
    for (const r of refs) if (typeof r[field] === 'string') names.add(r[field]);
  }
  return names;
}

/**
 * External secrets or configs the services use must exist before anything is created (docker
 * finds out only when it converts the services, after creating networks and secrets).
 */
async function checkExternalObjects(
  ctx: Ctx,
  kind: 'secret' | 'config',
  external: readonly string[],
  specs: readonly ServiceSpec[],
): Promise<void> {
  const used = referenced(kind, specs);
  const names = external.filter((n) => used.has(n));
  if (names.length === 0) return;
  const found = await ctx.api().get<SecretOrConfig[]>(`/${kind}s`, { filters: filter('name', ...names) });
  const have = new Set(found.map((f) => f.Spec.Name));
  const missing = names.filter((n) => !have.has(n));
  if (missing.length === 0) return;
  throw new CliError(
    missing
      .map(
        (n) =>
          `${kind} "${n}" is declared as external, but could not be found. You need to create it before the stack is deployed (shoal ${kind} create ${n} FILE)`,
      )
      .join('\n'),
  );
}

async function createNetworks(
  ctx: Ctx,
  namespace: string,
  stack: ConvertedStack,
  ids: Map<string, string>,
): Promise<void> {
  const existing = await ctx.api().get<Network[]>('/networks', { filters: stackFilter(namespace) });
  for (const n of existing) ids.set(n.Name, n.Id);
  const have = new Set(existing.map((n) => n.Name));
  for (const n of stack.networks) {
    if (have.has(n.name)) continue;
    const body: Json = { ...n.spec };
    if (body['Driver'] === '' || body['Driver'] === undefined) body['Driver'] = 'overlay';
    ctx.io.out(`Creating network ${n.name}\n`);
    try {
      const res = await ctx.api().json<{ Id: string }>('POST', '/networks/create', { body });
      ids.set(n.name, res.Id);
    } catch (err) {
      throw wrap(err, `failed to create network ${n.name}`);
    }
  }
}

/**
 * A config's data cannot change once created (docker finds out when its update is refused, after
 * networks and secrets were already created): refuse before anything changes, saying what to do.
 * A secret's data is never returned, so only the daemon can tell; its update carries the data.
 */
async function checkConfigData(ctx: Ctx, stack: ConvertedStack): Promise<void> {
  for (const c of stack.configs) {
    let current: SecretOrConfig;
    try {
      current = await ctx.api().get<SecretOrConfig>(`/configs/${seg(c.name)}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) continue;
      throw err;
    }
    const data = c.spec['Data'];
    if (current.Spec.Data === undefined || data === undefined || current.Spec.Data === data) continue;
    throw new CliError(
      `config "${c.name}" already exists with different data, and a config's data cannot be changed: ` +
        `give the config a new name in the compose file (for example "name: ${c.name}_v2"), or remove the stack first`,
    );
  }
}

/** Secrets and configs: created when missing; otherwise only their labels are brought in line. */
async function createOrUpdateObject(
  ctx: Ctx,
  kind: 'secret' | 'config',
  name: string,
  spec: Json,
): Promise<void> {
  let current: SecretOrConfig | undefined;
  try {
    current = await ctx.api().get<SecretOrConfig>(`/${kind}s/${seg(name)}`);
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 404)) throw err;
  }
  if (current === undefined) {
    ctx.io.out(`Creating ${kind} ${name}\n`);
    try {
      await ctx.api().request('POST', `/${kind}s/create`, { body: spec });
    } catch (err) {
      throw wrap(err, `failed to create ${kind} ${name}`);
    }
    return;
  }
  const labels = (spec['Labels'] ?? {}) as Record<string, string>;
  if (sameLabels(current.Spec.Labels ?? {}, labels)) return;
  try {
    // The data goes along, as docker sends it: the daemon refuses an update that would change it.
    await ctx.api().request('POST', `/${kind}s/${seg(current.ID)}/update`, {
      query: { version: current.Version?.Index ?? 0 },
      body: {
        ...current.Spec,
        ...(spec['Data'] === undefined ? {} : { Data: spec['Data'] }),
        Labels: labels,
      },
    });
  } catch (err) {
    throw wrap(err, `failed to update ${kind} ${name}`);
  }
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/** docker's ParseSecrets/ParseConfigs for one service: names to IDs, one list request per service. */
async function resolveIds(ctx: Ctx, kind: 'secret' | 'config', spec: ServiceSpec): Promise<void> {
  const refs = spec.TaskTemplate?.ContainerSpec?.[kind === 'secret' ? 'Secrets' : 'Configs'] ?? [];
  if (refs.length === 0) return;
  const [nameKey, idKey] = kind === 'secret' ? ['SecretName', 'SecretID'] : ['ConfigName', 'ConfigID'];
  const names = [...new Set(refs.map((r) => String(r[nameKey])))];
  const found = await ctx.api().get<SecretOrConfig[]>(`/${kind}s`, { filters: filter('name', ...names) });
  const ids = new Map(found.map((f) => [f.Spec.Name, f.ID]));
  for (const r of refs) {
    const id = ids.get(String(r[nameKey]));
    if (id === undefined) throw new CliError(`${kind} not found: ${String(r[nameKey])}`);
    r[idKey] = id;
    if (kind === 'config' && spec.TaskTemplate?.ContainerSpec?.['Privileges']) {
      const cred = (spec.TaskTemplate.ContainerSpec['Privileges'] as Json)['CredentialSpec'] as Json | null;
      if (cred && cred['Config'] === '' && r['Runtime'] !== undefined) cred['Config'] = id;
    }
  }
}

/** docker's deployServices: create what is missing, update what differs; returns the service IDs. */
async function deployServices(
  ctx: Ctx,
  namespace: string,
  specs: readonly ServiceSpec[],
  networkIds: ReadonlyMap<string, string>,
  resolve: ResolveImage,
): Promise<string[]> {
  const existing = await ctx.api().get<Service[]>('/services', { filters: stackFilter(namespace) });
  const byName = new Map(existing.map((s) => [s.Spec.Name ?? '', s]));
  const ids: string[] = [];
  for (const converted of specs) {
    const name = converted.Name ?? '';
    const current = byName.get(name);
    if (current) {
      const { spec, warning } = await updatedSpec(ctx, converted, current, resolve);
      ids.push(current.ID);
      if (await sameSpec(spec, current.Spec, networkIds)) continue;
      ctx.io.out(`Updating service ${name} (id: ${current.ID})\n`);
      try {
        await ctx.api().request('POST', `/services/${seg(current.ID)}/update`, {
          query: { version: current.Version?.Index ?? 0 },
          body: spec,
        });
      } catch (err) {
        throw wrap(err, `failed to update service ${name}`);
      }
      if (warning !== undefined) ctx.io.err(`${warning}\n`);
      continue;
    }
    const spec = structuredClone(converted);
    const container = spec.TaskTemplate?.ContainerSpec;
    if (container && resolve !== 'never')
      container.Image = (await queryRegistry(ctx, rawImage(converted))).image;
    // docker's API client tags every service create's image (`imageWithTagString`), resolved or not.
    else if (container?.Image !== undefined) container.Image = imageWithTag(container.Image);
    ctx.io.out(`Creating service ${name}\n`);
    try {
      const res = await ctx.api().json<{ ID: string }>('POST', '/services/create', { body: spec });
      ids.push(res.ID);
    } catch (err) {
      throw wrap(err, `failed to create service ${name}`);
    }
  }
  return ids;
}

/** docker's `errors.Wrapf`: `failed to … : Error response from daemon: …`. */
function wrap(err: unknown, what: string): unknown {
  if (err instanceof ApiError) return new CliError(`${what}: Error response from daemon: ${err.message}`);
  return err;
}
