/** The task table `service ps` and `node ps` print, with docker's names, ordering and truncation. */
import type { Ctx } from '../context.ts';
import { renderList, type ListFormat } from '../format/list.ts';
import { taskState } from '../format/time.ts';
import { truncateId } from '../format/units.ts';
import type { Node, PortConfigJson, Service, Task } from '../types.ts';
import { seg } from './common.ts';

/** Docker's task list format and headers. */
export const TASK_FORMAT: ListFormat = {
  defaultFormat:
    'table {{.ID}}\t{{.Name}}\t{{.Image}}\t{{.Node}}\t{{.DesiredState}}\t{{.CurrentState}}\t{{.Error}}\t{{.Ports}}',
  headers: {
    ID: 'ID',
    Name: 'NAME',
    Image: 'IMAGE',
    Node: 'NODE',
    DesiredState: 'DESIRED STATE',
    CurrentState: 'CURRENT STATE',
    Error: 'ERROR',
    Ports: 'PORTS',
  },
};

const MAX_ERROR_LENGTH = 30;

/** One row of the task table. */
export interface TaskRow {
  readonly ID: string;
  readonly Name: string;
  readonly Image: string;
  readonly Node: string;
  readonly DesiredState: string;
  readonly CurrentState: string;
  readonly Error: string;
  readonly Ports: string;
}

/** Options of `service ps`/`node ps`. */
export interface TaskListOpts {
  readonly noTrunc?: boolean;
  readonly noResolve?: boolean;
  readonly quiet?: boolean;
  readonly format?: string;
}

/** Go's `PrettyPrint` of a state: first letter upper-cased. */
export function pretty(s: string | undefined): string {
  if (!s) return '';
  return s[0]?.toUpperCase() + s.slice(1);
}

/** `*:8080->80/tcp` for ingress ports, `8443->443/tcp` style for host mode as docker prints them. */
export function formatPorts(ports: readonly PortConfigJson[] | undefined): string {
  return (ports ?? [])
    .map((p) => {
      const published = p.PublishedPort ? String(p.PublishedPort) : '';
      const host = p.PublishMode === 'host' ? '' : '*';
      return `${host}:${published}->${p.TargetPort ?? 0}/${p.Protocol ?? 'tcp'}`;
    })
    .join(', ');
}

/** Fetches the names the table needs and prints it. */
export async function printTasks(ctx: Ctx, tasks: readonly Task[], opts: TaskListOpts): Promise<void> {
  if (opts.quiet && !opts.format) {
    ctx.io.out(tasks.map((t) => `${t.ID}\n`).join('')); // docker's -q prints full task IDs
    return;
  }
  const services = new Map<string, Service | null>();
  const nodes = new Map<string, Node | null>();
  for (const t of tasks) {
    if (!services.has(t.ServiceID)) {
      services.set(
        t.ServiceID,
        await ctx.api().get<Service>(`/services/${seg(t.ServiceID)}`, { insertDefaults: false }),
      );
    }
  }
  for (const t of tasks) {
    if (t.NodeID && !nodes.has(t.NodeID)) {
      nodes.set(t.NodeID, await ctx.api().get<Node>(`/nodes/${seg(t.NodeID)}`));
    }
  }
  const rows = taskRows(tasks, services, nodes, ctx.now(), opts);
  ctx.io.out(renderList(rows, TASK_FORMAT, opts));
}

/** Builds the sorted rows; later tasks of the same slot are shown as ` \_ name`. */
export function taskRows(
  tasks: readonly Task[],
  services: ReadonlyMap<string, Service | null>,
  nodes: ReadonlyMap<string, Node | null>,
  now: number,
  opts: TaskListOpts,
): TaskRow[] {
  const trunc = !opts.noTrunc;
  const named = tasks.map((t) => {
    const svc = services.get(t.ServiceID);
    const svcName = opts.noResolve ? t.ServiceID : (svc?.Spec.Name ?? t.ServiceID);
    const name = t.Slot ? `${svcName}.${t.Slot}` : `${svcName}.${t.NodeID ?? ''}`;
    return { t, name };
  });
  named.sort((a, b) =>
    a.name !== b.name ? (a.name < b.name ? -1 : 1) : (b.t.CreatedAt ?? '').localeCompare(a.t.CreatedAt ?? ''),
  );
  let prev = '';
  return named.map(({ t, name }) => {
    const shown = name === prev ? ` \\_ ${name}` : name;
    prev = name;
    let image = t.Spec?.ContainerSpec?.Image ?? '';
    if (trunc) image = image.replace(/@sha256:[0-9a-f]+$/, '');
    const node = t.NodeID ? nodes.get(t.NodeID) : undefined;
    let err = t.Status.Err ?? '';
    if (trunc && err.length > MAX_ERROR_LENGTH) err = `${err.slice(0, MAX_ERROR_LENGTH - 1)}…`;
    return {
      ID: trunc ? truncateId(t.ID) : t.ID,
      Name: shown,
      Image: image,
      Node: opts.noResolve ? (t.NodeID ?? '') : (node?.Description?.Hostname ?? t.NodeID ?? ''),
      DesiredState: pretty(t.DesiredState),
      CurrentState: taskState(t.Status.State, t.Status.Timestamp, now),
      Error: err === '' ? '' : `"${err}"`,
      Ports: formatPorts(t.Status.PortStatus?.Ports),
    };
  });
}
