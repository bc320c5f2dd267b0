/**
 * `shoald`: the daemon on every host. Node lifecycle and the HTTP API arrive with later issues; today it
 * reports its version and options. Returns the exit code so tests can run it in-process.
 */
import { Command, CommanderError } from 'commander';
import { DOCKER_API_VERSION, SHOAL_VERSION } from '../proto/version.ts';

export interface Io {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
}

const stdio: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

export function program(io: Io = stdio): Command {
  const cmd = new Command('shoald')
    .description('Shoal daemon: runs the worker agent on every host, and the manager on managers.')
    .version(
      `shoald version ${SHOAL_VERSION} (Docker API ${DOCKER_API_VERSION})`,
      '-v, --version',
      'print the version and exit',
    )
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();
  cmd.action(() => {
    io.out(`shoald version ${SHOAL_VERSION}\n\n`);
    cmd.outputHelp();
  });
  return cmd;
}

export async function main(argv: readonly string[], io: Io = stdio): Promise<number> {
  try {
    await program(io).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    io.err(`shoald: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
