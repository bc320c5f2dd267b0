/**
 * A recording stand-in for shoald in tests: a unix socket in a temp dir that answers routes with
 * canned JSON shaped like the docker CLI traces and records every request (method, decoded path,
 * body). It only checks what the client sends and prints; the real daemon is tested elsewhere.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type Deps } from '../main.ts';

/** One recorded request. */
export interface Recorded {
  readonly method: string;
  /** Path and query, percent-decoded, as the traces show them. */
  readonly url: string;
  readonly body: unknown;
  readonly raw: Buffer;
  readonly contentType: string | undefined;
}

/** A route's answer: status and JSON body, or a function of the request. */
export type Reply =
  | {
      readonly status?: number;
      readonly json?: unknown;
      readonly raw?: Buffer;
      readonly headers?: Record<string, string>;
    }
  | ((req: Recorded) => Reply);

/** The running fake daemon. */
export interface FakeDaemon {
  readonly host: string;
  readonly requests: Recorded[];
  /** Requests without the ping, as `METHOD /path?query` lines (version prefix kept). */
  lines(): string[];
  /**
   * Sets or replaces the answer for `METHOD /path` (unversioned, query ignored unless given); a route
   * ending in `*` answers every path it prefixes when no exact route does.
   */
  on(route: string, reply: Reply): void;
  close(): Promise<void>;
}

/** Starts a fake daemon; `routes` map `METHOD /path` (or `METHOD /path?query`) to replies. */
export async function fakeDaemon(routes: Record<string, Reply> = {}): Promise<FakeDaemon> {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-cli-'));
  const socket = join(dir, 'shoal.sock');
  const table = new Map(Object.entries(routes));
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const url = decodeURIComponent((req.url ?? '').replace(/\+/g, ' '));
      const type = req.headers['content-type'];
      let body: unknown = undefined;
      if (raw.length > 0 && type === 'application/json') body = JSON.parse(raw.toString('utf8'));
      const rec: Recorded = { method: req.method ?? '', url, body, raw, contentType: type };
      requests.push(rec);
      const unversioned = url.replace(/^\/v\d+\.\d+/, '');
      const path = unversioned.split('?')[0] ?? '';
      let reply: Reply | undefined =
        table.get(`${rec.method} ${unversioned}`) ??
        table.get(`${rec.method} ${path}`) ??
        prefixRoute(table, `${rec.method} ${path}`);
      if (path === '/_ping') reply = { status: 200, raw: Buffer.from('OK') };
      while (typeof reply === 'function') reply = reply(rec);
      const r = reply ?? { status: 404, json: { message: `page not found: ${rec.method} ${path}` } };
      const status = r.status ?? 200;
      const payload = r.raw ?? (r.json === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(r.json)));
      res.writeHead(status, {
        'Api-Version': '1.47',
        'Content-Type': r.raw ? 'text/plain' : 'application/json',
        'Content-Length': payload.length,
        ...r.headers,
      });
      res.end(rec.method === 'HEAD' ? undefined : payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return {
    host: `unix://${socket}`,
    requests,
    lines: () => requests.filter((r) => !r.url.endsWith('/_ping')).map((r) => `${r.method} ${r.url}`),
    on: (route, reply) => table.set(route, reply),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The reply of the longest `METHOD /prefix*` route that `route` starts with. */
function prefixRoute(table: ReadonlyMap<string, Reply>, route: string): Reply | undefined {
  let best: [string, Reply] | undefined;
  for (const [key, reply] of table) {
    if (!key.endsWith('*') || !route.startsWith(key.slice(0, -1))) continue;
    if (!best || key.length > best[0].length) best = [key, reply];
  }
  return best?.[1];
}

/** The outcome of one in-process `shoal` run. */
export interface RunResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** A fake clock whose sleep advances time instantly. */
export function fakeClock(start = Date.parse('2026-11-22T11:47:20Z')): Required<Pick<Deps, 'now' | 'sleep'>> {
  let now = start;
  return {
    now: () => now,
    sleep: (ms) => {
      now += ms;
      return Promise.resolve();
    },
  };
}

/** Runs `shoal -H <daemon> ...argv` in-process with a fake clock, capturing output. */
export async function run(
  daemon: FakeDaemon | undefined,
  argv: readonly string[],
  opts: { readonly stdin?: string; readonly tty?: boolean; readonly deps?: Deps } = {},
): Promise<RunResult> {
  let out = '';
  let err = '';
  const host = daemon ? ['-H', daemon.host] : [];
  const code = await main(
    [...host, ...argv],
    {
      out: (s) => (out += s),
      err: (s) => (err += s),
      isTTY: opts.tty ?? false,
      readStdin: () => Promise.resolve(Buffer.from(opts.stdin ?? '')),
    },
    { env: {}, ...fakeClock(), ...opts.deps },
  );
  return { code, out, err };
}
