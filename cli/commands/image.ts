/**
 * `shoal image`: the embedded engine's images (Shoal's own API, not Docker's):
 * `import NAME TARBALL` → `POST /shoal/images/import?name=NAME` (body: the tarball, application/x-tar);
 * `ls` → `GET /shoal/images`.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Ctx } from '../context.ts';
import { UsageError } from '../errors.ts';
import { renderList, type ListFormat } from '../format/list.ts';
import { ago } from '../format/time.ts';
import { bytesSize } from '../format/units.ts';
import type { ListOpts } from './common.ts';

/** What `GET /shoal/images` is expected to list (fields other than Name are optional). */
export interface ImageSummary {
  readonly Name: string;
  readonly ID?: string;
  readonly Size?: number;
  readonly CreatedAt?: string;
}

/** The `image ls` table. */
export const IMAGE_FORMAT: ListFormat = {
  defaultFormat: 'table {{.Name}}\t{{.ID}}\t{{.Size}}\t{{.CreatedAt}}',
  headers: { Name: 'NAME', ID: 'IMAGE ID', Size: 'SIZE', CreatedAt: 'CREATED' },
};

/** Registers `image`. */
export function registerImage(program: Command, ctx: Ctx): void {
  const image = program.command('image').description("Manage the embedded engine's images");
  image
    .command('import')
    .description('Import a root filesystem tarball as an image')
    .argument('<name>')
    .argument('<tarball>', 'a tar file, or - for stdin')
    .option(
      '-c, --change <instruction>',
      'Apply a Dockerfile instruction to the image: CMD, ENTRYPOINT, ENV or WORKDIR (repeatable)',
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .action(async (name: string, tarball: string, o: { change: string[] }) => {
      if (name.trim() === '') throw new UsageError('image name must not be empty');
      const body =
        tarball === '-'
          ? await (ctx.io.readStdin?.() ?? Promise.resolve(Buffer.alloc(0)))
          : await readFile(tarball);
      const res = await ctx.api().json<{ Name?: string } | undefined>('POST', '/shoal/images/import', {
        query: o.change.length > 0 ? { name, changes: o.change } : { name },
        body,
        contentType: 'application/x-tar',
        unversioned: true,
      });
      ctx.io.out(`${res?.Name ?? name}\n`);
    });

  image
    .command('ls')
    .alias('list')
    .description('List imported images')
    .option('-q, --quiet', 'Only display image names')
    .option('--format <string>', 'Format output using a custom template')
    .action(async (o: ListOpts) => {
      const list = await ctx.api().json<ImageSummary[]>('GET', '/shoal/images', { unversioned: true });
      const rows = [...(list ?? [])]
        .sort((a, b) => a.Name.localeCompare(b.Name))
        .map((i) => ({
          Name: i.Name,
          ID: (i.ID ?? '').replace(/^sha256:/, '').slice(0, 12),
          Size: i.Size === undefined ? '' : bytesSize(i.Size),
          CreatedAt: i.CreatedAt ? ago(i.CreatedAt, ctx.now()) : '',
        }));
      ctx.io.out(
        renderList(rows, IMAGE_FORMAT, { ...o, format: o.format ?? (o.quiet ? '{{.Name}}' : undefined) }),
      );
    });
}
