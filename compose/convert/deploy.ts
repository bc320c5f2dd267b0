/**
 * The `deploy` section (and `ports`, `restart`) to the ServiceSpec parts docker's converter builds:
 * Mode, UpdateConfig/RollbackConfig, Resources, RestartPolicy, Placement, EndpointSpec.
 */
import { COMPOSE_DEFAULTS } from '../defaults.ts';
import { ComposeValueError } from '../errors.ts';
import {
  bytesAt,
  compact,
  cpusAt,
  dictAt,
  durationAt,
  isDict,
  listAt,
  nonEmpty,
  numAt,
  optDict,
  strAt,
  type At,
  type Dict,
} from './read.ts';

/** `deploy.mode` and `deploy.replicas` to ServiceSpec.Mode. */
export function convertMode(deploy: Dict, at: At): Record<string, unknown> {
  const replicas = numAt(deploy, 'replicas', at);
  const mode = strAt(deploy, 'mode') ?? 'replicated';
  const noReplicas = (): void => {
    if (replicas !== undefined) {
      throw new ComposeValueError({
        path: `${at.path}.replicas`,
        problem: 'replicas can only be used with replicated or replicated-job mode',
      });
    }
  };
  switch (mode) {
    case 'global':
      noReplicas();
      return { Global: {} };
    case 'global-job':
      noReplicas();
      return { GlobalJob: {} };
    case 'replicated-job':
      return { ReplicatedJob: compact({ MaxConcurrent: replicas, TotalCompletions: replicas }) };
    case 'replicated':
      return { Replicated: compact({ Replicas: replicas }) };
    default:
      throw new ComposeValueError({ path: `${at.path}.mode`, problem: `unknown mode: ${mode}` });
  }
}

/** `update_config`/`rollback_config` to an UpdateConfig (parallelism defaults to 1, as docker's). */
export function convertUpdateConfig(deploy: Dict, key: string, at: At): Record<string, unknown> | undefined {
  const c = optDict(deploy, key);
  if (!c) return undefined;
  const here = { path: `${at.path}.${key}` };
  const delay = durationAt(c, 'delay', here);
  const monitor = durationAt(c, 'monitor', here);
  return compact({
    Parallelism: numAt(c, 'parallelism', here) ?? COMPOSE_DEFAULTS.updateParallelism,
    Delay: delay === 0 ? undefined : delay,
    FailureAction: strAt(c, 'failure_action'),
    Monitor: monitor === 0 ? undefined : monitor,
    MaxFailureRatio: numAt(c, 'max_failure_ratio', here, false) ?? 0,
    Order: strAt(c, 'order') ?? '',
  });
}

/** `deploy.resources` to ResourceRequirements (always an object, `{}` when nothing is set). */
export function convertResources(deploy: Dict, at: At): Record<string, unknown> {
  const r = dictAt(deploy, 'resources');
  const here = { path: `${at.path}.resources` };
  const out: Record<string, unknown> = {};
  const limits = optDict(r, 'limits');
  if (limits) {
    const l = { path: `${here.path}.limits` };
    out['Limits'] = compact({
      NanoCPUs: zeroless(cpusAt(limits, 'cpus', l)),
      MemoryBytes: zeroless(bytesAt(limits, 'memory', l)),
      Pids: zeroless(numAt(limits, 'pids', l)),
    });
  }
  const reservations = optDict(r, 'reservations');
  if (reservations) {
    const rv = { path: `${here.path}.reservations` };
    const generic = listAt(reservations, 'generic_resources')
      .filter(isDict)
      .map((g) => {
        const d = optDict(g, 'discrete_resource_spec');
        return d
          ? { DiscreteResourceSpec: { Kind: strAt(d, 'kind') ?? '', Value: numAt(d, 'value', rv) ?? 0 } }
          : {};
      });
    out['Reservations'] = compact({
      NanoCPUs: zeroless(cpusAt(reservations, 'cpus', rv)),
      MemoryBytes: zeroless(bytesAt(reservations, 'memory', rv)),
      GenericResources: nonEmpty(generic),
    });
  }
  return out;
}

function zeroless(n: number | undefined): number | undefined {
  return n === 0 ? undefined : n;
}

/**
 * `deploy.restart_policy`, or else the legacy `restart` (`always`/`unless-stopped` → any,
 * `on-failure[:N]` → on-failure, `no` → none set), to a RestartPolicy.
 */
export function convertRestartPolicy(
  service: Dict,
  deploy: Dict,
  at: At,
): Record<string, unknown> | undefined {
  const p = optDict(deploy, 'restart_policy');
  if (p) {
    const here = { path: `${at.path}.restart_policy` };
    return compact({
      Condition: strAt(p, 'condition'),
      Delay: durationAt(p, 'delay', here),
      MaxAttempts: numAt(p, 'max_attempts', here),
      Window: durationAt(p, 'window', here),
    });
  }
  const restart = strAt(service, 'restart');
  if (restart === undefined) return undefined;
  const [name = '', count] = restart.split(':');
  const attempts = count === undefined ? undefined : Number(count);
  if (attempts !== undefined && (!Number.isInteger(attempts) || attempts < 0)) {
    throw new ComposeValueError({
      path: at.path.replace(/\.deploy$/, '.restart'),
      problem: `invalid restart policy: ${restart}`,
    });
  }
  const maxAttempts = attempts !== undefined && attempts > 0 ? attempts : undefined;
  switch (name) {
    case 'no':
    case '':
      return undefined;
    case 'always':
    case 'unless-stopped':
      return compact({ Condition: 'any', MaxAttempts: maxAttempts });
    case 'on-failure':
      return compact({ Condition: 'on-failure', MaxAttempts: maxAttempts });
    default:
      throw new ComposeValueError({
        path: at.path.replace(/\.deploy$/, '.restart'),
        problem: `invalid restart policy: unknown policy '${name}' (must be one of 'no', 'always', 'on-failure', or 'unless-stopped')`,
      });
  }
}

/** `deploy.placement` to Placement (always an object). */
export function convertPlacement(deploy: Dict, at: At): Record<string, unknown> {
  const p = dictAt(deploy, 'placement');
  const prefs = listAt(p, 'preferences')
    .filter(isDict)
    .map((pref) => ({ Spread: { SpreadDescriptor: strAt(pref, 'spread') ?? '' } }));
  return compact({
    Constraints: nonEmpty(listAt(p, 'constraints').map(String)),
    Preferences: nonEmpty(prefs),
    MaxReplicas: zeroless(numAt(p, 'max_replicas_per_node', { path: `${at.path}.placement` })),
  });
}

/** `deploy.endpoint_mode` and `ports` to EndpointSpec, ports sorted by published then target port. */
export function convertEndpointSpec(service: Dict, deploy: Dict): Record<string, unknown> {
  const ports = listAt(service, 'ports')
    .filter(isDict)
    .map((p) =>
      compact({
        Name: strAt(p, 'name'),
        Protocol: strAt(p, 'protocol'),
        TargetPort: zeroless(Number(p['target'] ?? 0)),
        PublishedPort: zeroless(Number(p['published'] ?? 0)),
        PublishMode: strAt(p, 'mode'),
      }),
    )
    .sort(
      (a, b) => (a.PublishedPort ?? 0) - (b.PublishedPort ?? 0) || (a.TargetPort ?? 0) - (b.TargetPort ?? 0),
    );
  return compact({ Mode: strAt(deploy, 'endpoint_mode')?.toLowerCase(), Ports: nonEmpty(ports) });
}
