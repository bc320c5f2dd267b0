/** `shoal node`: ls, inspect, update, promote, demote, rm, ps. */
import type { Command } from 'commander';
import type { Ctx } from '../context.ts';
import { UsageError } from '../errors.ts';
import { parseEnum, parseKeyValues } from '../flags.ts';
import { renderEach, renderJson, renderList, type ListFormat } from '../format/list.ts';
import { parseTemplate } from '../format/template.ts';
import { goTimeString } from '../format/time.ts';
import { bytesSize, cpus } from '../format/units.ts';
import type { Info, Node, Task } from '../types.ts';
import { collect, filtersQuery, seg, type ListOpts } from './common.ts';
import { pretty, printTasks } from './tasks.ts';

/** Docker's node list format. */
export const NODE_FORMAT: ListFormat = {
  defaultFormat:
    'table {{.ID}} {{if .Self}}*{{else}} {{ end }}\t{{.Hostname}}\t{{.Status}}\t{{.Availability}}\t{{.ManagerStatus}}\t{{.EngineVersion}}',
  headers: {
    ID: 'ID',
    Self: '',
    Hostname: 'HOSTNAME',
    Status: 'STATUS',
    Availability: 'AVAILABILITY',
    ManagerStatus: 'MANAGER STATUS',
    EngineVersion: 'ENGINE VERSION',
    TLSStatus: 'TLS STATUS',
  },
};

/** One `node ls` row. */
export function nodeRow(n: Node, selfId: string): Record<string, unknown> {
  const ms = n.ManagerStatus;
  return {
    ID: n.ID,
    Self: n.ID === selfId,
    Hostname: n.Description?.Hostname ?? '',
    Status: pretty(n.Status?.State),
    Availability: pretty(n.Spec.Availability),
    ManagerStatus: ms ? (ms.Leader ? 'Leader' : pretty(ms.Reachability)) : '',
    EngineVersion: n.Description?.Engine?.EngineVersion ?? '',
    TLSStatus: 'Ready',
  };
}

/** Resolves `self` to this node's ID (from `GET /info`); other names pass through. */
async function resolveNode(ctx: Ctx, ref: string): Promise<string> {
  if (ref !== 'self') return ref;
  const info = await ctx.api().get<Info>('/info');
  return info.Swarm?.NodeID ?? '';
}

/** Registers `node` and its subcommands. */
export function registerNode(program: Command, ctx: Ctx): void {
  const node = program.command('node').description('Manage Swarm nodes');
  node
    .command('ls')
    .alias('list')
    .description('List nodes in the swarm')
    .option('-q, --quiet', 'Only display IDs')
    .option('--format <string>', 'Format output using a custom template')
    .option('-f, --filter <filter>', 'Filter output based on conditions provided', collect)
    .action(async (o: ListOpts) => {
      const filters = filtersQuery(o.filter);
      const nodes = await ctx.api().get<Node[]>('/nodes', filters ? { filters } : undefined);
      const info = await ctx.api().get<Info>('/info');
      const self = info.Swarm?.NodeID ?? '';
      const sorted = [...nodes].sort((a, b) =>
        (a.Description?.Hostname ?? '').localeCompare(b.Description?.Hostname ?? ''),
      );
      ctx.io.out(
        renderList(
          sorted.map((n) => nodeRow(n, self)),
          NODE_FORMAT,
          o,
        ),
      );
    });

  node
    .command('inspect')
    .description('Display detailed information on one or more nodes')
    .argument('<node...>')
    .option('--pretty', 'Print the information in a human friendly format')
    .option('-f, --format <string>', 'Format output using a custom template')
    .action(async (refs: string[], o: { pretty?: boolean; format?: string }) => {
      if (o.pretty && o.format) throw new UsageError('--format is incompatible with human friendly format');
      const nodes: Node[] = [];
      for (const ref of refs)
        nodes.push(await ctx.api().get<Node>(`/nodes/${seg(await resolveNode(ctx, ref))}`));
      if (o.pretty) ctx.io.out(nodes.map((n) => prettyNode(n)).join('\n\n') + '\n');
      else if (o.format) ctx.io.out(renderEach(nodes, o.format));
      else ctx.io.out(renderJson(nodes));
    });

  node
    .command('update')
    .description('Update a node')
    .argument('<node>')
    .option('--availability <state>', 'Availability of the node ("active", "pause", "drain")')
    .option('--role <role>', 'Role of the node ("worker", "manager")')
    .option('--label-add <key=value>', 'Add or update a node label', collect)
    .option('--label-rm <key>', 'Remove a node label if exists', collect)
    .action(async (ref: string, o: UpdateOpts) => {
      if (o.availability) parseEnum('--availability', o.availability, ['active', 'pause', 'drain']);
      if (o.role) parseEnum('--role', o.role, ['worker', 'manager']);
      const add = parseKeyValues(o.labelAdd ?? []);
      await updateNode(ctx, ref, (spec) => {
        if (o.availability) spec.Availability = o.availability;
        if (o.role) spec.Role = o.role;
        const labels = { ...spec.Labels, ...add };
        for (const k of o.labelRm ?? []) delete labels[k];
        spec.Labels = labels;
      });
      ctx.io.out(`${ref}\n`);
    });

  for (const [verb, role, done] of [
    ['promote', 'manager', (n: string) => `Node ${n} promoted to a manager in the swarm.`],
    ['demote', 'worker', (n: string) => `Manager ${n} demoted in the swarm.`],
  ] as const) {
    node
      .command(verb)
      .description(
        `${verb === 'promote' ? 'Promote' : 'Demote'} one or more nodes ${verb === 'promote' ? 'to manager' : 'from manager'} in the swarm`,
      )
      .argument('<node...>')
      .action(async (refs: string[]) => {
        for (const ref of refs) {
          let already = false;
          await updateNode(ctx, ref, (spec) => {
            already = spec.Role === role;
            spec.Role = role;
          });
          ctx.io.out(already ? `Node ${ref} is already a ${role}.\n` : `${done(ref)}\n`);
        }
      });
  }

  node
    .command('rm')
    .alias('remove')
    .description('Remove one or more nodes from the swarm')
    .argument('<node...>')
    .option('-f, --force', 'Force remove a node from the swarm')
    .action(async (refs: string[], o: { force?: boolean }) => {
      for (const ref of refs) {
        await ctx.api().request('DELETE', `/nodes/${seg(ref)}`, o.force ? { query: { force: 1 } } : {});
        ctx.io.out(`${ref}\n`);
      }
    });

  node
    .command('ps')
    .description('List tasks running on one or more nodes, defaults to current node')
    .argument('[node...]')
    .option('-f, --filter <filter>', 'Filter output based on conditions provided', collect)
    .option('--format <string>', 'Pretty-print tasks using a Go template')
    .option('--no-resolve', 'Do not map IDs to Names')
    .option('--no-trunc', 'Do not truncate output')
    .option('-q, --quiet', 'Only display task IDs')
    .action(async (refs: string[], o: PsOpts) => {
      const tasks: Task[] = [];
      for (const ref of refs.length === 0 ? ['self'] : refs) {
        const node = await ctx.api().get<Node>(`/nodes/${seg(await resolveNode(ctx, ref))}`);
        const extra = JSON.parse(filtersQuery(o.filter) ?? '{}') as Record<string, Record<string, boolean>>;
        const filters = JSON.stringify({ ...extra, node: { [node.ID]: true } });
        tasks.push(...(await ctx.api().get<Task[]>('/tasks', { filters })));
      }
      await printTasks(ctx, tasks, { ...o, noTrunc: !o.trunc, noResolve: !o.resolve });
    });
}

interface UpdateOpts {
  readonly availability?: string;
  readonly role?: string;
  readonly labelAdd?: string[];
  readonly labelRm?: string[];
}

interface PsOpts {
  readonly filter?: string[];
  readonly format?: string;
  readonly resolve: boolean;
  readonly trunc: boolean;
  readonly quiet?: boolean;
}

/** Reads the node, lets `edit` change its spec, posts it back with the version read. */
async function updateNode(ctx: Ctx, ref: string, edit: (spec: Node['Spec']) => void): Promise<void> {
  const node = await ctx.api().get<Node>(`/nodes/${seg(ref)}`);
  const spec = structuredClone(node.Spec);
  edit(spec);
  await ctx.api().request('POST', `/nodes/${seg(node.ID)}/update`, {
    query: { version: node.Version?.Index ?? 0 },
    body: spec,
  });
}

const PRETTY_NODE = parseTemplate(`ID:			{{.ID}}
{{- if .Name }}
Name:			{{.Name}}
{{- end }}
{{- if .Labels }}
Labels:
{{- range $k, $v := .Labels }}
 - {{ $k }}{{if $v }}={{ $v }}{{ end }}
{{- end }}{{ end }}
Hostname:              	{{.Hostname}}
Joined at:             	{{.CreatedAt}}
Status:
 State:			{{.StatusState}}
 {{- if .StatusMessage}}
 Message:              	{{.StatusMessage}}
 {{- end}}
 Availability:         	{{.SpecAvailability}}
 {{- if .StatusAddr}}
 Address:		{{.StatusAddr}}
 {{- end}}
{{- if .HasManagerStatus}}
Manager Status:
 Address:		{{.ManagerStatusAddr}}
 Raft Status:		{{.ManagerStatusReachability}}
 {{- if .IsManagerStatusLeader}}
 Leader:		Yes
 {{- else}}
 Leader:		No
 {{- end}}
{{- end}}
Platform:
 Operating System:	{{.PlatformOS}}
 Architecture:		{{.PlatformArchitecture}}
Resources:
 CPUs:			{{.CPUs}}
 Memory:		{{.Memory}}
{{- if .EnginePlugins}}
Plugins:
{{- range $k, $v := .EnginePlugins }}
 {{ $k }}:{{if $v }}		{{ $v }}{{ end }}
{{- end }}
{{- end }}
Engine Version:		{{.EngineVersion}}
{{- if .EngineLabels}}
Engine Labels:
{{- range $k, $v := .EngineLabels }}
 - {{ $k }}{{if $v }}={{ $v }}{{ end }}
{{- end }}{{- end }}
{{- if .HasTLSInfo}}
TLS Info:
 TrustRoot:
{{.TLSInfoTrustRoot}}
 Issuer Subject:	{{.TLSInfoCertIssuerSubject}}
 Issuer Public Key:	{{.TLSInfoCertIssuerPublicKey}}
{{- end}}`);

/** `node inspect --pretty`, docker's template over a view of the node. */
export function prettyNode(n: Node): string {
  const plugins: Record<string, string[]> = {};
  for (const p of n.Description?.Engine?.Plugins ?? []) (plugins[p.Type] ??= []).push(p.Name);
  const tls = n.Description?.TLSInfo;
  return PRETTY_NODE.execute({
    ID: n.ID,
    Name: n.Spec.Name ?? '',
    Labels: n.Spec.Labels ?? {},
    Hostname: n.Description?.Hostname ?? '',
    CreatedAt: goTimeString(n.CreatedAt),
    StatusState: pretty(n.Status?.State),
    StatusMessage: n.Status?.Message ?? '',
    SpecAvailability: pretty(n.Spec.Availability),
    StatusAddr: n.Status?.Addr ?? '',
    HasManagerStatus: n.ManagerStatus !== undefined,
    ManagerStatusAddr: n.ManagerStatus?.Addr ?? '',
    ManagerStatusReachability: pretty(n.ManagerStatus?.Reachability),
    IsManagerStatusLeader: n.ManagerStatus?.Leader ?? false,
    PlatformOS: n.Description?.Platform?.OS ?? '',
    PlatformArchitecture: n.Description?.Platform?.Architecture ?? '',
    CPUs: cpus(n.Description?.Resources?.NanoCPUs ?? 0),
    Memory: bytesSize(n.Description?.Resources?.MemoryBytes ?? 0),
    EnginePlugins: Object.fromEntries(Object.entries(plugins).map(([k, v]) => [k, v.join(', ')])),
    EngineVersion: n.Description?.Engine?.EngineVersion ?? '',
    EngineLabels: n.Description?.Engine?.Labels ?? {},
    HasTLSInfo: Boolean(tls?.TrustRoot),
    TLSInfoTrustRoot: tls?.TrustRoot ?? '',
    TLSInfoCertIssuerSubject: tls?.CertIssuerSubject ?? '',
    TLSInfoCertIssuerPublicKey: tls?.CertIssuerPublicKey ?? '',
  });
}
