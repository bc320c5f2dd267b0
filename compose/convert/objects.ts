/**
 * Top-level objects of a stack: networks (only those services use, as docker does), secrets and
 * configs. Names are `<namespace>_<name>` unless the file gives `name:`; external objects keep their
 * real names and are only listed, for the caller to check that they exist.
 */
import { posix } from 'node:path';
import { COMPOSE_DEFAULTS } from '../defaults.ts';
import { ComposeReferenceError, ComposeValueError } from '../errors.ts';
import type { EnvLookup } from '../interpolate.ts';
import { listOrDict } from '../syntax.ts';
import { boolAt, dictAt, isDict, listAt, optDict, sortedMap, strAt, stringMapAt, type Dict } from './read.ts';

/** The label docker puts on every object of a stack. */
export const LABEL_NAMESPACE = 'com.docker.stack.namespace';

/** `ns_name`, docker's `Namespace.Scope`. */
export function scope(namespace: string, name: string): string {
  return `${namespace}_${name}`;
}

/** Labels with the stack label added (it wins over a user label of the same key). */
export function withStackLabel(
  namespace: string,
  labels: Record<string, string> | undefined,
): Record<string, string> {
  return sortedMap({ ...labels, [LABEL_NAMESPACE]: namespace });
}

/** Whether a top-level network/volume/secret/config entry is `external`. */
export function isExternal(entry: Dict): boolean {
  const ext = entry['external'];
  return isDict(ext) || ext === true || ext === 'true';
}

/** The real name of an entry: `name:`, `external.name`, or for an external one its key; else undefined. */
export function explicitName(key: string, entry: Dict): string | undefined {
  const ext = entry['external'];
  if (isDict(ext) && typeof ext['name'] === 'string') return ext['name'];
  return strAt(entry, 'name') ?? (isExternal(entry) ? key : undefined);
}

/** A network to create: its name and the NetworkCreate body docker's CLI sends. */
export interface StackNetwork {
  readonly name: string;
  readonly spec: Record<string, unknown>;
}

/**
 * The networks services attach to (`default` when a service names none), in the order the file
 * declares them, `default` last. Returns the ones to create and the names of external ones.
 */
export function convertNetworks(
  namespace: string,
  model: Dict,
  used: ReadonlySet<string>,
): { networks: StackNetwork[]; external: string[] } {
  const declared = dictAt(model, 'networks');
  const dflt = COMPOSE_DEFAULTS.defaultNetwork;
  const order = [...Object.keys(declared), ...(Object.hasOwn(declared, dflt) ? [] : [dflt])];
  const networks: StackNetwork[] = [];
  const external: string[] = [];
  for (const key of order) {
    if (!used.has(key)) continue;
    const nw = optDict(declared, key) ?? {};
    if (isExternal(nw)) {
      external.push(explicitName(key, nw) ?? key);
      continue;
    }
    const name = explicitName(key, nw) ?? scope(namespace, key);
    networks.push({ name, spec: networkSpec(namespace, name, nw) });
  }
  return { networks, external };
}

function networkSpec(namespace: string, name: string, nw: Dict): Record<string, unknown> {
  const ipam = optDict(nw, 'ipam');
  const ipamConfig = ipam ? listAt(ipam, 'config').filter(isDict) : [];
  const ipamDriver = ipam ? (strAt(ipam, 'driver') ?? '') : '';
  return {
    Driver: strAt(nw, 'driver') ?? COMPOSE_DEFAULTS.networkDriver,
    Scope: '',
    IPAM:
      ipamDriver !== '' || ipamConfig.length > 0
        ? {
            Driver: ipamDriver,
            Options: null,
            Config: ipamConfig.map((c) =>
              strAt(c, 'subnet') === undefined ? {} : { Subnet: strAt(c, 'subnet') },
            ),
          }
        : null,
    Internal: boolAt(nw, 'internal') ?? false,
    Attachable: boolAt(nw, 'attachable') ?? false,
    Ingress: false,
    ConfigOnly: false,
    ConfigFrom: null,
    Options: stringMapAt(nw, 'driver_opts') ?? null,
    Labels: withStackLabel(namespace, labelsOf(nw)),
    Name: name,
  };
}

function labelsOf(entry: Dict): Record<string, string> | undefined {
  return entry['labels'] === undefined
    ? undefined
    : (listOrDict(entry['labels'], true) as Record<string, string>);
}

/** A secret or config to create: its name and the SecretSpec/ConfigSpec body. */
export interface StackFileObject {
  readonly name: string;
  readonly spec: Record<string, unknown>;
}

/** Where file objects get their bytes. */
export interface FileObjectSources {
  readonly workingDir: string;
  readonly lookup: EnvLookup;
  /** Reads a file (absolute path); required when a secret or config has `file:`. */
  readonly readFile?: ((path: string) => Uint8Array | string) | undefined;
}

/**
 * Converts `secrets` or `configs` (by `kind`): data from `file:` (read through `readFile`),
 * `environment:` or, for configs, `content:`; base64 in `Data` as the API wants.
 */
export function convertFileObjects(
  kind: 'secrets' | 'configs',
  namespace: string,
  model: Dict,
  sources: FileObjectSources,
): { objects: StackFileObject[]; external: string[] } {
  const objects: StackFileObject[] = [];
  const external: string[] = [];
  for (const [key, raw] of Object.entries(dictAt(model, kind))) {
    const entry = isDict(raw) ? raw : {};
    if (isExternal(entry)) {
      external.push(explicitName(key, entry) ?? key);
      continue;
    }
    const name = explicitName(key, entry) ?? scope(namespace, key);
    const driver = strAt(entry, 'driver');
    const spec: Record<string, unknown> = {
      Name: name,
      Labels: withStackLabel(namespace, labelsOf(entry)),
      Data: driver !== undefined ? '' : base64(objectData(kind, key, entry, sources)),
    };
    if (driver !== undefined)
      spec['Driver'] = { Name: driver, Options: stringMapAt(entry, 'driver_opts') ?? {} };
    const templating = strAt(entry, 'template_driver');
    if (templating !== undefined) spec['Templating'] = { Name: templating };
    objects.push({ name, spec });
  }
  return { objects, external };
}

function objectData(kind: string, key: string, entry: Dict, sources: FileObjectSources): Uint8Array | string {
  const path = `${kind}.${key}`;
  const file = strAt(entry, 'file');
  if (file !== undefined) {
    const abs = posix.resolve(sources.workingDir, file);
    if (!sources.readFile)
      throw new ComposeValueError({ path: `${path}.file`, problem: `no reader given for ${abs}` });
    try {
      return sources.readFile(abs);
    } catch (cause) {
      throw new ComposeValueError(
        { path: `${path}.file`, problem: `cannot read ${abs}: ${String(cause)}` },
        { cause },
      );
    }
  }
  const env = strAt(entry, 'environment');
  if (env !== undefined) {
    const value = sources.lookup(env);
    if (value === undefined) {
      throw new ComposeReferenceError({
        path: `${path}.environment`,
        problem: `environment variable ${env} is not set`,
      });
    }
    return value;
  }
  const content = strAt(entry, 'content');
  if (content !== undefined && kind === 'configs') return content;
  throw new ComposeValueError({
    path,
    problem: 'needs one of file, environment or content, or external: true',
  });
}

function base64(data: Uint8Array | string): string {
  return (typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data)).toString('base64');
}
