/**
 * The label-filtered side of stacks: `stack ls`, `stack services`, `stack ps` and `stack rm`, as
 * docker's CLI does them (a stack is whatever carries `com.docker.stack.namespace=<name>`).
 */
import type { Ctx } from '../context.ts';
import { ApiError, CliError } from '../errors.ts';
import { parseFilters } from '../flags.ts';
import { encodeFilters } from '../http.ts';
import { renderList, type ListFormat } from '../format/list.ts';
import type { Network, SecretOrConfig, Service, Task } from '../types.ts';
import { seg, type ListOpts } from './common.ts';
import { SERVICE_FORMAT, serviceRow } from './service.ts';
import { printTasks } from './tasks.ts';

/** The label every object of a stack carries. */
export const LABEL_NAMESPACE = 'com.docker.stack.namespace';

/** `{"label":{"com.docker.stack.namespace=<ns>":true}}` plus the user's `--filter` items. */
export function stackFilter(namespace: string, items: readonly string[] = []): string {
  const filters = parseFilters(items);
  filters.set('label', [...(filters.get('label') ?? []), `${LABEL_NAMESPACE}=${namespace}`]);
  return encodeFilters(filters) ?? '{}';
}

/** Go's sortorder.NaturalLess, close enough: digit runs compare as numbers. */
function natural(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** docker 28's `stack ls` columns. */
export const STACK_FORMAT: ListFormat = {
  defaultFormat: 'table {{.Name}}\t{{.Services}}',
  headers: { Name: 'NAME', Services: 'SERVICES' },
};

/** `stack ls`: stacks are the distinct namespace labels of services. */
export async function listStacks(ctx: Ctx, o: { format?: string }): Promise<void> {
  const services = await ctx.api().get<Service[]>('/services', {
    filters: encodeFilters(new Map([['label', [LABEL_NAMESPACE]]])),
  });
  const counts = new Map<string, number>();
  for (const s of services) {
    const ns = s.Spec.Labels?.[LABEL_NAMESPACE];
    if (ns !== undefined) counts.set(ns, (counts.get(ns) ?? 0) + 1);
  }
  const rows = [...counts.entries()]
    .sort(([a], [b]) => natural(a, b))
    .map(([Name, n]) => ({ Name, Services: String(n) }));
  ctx.io.out(renderList(rows, STACK_FORMAT, o));
}

/** `stack services`: `service ls` of the stack's services (no status counts with `-q`). */
export async function stackServices(ctx: Ctx, namespace: string, o: ListOpts): Promise<void> {
  const services = await ctx.api().get<Service[]>('/services', {
    filters: stackFilter(namespace, o.filter),
    status: o.quiet ? undefined : true,
  });
  if (services.length === 0) {
    ctx.io.err(`Nothing found in stack: ${namespace}\n`);
    return;
  }
  const sorted = [...services].sort((a, b) => natural(a.Spec.Name ?? '', b.Spec.Name ?? ''));
  ctx.io.out(renderList(sorted.map(serviceRow), SERVICE_FORMAT, o));
}

/** Options of `stack ps`. */
export interface StackPsOpts extends ListOpts {
  readonly trunc: boolean;
  readonly resolve: boolean;
}

/** `stack ps`: every task carrying the stack label, printed like `service ps`. */
export async function stackPs(ctx: Ctx, namespace: string, o: StackPsOpts): Promise<void> {
  const tasks = await ctx.api().get<Task[]>('/tasks', { filters: stackFilter(namespace, o.filter) });
  if (tasks.length === 0) throw new CliError(`nothing found in stack: ${namespace}`);
  await printTasks(ctx, tasks, {
    noTrunc: !o.trunc,
    noResolve: !o.resolve,
    ...(o.quiet === undefined ? {} : { quiet: o.quiet }),
    ...(o.format === undefined ? {} : { format: o.format }),
  });
}

/** Removes services sorted by name, printing `Removing service x`; returns whether one failed. */
export async function removeServices(ctx: Ctx, services: readonly Service[]): Promise<boolean> {
  let failed = false;
  const sorted = [...services].sort((a, b) => ((a.Spec.Name ?? '') < (b.Spec.Name ?? '') ? -1 : 1));
  for (const s of sorted) {
    ctx.io.out(`Removing service ${s.Spec.Name ?? s.ID}\n`);
    failed = (await remove(ctx, `/services/${seg(s.ID)}`, `service ${s.ID}`)) || failed;
  }
  return failed;
}

async function remove(ctx: Ctx, path: string, what: string): Promise<boolean> {
  try {
    await ctx.api().request('DELETE', path);
    return false;
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    ctx.io.err(`Failed to remove ${what}: Error response from daemon: ${err.message}\n`);
    return true;
  }
}

/**
 * `stack rm`: per stack, list services, networks, secrets and configs by label, then remove them in
 * that order (services, secrets, configs, networks). With `detach` false, waits until the stack's
 * tasks are gone.
 */
export async function removeStacks(ctx: Ctx, namespaces: readonly string[], detach: boolean): Promise<void> {
  const errors: string[] = [];
  for (const ns of namespaces) {
    const filters = stackFilter(ns);
    const services = await ctx.api().get<Service[]>('/services', { filters });
    const networks = await ctx.api().get<Network[]>('/networks', { filters });
    const secrets = await ctx.api().get<SecretOrConfig[]>('/secrets', { filters });
    const configs = await ctx.api().get<SecretOrConfig[]>('/configs', { filters });
    if (services.length + networks.length + secrets.length + configs.length === 0) {
      ctx.io.err(`Nothing found in stack: ${ns}\n`);
      continue;
    }
    let failed = await removeServices(ctx, services);
    for (const s of secrets) {
      ctx.io.out(`Removing secret ${s.Spec.Name}\n`);
      failed = (await remove(ctx, `/secrets/${seg(s.ID)}`, `secret ${s.ID}`)) || failed;
    }
    for (const c of configs) {
      ctx.io.out(`Removing config ${c.Spec.Name}\n`);
      failed = (await remove(ctx, `/configs/${seg(c.ID)}`, `config ${c.ID}`)) || failed;
    }
    for (const n of networks) {
      ctx.io.out(`Removing network ${n.Name}\n`);
      failed = (await remove(ctx, `/networks/${seg(n.Id)}`, `network ${n.Id}`)) || failed;
    }
    if (failed) errors.push(`Failed to remove some resources from stack: ${ns}`);
    else if (!detach) await waitForNoTasks(ctx, filters);
  }
  if (errors.length > 0) throw new CliError(errors.join('\n'));
}

async function waitForNoTasks(ctx: Ctx, filters: string): Promise<void> {
  for (;;) {
    const tasks = await ctx.api().get<Task[]>('/tasks', { filters });
    const live = tasks.filter(
      (t) => !['complete', 'shutdown', 'failed', 'rejected', 'orphaned', 'remove'].includes(t.Status.State),
    );
    if (live.length === 0) return;
    await ctx.sleep(200);
  }
}
