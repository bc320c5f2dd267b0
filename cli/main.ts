/**
 * `shoal`: the command line. Commands arrive issue by issue; `shoal --help` lists those that exist.
 * Returns the process exit code instead of exiting, so tests can run it in-process.
 */
import { Command, CommanderError } from 'commander';
import { DOCKER_API_VERSION, SHOAL_VERSION } from '../proto/version.ts';

export interface Io {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
}

const stdio: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

/** Builds the command tree; exported for tests. */
export function program(io: Io = stdio): Command {
  const cmd = new Command('shoal')
    .description('Shoal: a Swarm-mode cluster orchestrator. Talks to the local shoald over its HTTP API.')
    .version(`Shoal version ${SHOAL_VERSION}`, '-v, --version', 'print the version and exit')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();
  cmd
    .command('version')
    .description('show the Shoal version information')
    .action(() => {
      io.out(
        `Client: Shoal\n Version:      ${SHOAL_VERSION}\n API version:  ${DOCKER_API_VERSION}\n Node.js:      ${process.version}\n OS/Arch:      ${process.platform}/${process.arch}\n`,
      );
    });
  cmd.action(() => {
    io.out(`Shoal version ${SHOAL_VERSION}\n\n`);
    cmd.outputHelp();
  });
  return cmd;
}

/** Runs `shoal` with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], io: Io = stdio): Promise<number> {
  try {
    await program(io).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    io.err(`shoal: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
