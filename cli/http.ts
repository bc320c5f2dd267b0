/**
 * The HTTP client of shoald's Docker-compatible API, over a unix socket or TCP, with node:http.
 * Like the docker CLI it sends `HEAD /_ping` once, then prefixes every path with `/v<api version>`,
 * where the version is min(ours, the server's `Api-Version`).
 */
import http from 'node:http';
import { DOCKER_API_VERSION } from '../proto/version.ts';
import { ApiError, ConnectError, UsageError } from './errors.ts';

/** Where shoald listens when neither `-H` nor `SHOAL_HOST` says otherwise. */
export const DEFAULT_HOST = 'unix:///run/shoal/shoal.sock';

/** Query values; `undefined` entries are left out. Keys are sent sorted, as Go's url.Values does. */
/** Query parameters; an array repeats the key (`changes=a&changes=b`). */
export type Query = Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;

/** One request; `body` is JSON-encoded unless it is a Buffer (then sent as `contentType`). */
export interface RequestOptions {
  readonly query?: Query;
  readonly body?: unknown;
  readonly contentType?: string;
  /** Send the path without the `/vX.Y` prefix (Shoal's own `/shoal/...` endpoints). */
  readonly unversioned?: boolean;
}

/** A complete response. */
export interface Response {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Parsed `-H` value: a socket path or a host and port. */
export type Endpoint =
  | { readonly kind: 'unix'; readonly socketPath: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number };

/** Parses `unix:///path` or `tcp://host:port`; a bad value is a usage error. */
export function parseHost(raw: string): Endpoint {
  if (raw.startsWith('unix://')) {
    const socketPath = raw.slice('unix://'.length);
    if (socketPath === '') throw new UsageError(`invalid host "${raw}": no socket path`);
    return { kind: 'unix', socketPath };
  }
  const m = /^(?:tcp|http):\/\/(\[[^\]]+\]|[^:/]+)(?::(\d+))?\/?$/.exec(raw);
  if (m?.[1] !== undefined) {
    const port = m[2] === undefined ? 2375 : Number(m[2]);
    if (port < 1 || port > 65535) throw new UsageError(`invalid host "${raw}": bad port`);
    return { kind: 'tcp', host: m[1].replace(/^\[|\]$/g, ''), port };
  }
  throw new UsageError(`invalid host "${raw}": use unix:///path or tcp://host:port`);
}

/** Encodes a query with sorted keys, like Go's `url.Values.Encode`. */
export function encodeQuery(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const key of Object.keys(query).sort()) {
    const v = query[key];
    if (Array.isArray(v)) for (const x of v as readonly string[]) params.append(key, x);
    else if (v !== undefined) params.append(key, String(v));
  }
  const s = params.toString();
  return s === '' ? '' : `?${s}`;
}

/** Encodes docker filters `{"key":{"value":true}}`, keys sorted as Go's json does; undefined when empty. */
export function encodeFilters(filters: ReadonlyMap<string, readonly string[]>): string | undefined {
  if (filters.size === 0) return undefined;
  const out: Record<string, Record<string, boolean>> = {};
  for (const key of [...filters.keys()].sort()) {
    const values: Record<string, boolean> = {};
    for (const v of [...(filters.get(key) ?? [])].sort()) values[v] = true;
    out[key] = values;
  }
  return JSON.stringify(out);
}

/** The API client. One per command run; not safe to share between hosts. */
export class ApiClient {
  private version: string | undefined;
  /** Our own keep-alive agent, so `close()` can drop idle sockets and let the process exit. */
  private readonly agent = new http.Agent({ keepAlive: true });

  constructor(
    readonly host: string,
    private readonly endpoint: Endpoint = parseHost(host),
  ) {}

  /** Closes idle connections; call once the command is done. */
  close(): void {
    this.agent.destroy();
  }

  /** Sends a request and reads the whole response; an error status becomes an ApiError. */
  async request(method: string, path: string, opts: RequestOptions = {}): Promise<Response> {
    const res = await this.open(method, path, opts);
    const body = await readAll(res);
    const status = res.statusCode ?? 0;
    if (status >= 400) throw errorFrom(status, res.headers, body);
    return { status, headers: res.headers, body };
  }

  /** Sends a request and parses the JSON answer. */
  async json<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.request(method, path, opts);
    if (res.body.length === 0) return undefined as T;
    return JSON.parse(res.body.toString('utf8')) as T;
  }

  /** `GET path` parsed as JSON. */
  get<T>(path: string, query?: Query): Promise<T> {
    return this.json<T>('GET', path, query ? { query } : {});
  }

  /** Opens a streaming response (logs, events); an error status is read and thrown. */
  async stream(method: string, path: string, opts: RequestOptions = {}): Promise<http.IncomingMessage> {
    const res = await this.open(method, path, opts);
    const status = res.statusCode ?? 0;
    if (status >= 400) throw errorFrom(status, res.headers, await readAll(res));
    return res;
  }

  private async open(method: string, path: string, opts: RequestOptions): Promise<http.IncomingMessage> {
    const version = await this.negotiate();
    const prefix = opts.unversioned ? '' : `/v${version}`;
    return this.send(method, `${prefix}${path}${encodeQuery(opts.query)}`, opts);
  }

  /** `HEAD /_ping` once; the server's `Api-Version` caps ours (none: 1.24, as docker falls back). */
  private async negotiate(): Promise<string> {
    if (this.version !== undefined) return this.version;
    const res = await this.send('HEAD', '/_ping', {});
    await readAll(res);
    const server = res.headers['api-version'];
    const theirs = typeof server === 'string' && /^\d+\.\d+$/.test(server) ? server : '1.24';
    this.version = compareVersions(theirs, DOCKER_API_VERSION) < 0 ? theirs : DOCKER_API_VERSION;
    return this.version;
  }

  private send(method: string, path: string, opts: RequestOptions): Promise<http.IncomingMessage> {
    let payload: Buffer | undefined;
    const headers: Record<string, string | number> = {};
    if (Buffer.isBuffer(opts.body)) {
      payload = opts.body;
      headers['Content-Type'] = opts.contentType ?? 'application/octet-stream';
    } else if (opts.body !== undefined) {
      payload = Buffer.from(JSON.stringify(opts.body));
      headers['Content-Type'] = 'application/json';
    }
    if (payload) headers['Content-Length'] = payload.length;
    const target =
      this.endpoint.kind === 'unix'
        ? { socketPath: this.endpoint.socketPath }
        : { host: this.endpoint.host, port: this.endpoint.port };
    return new Promise((resolve, reject) => {
      const req = http.request({ ...target, method, path, headers, agent: this.agent }, resolve);
      req.on('error', (err) => reject(new ConnectError(this.host, err)));
      req.end(payload);
    });
  }
}

/** -1, 0, 1 as `a` is older than, equal to or newer than `b` (both `X.Y`). */
export function compareVersions(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return Math.sign(am - bm || an - bn);
}

function readAll(res: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks)));
    res.on('error', reject);
  });
}

/** Docker's error body is `{"message": ...}`; anything else is shown as text. */
function errorFrom(status: number, headers: http.IncomingHttpHeaders, body: Buffer): ApiError {
  const text = body.toString('utf8').trim();
  if ((headers['content-type'] ?? '').startsWith('application/json')) {
    try {
      const parsed = JSON.parse(text) as { message?: unknown };
      if (typeof parsed.message === 'string') return new ApiError(status, parsed.message);
    } catch {
      // fall through to the raw text
    }
  }
  return new ApiError(status, text === '' ? `${status} ${http.STATUS_CODES[status] ?? ''}`.trim() : text);
}
