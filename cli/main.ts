/**
 * `shoal`: the command line, a client of shoald's Docker-compatible HTTP API with docker's output.
 * Returns the process exit code instead of exiting, so tests can run it in-process.
 */
import { createInterface } from 'node:readline';
import { Command, CommanderError } from 'commander';
import { SHOAL_VERSION } from '../proto/version.ts';
import { registerCluster } from './commands/cluster.ts';
import { registerImage } from './commands/image.ts';
import { registerNetwork } from './commands/network.ts';
import { registerNode } from './commands/node.ts';
import { registerObjects } from './commands/objects.ts';
import { registerService } from './commands/service.ts';
import { dockerBoolFlags, registerStack } from './commands/stack.ts';
import { registerSwarm } from './commands/swarm.ts';
import { registerSystem } from './commands/system.ts';
import type { Ctx, Io } from './context.ts';
import { ApiError, CliError, ConnectError, UsageError } from './errors.ts';
import { TemplateError } from './format/template.ts';
import { ApiClient, DEFAULT_HOST } from './http.ts';

export type { Io } from './context.ts';

/** What a run may override besides output: environment, clock and sleep (tests make them fake). */
export interface Deps {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Told the full path (`shoal service create`) of the command about to run. */
  readonly onAction?: (path: string) => void;
}

/** `shoal service create` for the `create` command under `service`. */
function commandPath(c: Command): string {
  const names: string[] = [];
  for (let at: Command | null = c; at; at = at.parent) names.unshift(at.name());
  return names.join(' ');
}

const stdio: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  isTTY: process.stdout.isTTY,
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin as AsyncIterable<Buffer>) chunks.push(c);
    return Buffer.concat(chunks);
  },
  readLine: async () => {
    const rl = createInterface({ input: process.stdin, terminal: false });
    try {
      for await (const line of rl) return line;
      return '';
    } finally {
      rl.close();
    }
  },
};

/** Builds the command tree; exported for tests. */
export function program(io: Io = stdio, deps: Deps = {}): Command {
  return build(io, deps).cmd;
}

function build(io: Io, deps: Deps): { cmd: Command; close: () => void } {
  const cmd = new Command('shoal')
    .description('Shoal: a Swarm-mode cluster orchestrator. Talks to the local shoald over its HTTP API.')
    .version(`Shoal version ${SHOAL_VERSION}`, '-v, --version', 'print the version and exit')
    .option('-H, --host <host>', `daemon socket to connect to (env SHOAL_HOST, default ${DEFAULT_HOST})`)
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .enablePositionalOptions()
    .exitOverride();
  let client: ApiClient | undefined;
  const ctx: Ctx = {
    io,
    api: () => {
      const env = deps.env ?? process.env;
      client ??= new ApiClient(cmd.opts<{ host?: string }>().host ?? env.SHOAL_HOST ?? DEFAULT_HOST);
      return client;
    },
    now: deps.now ?? (() => Date.now()),
    sleep: deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  };
  registerSwarm(cmd, ctx);
  registerNode(cmd, ctx);
  registerService(cmd, ctx);
  registerStack(cmd, ctx, () => deps.env ?? process.env);
  registerObjects(cmd, ctx);
  registerNetwork(cmd, ctx);
  registerSystem(cmd, ctx);
  registerImage(cmd, ctx);
  registerCluster(cmd, ctx);
  for (const group of cmd.commands.filter((c) => c.commands.length > 0)) {
    // Like docker, a bare group prints its help and succeeds; an unknown subcommand is an error.
    group.allowExcessArguments(true).action((_opts, self: Command) => {
      if (self.args.length > 0) {
        throw new UsageError(`unknown command '${self.args[0]}' for "shoal ${group.name()}"`);
      }
      group.outputHelp();
    });
  }
  cmd.hook('preAction', (_root, action) => deps.onAction?.(commandPath(action)));
  cmd.allowExcessArguments(true).action((_opts, self: Command) => {
    if (self.args.length > 0) throw new UsageError(`unknown command '${self.args[0]}' for "shoal"`);
    io.out(`Shoal version ${SHOAL_VERSION}\n\n`);
    cmd.outputHelp();
  });
  return { cmd, close: () => client?.close() };
}

/** Runs `shoal` with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], io: Io = stdio, deps: Deps = {}): Promise<number> {
  let path = 'shoal';
  const onAction = (p: string) => {
    path = p;
    deps.onAction?.(p);
  };
  const { cmd, close } = build(io, { ...deps, onAction });
  try {
    await cmd.parseAsync(dockerBoolFlags(argv), { from: 'user' });
    return 0;
  } catch (err) {
    return report(err, io, path);
  } finally {
    close();
  }
}

/** Prints an error as docker does and returns the exit code. */
function report(err: unknown, io: Io, path: string): number {
  if (err instanceof CommanderError) return err.exitCode;
  if (err instanceof ApiError) io.err(`Error response from daemon: ${err.message}\n`);
  else if (err instanceof UsageError) io.err(`${err.message}\nSee '${path} --help'.\n`);
  else if (err instanceof ConnectError || err instanceof CliError || err instanceof TemplateError) {
    io.err(`${err.message}\n`);
  } else io.err(`shoal: ${err instanceof Error ? err.message : String(err)}\n`);
  return 1;
}
