/**
 * The pieces of the API fuzz test (api-fuzz.test.ts): a seeded PRNG, a raw HTTP client for a unix
 * socket that sends any bytes (malformed JSON, huge or chunked bodies) and fails on a hang, the
 * mutation generator that puts wrong-typed values into valid request bodies one field at a time, and
 * the check every rejected request must pass.
 */
import { request } from 'node:http';
import { connect } from 'node:net';

/** mulberry32: small, fast, and the same sequence for the same seed on every platform. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One of `items`, picked by `rand`. */
export function pick<T>(rand: () => number, items: readonly T[]): T {
  const v = items[Math.floor(rand() * items.length)];
  if (v === undefined) throw new Error('pick from an empty list');
  return v;
}

/** A body as sent: JSON-encoded value, raw text or bytes, or a generator of chunks (no Content-Length). */
export type Body =
  | { readonly json: unknown }
  | { readonly raw: string | Buffer }
  | { readonly chunks: () => Iterable<Buffer> };

export interface RawResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** What went out, for failure messages. */
export function describeBody(b: Body | undefined): string {
  if (!b) return '(no body)';
  if ('json' in b) return clip(JSON.stringify(b.json) ?? 'undefined');
  if ('raw' in b) return `raw ${b.raw.length} bytes: ${clip(b.raw.toString())}`;
  return 'chunked stream';
}

export function clip(s: string, n = 160): string {
  return s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s;
}

/**
 * Sends one request over the unix socket; rejects after `timeoutMs` (a hang is a failure). A server
 * that answers before reading the whole body (413) may reset the connection: the answer still counts.
 */
export function send(
  socket: string,
  method: string,
  path: string,
  body?: Body,
  headers: Record<string, string> = {},
  timeoutMs = 20_000,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let answered: RawResponse | undefined;
    const data =
      body === undefined
        ? undefined
        : 'json' in body
          ? Buffer.from(JSON.stringify(body.json) ?? '')
          : 'raw' in body
            ? Buffer.from(body.raw)
            : undefined;
    const req = request(
      {
        socketPath: socket,
        // A connection of its own: a request the server cut short must not poison the next one.
        agent: false,
        method,
        path,
        headers: {
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...(data ? { 'content-length': String(data.length) } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          answered = {
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
          };
          clearTimeout(timer);
          resolve(answered);
        });
        res.on('error', (err) => (answered ? undefined : reject(err)));
      },
    );
    const timer = setTimeout(
      () => req.destroy(new Error(`${method} ${clip(path)}: no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    req.on('error', (err) => {
      if (answered) return;
      clearTimeout(timer);
      reject(err);
    });
    if (data) req.end(data);
    else if (body && 'chunks' in body) {
      const it = body.chunks()[Symbol.iterator]();
      const pump = (): void => {
        for (;;) {
          const next = it.next();
          if (next.done) return void req.end();
          if (req.destroyed) return;
          if (!req.write(next.value)) return void req.once('drain', pump);
        }
      };
      pump();
    } else req.end();
  });
}

/**
 * Sends a big body over a bare socket and reads the answer even when the server answers early and
 * closes (413 before the body is read): Node's client then fails with EPIPE, where Go's (the docker
 * CLI's) reads the response while it writes. Writes 64 KiB at a time and stops at the first byte of
 * an answer, as Go's transport does. `chunks` go out with Transfer-Encoding: chunked.
 */
export function sendBig(
  socket: string,
  method: string,
  path: string,
  body: Body,
  timeoutMs = 20_000,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const s = connect({ path: socket });
    const got: Buffer[] = [];
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`${method} ${clip(path)}: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = (): void => {
      clearTimeout(timer);
      const all = Buffer.concat(got);
      const end = all.indexOf('\r\n\r\n');
      if (end < 0) return reject(new Error(`${method} ${clip(path)}: connection closed without an answer`));
      const head = all.subarray(0, end).toString('latin1').split('\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head[0] ?? '')?.[1] ?? 0);
      const header = (name: string): string =>
        head
          .find((h) => h.toLowerCase().startsWith(`${name}:`))
          ?.slice(name.length + 1)
          .trim() ?? '';
      const length = Number(header('content-length') || all.length);
      resolve({
        status,
        contentType: header('content-type'),
        body: all.subarray(end + 4, end + 4 + length).toString('utf8'),
      });
    };
    s.on('data', (c: Buffer) => got.push(c));
    s.on('close', finish);
    s.on('error', () => undefined); // EPIPE/ECONNRESET once the server has answered: read what came.
    const chunked = 'chunks' in body;
    const data =
      'json' in body
        ? Buffer.from(JSON.stringify(body.json) ?? '')
        : 'raw' in body
          ? Buffer.from(body.raw)
          : undefined;
    s.write(
      `${method} ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nConnection: close\r\n` +
        (chunked ? 'Transfer-Encoding: chunked\r\n\r\n' : `Content-Length: ${data?.length ?? 0}\r\n\r\n`),
    );
    const slices = function* (): Iterable<Buffer> {
      const whole: Iterable<Buffer> = 'chunks' in body ? body.chunks() : data ? [data] : [];
      for (const b of whole) for (let i = 0; i < b.length; i += 64 * 1024) yield b.subarray(i, i + 64 * 1024);
    };
    const it = slices()[Symbol.iterator]();
    const pump = (): void => {
      for (;;) {
        if (s.destroyed || !s.writable || got.length > 0) return;
        const next = it.next();
        if (next.done) {
          if (chunked) s.write('0\r\n\r\n');
          return;
        }
        const framed = chunked
          ? Buffer.concat([
              Buffer.from(`${next.value.length.toString(16)}\r\n`),
              next.value,
              Buffer.from('\r\n'),
            ])
          : next.value;
        // One slice per turn of the event loop, so that an answer is seen before the next.
        s.write(framed, () => setImmediate(pump));
        return;
      }
    };
    pump();
  });
}

/** The wrong-typed stand-ins for a value of the type `v` has (never null: null means "absent"). */
export function wrongValues(v: unknown): unknown[] {
  if (typeof v === 'string') return [7, true, ['x'], { x: 'y' }];
  if (typeof v === 'number') return ['1', 'NaN', true, [1], { n: 1 }, 1e300];
  if (typeof v === 'boolean') return ['true', 1, [true], {}];
  if (Array.isArray(v)) return [{ 0: 'x' }, 'x', 1];
  return [[], 'x', 1, false];
}

/** Every path to a value inside `v` (objects by key, arrays by index), parents before children. */
export function paths(v: unknown, prefix: readonly (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [];
  if (Array.isArray(v))
    v.forEach((x, i) => {
      out.push([...prefix, i], ...paths(x, [...prefix, i]));
    });
  else if (typeof v === 'object' && v !== null)
    for (const [k, x] of Object.entries(v)) out.push([...prefix, k], ...paths(x, [...prefix, k]));
  return out;
}

export function getAt(v: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], v);
}

/** A deep copy of `v` with the value at `path` replaced. */
export function setAt(v: unknown, path: readonly (string | number)[], value: unknown): unknown {
  const copy = structuredClone(v);
  const parent = getAt(copy, path.slice(0, -1)) as Record<string | number, unknown>;
  parent[path[path.length - 1] as string | number] = value;
  return copy;
}

/** `TaskTemplate.ContainerSpec.Args[0]`: a path as the daemon's messages spell it. */
export function jsonPath(path: readonly (string | number)[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

/** The last named key of a path (`Args` for `…Args[0]`): what a good message must mention. */
export function lastKey(path: readonly (string | number)[]): string {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return path[i] as string;
  return '';
}

/**
 * Why a response is not an acceptable rejection, or undefined when it is: a status in `statuses`
 * (default any 4xx), Content-Type exactly application/json, a JSON body `{"message": "…"}` whose
 * message is non-empty and, when `mentions` is given, contains it (case-insensitive).
 */
export function badRejection(
  r: RawResponse,
  o: { statuses?: readonly number[] | undefined; mentions?: string | RegExp | undefined } = {},
): string | undefined {
  const okStatus = o.statuses ? o.statuses.includes(r.status) : r.status >= 400 && r.status < 500;
  if (!okStatus) return `status ${r.status}`;
  if (r.contentType !== 'application/json') return `content-type ${JSON.stringify(r.contentType)}`;
  let message: unknown;
  try {
    message = (JSON.parse(r.body) as { message?: unknown }).message;
  } catch {
    return 'body is not JSON';
  }
  if (typeof message !== 'string' || message.trim() === '') return 'no message';
  if (o.mentions !== undefined) {
    const hit =
      typeof o.mentions === 'string'
        ? message.toLowerCase().includes(o.mentions.toLowerCase())
        : o.mentions.test(message);
    if (!hit) return `message does not mention ${String(o.mentions)}`;
  }
  return undefined;
}
