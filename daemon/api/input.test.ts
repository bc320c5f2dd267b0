/**
 * What the API does with bad input before any backend call: the body limit and its 413, strict UTF-8,
 * the nesting bound, unknown Expect headers, filter shapes, `?version=`, and the addresses of
 * `swarm init`/`join`. cluster-tests/api-fuzz.test.ts drives the same against a real shoald.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonDepth, parseFilters, versionParam } from './common.ts';
import { DEFAULT_BODY_LIMIT_BYTES, MAX_JSON_DEPTH, buildApi, parseJsonBody } from './server.ts';
import { checkAddr, checkInitRequest, withInterfaceIp } from './swarm.ts';
import { idleBackend } from './testing.ts';

const message = (r: { json: () => unknown }): string => (r.json() as { message: string }).message;

describe('request bodies', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApi(idleBackend());
  });
  afterAll(() => app.close());

  it('refuses a body over the limit with 413 saying the limit', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/swarm/init',
      headers: { 'content-type': 'application/json' },
      payload: `{"a":"${'x'.repeat(DEFAULT_BODY_LIMIT_BYTES)}"}`,
    });
    expect(r.statusCode).toBe(413);
    expect(r.headers['content-type']).toBe('application/json');
    expect(message(r)).toBe('request body too large: at most 4194304 bytes (4 MiB) are accepted');
  });

  it('names an unsupported content type', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/swarm/init',
      headers: { 'content-type': 'application/xml' },
      payload: '<x/>',
    });
    expect(r.statusCode).toBe(415);
    expect(message(r)).toContain('"application/xml"');
  });

  it('refuses bodies that are not UTF-8 or nest too deeply, before they are parsed', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/swarm/init',
      headers: { 'content-type': 'application/json' },
      payload: Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]),
    });
    expect(bad.statusCode).toBe(400);
    expect(message(bad)).toBe('invalid JSON in the request body: it is not valid UTF-8');
    expect(() => parseJsonBody(Buffer.from(`${'['.repeat(100_000)}${']'.repeat(100_000)}`))).toThrow(
      `nested 100000 levels deep, at most ${MAX_JSON_DEPTH} are accepted`,
    );
    expect(parseJsonBody(Buffer.from(' '))).toBeUndefined();
  });

  it('counts depth outside strings only', () => {
    expect(jsonDepth('{"a":[{"b":"[[[[{{"}]}')).toBe(3);
    expect(jsonDepth('"\\"[["')).toBe(0);
  });
});

describe('query parameters', () => {
  it('takes filter values as true/false maps or string lists, nothing else', () => {
    const q = (f: string) => parseFilters({ filters: f });
    expect(q('{"name":{"web":true,"db":false}}').get('name')).toEqual(['web']);
    expect(q('{"name":["web"]}').get('name')).toEqual(['web']);
    expect(() => q('{"name":{"web":1}}')).toThrow(`invalid filter 'name'`);
    expect(() => q('{"name":{"a":{"b":true}}}')).toThrow('nested 3 levels deep');
  });

  it('reads ?version= as a decimal integer only', () => {
    expect(versionParam({ version: '12' })).toEqual({ index: 12 });
    for (const v of ['', '1e3', '0x10', '-1', '1.5', ' 1', '99999999999999999999'])
      expect(() => versionParam({ version: v }), v).toThrow('invalid version');
  });
});

describe('swarm init and join addresses', () => {
  it('accepts IPs (and host names where a name may stand) with ports 1..65535', () => {
    for (const a of ['127.0.0.1', '127.0.0.1:2377', '[::1]:2377', '0.0.0.0:1'])
      expect(() => checkAddr('ListenAddr', a, false), a).not.toThrow();
    expect(() => checkAddr('RemoteAddrs[0]', 'manager-1.example.com:2377', true)).not.toThrow();
    for (const a of ['../x', 'a\u0000b', '127.0.0.1:0', '127.0.0.1:99999', '[::1', 'x y', 'host:2377'])
      expect(() => checkAddr('ListenAddr', a, false), a).toThrow(/^ListenAddr: invalid/);
  });

  it('takes a network interface for its IPv4 address, as Docker does', () => {
    expect(withInterfaceIp('lo:2377')).toBe('127.0.0.1:2377');
    expect(withInterfaceIp('lo')).toBe('127.0.0.1');
    expect(withInterfaceIp('no-such-if0:2377')).toBe('no-such-if0:2377');
    expect(withInterfaceIp('10.0.0.1:2377')).toBe('10.0.0.1:2377');
  });

  it('refuses a listen address of another host, and bad pools, ports and subnet sizes', () => {
    const init = {
      listenAddr: '',
      advertiseAddr: '',
      dataPathAddr: '',
      dataPathPort: 0,
      forceNewCluster: false,
      spec: null,
      autoLockManagers: false,
      availability: 'AVAILABILITY_ACTIVE' as const,
      defaultAddrPool: [],
      subnetSize: 0,
    };
    expect(() => checkInitRequest(init)).not.toThrow();
    expect(() => checkInitRequest({ ...init, listenAddr: '203.0.113.7:2377' })).toThrow(
      /^ListenAddr: 203\.0\.113\.7 is not an address of this host/,
    );
    expect(() => checkInitRequest({ ...init, dataPathPort: 80 })).toThrow(/^DataPathPort: .*1024 to 49151/);
    expect(() => checkInitRequest({ ...init, defaultAddrPool: ['10.0.0.0/40'] })).toThrow(/^DefaultAddrPool/);
    expect(() => checkInitRequest({ ...init, subnetSize: 30 })).toThrow(/^SubnetSize/);
  });
});
