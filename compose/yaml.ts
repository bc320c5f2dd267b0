/**
 * Text to data: compose YAML (anchors, aliases, `<<` merge keys, YAML 1.1 octals such as `0400` the
 * way docker's Go YAML reads them) and `.env` files. Pure: text in, values out.
 */
import { parseDocument, type ScalarTag } from 'yaml';
import { ComposeYamlError } from './errors.ts';

/** `0400` is octal 256 to docker (Go YAML); YAML 1.2's core schema would read 400. */
const legacyOctal: ScalarTag = {
  identify: (v) => typeof v === 'number',
  default: true,
  tag: 'tag:yaml.org,2002:int',
  format: 'OCT',
  test: /^0[0-7]+$/,
  resolve: (s) => parseInt(s, 8),
};

/**
 * Parses one compose file. Throws ComposeYamlError (with line and column in `problem`) when the
 * text is not YAML, has duplicate keys, or its top level is not a mapping; an empty file is `{}`.
 */
export function parseComposeYaml(text: string, file: string): Record<string, unknown> {
  const doc = parseDocument(text, {
    merge: true,
    uniqueKeys: true,
    customTags: (tags) => [legacyOctal, ...tags],
  });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    const at = pos ? `line ${pos.line} column ${pos.col}: ` : '';
    throw new ComposeYamlError({ file, path: '', problem: `${at}${first.message.split('\n')[0] ?? ''}` });
  }
  const value: unknown = doc.toJS({ maxAliasCount: 10_000 });
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ComposeYamlError({ file, path: '', problem: 'Top-level object must be a mapping' });
  }
  return value as Record<string, unknown>;
}

/**
 * Parses a `.env` (or `env_file`) text the way docker does: `KEY=value` lines, `#` comments and blank
 * lines skipped, an optional `export ` prefix, surrounding single or double quotes removed. A bare
 * `KEY` (no `=`) maps to `undefined`: for env_file it means "take it from the environment".
 * `stripQuotes: false` keeps values verbatim, as docker's `env_file` reader (`opts.ParseEnvFile`) does.
 */
export function parseEnvText(text: string, stripQuotes = true): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^\uFEFF/, '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const body = line.startsWith('export ') ? line.slice(7).trimStart() : line;
    const eq = body.indexOf('=');
    if (eq < 0) {
      out.set(body, undefined);
      continue;
    }
    const key = body.slice(0, eq).trim();
    const value = body.slice(eq + 1);
    out.set(key, stripQuotes ? unquote(value) : value);
  }
  return out;
}

function unquote(v: string): string {
  const t = v.trim();
  const q = t[0];
  if ((q === '"' || q === "'") && t.length >= 2 && t.endsWith(q)) {
    const inner = t.slice(1, -1);
    return q === '"' ? inner.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1') : inner;
  }
  return v;
}
