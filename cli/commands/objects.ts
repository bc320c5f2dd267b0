/** `shoal secret` and `shoal config`: create, ls, inspect, rm (the two differ only in names and columns). */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Ctx } from '../context.ts';
import { ApiError, CliError } from '../errors.ts';
import { parseKeyValues } from '../flags.ts';
import { renderEach, renderJson, renderList, type ListFormat } from '../format/list.ts';
import { parseTemplate } from '../format/template.ts';
import { ago, goTimeString } from '../format/time.ts';
import type { SecretOrConfig } from '../types.ts';
import { collect, filtersQuery, seg, type ListOpts } from './common.ts';

type Kind = 'secret' | 'config';

const FORMATS: Readonly<Record<Kind, ListFormat>> = {
  secret: {
    defaultFormat: 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.CreatedAt}}\t{{.UpdatedAt}}',
    headers: {
      ID: 'ID',
      Name: 'NAME',
      Driver: 'DRIVER',
      CreatedAt: 'CREATED',
      UpdatedAt: 'UPDATED',
      Labels: 'LABELS',
    },
  },
  config: {
    defaultFormat: 'table {{.ID}}\t{{.Name}}\t{{.CreatedAt}}\t{{.UpdatedAt}}',
    headers: { ID: 'ID', Name: 'NAME', CreatedAt: 'CREATED', UpdatedAt: 'UPDATED', Labels: 'LABELS' },
  },
};

const PRETTY: Readonly<Record<Kind, ReturnType<typeof parseTemplate>>> = {
  secret: parseTemplate(`ID:              {{.ID}}
Name:              {{.Name}}
{{- if .Labels }}
Labels:
{{- range $k, $v := .Labels }}
 - {{ $k }}{{if $v }}={{ $v }}{{ end }}
{{- end }}{{ end }}
Driver:            {{.Driver}}
Created at:        {{.CreatedAt}}
Updated at:        {{.UpdatedAt}}`),
  config: parseTemplate(`ID:			{{.ID}}
Name:			{{.Name}}
{{- if .Labels }}
Labels:
{{- range $k, $v := .Labels }}
 - {{ $k }}{{if $v }}={{ $v }}{{ end }}
{{- end }}{{ end }}
Created at:            	{{.CreatedAt}}
Updated at:            	{{.UpdatedAt}}
Data:
{{.Data}}`),
};

/** One list row: full ID, "N ago" times. */
export function objectRow(o: SecretOrConfig, now: number): Record<string, unknown> {
  return {
    ID: o.ID,
    Name: o.Spec.Name,
    Driver: o.Spec.Driver?.Name ?? '',
    CreatedAt: ago(o.CreatedAt, now),
    UpdatedAt: ago(o.UpdatedAt, now),
    Labels: Object.entries(o.Spec.Labels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
  };
}

/** Registers `secret` and `config`. */
export function registerObjects(program: Command, ctx: Ctx): void {
  for (const kind of ['secret', 'config'] as const) registerKind(program, ctx, kind);
}

function registerKind(program: Command, ctx: Ctx, kind: Kind): void {
  const group = program.command(kind).description(`Manage Swarm ${kind}s`);
  group
    .command('create')
    .description(`Create a ${kind} from a file or STDIN as content`)
    .argument('<name>')
    .argument('<file|->')
    .option('-l, --label <label>', `${kind} labels`, collect)
    .action(async (name: string, file: string, o: { label?: string[] }) => {
      const labels = parseKeyValues(o.label ?? []);
      const data =
        file === '-'
          ? await (ctx.io.readStdin?.() ?? Promise.resolve(Buffer.alloc(0)))
          : await readFile(file);
      const res = await ctx.api().json<{ ID: string }>('POST', `/${kind}s/create`, {
        body: { Name: name, Labels: labels, Data: data.toString('base64') },
      });
      ctx.io.out(`${res.ID}\n`);
    });

  group
    .command('ls')
    .alias('list')
    .description(`List ${kind}s`)
    .option('-q, --quiet', 'Only display IDs')
    .option('--format <string>', 'Format output using a custom template')
    .option('-f, --filter <filter>', 'Filter output based on conditions provided', collect)
    .action(async (o: ListOpts) => {
      const filters = filtersQuery(o.filter);
      const list = await ctx.api().get<SecretOrConfig[]>(`/${kind}s`, filters ? { filters } : undefined);
      const sorted = [...list].sort((a, b) => a.Spec.Name.localeCompare(b.Spec.Name));
      ctx.io.out(
        renderList(
          sorted.map((x) => objectRow(x, ctx.now())),
          FORMATS[kind],
          o,
        ),
      );
    });

  group
    .command('inspect')
    .description(`Display detailed information on one or more ${kind}s`)
    .argument(`<${kind}...>`)
    .option('--pretty', 'Print the information in a human friendly format')
    .option('-f, --format <string>', 'Format output using a custom template')
    .action(async (refs: string[], o: { pretty?: boolean; format?: string }) => {
      const list: SecretOrConfig[] = [];
      for (const ref of refs) list.push(await ctx.api().get<SecretOrConfig>(`/${kind}s/${seg(ref)}`));
      if (o.pretty) {
        ctx.io.out(
          list
            .map((x) =>
              PRETTY[kind].execute({
                ID: x.ID,
                Name: x.Spec.Name,
                Labels: x.Spec.Labels ?? {},
                Driver: x.Spec.Driver?.Name ?? '',
                CreatedAt: goTimeString(x.CreatedAt),
                UpdatedAt: goTimeString(x.UpdatedAt),
                Data: Buffer.from(x.Spec.Data ?? '', 'base64').toString('utf8'),
              }),
            )
            .join('\n\n') + '\n',
        );
      } else if (o.format) ctx.io.out(renderEach(list, o.format));
      else ctx.io.out(renderJson(list));
    });

  group
    .command('rm')
    .alias('remove')
    .description(`Remove one or more ${kind}s`)
    .argument(`<${kind}...>`)
    .action(async (refs: string[]) => {
      const errors: string[] = [];
      for (const ref of refs) {
        try {
          await ctx.api().request('DELETE', `/${kind}s/${seg(ref)}`);
          ctx.io.out(`${ref}\n`);
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          errors.push(`Error response from daemon: ${err.message}`);
        }
      }
      if (errors.length > 0) throw new CliError(errors.join('\n'));
    });
}
