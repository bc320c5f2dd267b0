/**
 * Loading: compose texts → one merged, interpolated, validated, canonical project. Pure: texts and
 * environment in, project out; env_file contents come through an injected reader. files.ts is the
 * thin entry point that does the reading.
 */
import { posix } from 'node:path';
import { canonicalDocument } from './canonical.ts';
import { ComposeForbiddenError, ComposeValueError } from './errors.ts';
import { envLookup, interpolateDocument, type EnvLookup } from './interpolate.ts';
import { mergeDocuments } from './merge.ts';
import { isDict, type Dict } from './syntax.ts';
import { validateComposeDocument } from './validate.ts';
import { parseComposeYaml, parseEnvText } from './yaml.ts';

/** One compose file: where it came from (for messages and relative paths) and its text. */
export interface ComposeSource {
  readonly path: string;
  readonly text: string;
}

/** What loadProject needs besides the files. */
export interface LoadOptions {
  /** The shell environment; wins over `.env`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Text of the `.env` file beside the first compose file, if there is one. */
  readonly dotEnvText?: string | undefined;
  /** Reads an `env_file` (absolute path); without it a service with env_file is an error. */
  readonly readText?: ((path: string) => string) | undefined;
}

/**
 * A loaded project. `model` is the merged document in canonical form (see canonical.ts) with each
 * service's `environment` resolved (env_file applied, bare names looked up) and `env_file` removed.
 */
export interface ComposeProject {
  readonly files: readonly string[];
  /** Directory of the first file: relative paths in the project resolve against it. */
  readonly workingDir: string;
  readonly model: Dict;
  /** The interpolation environment (shell over `.env`), for `secrets.*.environment`. */
  readonly lookup: EnvLookup;
}

/**
 * Parses, interpolates, validates (each file on its own, so errors name the file), canonicalises
 * and merges the files in order. Throws a ComposeError subclass naming file, path and problem.
 */
export function loadProject(sources: readonly ComposeSource[], options: LoadOptions): ComposeProject {
  const first = sources[0];
  if (!first) throw new ComposeValueError({ path: '', problem: 'no compose file given' });
  const dotEnv: Record<string, string | undefined> = {};
  if (options.dotEnvText !== undefined) {
    for (const [k, v] of parseEnvText(options.dotEnvText)) dotEnv[k] = v;
  }
  const lookup = envLookup(options.env, dotEnv);
  const workingDir = posix.dirname(posix.resolve(first.path));
  const home = options.env['HOME'];
  let model: Dict = {};
  for (const source of sources) {
    const parsed = parseComposeYaml(source.text, source.path);
    const doc = interpolateDocument(parsed, lookup, source.path);
    validateComposeDocument(doc, source.path);
    rejectForbidden(doc, source.path);
    model = mergeDocuments(model, canonicalDocument(doc, { file: source.path, workingDir, home }));
  }
  model = resolveEnvironments(model, workingDir, lookup, options.readText);
  return { files: sources.map((s) => s.path), workingDir, model, lookup };
}

/** docker's ForbiddenProperties: keys `docker stack deploy` refuses, with its advice. */
export const FORBIDDEN_PROPERTIES: Readonly<Record<string, string>> = {
  extends: 'Support for `extends` is not implemented yet.',
  volume_driver:
    'Instead of setting the volume driver on the service, define a volume using the top-level `volumes` option and specify the driver there.',
  volumes_from:
    'To share a volume between services, define it using the top-level `volumes` option and reference it from each service that shares it using the service-level `volumes` option.',
  cpu_quota: 'Set resource limits using deploy.resources',
  cpu_shares: 'Set resource limits using deploy.resources',
  cpuset: 'Set resource limits using deploy.resources',
  mem_limit: 'Set resource limits using deploy.resources',
  memswap_limit: 'Set resource limits using deploy.resources',
};

function rejectForbidden(doc: Dict, file: string): void {
  const services = isDict(doc['services']) ? doc['services'] : {};
  for (const [name, svc] of Object.entries(services)) {
    if (!isDict(svc)) continue;
    for (const key of Object.keys(svc).sort()) {
      const advice = FORBIDDEN_PROPERTIES[key];
      if (advice !== undefined) {
        throw new ComposeForbiddenError({
          file,
          path: `services.${name}.${key}`,
          problem: `Compose file contains unsupported options: ${key}: ${advice}`,
        });
      }
    }
  }
}

function resolveEnvironments(
  model: Dict,
  workingDir: string,
  lookup: EnvLookup,
  readText: ((path: string) => string) | undefined,
): Dict {
  const services = isDict(model['services']) ? model['services'] : {};
  const out: Dict = {};
  for (const [name, svc] of Object.entries(services)) {
    if (!isDict(svc)) continue;
    const env: Record<string, string | null> = {};
    const files = Array.isArray(svc['env_file']) ? svc['env_file'] : [];
    for (const entry of files) {
      const spec = isDict(entry) ? entry : {};
      const path = posix.resolve(workingDir, String(spec['path']));
      const required = spec['required'] !== false && spec['required'] !== 'false';
      let text: string;
      try {
        if (!readText) throw new Error('no file reader given');
        text = readText(path);
      } catch (cause) {
        if (!required) continue;
        throw new ComposeValueError(
          { path: `services.${name}.env_file`, problem: `cannot read env file ${path}: ${String(cause)}` },
          { cause },
        );
      }
      for (const [k, v] of parseEnvText(text, false)) {
        const value = v ?? lookup(k);
        if (value !== undefined) env[k] = value;
      }
    }
    const given = isDict(svc['environment']) ? svc['environment'] : {};
    for (const [k, v] of Object.entries(given)) {
      env[k] = typeof v === 'string' ? v : (lookup(k) ?? null);
    }
    const { env_file: _ignored, ...rest } = svc;
    out[name] = svc['environment'] === undefined && files.length === 0 ? rest : { ...rest, environment: env };
  }
  return { ...model, services: out };
}
