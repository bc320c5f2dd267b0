/** `shoal network`: create, ls, inspect, rm. Swarm networks are overlay networks. */
import type { Command } from 'commander';
import type { Ctx } from '../context.ts';
import { ApiError, CliError, UsageError } from '../errors.ts';
import { parseKeyValues } from '../flags.ts';
import { renderEach, renderJson, renderList, type ListFormat } from '../format/list.ts';
import { truncateId } from '../format/units.ts';
import type { Network } from '../types.ts';
import { collect, filtersQuery, seg, type ListOpts } from './common.ts';

/** Docker's network list format. */
export const NETWORK_FORMAT: ListFormat = {
  defaultFormat: 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}',
  headers: { ID: 'NETWORK ID', Name: 'NAME', Driver: 'DRIVER', Scope: 'SCOPE', Internal: 'INTERNAL' },
};

interface CreateOpts {
  readonly driver: string;
  readonly subnet?: string[];
  readonly gateway?: string[];
  readonly attachable?: boolean;
  readonly internal?: boolean;
  readonly ingress?: boolean;
  readonly opt?: string[];
  readonly label?: string[];
}

const CIDR = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;
const IP = /^\d{1,3}(\.\d{1,3}){3}$/;

/** The create body, in docker's field order; throws UsageError on a bad subnet or gateway. */
export function networkCreateBody(name: string, o: CreateOpts): Record<string, unknown> {
  const subnets = o.subnet ?? [];
  const gateways = o.gateway ?? [];
  for (const s of subnets)
    if (!CIDR.test(s))
      throw new UsageError(`invalid argument "${s}" for "--subnet" flag: invalid CIDR address: ${s}`);
  for (const g of gateways)
    if (!IP.test(g))
      throw new UsageError(
        `invalid argument "${g}" for "--gateway" flag: invalid string being converted to IP address: ${g}`,
      );
  if (gateways.length > subnets.length)
    throw new UsageError('every ip-range or gateway must have a corresponding subnet');
  return {
    Driver: o.driver,
    Scope: '',
    IPAM: {
      Driver: 'default',
      Options: {},
      Config: subnets.map((Subnet, i) => (gateways[i] ? { Subnet, Gateway: gateways[i] } : { Subnet })),
    },
    Internal: o.internal ?? false,
    Attachable: o.attachable ?? false,
    Ingress: o.ingress ?? false,
    ConfigOnly: false,
    ConfigFrom: null,
    Options: parseKeyValues(o.opt ?? []),
    Labels: parseKeyValues(o.label ?? []),
    Name: name,
  };
}

/** Registers `network`. */
export function registerNetwork(program: Command, ctx: Ctx): void {
  const network = program.command('network').description('Manage networks');
  network
    .command('create')
    .description('Create a network')
    .argument('<network>')
    .option('-d, --driver <string>', 'Driver to manage the Network', 'overlay')
    .option('--subnet <cidr>', 'Subnet in CIDR format that represents a network segment', collect)
    .option('--gateway <ip>', 'IPv4 Gateway for the master subnet', collect)
    .option('--attachable', 'Enable manual container attachment')
    .option('--internal', 'Restrict external access to the network')
    .option('--ingress', 'Create swarm routing-mesh network')
    .option('-o, --opt <key=value>', 'Set driver specific options', collect)
    .option('--label <label>', 'Set metadata on a network', collect)
    .action(async (name: string, o: CreateOpts) => {
      const body = networkCreateBody(name, o);
      const res = await ctx.api().json<{ Id: string }>('POST', '/networks/create', { body });
      ctx.io.out(`${res.Id}\n`);
    });

  network
    .command('ls')
    .alias('list')
    .description('List networks')
    .option('-q, --quiet', 'Only display network IDs')
    .option('--format <string>', 'Pretty-print networks using a Go template')
    .option('-f, --filter <filter>', 'Provide filter values (e.g. "driver=overlay")', collect)
    .option('--no-trunc', 'Do not truncate the output')
    .action(async (o: ListOpts & { trunc: boolean }) => {
      const filters = filtersQuery(o.filter);
      const list = await ctx.api().get<Network[]>('/networks', filters ? { filters } : undefined);
      const rows = [...list]
        .sort((a, b) => a.Name.localeCompare(b.Name))
        .map((n) => ({
          ID: o.trunc ? truncateId(n.Id) : n.Id,
          Name: n.Name,
          Driver: n.Driver ?? '',
          Scope: n.Scope ?? '',
          Internal: n.Internal === true ? 'true' : 'false',
        }));
      ctx.io.out(renderList(rows, NETWORK_FORMAT, o));
    });

  network
    .command('inspect')
    .description('Display detailed information on one or more networks')
    .argument('<network...>')
    .option('-f, --format <string>', 'Format output using a custom template')
    .action(async (refs: string[], o: { format?: string }) => {
      const list: Network[] = [];
      for (const ref of refs) list.push(await ctx.api().get<Network>(`/networks/${seg(ref)}`));
      ctx.io.out(o.format ? renderEach(list, o.format) : renderJson(list));
    });

  network
    .command('rm')
    .alias('remove')
    .description('Remove one or more networks')
    .argument('<network...>')
    .option('-f, --force', 'Do not error if the network does not exist')
    .action(async (refs: string[], o: { force?: boolean }) => {
      const errors: string[] = [];
      for (const ref of refs) {
        try {
          await ctx.api().get<Network>(`/networks/${seg(ref)}`);
          await ctx.api().request('DELETE', `/networks/${seg(ref)}`);
          ctx.io.out(`${ref}\n`);
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          if (o.force && err.status === 404) continue;
          errors.push(`Error response from daemon: ${err.message}`);
        }
      }
      if (errors.length > 0) throw new CliError(errors.join('\n'));
    });
}
