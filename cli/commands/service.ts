/** `shoal service`: create, ls, ps, inspect, update, scale, rm, rollback, logs. */
import type { Command } from 'commander';
import type { Ctx } from '../context.ts';
import { ApiError, CliError, UsageError } from '../errors.ts';
import { parseUint } from '../flags.ts';
import { renderEach, renderJson, renderList, type ListFormat } from '../format/list.ts';
import { truncateId } from '../format/units.ts';
import { waitOnService } from '../progress.ts';
import type { Service, Task } from '../types.ts';
import { collect, filter, filtersQuery, seg, type ListOpts } from './common.ts';
import { serviceLogs, type LogOpts } from './logs.ts';
import { prettyService } from './service-pretty.ts';
import { addSpecOptions } from './service-spec.ts';
import { createService, updateService, type CreateFlags, type UpdateFlags } from './service-write.ts';
import { formatPorts, printTasks } from './tasks.ts';

/** Docker's service list format. */
export const SERVICE_FORMAT: ListFormat = {
  defaultFormat: 'table {{.ID}}\t{{.Name}}\t{{.Mode}}\t{{.Replicas}}\t{{.Image}}\t{{.Ports}}',
  headers: { ID: 'ID', Name: 'NAME', Mode: 'MODE', Replicas: 'REPLICAS', Image: 'IMAGE', Ports: 'PORTS' },
};

/** One `service ls` row: REPLICAS `2/2`, `3/3 (max 2 per node)`, PORTS of ingress ports. */
export function serviceRow(s: Service): Record<string, string> {
  const mode = s.Spec.Mode ?? {};
  const st = s.ServiceStatus;
  let modeName = 'replicated';
  let replicas = `${st?.RunningTasks ?? 0}/${st?.DesiredTasks ?? 0}`;
  if (mode.Global) modeName = 'global';
  else if (mode.ReplicatedJob) {
    modeName = 'replicated job';
    replicas = `${st?.RunningTasks ?? 0}/${mode.ReplicatedJob.MaxConcurrent ?? 1} (${(st as { CompletedTasks?: number } | undefined)?.CompletedTasks ?? 0}/${mode.ReplicatedJob.TotalCompletions ?? 1} completed)`;
  } else if (mode.GlobalJob) {
    modeName = 'global job';
    replicas = `${st?.RunningTasks ?? 0}/${st?.DesiredTasks ?? 0} (${(st as { CompletedTasks?: number } | undefined)?.CompletedTasks ?? 0}/${st?.DesiredTasks ?? 0} completed)`;
  }
  const max = s.Spec.TaskTemplate?.Placement?.MaxReplicas;
  if (mode.Replicated && max) replicas += ` (max ${max} per node)`;
  const ingress = (s.Endpoint?.Ports ?? []).filter((p) => p.PublishMode !== 'host');
  return {
    ID: truncateId(s.ID),
    Name: s.Spec.Name ?? '',
    Mode: modeName,
    Replicas: replicas,
    Image: (s.Spec.TaskTemplate?.ContainerSpec?.Image ?? '').replace(/@sha256:[0-9a-f]+$/, ''),
    Ports: formatPorts(ingress),
  };
}

/** Registers `service` and its subcommands. */
export function registerService(program: Command, ctx: Ctx): void {
  const service = program.command('service').description('Manage Swarm services');

  addSpecOptions(
    service
      .command('create')
      .description('Create a new service')
      .argument('<image>')
      .argument('[command...]', 'command and arguments'),
    'create',
  )
    .passThroughOptions()
    .action(async (image: string, args: string[], o: CreateFlags) => createService(ctx, image, args, o));

  service
    .command('ls')
    .alias('list')
    .description('List services')
    .option('-q, --quiet', 'Only display IDs')
    .option('--format <string>', 'Format output using a custom template')
    .option('-f, --filter <filter>', 'Filter output based on conditions provided', collect)
    .action(async (o: ListOpts) => {
      const filters = filtersQuery(o.filter);
      const services = await ctx.api().get<Service[]>('/services', { filters, status: true });
      const sorted = [...services].sort((a, b) => (a.Spec.Name ?? '').localeCompare(b.Spec.Name ?? ''));
      ctx.io.out(renderList(sorted.map(serviceRow), SERVICE_FORMAT, o));
    });

  service
    .command('ps')
    .description('List the tasks of one or more services')
    .argument('<service...>')
    .option('-f, --filter <filter>', 'Filter output based on conditions provided', collect)
    .option('--format <string>', 'Pretty-print tasks using a Go template')
    .option('--no-resolve', 'Do not map IDs to Names')
    .option('--no-trunc', 'Do not truncate output')
    .option('-q, --quiet', 'Only display task IDs')
    .action(async (refs: string[], o: ListOpts & { resolve: boolean; trunc: boolean }) =>
      servicePs(ctx, refs, o),
    );

  service
    .command('inspect')
    .description('Display detailed information on one or more services')
    .argument('<service...>')
    .option('--pretty', 'Print the information in a human friendly format')
    .option('-f, --format <string>', 'Format output using a custom template')
    .action(async (refs: string[], o: { pretty?: boolean; format?: string }) => {
      if (o.pretty && o.format) throw new UsageError('--format is incompatible with human friendly format');
      const services: Service[] = [];
      for (const ref of refs) {
        services.push(
          await ctx.api().get<Service>(`/services/${seg(ref)}`, { insertDefaults: o.pretty ?? false }),
        );
      }
      if (o.pretty) ctx.io.out(services.map((s) => prettyService(s) + '\n').join('\n'));
      else if (o.format) ctx.io.out(renderEach(services, o.format));
      else ctx.io.out(renderJson(services));
    });

  addSpecOptions(
    service.command('update').description('Update a service').argument('<service>'),
    'update',
  ).action(async (ref: string, o: UpdateFlags) => updateService(ctx, ref, o));

  service
    .command('scale')
    .description('Scale one or multiple replicated services')
    .argument('<service=replicas...>')
    .option('-d, --detach', 'Exit immediately instead of waiting for the service to converge')
    .action(async (args: string[], o: { detach?: boolean }) => scale(ctx, args, o.detach ?? false));

  service
    .command('rm')
    .alias('remove')
    .description('Remove one or more services')
    .argument('<service...>')
    .action(async (refs: string[]) => {
      const errors: string[] = [];
      for (const ref of refs) {
        try {
          await ctx.api().request('DELETE', `/services/${seg(ref)}`);
          ctx.io.out(`${ref}\n`);
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          errors.push(`Error response from daemon: ${err.message}`);
        }
      }
      if (errors.length > 0) throw new CliError(errors.join('\n'));
    });

  service
    .command('rollback')
    .description("Revert changes to a service's configuration")
    .argument('<service>')
    .option('-d, --detach', 'Exit immediately instead of waiting for the service to converge')
    .option('-q, --quiet', 'Suppress progress output')
    .action(async (ref: string, o: { detach?: boolean; quiet?: boolean }) => {
      const svc = await ctx.api().get<Service>(`/services/${seg(ref)}`, { insertDefaults: false });
      await ctx.api().request('POST', `/services/${seg(svc.ID)}/update`, {
        query: { rollback: 'previous', version: svc.Version?.Index ?? 0 },
        body: svc.Spec,
      });
      ctx.io.out(`${ref}\n`);
      if (!o.detach) await waitOnService(ctx, ref, o.quiet ?? false);
    });

  service
    .command('logs')
    .description('Fetch the logs of a service or task')
    .argument('<service|task>')
    .option('--details', 'Show extra details provided to logs')
    .option('-f, --follow', 'Follow log output')
    .option('--no-resolve', 'Do not map IDs to Names in output')
    .option('--no-task-ids', 'Do not include task IDs in output')
    .option('--no-trunc', 'Do not truncate output')
    .option('--raw', 'Do not neatly format logs')
    .option(
      '--since <string>',
      'Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m")',
    )
    .option('-n, --tail <string>', 'Number of lines to show from the end of the logs', 'all')
    .option('-t, --timestamps', 'Show timestamps')
    .action(async (ref: string, o: LogOpts) => serviceLogs(ctx, ref, o));
}

async function servicePs(
  ctx: Ctx,
  refs: readonly string[],
  o: ListOpts & { resolve: boolean; trunc: boolean },
): Promise<void> {
  const extra = filtersQuery(o.filter);
  const byId = await ctx.api().get<Service[]>('/services', { filters: filter('id', ...refs) });
  const byName = await ctx.api().get<Service[]>('/services', { filters: filter('name', ...refs) });
  const ids: string[] = [];
  const notFound: string[] = [];
  for (const ref of refs) {
    const exact = byId.find((s) => s.ID === ref) ?? byName.find((s) => s.Spec.Name === ref);
    if (exact) {
      ids.push(exact.ID);
      continue;
    }
    const prefixed = byId.filter((s) => s.ID.startsWith(ref));
    if (prefixed.length > 1) throw new CliError(`multiple services found with provided prefix: ${ref}`);
    if (prefixed[0]) ids.push(prefixed[0].ID);
    else notFound.push(`no such service: ${ref}`);
  }
  if (ids.length === 0) throw new CliError(notFound.join('\n'));
  const f = {
    ...(JSON.parse(extra ?? '{}') as object),
    service: Object.fromEntries(ids.map((id) => [id, true])),
  };
  const tasks = await ctx.api().get<Task[]>('/tasks', { filters: JSON.stringify(sortKeys(f)) });
  await printTasks(ctx, tasks, { ...o, noTrunc: !o.trunc, noResolve: !o.resolve });
  if (notFound.length > 0) throw new CliError(notFound.join('\n'));
}

function sortKeys(o: object): object {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** `service scale a=1 b=2`: every argument is checked before the first request. */
async function scale(ctx: Ctx, args: readonly string[], detach: boolean): Promise<void> {
  const wanted = args.map((arg) => {
    const eq = arg.indexOf('=');
    if (eq <= 0 || eq === arg.length - 1) {
      throw new UsageError(`Invalid scale specifier '${arg}'.\nSee 'shoal service scale --help'.`);
    }
    const name = arg.slice(0, eq);
    return { name, replicas: parseUint(`${name}`, arg.slice(eq + 1)) };
  });
  const errors: string[] = [];
  const scaled: string[] = [];
  for (const { name, replicas } of wanted) {
    try {
      const svc = await ctx.api().get<Service>(`/services/${seg(name)}`, { insertDefaults: false });
      const spec = structuredClone(svc.Spec);
      if (spec.Mode?.Replicated) spec.Mode.Replicated.Replicas = replicas;
      else if (spec.Mode?.ReplicatedJob) spec.Mode.ReplicatedJob.TotalCompletions = replicas;
      else throw new CliError(`scale can only be used with replicated or replicated-job mode`);
      await ctx.api().request('POST', `/services/${seg(svc.ID)}/update`, {
        query: { version: svc.Version?.Index ?? 0 },
        body: spec,
      });
      ctx.io.out(`${name} scaled to ${replicas}\n`);
      scaled.push(name);
    } catch (err) {
      if (err instanceof ApiError) errors.push(`Error response from daemon: ${err.message}`);
      else if (err instanceof CliError) errors.push(`${name}: ${err.message}`);
      else throw err;
    }
  }
  if (!detach) for (const name of scaled) await waitOnService(ctx, name, false);
  if (errors.length > 0) throw new CliError(errors.join('\n'));
}
