/**
 * Small readers over the canonical model (validated, so shapes are known, but values that came
 * through interpolation may still be strings where numbers or booleans are meant), and the value
 * converters that turn a bad value into a ComposeValueError naming its path.
 */
import { ComposeValueError } from '../errors.ts';
import { isDict, scalarString, type Dict } from '../syntax.ts';
import { parseBytes, parseDurationNs, parseNanoCpus } from '../units.ts';

export { isDict, type Dict };

/** The mapping at `d[key]`, or `{}`. */
export function dictAt(d: Dict, key: string): Dict {
  const v = d[key];
  return isDict(v) ? v : {};
}

/** The mapping at `d[key]` if present. */
export function optDict(d: Dict, key: string): Dict | undefined {
  const v = d[key];
  return isDict(v) ? v : undefined;
}

/** The list at `d[key]`, or `[]`. */
export function listAt(d: Dict, key: string): unknown[] {
  const v = d[key];
  return Array.isArray(v) ? v : [];
}

/** A string value, or undefined when absent or empty. */
export function strAt(d: Dict, key: string): string | undefined {
  const v = d[key];
  if (v === undefined || v === null || v === '') return undefined;
  return scalarString(v) ?? undefined;
}

/** A boolean that may have been interpolated (`"true"`). */
export function boolAt(d: Dict, key: string): boolean | undefined {
  const v = d[key];
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return ['true', 'yes', 'on', '1'].includes(v.toLowerCase());
  return undefined;
}

/** A mapping of strings (labels, options), or undefined when absent. */
export function stringMapAt(d: Dict, key: string): Record<string, string> | undefined {
  const v = d[key];
  if (!isDict(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) out[k] = scalarString(val) ?? '';
  return sortedMap(out);
}

/** Context for value errors. */
export interface At {
  readonly path: string;
}

function bad(at: At, problem: string): never {
  throw new ComposeValueError({ path: at.path, problem });
}

/** A number (possibly an interpolated string); `integer` rejects fractions. */
export function numAt(d: Dict, key: string, at: At, integer = true): number | undefined {
  const v = d[key];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    bad(
      { path: `${at.path}.${key}` },
      `must be ${integer ? 'an integer' : 'a number'}, not ${JSON.stringify(v)}`,
    );
  }
  return n;
}

/** A Go duration at `d[key]` in nanoseconds. */
export function durationAt(d: Dict, key: string, at: At): number | undefined {
  const v = d[key];
  if (v === undefined || v === null || v === '') return undefined;
  const ns = typeof v === 'string' || typeof v === 'number' ? parseDurationNs(v) : undefined;
  if (ns === undefined) bad({ path: `${at.path}.${key}` }, `invalid duration ${JSON.stringify(v)}`);
  return ns;
}

/** A memory size at `d[key]` in bytes. */
export function bytesAt(d: Dict, key: string, at: At): number | undefined {
  const v = d[key];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'string' || typeof v === 'number' ? parseBytes(v) : undefined;
  if (n === undefined) bad({ path: `${at.path}.${key}` }, `invalid size ${JSON.stringify(v)}`);
  return n;
}

/** A CPU count at `d[key]` in nano-CPUs. */
export function cpusAt(d: Dict, key: string, at: At): number | undefined {
  const v = d[key];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'string' || typeof v === 'number' ? parseNanoCpus(v) : undefined;
  if (n === undefined) bad({ path: `${at.path}.${key}` }, `invalid CPU count ${JSON.stringify(v)}`);
  return n;
}

/** Drops the keys whose value is undefined (Go's omitempty, decided by the caller). */
export function compact<T extends Record<string, unknown>>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

/** An empty list or mapping as undefined (omitempty). */
export function nonEmpty<T>(v: readonly T[] | undefined): T[] | undefined;
export function nonEmpty<T>(v: Record<string, T> | undefined): Record<string, T> | undefined;
export function nonEmpty(v: unknown): unknown {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return v.length === 0 ? undefined : v;
  return Object.keys(v as object).length === 0 ? undefined : v;
}

/** docker's shell-style split of a string `command`/`entrypoint` (shlex): quotes and backslashes. */
export function shellSplit(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: '"' | "'" | undefined;
  let started = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] ?? '';
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else cur += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < s.length && '"\\$`'.includes(s[i + 1] ?? '')) cur += s[++i] ?? '';
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      started = true;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[++i] ?? '';
      started = true;
    } else if (/\s/.test(c)) {
      if (started || cur !== '') out.push(cur);
      cur = '';
      started = false;
    } else {
      cur += c;
      started = true;
    }
  }
  if (started || cur !== '') out.push(cur);
  return out;
}

/** Go's `cmp.Compare` on strings: plain code-unit order, not locale order. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A copy with keys in Go's order: encoding/json writes maps with sorted keys. */
export function sortedMap<T>(m: Readonly<Record<string, T>>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(m).sort(compareStrings)) out[k] = m[k] as T;
  return out;
}
