import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError, ConnectError } from './errors.ts';
import { ApiClient, compareVersions, encodeFilters, encodeQuery, parseHost } from './http.ts';

async function serve(
  handler: http.RequestListener,
): Promise<{ host: string; paths: string[]; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-http-'));
  const socket = join(dir, 's.sock');
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    paths.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(socket, r));
  return {
    host: `unix://${socket}`,
    paths,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('http client', () => {
  it('parses hosts', () => {
    expect(parseHost('unix:///run/shoal/shoal.sock')).toEqual({
      kind: 'unix',
      socketPath: '/run/shoal/shoal.sock',
    });
    expect(parseHost('tcp://127.0.0.1:2375')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 2375 });
    expect(parseHost('tcp://[::1]:80')).toEqual({ kind: 'tcp', host: '::1', port: 80 });
    expect(() => parseHost('ftp://x')).toThrow('invalid host');
    expect(() => parseHost('tcp://h:70000')).toThrow('bad port');
  });

  it('encodes queries sorted and filters as docker does', () => {
    expect(encodeQuery({ version: 3, rotateWorkerToken: false, x: undefined })).toBe(
      '?rotateWorkerToken=false&version=3',
    );
    expect(
      encodeFilters(
        new Map([
          ['service', ['b', 'a']],
          ['_up-to-date', ['true']],
        ]),
      ),
    ).toBe('{"_up-to-date":{"true":true},"service":{"a":true,"b":true}}');
    expect(compareVersions('1.41', '1.47')).toBe(-1);
  });

  it('pings once and uses the older of the two API versions', async () => {
    const s = await serve((req, res) => {
      res.writeHead(200, { 'Api-Version': '1.41', 'Content-Type': 'application/json' });
      res.end(req.method === 'HEAD' ? undefined : '{"ok":true}');
    });
    const c = new ApiClient(s.host);
    expect(await c.get('/info')).toEqual({ ok: true });
    await c.get('/nodes');
    await s.close();
    expect(s.paths).toEqual(['HEAD /_ping', 'GET /v1.41/info', 'GET /v1.41/nodes']);
  });

  it('reads docker errors, and raw text when the type is not exactly JSON', async () => {
    const s = await serve((req, res) => {
      if (req.method === 'HEAD') return res.writeHead(200, { 'Api-Version': '1.47' }).end();
      if (req.url?.includes('json')) {
        res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"message":"service x not found"}');
      } else res.writeHead(500, { 'Content-Type': 'text/plain' }).end('boom');
    });
    const c = new ApiClient(s.host);
    await expect(c.get('/json')).rejects.toEqual(new ApiError(404, 'service x not found'));
    await expect(c.get('/text')).rejects.toThrow('boom');
    await s.close();
  });

  it('reports a missing daemon as a connection error', async () => {
    await expect(new ApiClient('unix:///nonexistent/x.sock').get('/info')).rejects.toBeInstanceOf(
      ConnectError,
    );
  });
});
