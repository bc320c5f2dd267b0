/**
 * convertStack: a loaded project to the objects `docker stack deploy` creates — networks, secrets,
 * configs and services with their Engine API bodies — plus the external objects the caller must
 * check exist, and warnings for keys Swarm ignores. Pure: file data and object IDs come from the
 * caller through `opts`.
 */
import type { ComposeProject } from '../load.ts';
import { type IdResolver } from './container.ts';
import { imageWithTag } from './image.ts';
import { convertFileObjects, convertNetworks, type StackFileObject, type StackNetwork } from './objects.ts';
import { isDict, type Dict } from './read.ts';
import { convertService, serviceNetworkNames } from './service.ts';
import { serviceWarnings } from './warnings.ts';

export type { StackFileObject, StackNetwork };

/** A service to create or update: its scoped name and the ServiceSpec JSON. */
export interface StackService {
  readonly name: string;
  readonly spec: Record<string, unknown>;
}

/** Everything convertStack produces. Lists keep the compose file's order. */
export interface ConvertedStack {
  readonly networks: StackNetwork[];
  readonly secrets: StackFileObject[];
  readonly configs: StackFileObject[];
  readonly services: StackService[];
  /** Real names of external networks/secrets/configs the stack uses; the caller checks they exist. */
  readonly externalNetworks: string[];
  readonly externalSecrets: string[];
  readonly externalConfigs: string[];
  readonly warnings: string[];
}

/** What convertStack needs from outside the compose files. */
export interface ConvertOptions {
  /** Reads a secret or config `file:` (absolute path, resolved against the first file's directory). */
  readonly readFile?: ((path: string) => Uint8Array | string) | undefined;
  /**
   * Secret name → ID for SecretReference.SecretID (undefined → "secret not found" error). Without a
   * resolver, IDs are left `""` for the caller to fill.
   */
  readonly secretId?: IdResolver | undefined;
  /** Config name → ID, as secretId. */
  readonly configId?: IdResolver | undefined;
  /**
   * Add `:latest` to untagged images in ContainerSpec.Image, as docker's client does when digest
   * lookup fails (what the trace shows). Default true; the `com.docker.stack.image` label keeps the
   * image as written either way.
   */
  readonly tagImages?: boolean | undefined;
}

/**
 * Converts `project` into stack objects under `namespace`. Throws ComposeReferenceError for
 * undefined networks/volumes/secrets/configs and ComposeValueError for values that cannot be
 * converted; both name the path (`services.web.deploy.resources.limits.cpus`).
 */
export function convertStack(
  project: ComposeProject,
  namespace: string,
  opts: ConvertOptions = {},
): ConvertedStack {
  const model = project.model;
  const services = isDict(model['services']) ? model['services'] : {};
  const used = new Set<string>();
  for (const svc of Object.values(services)) {
    if (isDict(svc)) for (const n of serviceNetworkNames(svc)) used.add(n);
  }
  const { networks, external: externalNetworks } = convertNetworks(namespace, model, used);
  const sources = { workingDir: project.workingDir, lookup: project.lookup, readFile: opts.readFile };
  const secrets = convertFileObjects('secrets', namespace, model, sources);
  const configs = convertFileObjects('configs', namespace, model, sources);
  const image = opts.tagImages === false ? undefined : imageWithTag;
  const ctx = { namespace, model, secretId: opts.secretId, configId: opts.configId, image };
  const warnings: string[] = [];
  const converted: StackService[] = [];
  for (const [name, raw] of Object.entries(services)) {
    const svc: Dict = isDict(raw) ? raw : {};
    warnings.push(...serviceWarnings(name, svc));
    converted.push({ name: `${namespace}_${name}`, spec: convertService(name, svc, ctx) });
  }
  return {
    networks,
    secrets: secrets.objects,
    configs: configs.objects,
    services: converted,
    externalNetworks,
    externalSecrets: secrets.external,
    externalConfigs: configs.external,
    warnings,
  };
}
