/**
 * Short syntax to long syntax: the Compose Specification lets ports, volumes, secrets, configs,
 * environment, labels, networks and extra_hosts be written compactly; these turn each into the one
 * long form the merger and the converter work on. Pure; `undefined` or a thrown ComposeValueError
 * for input that passes the schema but cannot be read.
 */
import { posix } from 'node:path';
import { COMPOSE_DEFAULTS } from './defaults.ts';
import { ComposeValueError } from './errors.ts';

/** A plain JSON-ish mapping. */
export type Dict = Record<string, unknown>;

/** True for a non-null, non-array object. */
export function isDict(v: unknown): v is Dict {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Where a value sits, for error messages. */
export interface Where {
  readonly file?: string | undefined;
  readonly path: string;
}

function fail(where: Where, problem: string): never {
  throw new ComposeValueError({ file: where.file, path: where.path, problem });
}

/** A scalar as docker's loader stringifies it (`true`, `3`, `0.5`); null stays null. */
export function scalarString(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/**
 * `environment`/`labels`/`sysctls`-style values: a `KEY=value` list or a mapping, to a mapping.
 * A list entry without `=` maps to null (environment: "take it from the shell"); with `nullAsEmpty`
 * null becomes `''` (labels, sysctls).
 */
export function listOrDict(v: unknown, nullAsEmpty: boolean): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (Array.isArray(v)) {
    for (const item of v) {
      const s = String(item);
      const eq = s.indexOf('=');
      if (eq < 0) out[s] = nullAsEmpty ? '' : null;
      else out[s.slice(0, eq)] = s.slice(eq + 1);
    }
  } else if (isDict(v)) {
    for (const [k, val] of Object.entries(v)) {
      const s = scalarString(val);
      out[k] = s === null && nullAsEmpty ? '' : s;
    }
  }
  return out;
}

/** `networks` as a list of names or a mapping, to a mapping (null where nothing is configured). */
export function networksMap(v: unknown): Record<string, Dict | null> {
  const out: Record<string, Dict | null> = {};
  if (Array.isArray(v)) for (const name of v) out[String(name)] = null;
  else if (isDict(v)) for (const [k, val] of Object.entries(v)) out[k] = isDict(val) ? val : null;
  return out;
}

/** `extra_hosts` list (`host:ip`, `host=ip`) or mapping, to docker's `host:ip` list, in order. */
export function extraHostsList(v: unknown): string[] {
  if (Array.isArray(v)) {
    return v.map((h) => {
      const s = String(h);
      const eq = s.indexOf('=');
      return eq >= 0 ? `${s.slice(0, eq)}:${s.slice(eq + 1)}` : s;
    });
  }
  if (!isDict(v)) return [];
  return Object.entries(v).flatMap(([host, ip]) =>
    (Array.isArray(ip) ? ip : [ip]).map((one) => `${host}:${String(one)}`),
  );
}

/** A string or list of strings, to a list. */
export function stringList(v: unknown): string[] {
  if (v === null || v === undefined) return [];
  return Array.isArray(v) ? v.map((x) => scalarString(x) ?? '') : [scalarString(v) ?? ''];
}

function portRange(s: string, where: Where): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(s);
  if (!m) fail(where, `invalid port ${JSON.stringify(s)}`);
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  if (hi < lo || hi > 65535) fail(where, `invalid port range ${JSON.stringify(s)}`);
  return [lo, hi];
}

/**
 * One `ports` entry to long-syntax objects `{mode, protocol, target, published?, host_ip?}`. Short
 * forms (`"80"`, `"8080:80"`, `"127.0.0.1:8080:80/udp"`, `"9000-9002:9000-9002"`, `80`) expand
 * ranges into one entry per port, as docker's loader does; mode defaults to ingress, protocol to tcp.
 */
export function portEntries(v: unknown, where: Where): Dict[] {
  if (isDict(v)) {
    const out: Dict = {
      mode: v['mode'] ?? COMPOSE_DEFAULTS.portMode,
      protocol: v['protocol'] ?? COMPOSE_DEFAULTS.portProtocol,
      target: toPort(v['target'], where),
    };
    if (v['published'] !== undefined && v['published'] !== null && v['published'] !== '') {
      out['published'] = toPort(v['published'], where);
    }
    if (typeof v['host_ip'] === 'string') out['host_ip'] = v['host_ip'];
    if (typeof v['name'] === 'string') out['name'] = v['name'];
    return [out];
  }
  let spec = scalarString(v) ?? '';
  let protocol: string = COMPOSE_DEFAULTS.portProtocol;
  const slash = spec.lastIndexOf('/');
  if (slash >= 0) {
    protocol = spec.slice(slash + 1);
    spec = spec.slice(0, slash);
  }
  const parts = splitHostPort(spec);
  const containerPart = parts.pop() ?? '';
  const publishedPart = parts.pop() ?? '';
  const hostIp = parts.pop();
  const [tLo, tHi] = portRange(containerPart, where);
  const published = publishedPart === '' ? undefined : portRange(publishedPart, where);
  if (published && published[1] - published[0] !== tHi - tLo && published[0] !== published[1]) {
    fail(where, `invalid port range ${JSON.stringify(String(v))}`);
  }
  const out: Dict[] = [];
  for (let t = tLo; t <= tHi; t++) {
    const entry: Dict = { mode: COMPOSE_DEFAULTS.portMode, protocol, target: t };
    if (published)
      entry['published'] = published[0] === published[1] ? published[0] : published[0] + (t - tLo);
    if (hostIp !== undefined && hostIp !== '') entry['host_ip'] = hostIp;
    out.push(entry);
  }
  return out;
}

function splitHostPort(spec: string): string[] {
  const v6 = /^\[([^\]]+)\]:(.*)$/.exec(spec);
  if (v6) return [v6[1] ?? '', ...(v6[2] ?? '').split(':')];
  return spec.split(':');
}

function toPort(v: unknown, where: Where): number {
  const n = typeof v === 'number' ? v : Number(String(v).split('-')[0]);
  if (!Number.isInteger(n) || n < 0 || n > 65535) fail(where, `invalid port ${JSON.stringify(v)}`);
  return n;
}

const PROPAGATION = new Set(['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate']);
const CONSISTENCY = new Set(['cached', 'delegated', 'consistent', 'default']);

/**
 * One `volumes` entry to the long syntax `{type, source?, target, read_only?, bind?, volume?,
 * consistency?}`, as docker's `loader.ParseVolume` reads `src:dst[:opts]`: a source starting with
 * `/`, `.` or `~` is a bind mount, resolved against `workingDir` (and `home` for `~`); otherwise a
 * named volume; a lone path is an anonymous volume.
 */
export function volumeEntry(v: unknown, where: Where, workingDir: string, home: string | undefined): Dict {
  if (isDict(v)) {
    const out = { ...v };
    if (out['type'] === 'bind' && typeof out['source'] === 'string') {
      out['source'] = resolveHostPath(out['source'], workingDir, home);
    }
    return out;
  }
  const parts = String(v).split(':');
  if (parts.length > 3 || parts.some((p) => p === ''))
    fail(where, `invalid volume spec ${JSON.stringify(v)}`);
  if (parts.length === 1) return { type: 'volume', target: parts[0] };
  const [source = '', target = '', options = ''] = parts;
  const isBind = /^[/.~]/.test(source);
  const out: Dict = isBind
    ? { type: 'bind', source: resolveHostPath(source, workingDir, home), target }
    : { type: 'volume', source, target };
  for (const opt of options === '' ? [] : options.split(',')) {
    if (opt === 'ro') out['read_only'] = true;
    else if (opt === 'rw') continue;
    else if (opt === 'nocopy') out['volume'] = { nocopy: true };
    else if (PROPAGATION.has(opt)) out['bind'] = { propagation: opt };
    else if (CONSISTENCY.has(opt)) out['consistency'] = opt;
    else if (opt !== 'z' && opt !== 'Z') fail(where, `invalid volume option ${JSON.stringify(opt)}`);
  }
  return out;
}

function resolveHostPath(source: string, workingDir: string, home: string | undefined): string {
  if (source.startsWith('~') && home !== undefined) return posix.join(home, source.slice(1));
  if (source.startsWith('.')) return posix.resolve(workingDir, source);
  return source;
}

/** One `secrets`/`configs` entry (`name` or `{source, target, uid, gid, mode}`) to the long form. */
export function fileRefEntry(v: unknown): Dict {
  return isDict(v) ? { ...v } : { source: String(v) };
}
