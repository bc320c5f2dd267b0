/**
 * An image's run configuration, as Docker keeps it: what a task runs when its spec names no command
 * (Entrypoint + Cmd), its default environment and working directory. Read from a `docker save`
 * archive's config JSON, or given at import time with Docker's `--change` syntax
 * (`CMD ["sleep","60"]`, `ENTRYPOINT ["/bin/app"]`, `ENV K=V`, `WORKDIR /srv`).
 */
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { InvalidArgumentError } from '../../proto/shared/errors.ts';

export interface ImageConfig {
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  readonly env: readonly string[];
  readonly workingDir: string;
}

export const EMPTY_IMAGE_CONFIG: ImageConfig = Object.freeze({
  entrypoint: [],
  cmd: [],
  env: [],
  workingDir: '',
});

const strings = (v: unknown): string[] =>
  Array.isArray(v) && v.every((x): x is string => typeof x === 'string') ? [...v] : [];

/** The config of the first image of an extracted `docker save` archive (empty when it has none). */
export async function readSavedConfig(extracted: string): Promise<ImageConfig> {
  try {
    const manifest = JSON.parse(await readFile(join(extracted, 'manifest.json'), 'utf8')) as unknown;
    const file = (Array.isArray(manifest) ? (manifest[0] as { Config?: unknown }) : undefined)?.Config;
    if (typeof file !== 'string') return EMPTY_IMAGE_CONFIG;
    const json = JSON.parse(
      await readFile(join(extracted, posix.normalize(`/${file}`).slice(1)), 'utf8'),
    ) as { config?: Record<string, unknown> };
    const c = json.config ?? {};
    return {
      entrypoint: strings(c['Entrypoint']),
      cmd: strings(c['Cmd']),
      env: strings(c['Env']),
      workingDir: typeof c['WorkingDir'] === 'string' ? c['WorkingDir'] : '',
    };
  } catch {
    return EMPTY_IMAGE_CONFIG;
  }
}

function argvOf(change: string, rest: string): string[] {
  const t = rest.trim();
  if (t.startsWith('[')) {
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch {
      throw new InvalidArgumentError(`--change "${change}": not a JSON array of strings`, 'changes');
    }
    const out = strings(v);
    if (!Array.isArray(v) || out.length !== v.length)
      throw new InvalidArgumentError(`--change "${change}": not a JSON array of strings`, 'changes');
    return out;
  }
  return ['/bin/sh', '-c', t];
}

/** Applies Docker `--change` lines (CMD, ENTRYPOINT, ENV, WORKDIR) over a config. */
export function applyChanges(base: ImageConfig, changes: readonly string[]): ImageConfig {
  let c = { ...base, env: [...base.env] };
  for (const change of changes) {
    const m = /^\s*(\w+)\s+(.*)$/s.exec(change);
    const op = m?.[1]?.toUpperCase();
    const rest = m?.[2] ?? '';
    switch (op) {
      case 'CMD':
        c = { ...c, cmd: argvOf(change, rest) };
        break;
      case 'ENTRYPOINT':
        c = { ...c, entrypoint: argvOf(change, rest) };
        break;
      case 'ENV': {
        const kv = rest.trim();
        if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(kv))
          throw new InvalidArgumentError(`--change "${change}": use ENV NAME=value`, 'changes');
        c.env.push(kv);
        break;
      }
      case 'WORKDIR':
        if (!rest.trim().startsWith('/'))
          throw new InvalidArgumentError(`--change "${change}": WORKDIR must be an absolute path`, 'changes');
        c = { ...c, workingDir: rest.trim() };
        break;
      case undefined:
      default:
        throw new InvalidArgumentError(
          `--change "${change}": only CMD, ENTRYPOINT, ENV and WORKDIR are supported`,
          'changes',
        );
    }
  }
  return c;
}

/**
 * The argv a task runs, as Docker decides it: the spec's Command replaces the image's Entrypoint, the
 * spec's Args replace the image's Cmd.
 */
export function taskArgv(command: readonly string[], args: readonly string[], image: ImageConfig): string[] {
  const entry = command.length > 0 ? command : image.entrypoint;
  const rest = args.length > 0 || command.length > 0 ? args : image.cmd;
  return [...entry, ...rest];
}
