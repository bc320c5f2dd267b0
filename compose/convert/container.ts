/**
 * Service keys that become ContainerSpec fields: mounts, secret and config references,
 * healthcheck, environment, capabilities, ulimits, DNS, hosts, logging.
 */
import { COMPOSE_DEFAULTS } from '../defaults.ts';
import { ComposeReferenceError, ComposeValueError } from '../errors.ts';
import { scope, withStackLabel, explicitName, isExternal } from './objects.ts';
import {
  boolAt,
  bytesAt,
  compact,
  compareStrings,
  dictAt,
  durationAt,
  isDict,
  listAt,
  nonEmpty,
  numAt,
  optDict,
  shellSplit,
  strAt,
  stringMapAt,
  type At,
  type Dict,
} from './read.ts';

/** `command`/`entrypoint`: a list as is, a string split like a shell would. */
export function commandList(v: unknown): string[] | undefined {
  if (typeof v === 'string') return shellSplit(v);
  return Array.isArray(v) ? v.map(String) : undefined;
}

/** The resolved environment (see load.ts) as docker's sorted `KEY=value` list (`KEY` when unset). */
export function convertEnvironment(service: Dict): string[] {
  const env = dictAt(service, 'environment');
  return Object.entries(env)
    .map(([k, v]) => (typeof v === 'string' ? `${k}=${v}` : k))
    .sort(compareStrings);
}

/** `volumes` entries to Mounts; named volumes get the namespace prefix and label. */
export function convertMounts(
  namespace: string,
  service: Dict,
  model: Dict,
  at: At,
): Record<string, unknown>[] {
  const stackVolumes = dictAt(model, 'volumes');
  return listAt(service, 'volumes')
    .filter(isDict)
    .map((v, i) => {
      const here = { path: `${at.path}.volumes.${i}` };
      const type = strAt(v, 'type') ?? 'volume';
      const base = {
        Type: type,
        Source: strAt(v, 'source'),
        Target: strAt(v, 'target'),
        ReadOnly: boolAt(v, 'read_only') === true ? true : undefined,
        Consistency: strAt(v, 'consistency'),
      };
      switch (type) {
        case 'volume':
          return volumeMount(namespace, base, v, stackVolumes, here);
        case 'bind':
        case 'npipe': {
          const bind = optDict(v, 'bind');
          const propagation = bind ? strAt(bind, 'propagation') : undefined;
          return compact({ ...base, BindOptions: bind ? compact({ Propagation: propagation }) : undefined });
        }
        case 'tmpfs': {
          const t = optDict(v, 'tmpfs');
          const size = t ? bytesAt(t, 'size', here) : undefined;
          return compact({ ...base, TmpfsOptions: t ? compact({ SizeBytes: size }) : undefined });
        }
        default:
          throw new ComposeValueError({
            path: here.path,
            problem: `volume type ${type} is not supported by swarm services`,
          });
      }
    });
}

function volumeMount(
  namespace: string,
  base: Record<string, unknown>,
  v: Dict,
  stackVolumes: Dict,
  at: At,
): Record<string, unknown> {
  const source = strAt(v, 'source');
  if (source === undefined) return compact(base);
  if (!Object.hasOwn(stackVolumes, source)) {
    throw new ComposeReferenceError({ path: `${at.path}.source`, problem: `undefined volume "${source}"` });
  }
  const stackVolume = optDict(stackVolumes, source) ?? {};
  const nocopy = optDict(v, 'volume') ? boolAt(dictAt(v, 'volume'), 'nocopy') : undefined;
  const opts: Record<string, unknown> = compact({ NoCopy: nocopy === true ? true : undefined });
  const mount = { ...base, Source: explicitName(source, stackVolume) ?? scope(namespace, source) };
  if (!isExternal(stackVolume)) {
    opts['Labels'] = withStackLabel(namespace, stringMapAt(stackVolume, 'labels'));
    const driver = strAt(stackVolume, 'driver');
    const driverOpts = stringMapAt(stackVolume, 'driver_opts');
    if (driver !== undefined || driverOpts !== undefined) {
      opts['DriverConfig'] = compact({ Name: driver, Options: driverOpts });
    }
  }
  return compact({ ...mount, VolumeOptions: opts });
}

/** Resolves a secret or config name to its ID; `undefined` when it does not exist. */
export type IdResolver = (name: string) => string | undefined;

/**
 * `secrets`/`configs` entries to SecretReference/ConfigReference: target defaults to the source
 * name (a bare name: swarm puts secrets under /run/secrets/, configs at /NAME), uid/gid "0", mode
 * 0444; sorted by object name as docker does.
 */
export function convertFileRefs(
  kind: 'secrets' | 'configs',
  namespace: string,
  service: Dict,
  model: Dict,
  resolve: IdResolver | undefined,
  at: At,
): Record<string, unknown>[] {
  const declared = dictAt(model, kind);
  const singular = kind === 'secrets' ? 'secret' : 'config';
  const prefix = kind === 'secrets' ? 'Secret' : 'Config';
  const refs = listAt(service, kind)
    .filter(isDict)
    .map((ref, i) => {
      const source = strAt(ref, 'source') ?? '';
      if (!Object.hasOwn(declared, source)) {
        throw new ComposeReferenceError({
          path: `${at.path}.${kind}.${i}`,
          problem: `undefined ${singular} "${source}"`,
        });
      }
      const name = explicitName(source, optDict(declared, source) ?? {}) ?? scope(namespace, source);
      const id = resolve ? resolve(name) : '';
      if (id === undefined) {
        throw new ComposeReferenceError({
          path: `${at.path}.${kind}.${i}`,
          problem: `${singular} not found: ${name}`,
        });
      }
      const file = {
        Name: strAt(ref, 'target') ?? source,
        UID: strAt(ref, 'uid') ?? COMPOSE_DEFAULTS.fileRefUid,
        GID: strAt(ref, 'gid') ?? COMPOSE_DEFAULTS.fileRefGid,
        Mode: numAt(ref, 'mode', { path: `${at.path}.${kind}.${i}` }) ?? COMPOSE_DEFAULTS.fileRefMode,
      };
      return { File: file, [`${prefix}ID`]: id, [`${prefix}Name`]: name };
    });
  const key = `${prefix}Name`;
  return refs.sort((a, b) => compareStrings(a[key] as string, b[key] as string));
}

/** `healthcheck` to HealthConfig; `disable: true` is `["NONE"]`; a string test is CMD-SHELL. */
export function convertHealthcheck(service: Dict, at: At): Record<string, unknown> | undefined {
  const h = optDict(service, 'healthcheck');
  if (!h) return undefined;
  const here = { path: `${at.path}.healthcheck` };
  const rawTest = h['test'];
  const test =
    typeof rawTest === 'string'
      ? ['CMD-SHELL', rawTest]
      : Array.isArray(rawTest)
        ? rawTest.map(String)
        : undefined;
  if (boolAt(h, 'disable') === true) {
    if (test && test.length > 0) {
      throw new ComposeValueError({
        path: here.path,
        problem: "test and disable can't be set at the same time",
      });
    }
    return { Test: ['NONE'] };
  }
  const nz = (n: number | undefined) => (n === 0 ? undefined : n);
  return compact({
    Test: nonEmpty(test),
    Interval: nz(durationAt(h, 'interval', here)),
    Timeout: nz(durationAt(h, 'timeout', here)),
    StartPeriod: nz(durationAt(h, 'start_period', here)),
    StartInterval: nz(durationAt(h, 'start_interval', here)),
    Retries: nz(numAt(h, 'retries', here)),
  });
}

/** docker's `EffectiveCapAddCapDrop`: upper-case, `CAP_` prefix, `ALL` wins, added ones not dropped. */
export function convertCapabilities(service: Dict): { add: string[]; drop: string[] } {
  const norm = (key: string) =>
    [
      ...new Set(
        listAt(service, key).map((c) => {
          const up = String(c).trim().toUpperCase();
          return up === 'ALL' || up.startsWith('CAP_') ? up : `CAP_${up}`;
        }),
      ),
    ].sort();
  let add = norm('cap_add');
  let drop = norm('cap_drop');
  if (add.includes('ALL')) add = ['ALL'];
  if (drop.includes('ALL')) drop = ['ALL'];
  else drop = drop.filter((c) => !add.includes(c));
  return { add, drop };
}

/** `ulimits` to sorted `{Name, Hard, Soft}`; a single number sets both. */
export function convertUlimits(service: Dict, at: At): Record<string, unknown>[] {
  return Object.entries(dictAt(service, 'ulimits'))
    .map(([name, v]) => {
      const here = { path: `${at.path}.ulimits` };
      if (isDict(v))
        return { Name: name, Hard: numAt(v, 'hard', here) ?? 0, Soft: numAt(v, 'soft', here) ?? 0 };
      const n = numAt({ [name]: v }, name, here) ?? 0;
      return { Name: name, Hard: n, Soft: n };
    })
    .sort((a, b) => compareStrings(a.Name, b.Name));
}

/** `dns`/`dns_search`/`dns_opt` to DNSConfig (invalid nameserver addresses dropped, as docker does). */
export function convertDnsConfig(service: Dict): Record<string, unknown> | undefined {
  const dns = listAt(service, 'dns').map(String);
  const search = listAt(service, 'dns_search').map(String);
  if (dns.length === 0 && search.length === 0) return undefined;
  const ip = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*)$/;
  return compact({ Nameservers: nonEmpty(dns.filter((d) => ip.test(d))), Search: nonEmpty(search) });
}

/** `extra_hosts` (`host:ip`) to docker's `ip host` form, in order. */
export function convertExtraHosts(service: Dict): string[] {
  return listAt(service, 'extra_hosts').flatMap((h) => {
    const s = String(h);
    const colon = s.indexOf(':');
    return colon < 0 ? [] : [`${s.slice(colon + 1)} ${s.slice(0, colon)}`];
  });
}

/** `logging` to the task's LogDriver. */
export function convertLogDriver(service: Dict): Record<string, unknown> | undefined {
  const l = optDict(service, 'logging');
  if (!l) return undefined;
  return compact({ Name: strAt(l, 'driver'), Options: stringMapAt(l, 'options') });
}
