/** `shoal stack`: deploy, ls, services, ps, rm — docker's `stack` commands on the swarm orchestrator. */
import { Option, type Command } from 'commander';
import type { Ctx } from '../context.ts';
import { flagError, UsageError } from '../errors.ts';
import { collect, type ListOpts } from './common.ts';
import { deployStack, loadStack } from './stack-deploy.ts';
import { listStacks, removeStacks, stackPs, stackServices, type StackPsOpts } from './stack-objects.ts';
import { RESOLVE_IMAGE, type ResolveImage } from './stack-spec.ts';

interface DeployFlags {
  composeFile?: string[];
  prune?: boolean;
  resolveImage: string;
  detach?: boolean;
  quiet?: boolean;
  withRegistryAuth?: boolean;
}

/**
 * docker's boolean flags take `--flag=false`; commander spells that `--no-flag`. Applied to the
 * arguments of `stack` commands only (the flags they define both ways).
 */
export function dockerBoolFlags(argv: readonly string[]): string[] {
  if (!argv.includes('stack')) return [...argv];
  return argv.map((a) => {
    const m = /^--(detach)=(.*)$/.exec(a);
    if (!m) return a;
    const v = m[2] ?? '';
    if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return `--${m[1]}`;
    if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return `--no-${m[1]}`;
    throw flagError(`--${m[1] ?? ''}`, v, `strconv.ParseBool: parsing "${v}": invalid syntax`);
  });
}

/** docker's stack name check: what becomes a name prefix must not be empty or hold spaces. */
function checkName(namespace: string): void {
  if (namespace === '' || /\s/.test(namespace)) throw new UsageError(`invalid stack name: "${namespace}"`);
}

/** Registers `stack` and its subcommands. */
export function registerStack(
  program: Command,
  ctx: Ctx,
  env: () => Readonly<Record<string, string | undefined>>,
): void {
  const stack = program.command('stack').description('Manage Swarm stacks');

  stack
    .command('deploy')
    .alias('up')
    .description('Deploy a new stack or update an existing stack')
    .argument('<stack>')
    .option(
      '-c, --compose-file <file>',
      'Path to a Compose file (repeat to merge: later files override)',
      collect,
    )
    .option('-d, --detach', 'Exit immediately instead of waiting for the stack services to converge')
    .addOption(
      new Option('--no-detach', 'Wait for the stack services to converge (--detach=false)').hideHelp(),
    )
    .option('--prune', 'Prune services that are no longer referenced')
    .option('-q, --quiet', 'Suppress progress output')
    .option(
      '--resolve-image <string>',
      'Query the registry to resolve image digest and supported platforms ("always", "changed", "never")',
      'always',
    )
    .option('--with-registry-auth', 'Send registry authentication details to Swarm agents')
    .action(async (namespace: string, o: DeployFlags) => {
      if (!(RESOLVE_IMAGE as readonly string[]).includes(o.resolveImage)) {
        throw new UsageError(`Invalid option ${o.resolveImage} for flag --resolve-image`);
      }
      checkName(namespace);
      const opts = {
        composeFiles: o.composeFile ?? [],
        prune: o.prune ?? false,
        resolveImage: o.resolveImage as ResolveImage,
        detach: o.detach,
        quiet: o.quiet ?? false,
        env: env(),
      };
      // Everything local first: an invalid file fails before the first request.
      const converted = loadStack(namespace, opts);
      await deployStack(ctx, namespace, converted, opts);
    });

  stack
    .command('ls')
    .alias('list')
    .description('List stacks')
    .option('--format <string>', 'Format output using a custom template')
    .action(async (o: { format?: string }) => listStacks(ctx, o));

  stack
    .command('services')
    .description('List the services in the stack')
    .argument('<stack>')
    .option('-f, --filter <filter>', 'Filter output based on conditions provided', collect)
    .option('--format <string>', 'Format output using a custom template')
    .option('-q, --quiet', 'Only display IDs')
    .action(async (namespace: string, o: ListOpts) => stackServices(ctx, namespace, o));

  stack
    .command('ps')
    .description('List the tasks in the stack')
    .argument('<stack>')
    .option('-f, --filter <filter>', 'Filter output based on conditions provided', collect)
    .option('--format <string>', 'Format output using a custom template')
    .option('--no-resolve', 'Do not map IDs to Names')
    .option('--no-trunc', 'Do not truncate output')
    .option('-q, --quiet', 'Only display task IDs')
    .action(async (namespace: string, o: StackPsOpts) => stackPs(ctx, namespace, o));

  stack
    .command('rm')
    .aliases(['remove', 'down'])
    .description('Remove one or more stacks')
    .argument('<stack...>')
    .option('-d, --detach', 'Do not wait for stack removal (the default)')
    .addOption(new Option('--no-detach', 'Wait for stack removal (--detach=false)').hideHelp())
    .action(async (namespaces: string[], o: { detach?: boolean }) =>
      removeStacks(ctx, namespaces, o.detach ?? true),
    );
}
