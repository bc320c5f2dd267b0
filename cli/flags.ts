/**
 * Parsers for flag values, in docker's units: Go durations (`1m30s` → ns), sizes (`512M` → bytes),
 * CPUs (`0.5` → nanoCPUs), ports, mounts, `k=v` lists and filters. Each throws docker's message
 * (`invalid argument "X" for "--flag" flag: reason`) so a bad value fails before any request.
 */
import { flagError, UsageError } from './errors.ts';

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Go's `time.ParseDuration`, in nanoseconds; throws Go's error text. */
export function goDuration(s: string): number {
  const bad = () => new Error(`time: invalid duration ${JSON.stringify(s)}`);
  let rest = s;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw bad();
  let total = 0;
  while (rest !== '') {
    const m = /^(\d*(?:\.\d*)?)([^\d.]*)/.exec(rest);
    const num = m?.[1] ?? '';
    const unit = m?.[2] ?? '';
    if (num === '' || num === '.') throw bad();
    if (unit === '') throw new Error(`time: missing unit in duration ${JSON.stringify(s)}`);
    const scale = DURATION_UNITS[unit];
    if (scale === undefined) {
      throw new Error(`time: unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(s)}`);
    }
    total += Number(num) * scale;
    rest = rest.slice(num.length + unit.length);
  }
  return sign * Math.round(total);
}

/** A `--flag` duration in ns (`10s`, `1m30s`); negative values are refused. */
export function parseDuration(flag: string, value: string): number {
  try {
    const ns = goDuration(value);
    if (ns < 0) throw new Error('duration must be positive');
    return ns;
  } catch (err) {
    throw flagError(flag, value, (err as Error).message);
  }
}

const SIZE_UNITS: Readonly<Record<string, number>> = {
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
  p: 1024 ** 5,
};

/** go-units `RAMInBytes`: `512M`, `1g`, `1.5GiB`, `1024` → bytes (binary multiples). */
export function ramInBytes(s: string): number {
  const m = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(s);
  if (!m?.[1]) throw new Error(`invalid size: '${s}'`);
  const n = Number(m[1]);
  if (Number.isNaN(n)) throw new Error(`invalid size: '${s}'`);
  return Math.trunc(n * (m[2] ? (SIZE_UNITS[m[2].toLowerCase()] ?? 1) : 1));
}

/** A `--flag` memory size in bytes. */
export function parseBytes(flag: string, value: string): number {
  try {
    return ramInBytes(value);
  } catch (err) {
    throw flagError(flag, value, (err as Error).message);
  }
}

/** A `--flag` CPU count (`0.5`, `2`, `3/2`) in nanoCPUs; more than 9 decimals is "too precise". */
export function parseNanoCpus(flag: string, value: string): number {
  const m = /^(\d+)(?:\.(\d+))?$|^(\d+)\/(\d+)$/.exec(value);
  if (!m) throw flagError(flag, value, `failed to parse ${value} as a rational number`);
  let nanos: number;
  if (m[3] !== undefined && m[4] !== undefined) {
    nanos = (Number(m[3]) * 1e9) / Number(m[4]);
  } else {
    const frac = m[2] ?? '';
    if (frac.replace(/0+$/, '').length > 9) throw flagError(flag, value, 'value is too precise');
    nanos = Number(m[1]) * 1e9 + Number(frac.padEnd(9, '0').slice(0, 9) || '0');
  }
  if (!Number.isInteger(nanos)) throw flagError(flag, value, 'value is too precise');
  return nanos;
}

/** An unsigned integer flag; Go's strconv error text on a bad value. */
export function parseUint(flag: string, value: string): number {
  if (!/^\d+$/.test(value)) {
    throw flagError(flag, value, `strconv.ParseUint: parsing ${JSON.stringify(value)}: invalid syntax`);
  }
  const n = Number(value);
  if (!Number.isSafeInteger(n)) {
    throw flagError(flag, value, `strconv.ParseUint: parsing ${JSON.stringify(value)}: value out of range`);
  }
  return n;
}

/** A signed integer flag. */
export function parseInt64(flag: string, value: string): number {
  if (!/^[-+]?\d+$/.test(value)) {
    throw flagError(flag, value, `strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`);
  }
  return Number(value);
}

/** A float flag (`--update-max-failure-ratio 0.1`). */
export function parseFloat(flag: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || Number.isNaN(n)) {
    throw flagError(flag, value, `strconv.ParseFloat: parsing ${JSON.stringify(value)}: invalid syntax`);
  }
  return n;
}

/** One of a fixed set of values. */
export function parseEnum<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw flagError(flag, value, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
}

/** `k=v` items into a map; a bare `k` maps to "" (docker's labels). */
export function parseKeyValues(items: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq === 0) throw new UsageError(`invalid label '${item}': empty name`);
    if (eq < 0) out[item] = '';
    else out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

/** `--filter k=v` (repeatable) into docker's filter map. */
export function parseFilters(items: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`bad format of filter (expected name=value)`);
    const key = item.slice(0, eq).trim().toLowerCase();
    out.set(key, [...(out.get(key) ?? []), item.slice(eq + 1).trim()]);
  }
  return out;
}

/** A published port as the API wants it. */
export interface PortConfig {
  Protocol: string;
  TargetPort: number;
  PublishedPort?: number;
  PublishMode: string;
}

/** `-p [published:]target[/proto]` or `published=8080,target=80,protocol=udp,mode=host`. */
export function parsePort(value: string): PortConfig {
  const bad = (why: string) => flagError('--publish', value, why);
  const port = (s: string | undefined): number => {
    const n = Number(s);
    if (!s || !/^\d+$/.test(s) || n < 1 || n > 65535) throw bad(`invalid port ${JSON.stringify(s ?? '')}`);
    return n;
  };
  if (value.includes('=')) {
    const f = parseCsvFields(value);
    const protocol = f.protocol ?? 'tcp';
    const mode = f.mode ?? 'ingress';
    if (!['tcp', 'udp', 'sctp'].includes(protocol)) throw bad(`invalid protocol value '${protocol}'`);
    if (!['ingress', 'host'].includes(mode)) throw bad(`invalid publish mode value (${mode})`);
    const out: PortConfig = { Protocol: protocol, TargetPort: port(f.target), PublishMode: mode };
    if (f.published !== undefined) out.PublishedPort = port(f.published);
    return out;
  }
  const m = /^(?:(\d+):)?(\d+)(?:\/(tcp|udp|sctp))?$/.exec(value);
  if (!m) throw bad('invalid port format, expected [published:]target[/protocol]');
  const out: PortConfig = { Protocol: m[3] ?? 'tcp', TargetPort: port(m[2]), PublishMode: 'ingress' };
  if (m[1] !== undefined) out.PublishedPort = port(m[1]);
  return out;
}

/** `a=b,c,d=e` → {a:'b', c:'true', d:'e'}. */
export function parseCsvFields(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    const key = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (key !== '') out[key] = eq < 0 ? 'true' : part.slice(eq + 1);
  }
  return out;
}

/** A `--mount type=bind,source=/a,target=/b[,readonly]` value. */
export function parseMount(value: string): Record<string, unknown> {
  const f = parseCsvFields(value);
  const type = f.type ?? 'volume';
  if (!['bind', 'volume', 'tmpfs', 'npipe', 'cluster'].includes(type)) {
    throw flagError('--mount', value, `invalid mount type ${JSON.stringify(type)}`);
  }
  const target = f.target ?? f.destination ?? f.dst;
  if (!target) throw flagError('--mount', value, 'target is required');
  const out: Record<string, unknown> = { Type: type, Target: target };
  const source = f.source ?? f.src;
  if (source !== undefined) out.Source = source;
  const ro = f.readonly ?? f.ro;
  if (ro !== undefined) {
    if (!['true', '1', 'false', '0'].includes(ro))
      throw flagError('--mount', value, `invalid readonly ${ro}`);
    out.ReadOnly = ro === 'true' || ro === '1';
  }
  if (type === 'bind' && !source)
    throw flagError('--mount', value, 'source is required when specifying bind');
  return out;
}

/** `--placement-pref spread=node.labels.zone`. */
export function parsePlacementPref(value: string): { Spread: { SpreadDescriptor: string } } {
  const m = /^spread=(.+)$/.exec(value);
  if (!m?.[1])
    throw flagError('--placement-pref', value, 'only spread preferences are supported (spread=LABEL)');
  return { Spread: { SpreadDescriptor: m[1] } };
}

/** A `--secret`/`--config` reference: `name` or `source=name,target=path,uid=,gid=,mode=`. */
export interface FileRef {
  readonly source: string;
  readonly target: string;
  readonly uid: string;
  readonly gid: string;
  readonly mode: number;
}

/** Parses a `--secret`/`--config` value (mode is octal, default 0444). */
export function parseFileRef(flag: string, value: string): FileRef {
  if (!value.includes('=')) return { source: value, target: value, uid: '0', gid: '0', mode: 0o444 };
  const f = parseCsvFields(value);
  const source = f.source ?? f.src;
  if (!source) throw flagError(flag, value, 'source is required');
  const mode = f.mode === undefined ? 0o444 : parseInt(f.mode, 8);
  if (Number.isNaN(mode)) throw flagError(flag, value, `invalid file mode ${f.mode}`);
  return { source, target: f.target ?? source, uid: f.uid ?? '0', gid: f.gid ?? '0', mode };
}
