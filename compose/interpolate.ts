/**
 * Variable interpolation as the Compose Specification defines it: `$VAR`, `${VAR}`, `${VAR:-default}`,
 * `${VAR-default}`, `${VAR:?message}`, `${VAR?message}`, `${VAR:+replacement}`, `${VAR+replacement}`,
 * and `$$` for a literal `$`. Defaults and replacements may themselves contain expressions. Pure:
 * the environment arrives as a lookup.
 */
import { ComposeInterpolationError } from './errors.ts';

/** Looks a variable up; `undefined` means unset (different from `''`, set but empty). */
export type EnvLookup = (name: string) => string | undefined;

/** Builds a lookup over plain maps, earlier maps winning (process env before `.env`, as docker does). */
export function envLookup(...maps: ReadonlyArray<Readonly<Record<string, string | undefined>>>): EnvLookup {
  return (name) => {
    for (const map of maps) {
      if (Object.hasOwn(map, name) && map[name] !== undefined) return map[name];
    }
    return undefined;
  };
}

/** Why a `${...}` failed: `missing` for a required variable, `syntax` for a malformed expression. */
class Failure {
  constructor(
    readonly reason: 'missing' | 'syntax',
    readonly detail: string,
  ) {}
}

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;

/**
 * Interpolates one string. Throws ComposeInterpolationError with docker's wording:
 * `required variable VAR is missing a value: message`, or
 * `invalid interpolation format for <path>: "<value>". You may need to escape any $ with another $.`
 */
export function interpolateString(
  value: string,
  lookup: EnvLookup,
  where: { file?: string; path: string },
): string {
  const result = substitute(value, lookup);
  if (result instanceof Failure) {
    const problem =
      result.reason === 'missing'
        ? result.detail
        : `invalid interpolation format for ${where.path}: "${value}". You may need to escape any $ with another $.`;
    throw new ComposeInterpolationError({ file: where.file, path: where.path, problem });
  }
  return result;
}

function substitute(s: string, lookup: EnvLookup): string | Failure {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const dollar = s.indexOf('$', i);
    if (dollar < 0) return out + s.slice(i);
    out += s.slice(i, dollar);
    const next = s[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
    } else if (next === '{') {
      const end = matchingBrace(s, dollar + 2);
      if (end < 0) return new Failure('syntax', s);
      const replaced = braced(s.slice(dollar + 2, end), lookup);
      if (replaced instanceof Failure) return replaced;
      out += replaced;
      i = end + 1;
    } else {
      const name = NAME.exec(s.slice(dollar + 1));
      if (!name) return new Failure('syntax', s);
      out += lookup(name[0]) ?? '';
      i = dollar + 1 + name[0].length;
    }
  }
  return out;
}

/** Index of the `}` closing a `${` whose body starts at `from`, counting nested `${`. */
function matchingBrace(s: string, from: number): number {
  let depth = 1;
  for (let i = from; i < s.length; i++) {
    if (s[i] === '$' && s[i + 1] === '$') i++;
    else if (s[i] === '$' && s[i + 1] === '{') {
      depth++;
      i++;
    } else if (s[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function braced(body: string, lookup: EnvLookup): string | Failure {
  const name = NAME.exec(body);
  if (!name) return new Failure('syntax', body);
  const rest = body.slice(name[0].length);
  const value = lookup(name[0]);
  if (rest === '') return value ?? '';
  const op = /^(:?[-?+])/.exec(rest);
  if (!op) return new Failure('syntax', body);
  const operator = op[1] ?? '';
  const arg = rest.slice(operator.length);
  const colon = operator.startsWith(':');
  const isSet = colon ? value !== undefined && value !== '' : value !== undefined;
  switch (operator.slice(-1)) {
    case '-':
      return isSet ? (value ?? '') : substitute(arg, lookup);
    case '+':
      return isSet ? substitute(arg, lookup) : '';
    default: {
      if (isSet) return value ?? '';
      const message = substitute(arg, lookup);
      if (message instanceof Failure) return message;
      return new Failure('missing', `required variable ${name[0]} is missing a value: ${message}`);
    }
  }
}

/**
 * Interpolates every string value of a parsed document (keys are left alone, as docker does), giving
 * each error the dotted path of the value. Top-level `x-` extensions are skipped: they are ignored
 * anyway, and anchors defined there have already been copied to where they are used.
 */
export function interpolateDocument(
  doc: Readonly<Record<string, unknown>>,
  lookup: EnvLookup,
  file?: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc)) {
    out[key] = key.startsWith('x-') ? value : walk(value, key, lookup, file);
  }
  return out;
}

function walk(value: unknown, path: string, lookup: EnvLookup, file: string | undefined): unknown {
  if (typeof value === 'string') {
    return interpolateString(value, lookup, file === undefined ? { path } : { file, path });
  }
  if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}.${i}`, lookup, file));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(v, `${path}.${k}`, lookup, file);
    return out;
  }
  return value;
}
