/**
 * One compose service to the ServiceSpec JSON docker's converter (cli/compose/convert/service.go)
 * produces, field for field, including which fields are always present (`Privileges`, `Resources`,
 * `Placement`, `ForceUpdate`) and which are omitted when empty.
 */
import { COMPOSE_DEFAULTS } from '../defaults.ts';
import { ComposeReferenceError } from '../errors.ts';
import {
  commandList,
  convertCapabilities,
  convertDnsConfig,
  convertEnvironment,
  convertExtraHosts,
  convertFileRefs,
  convertHealthcheck,
  convertLogDriver,
  convertMounts,
  convertUlimits,
  type IdResolver,
} from './container.ts';
import {
  convertEndpointSpec,
  convertMode,
  convertPlacement,
  convertResources,
  convertRestartPolicy,
  convertUpdateConfig,
} from './deploy.ts';
import { explicitName, scope, withStackLabel } from './objects.ts';
import {
  boolAt,
  compact,
  compareStrings,
  dictAt,
  durationAt,
  isDict,
  nonEmpty,
  numAt,
  optDict,
  strAt,
  stringMapAt,
  type Dict,
} from './read.ts';

/** The label docker puts on services: the image as the compose file wrote it. */
export const LABEL_IMAGE = 'com.docker.stack.image';

/** What converting a service needs besides the service. */
export interface ServiceContext {
  readonly namespace: string;
  readonly model: Dict;
  readonly secretId?: IdResolver | undefined;
  readonly configId?: IdResolver | undefined;
  /** Rewrites ContainerSpec.Image (docker's client adds `:latest`); identity when undefined. */
  readonly image?: ((image: string) => string) | undefined;
}

/** Names of the networks a service attaches to (`default` when it names none). */
export function serviceNetworkNames(service: Dict): string[] {
  const names = Object.keys(dictAt(service, 'networks'));
  return names.length === 0 ? [COMPOSE_DEFAULTS.defaultNetwork] : names;
}

/** Converts service `name` to its ServiceSpec JSON. */
export function convertService(name: string, service: Dict, ctx: ServiceContext): Record<string, unknown> {
  const at = { path: `services.${name}` };
  const deploy = dictAt(service, 'deploy');
  const deployAt = { path: `${at.path}.deploy` };
  const image = strAt(service, 'image') ?? '';
  const configs = convertFileRefs('configs', ctx.namespace, service, ctx.model, ctx.configId, at);
  const caps = convertCapabilities(service);
  const stopGrace = durationAt(service, 'stop_grace_period', at);
  const containerSpec = compact({
    Image: image === '' ? undefined : (ctx.image ?? ((i: string) => i))(image),
    Labels: withStackLabel(ctx.namespace, stringMapAt(service, 'labels')),
    Command: nonEmpty(commandList(service['entrypoint'])),
    Args: nonEmpty(commandList(service['command'])),
    Hostname: strAt(service, 'hostname'),
    Env: nonEmpty(convertEnvironment(service)),
    Dir: strAt(service, 'working_dir'),
    User: strAt(service, 'user'),
    Privileges: {
      CredentialSpec: credentialSpec(service, configs, ctx, at.path),
      SELinuxContext: null,
      NoNewPrivileges: false,
    },
    Init: boolAt(service, 'init'),
    StopSignal: strAt(service, 'stop_signal'),
    TTY: boolAt(service, 'tty') === true ? true : undefined,
    OpenStdin: boolAt(service, 'stdin_open') === true ? true : undefined,
    ReadOnly: boolAt(service, 'read_only') === true ? true : undefined,
    Mounts: nonEmpty(convertMounts(ctx.namespace, service, ctx.model, at)),
    StopGracePeriod: stopGrace,
    Healthcheck: convertHealthcheck(service, at),
    Hosts: nonEmpty(convertExtraHosts(service)),
    DNSConfig: convertDnsConfig(service),
    Secrets: nonEmpty(convertFileRefs('secrets', ctx.namespace, service, ctx.model, ctx.secretId, at)),
    Configs: nonEmpty(
      configs.sort((a, b) => compareStrings(String(a['ConfigName']), String(b['ConfigName']))),
    ),
    Isolation: strAt(service, 'isolation'),
    Sysctls: nonEmpty(stringMapAt(service, 'sysctls')),
    CapabilityAdd: nonEmpty(caps.add),
    CapabilityDrop: nonEmpty(caps.drop),
    Ulimits: nonEmpty(convertUlimits(service, at)),
    OomScoreAdj: numAt(service, 'oom_score_adj', at) || undefined,
  });
  const taskTemplate = compact({
    ContainerSpec: containerSpec,
    Resources: convertResources(deploy, deployAt),
    RestartPolicy: convertRestartPolicy(service, deploy, deployAt),
    Placement: convertPlacement(deploy, deployAt),
    Networks: convertServiceNetworks(name, service, ctx),
    LogDriver: convertLogDriver(service),
    ForceUpdate: 0,
  });
  return compact({
    Name: scope(ctx.namespace, name),
    Labels: withStackLabel(ctx.namespace, { ...stringMapAt(deploy, 'labels'), [LABEL_IMAGE]: image }),
    TaskTemplate: taskTemplate,
    Mode: convertMode(deploy, deployAt),
    UpdateConfig: convertUpdateConfig(deploy, 'update_config', deployAt),
    RollbackConfig: convertUpdateConfig(deploy, 'rollback_config', deployAt),
    EndpointSpec: convertEndpointSpec(service, deploy),
  });
}

const NOT_USER_DEFINED = new Set(['default', 'bridge', 'host', 'none']);

function convertServiceNetworks(name: string, service: Dict, ctx: ServiceContext): Record<string, unknown>[] {
  const declared = dictAt(ctx.model, 'networks');
  const attached = dictAt(service, 'networks');
  const nets = serviceNetworkNames(service).map((key) => {
    if (key !== COMPOSE_DEFAULTS.defaultNetwork && !Object.hasOwn(declared, key)) {
      throw new ComposeReferenceError({
        path: `services.${name}.networks.${key}`,
        problem: `undefined network "${key}"`,
      });
    }
    const target = explicitName(key, optDict(declared, key) ?? {}) ?? scope(ctx.namespace, key);
    const cfg = optDict(attached, key);
    const aliases = cfg && Array.isArray(cfg['aliases']) ? cfg['aliases'].map(String) : [];
    if (!NOT_USER_DEFINED.has(target) && !target.startsWith('container:')) aliases.push(name);
    return compact({
      Target: target,
      Aliases: nonEmpty(aliases),
      DriverOpts: cfg ? stringMapAt(cfg, 'driver_opts') : undefined,
    });
  });
  return nets.sort((a, b) => compareStrings(String(a['Target']), String(b['Target'])));
}

function credentialSpec(
  service: Dict,
  configs: Record<string, unknown>[],
  ctx: ServiceContext,
  path: string,
): Record<string, unknown> | null {
  const c = optDict(service, 'credential_spec');
  if (!c) return null;
  const set = (['config', 'file', 'registry'] as const).filter((k) => strAt(c, k) !== undefined);
  if (set.length > 1) {
    throw new ComposeReferenceError({
      path: `${path}.credential_spec`,
      problem: `invalid credential spec: cannot specify both ${set.map((k) => `"${k[0]?.toUpperCase()}${k.slice(1)}"`).join(' and ')}`,
    });
  }
  const config = strAt(c, 'config');
  if (config === undefined) return compact({ File: strAt(c, 'file'), Registry: strAt(c, 'registry') });
  const declared = optDict(dictAt(ctx.model, 'configs'), config);
  const name = declared ? (explicitName(config, declared) ?? scope(ctx.namespace, config)) : config;
  const id = ctx.configId ? ctx.configId(name) : '';
  if (id === undefined || !isDict(declared)) {
    throw new ComposeReferenceError({
      path: `${path}.credential_spec.config`,
      problem: `invalid credential spec: spec specifies config ${config}, but no such config can be found`,
    });
  }
  configs.push({ ConfigName: name, ConfigID: id, Runtime: {} });
  return { Config: id };
}
