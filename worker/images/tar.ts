/**
 * The system `tar` (GNU tar), spawned: listing and extracting archives. Only the image store uses it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const MAX_BUFFER = 256 * 1024 * 1024;

/** The member names of an archive (compression detected by tar). Rejects when it is not a tar. */
export async function listTar(archive: string): Promise<string[]> {
  const { stdout } = await run('tar', ['-tf', archive], { maxBuffer: MAX_BUFFER });
  return stdout.split('\n').filter((l) => l !== '');
}

/**
 * Extracts an archive into `dir` keeping owners, modes and device files (as root), never following
 * `..` out of `dir` (GNU tar refuses such members), skipping `exclude` patterns.
 */
export async function extractTar(
  archive: string,
  dir: string,
  exclude: readonly string[] = [],
): Promise<void> {
  const args = ['-xf', archive, '-C', dir, '--numeric-owner'];
  if (process.getuid?.() === 0) args.push('--same-owner', '--same-permissions');
  for (const e of exclude) args.push(`--exclude=${e}`);
  await run('tar', args, { maxBuffer: MAX_BUFFER });
}
