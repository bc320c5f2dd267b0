/**
 * The flags of `service create` and `service update`, and how they turn into a ServiceSpec, as
 * docker's `service/opts.go` and `update.go` do. Every value is parsed here, before any request.
 */
import type { Command } from 'commander';
import { UsageError } from '../errors.ts';
import {
  parseBytes,
  parseDuration,
  parseEnum,
  parseFileRef,
  parseFloat,
  parseKeyValues,
  parseMount,
  parseNanoCpus,
  parsePlacementPref,
  parsePort,
  parseUint,
  type FileRef,
} from '../flags.ts';
import type { Json, ServiceSpec, UpdateConfig } from '../types.ts';
import { collect } from './common.ts';

/** Service modes `--mode` accepts. */
export const MODES = ['replicated', 'global', 'replicated-job', 'global-job'] as const;

/** Commander's view of the flags (all raw strings, parsed later). */
export interface SpecFlags {
  readonly [key: string]: unknown;
  readonly name?: string;
  readonly replicas?: string;
  readonly mode?: string;
  readonly maxConcurrent?: string;
  readonly env?: string[];
  readonly label?: string[];
  readonly containerLabel?: string[];
  readonly constraint?: string[];
  readonly placementPref?: string[];
  readonly publish?: string[];
  readonly secret?: string[];
  readonly config?: string[];
  readonly network?: string[];
  readonly mount?: string[];
  readonly limitCpu?: string;
  readonly limitMemory?: string;
  readonly limitPids?: string;
  readonly reserveCpu?: string;
  readonly reserveMemory?: string;
  readonly restartCondition?: string;
  readonly restartDelay?: string;
  readonly restartMaxAttempts?: string;
  readonly restartWindow?: string;
  readonly stopGracePeriod?: string;
  readonly stopSignal?: string;
  readonly healthCmd?: string;
  readonly healthInterval?: string;
  readonly healthRetries?: string;
  readonly healthTimeout?: string;
  readonly healthStartPeriod?: string;
  readonly healthcheck?: boolean;
  readonly user?: string;
  readonly workdir?: string;
  readonly hostname?: string;
  readonly entrypoint?: string;
  readonly maxReplicas?: string;
  readonly endpointMode?: string;
  readonly init?: boolean;
}

const UPDATE_KEYS = ['Parallelism', 'Delay', 'Monitor', 'FailureAction', 'MaxFailureRatio', 'Order'] as const;

/** Adds the spec flags; `update` adds the `-add`/`-rm` forms instead of the list flags. */
export function addSpecOptions(cmd: Command, kind: 'create' | 'update'): Command {
  if (kind === 'create') {
    cmd
      .option('--name <string>', 'Service name')
      .option('--mode <string>', 'Service mode ("replicated", "global", "replicated-job", "global-job")')
      .option('-e, --env <var>', 'Set environment variables', collect)
      .option('-l, --label <label>', 'Service labels', collect)
      .option('--container-label <label>', 'Container labels', collect)
      .option('--constraint <constraint>', 'Placement constraints', collect)
      .option('--placement-pref <pref>', 'Add a placement preference', collect)
      .option('-p, --publish <port>', 'Publish a port as a node port', collect)
      .option('--secret <secret>', 'Specify secrets to expose to the service', collect)
      .option('--config <config>', 'Specify configurations to expose to the service', collect)
      .option('--network <network>', 'Network attachments', collect)
      .option('--mount <mount>', 'Attach a filesystem mount to the service', collect);
  } else {
    for (const [flag, what] of [
      ['env', 'environment variable'],
      ['label', 'service label'],
      ['container-label', 'container label'],
      ['constraint', 'placement constraint'],
      ['placement-pref', 'placement preference'],
      ['publish', 'published port'],
      ['secret', 'secret'],
      ['config', 'config'],
      ['network', 'network'],
      ['mount', 'mount'],
    ] as const) {
      cmd.option(`--${flag}-add <value>`, `Add or update a ${what}`, collect);
      cmd.option(`--${flag}-rm <value>`, `Remove a ${what}`, collect);
    }
    cmd
      .option('--image <image>', 'Service image tag')
      .option('--args <command>', 'Service command args')
      .option('--force', 'Force update even if no changes require it')
      .option('--rollback', 'Rollback to previous specification');
  }
  cmd
    .option('--replicas <uint>', 'Number of tasks')
    .option('--max-concurrent <uint>', 'Number of job tasks to run concurrently')
    .option('--limit-cpu <decimal>', 'Limit CPUs')
    .option('--limit-memory <bytes>', 'Limit Memory')
    .option('--limit-pids <int>', 'Limit maximum number of processes')
    .option('--reserve-cpu <decimal>', 'Reserve CPUs')
    .option('--reserve-memory <bytes>', 'Reserve Memory')
    .option('--restart-condition <string>', 'Restart when condition is met ("none", "on-failure", "any")')
    .option('--restart-delay <duration>', 'Delay between restart attempts (ns|us|ms|s|m|h)')
    .option('--restart-max-attempts <uint>', 'Maximum number of restarts before giving up')
    .option('--restart-window <duration>', 'Window used to evaluate the restart policy (ns|us|ms|s|m|h)')
    .option('--stop-grace-period <duration>', 'Time to wait before force killing a container')
    .option('--stop-signal <string>', 'Signal to stop the container')
    .option('--health-cmd <string>', 'Command to run to check health')
    .option('--health-interval <duration>', 'Time between running the check (ms|s|m|h)')
    .option('--health-retries <int>', 'Consecutive failures needed to report unhealthy')
    .option('--health-timeout <duration>', 'Maximum time to allow one check to run (ms|s|m|h)')
    .option('--health-start-period <duration>', 'Start period for the container to initialize')
    .option('--no-healthcheck', 'Disable any container-specified HEALTHCHECK')
    .option('-u, --user <string>', 'Username or UID (format: <name|uid>[:<group|gid>])')
    .option('-w, --workdir <string>', 'Working directory inside the container')
    .option('--hostname <string>', 'Container hostname')
    .option('--entrypoint <command>', 'Overwrite the default ENTRYPOINT of the image')
    .option('--init', 'Use an init inside each service container')
    .option('--max-replicas <uint>', 'Maximum number of tasks per node (default 0 = unlimited)')
    .option('--endpoint-mode <string>', 'Endpoint mode (vip or dnsrr)')
    .option('-d, --detach', 'Exit immediately instead of waiting for the service to converge')
    .option('-q, --quiet', 'Suppress progress output')
    .option(
      '--no-resolve-image',
      'Do not query the registry to resolve image digest and supported platforms',
    );
  for (const prefix of ['update', 'rollback'] as const) {
    const what = prefix === 'update' ? 'update' : 'rollback';
    cmd
      .option(
        `--${prefix}-parallelism <uint>`,
        `Maximum number of tasks updated simultaneously (0 to ${what} all at once)`,
      )
      .option(`--${prefix}-delay <duration>`, `Delay between ${what}s (ns|us|ms|s|m|h)`)
      .option(`--${prefix}-failure-action <string>`, `Action on ${what} failure`)
      .option(`--${prefix}-monitor <duration>`, `Duration after each task ${what} to monitor for failure`)
      .option(`--${prefix}-max-failure-ratio <float>`, `Failure rate to tolerate during an ${what}`)
      .option(`--${prefix}-order <string>`, `${what} order ("start-first", "stop-first")`);
  }
  return cmd;
}

/** Go's shlex-like split for `--entrypoint` and `--args`: spaces, with single and double quotes. */
export function shellSplit(s: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (const m of s.matchAll(re)) out.push(m[1]?.replace(/\\(.)/g, '$1') ?? m[2] ?? m[3] ?? '');
  return out;
}

/** The UpdateConfig or RollbackConfig the flags ask for, from docker's defaults; undefined if none set. */
export function updateConfig(
  o: SpecFlags,
  prefix: 'update' | 'rollback',
  current: UpdateConfig | undefined,
): UpdateConfig | undefined {
  const get = (k: string) => o[`${prefix}${k}`] as string | undefined;
  if (UPDATE_KEYS.every((k) => get(k) === undefined)) return current;
  const out: UpdateConfig = current
    ? { ...current }
    : {
        Parallelism: 1,
        Delay: 0,
        FailureAction: 'pause',
        Monitor: 5e9,
        MaxFailureRatio: 0,
        Order: 'stop-first',
      };
  const flag = (k: string) => `--${prefix}-${k}`;
  const v = {
    p: get('Parallelism'),
    d: get('Delay'),
    f: get('FailureAction'),
    m: get('Monitor'),
    r: get('MaxFailureRatio'),
    o: get('Order'),
  };
  if (v.p !== undefined) out.Parallelism = parseUint(flag('parallelism'), v.p);
  if (v.d !== undefined) out.Delay = parseDuration(flag('delay'), v.d);
  if (v.f !== undefined) {
    const allowed =
      prefix === 'update' ? (['pause', 'continue', 'rollback'] as const) : (['pause', 'continue'] as const);
    out.FailureAction = parseEnum(flag('failure-action'), v.f, allowed);
  }
  if (v.m !== undefined) out.Monitor = parseDuration(flag('monitor'), v.m);
  if (v.r !== undefined) {
    const ratio = parseFloat(flag('max-failure-ratio'), v.r);
    if (ratio < 0 || ratio > 1) {
      throw new UsageError(
        `invalid argument "${v.r}" for "${flag('max-failure-ratio')}" flag: must be between 0 and 1`,
      );
    }
    out.MaxFailureRatio = ratio;
  }
  if (v.o !== undefined) out.Order = parseEnum(flag('order'), v.o, ['start-first', 'stop-first']);
  return out;
}

/** Secret/config references to resolve by name before create/update. */
export interface FileRefs {
  readonly secrets: readonly FileRef[];
  readonly configs: readonly FileRef[];
}

/** Docker's image normalization: `busybox` → `busybox:latest` (a digest or tag is kept). */
export function normalizeImage(image: string): string {
  if (image.includes('@')) return image;
  const lastSlash = image.lastIndexOf('/');
  return image.slice(lastSlash + 1).includes(':') ? image : `${image}:latest`;
}

/** Applies the scalar (non-list) flags onto `spec`; shared by create and update. */
export function applyScalarFlags(spec: ServiceSpec, o: SpecFlags): void {
  const tt = (spec.TaskTemplate ??= {});
  const cs = (tt.ContainerSpec ??= {});
  const limits = () => ((tt.Resources ??= {}).Limits ??= {});
  const reservations = () => ((tt.Resources ??= {}).Reservations ??= {});
  if (o.limitCpu !== undefined) limits().NanoCPUs = parseNanoCpus('--limit-cpu', o.limitCpu);
  if (o.limitMemory !== undefined) limits().MemoryBytes = parseBytes('--limit-memory', o.limitMemory);
  if (o.limitPids !== undefined) limits().Pids = parseUint('--limit-pids', o.limitPids);
  if (o.reserveCpu !== undefined) reservations().NanoCPUs = parseNanoCpus('--reserve-cpu', o.reserveCpu);
  if (o.reserveMemory !== undefined) {
    reservations().MemoryBytes = parseBytes('--reserve-memory', o.reserveMemory);
  }
  const restart = [o.restartCondition, o.restartDelay, o.restartMaxAttempts, o.restartWindow];
  if (restart.some((x) => x !== undefined)) {
    const rp = (tt.RestartPolicy ??= { Condition: 'any', Delay: 5e9, MaxAttempts: 0 });
    if (o.restartCondition !== undefined) {
      rp.Condition = parseEnum('--restart-condition', o.restartCondition, ['none', 'on-failure', 'any']);
    }
    if (o.restartDelay !== undefined) rp.Delay = parseDuration('--restart-delay', o.restartDelay);
    if (o.restartMaxAttempts !== undefined) {
      rp.MaxAttempts = parseUint('--restart-max-attempts', o.restartMaxAttempts);
    }
    if (o.restartWindow !== undefined) rp.Window = parseDuration('--restart-window', o.restartWindow);
  }
  if (o.stopGracePeriod !== undefined)
    cs.StopGracePeriod = parseDuration('--stop-grace-period', o.stopGracePeriod);
  if (o.stopSignal !== undefined) cs.StopSignal = o.stopSignal;
  applyHealth(cs, o);
  if (o.user !== undefined) cs.User = o.user;
  if (o.workdir !== undefined) cs.Dir = o.workdir;
  if (o.hostname !== undefined) cs.Hostname = o.hostname;
  if (o.entrypoint !== undefined) cs.Command = shellSplit(o.entrypoint);
  if (o.init !== undefined) cs.Init = o.init;
  if (o.maxReplicas !== undefined)
    (tt.Placement ??= {}).MaxReplicas = parseUint('--max-replicas', o.maxReplicas);
  if (o.endpointMode !== undefined) {
    (spec.EndpointSpec ??= {}).Mode = parseEnum('--endpoint-mode', o.endpointMode, ['vip', 'dnsrr']);
  }
  const update = updateConfig(o, 'update', spec.UpdateConfig);
  if (update) spec.UpdateConfig = update;
  const rollback = updateConfig(o, 'rollback', spec.RollbackConfig);
  if (rollback) spec.RollbackConfig = rollback;
}

function applyHealth(
  cs: NonNullable<ServiceSpec['TaskTemplate']>['ContainerSpec'] & Json,
  o: SpecFlags,
): void {
  const given = [o.healthCmd, o.healthInterval, o.healthRetries, o.healthTimeout, o.healthStartPeriod];
  if (o.healthcheck === false) {
    if (given.some((x) => x !== undefined)) {
      throw new UsageError('--no-healthcheck conflicts with --health-* options');
    }
    cs.Healthcheck = { Test: ['NONE'] };
    return;
  }
  if (given.every((x) => x === undefined)) return;
  const hc: Json = { ...cs.Healthcheck };
  if (o.healthCmd !== undefined) hc.Test = o.healthCmd === '' ? [] : ['CMD-SHELL', o.healthCmd];
  if (o.healthInterval !== undefined) hc.Interval = parseDuration('--health-interval', o.healthInterval);
  if (o.healthTimeout !== undefined) hc.Timeout = parseDuration('--health-timeout', o.healthTimeout);
  if (o.healthStartPeriod !== undefined) {
    hc.StartPeriod = parseDuration('--health-start-period', o.healthStartPeriod);
  }
  if (o.healthRetries !== undefined) hc.Retries = parseUint('--health-retries', o.healthRetries);
  cs.Healthcheck = hc;
}

/** The `--mode`/`--replicas`/`--max-concurrent` combination as the spec's Mode. */
export function modeFrom(o: SpecFlags): NonNullable<ServiceSpec['Mode']> {
  const mode = o.mode === undefined ? 'replicated' : parseEnum('--mode', o.mode, MODES);
  const replicas = o.replicas === undefined ? undefined : parseUint('--replicas', o.replicas);
  const maxConcurrent =
    o.maxConcurrent === undefined ? undefined : parseUint('--max-concurrent', o.maxConcurrent);
  if (replicas !== undefined && (mode === 'global' || mode === 'global-job')) {
    throw new UsageError('replicas can only be used with replicated or replicated-job mode');
  }
  if (maxConcurrent !== undefined && mode !== 'replicated-job') {
    throw new UsageError('max-concurrent can only be used with replicated-job mode');
  }
  switch (mode) {
    case 'replicated':
      return { Replicated: replicas === undefined ? {} : { Replicas: replicas } };
    case 'global':
      return { Global: {} };
    case 'replicated-job':
      return {
        ReplicatedJob: {
          MaxConcurrent: maxConcurrent ?? replicas ?? 1,
          TotalCompletions: replicas ?? maxConcurrent ?? 1,
        },
      };
    case 'global-job':
      return { GlobalJob: {} };
  }
}

/** Parses the list-valued flags once, so errors surface before requests. */
export function parseLists(o: {
  readonly env?: string[] | undefined;
  readonly label?: string[] | undefined;
  readonly containerLabel?: string[] | undefined;
  readonly placementPref?: string[] | undefined;
  readonly publish?: string[] | undefined;
  readonly mount?: string[] | undefined;
  readonly secret?: string[] | undefined;
  readonly config?: string[] | undefined;
}) {
  return {
    env: o.env ?? [],
    labels: parseKeyValues(o.label ?? []),
    containerLabels: parseKeyValues(o.containerLabel ?? []),
    prefs: (o.placementPref ?? []).map(parsePlacementPref),
    ports: (o.publish ?? []).map(parsePort),
    mounts: (o.mount ?? []).map(parseMount),
    secrets: (o.secret ?? []).map((s) => parseFileRef('--secret', s)),
    configs: (o.config ?? []).map((s) => parseFileRef('--config', s)),
  };
}
