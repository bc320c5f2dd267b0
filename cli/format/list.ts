/**
 * Docker's list formatter: a default `table ...` format per command, `-q` as `{{.ID}}`, a user
 * `--format` (Go template; a `table` prefix adds a header row and aligns columns with tabwriter).
 */
import { tabwrite } from './table.ts';
import { parseTemplate } from './template.ts';

/** How one kind of list prints. `headers` names the column of each row field. */
export interface ListFormat {
  readonly defaultFormat: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Renders rows (plain objects whose fields the templates read) as docker would. */
export function renderList(
  rows: readonly object[],
  spec: ListFormat,
  opts: { readonly format?: string | undefined; readonly quiet?: boolean | undefined },
): string {
  let format = opts.format ?? '';
  if (format === '') format = opts.quiet ? '{{.ID}}' : spec.defaultFormat;
  const isTable = format.startsWith('table');
  if (isTable) format = format.slice('table'.length);
  format = format.trim().replaceAll('\\t', '\t').replaceAll('\\n', '\n');
  const tpl = parseTemplate(format);
  const body = rows.map((r) => tpl.execute(r) + '\n').join('');
  if (!isTable) return body;
  const header = tpl.execute(headerRow(spec.headers)) + '\n';
  return tabwrite(header + body);
}

/** The header "row": every known field answers its column title; unknown fields answer "". */
function headerRow(headers: Readonly<Record<string, string>>): object {
  return new Proxy(
    {},
    {
      get: (_t, key) => (typeof key === 'string' ? (headers[key] ?? key.toUpperCase()) : undefined),
      has: () => true,
      ownKeys: () => Object.keys(headers),
      getOwnPropertyDescriptor: (_t, key) =>
        typeof key === 'string' ? { value: headers[key], enumerable: true, configurable: true } : undefined,
    },
  );
}

/** Renders `inspect --format`: the template once per object, each followed by a newline. */
export function renderEach(objects: readonly unknown[], format: string): string {
  const tpl = parseTemplate(format.replaceAll('\\t', '\t').replaceAll('\\n', '\n'));
  return objects.map((o) => tpl.execute(o) + '\n').join('');
}

/** docker's default inspect output: a JSON array indented with 4 spaces. */
export function renderJson(objects: readonly unknown[]): string {
  return JSON.stringify(objects, null, 4) + '\n';
}
