/**
 * The one place compose/ touches the file system and the process environment: the thin entry point
 * over the pure loadProject.
 */
import { existsSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { loadProject, type ComposeProject } from './load.ts';

/** Options of the file-reading entry point. */
export interface LoadFilesOptions {
  /** The environment to interpolate from; defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Reads the compose files at `paths` (later ones override earlier ones), the `.env` file beside the
 * first one if present, and env_files on demand, then loads them with loadProject.
 */
export function loadComposeFiles(paths: readonly string[], options: LoadFilesOptions = {}): ComposeProject {
  const sources = paths.map((path) => ({ path, text: readFileSync(path, 'utf8') }));
  const first = paths[0];
  const dotEnvPath =
    first === undefined ? undefined : posix.join(posix.dirname(posix.resolve(first)), '.env');
  const dotEnvText =
    dotEnvPath !== undefined && existsSync(dotEnvPath) ? readFileSync(dotEnvPath, 'utf8') : undefined;
  return loadProject(sources, {
    env: options.env ?? process.env,
    dotEnvText,
    readText: (path) => readFileSync(path, 'utf8'),
  });
}

/** Reads a secret or config file for convertStack's `readFile` option. */
export function readObjectFile(path: string): Uint8Array {
  return readFileSync(path);
}
