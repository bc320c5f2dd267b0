/* eslint-disable @typescript-eslint/no-unsafe-member-access --
   the assertions walk Docker's JSON freely; a wrong path fails the test anyway. */
/**
 * The API's frame on nodes that are not active managers: versions, headers, ping, version, info,
 * Docker's 503 messages, body and filter errors, swarm init/join/leave, and one real unix socket.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHOAL_VERSION } from '../../proto/version.ts';
import { LOCKED, NOT_A_MANAGER, WORKER_NODE } from './common.ts';
import { buildApi, listenOn, rewriteVersion } from './server.ts';
import { idleBackend, type IdleCalls } from './testing.ts';

describe('versions and headers', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApi(idleBackend());
  });
  afterAll(() => app.close());

  it('rewrites supported versions and marks others', () => {
    expect(rewriteVersion('/v1.41/services?x=1')).toBe('/services?x=1');
    expect(rewriteVersion('/v1.24/_ping')).toBe('/_ping');
    expect(rewriteVersion('/v1.47')).toBe('/');
    expect(rewriteVersion('/services')).toBe('/services');
    expect(rewriteVersion('/v1.23/info')).toMatch(/1\.23$/);
  });

  it('answers /_ping like Docker, HEAD and GET, versioned or not', async () => {
    for (const url of ['/_ping', '/v1.47/_ping', '/v1.24/_ping']) {
      const head = await app.inject({ method: 'HEAD', url });
      expect(head.statusCode).toBe(200);
      expect(head.headers['content-length']).toBe('0');
      expect(head.headers['api-version']).toBe('1.47');
      expect(head.headers['ostype']).toBe('linux');
      expect(head.headers['server']).toBe(`Shoal/${SHOAL_VERSION} (linux)`);
      expect(head.headers['docker-experimental']).toBe('false');
      expect(head.headers['cache-control']).toBe('no-cache, no-store, must-revalidate');
      expect(head.headers['pragma']).toBe('no-cache');
      expect(head.headers['swarm']).toBe('inactive');
    }
    const get = await app.inject({ method: 'GET', url: '/_ping' });
    expect(get.body).toBe('OK');
    expect(get.headers['content-type']).toMatch(/^text\/plain/);
    expect(get.headers['content-length']).toBe('2');
  });

  it('rejects versions outside 1.24..1.47 with Docker messages', async () => {
    const old = await app.inject({ method: 'GET', url: '/v1.12/info' });
    expect(old.statusCode).toBe(400);
    expect(old.headers['content-type']).toBe('application/json');
    expect(old.json()).toEqual({
      message:
        'client version 1.12 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version',
    });
    const neu = await app.inject({ method: 'GET', url: '/v1.99/info' });
    expect(neu.statusCode).toBe(400);
    expect(neu.json()).toEqual({
      message: 'client version 1.99 is too new. Maximum supported API version is 1.47',
    });
  });

  it('serves /version and /info with a Content-Length', async () => {
    const v = await app.inject({ method: 'GET', url: '/v1.47/version' });
    expect(v.statusCode).toBe(200);
    expect(v.json()).toMatchObject({
      ApiVersion: '1.47',
      MinAPIVersion: '1.24',
      Os: 'linux',
      Version: SHOAL_VERSION,
    });
    expect(v.json().Components[0].Name).toBe('Engine');
    const i = await app.inject({ method: 'GET', url: '/v1.41/info' });
    expect(Number(i.headers['content-length'])).toBe(i.rawPayload.length);
    expect(i.json()).toMatchObject({
      Name: 'shoal-test',
      NCPU: 2,
      OSType: 'linux',
      Architecture: 'amd64',
      KernelVersion: '6.1.0-test',
      BridgeNfIptables: true,
      BridgeNfIp6tables: true,
      ServerVersion: SHOAL_VERSION,
      Swarm: { LocalNodeState: 'inactive', ControlAvailable: false, NodeID: '' },
      Shoal: { Engine: 'process', EngineNotes: ['not running as root: no namespaces or cgroups'] },
    });
  });

  it('answers unknown paths with a JSON 404 and the distribution endpoint quickly', async () => {
    const r = await app.inject({ method: 'GET', url: '/v1.47/nope' });
    expect(r.statusCode).toBe(404);
    expect(r.headers['content-type']).toBe('application/json');
    const d = await app.inject({ method: 'GET', url: '/v1.47/distribution/busybox:latest/json' });
    expect(d.statusCode).toBe(404);
    expect(d.json().message).toContain('busybox:latest');
  });
});

describe('nodes that cannot serve the control API', () => {
  const cases = [
    ['inactive', NOT_A_MANAGER],
    ['active', WORKER_NODE],
    ['locked', LOCKED],
  ] as const;
  for (const [state, message] of cases) {
    it(`${state}: 503 with Docker's message`, async () => {
      const app = await buildApi(idleBackend(state));
      for (const url of [
        '/v1.47/services',
        '/v1.47/nodes',
        '/v1.47/swarm',
        '/v1.47/tasks',
        '/v1.47/secrets',
      ]) {
        const r = await app.inject({ method: 'GET', url });
        expect(r.statusCode).toBe(503);
        expect(r.headers['content-type']).toBe('application/json');
        expect(r.json()).toEqual({ message });
      }
      const ping = await app.inject({ method: 'HEAD', url: '/_ping' });
      expect(ping.headers['swarm']).toBe(state === 'active' ? 'active/worker' : state);
      await app.close();
    });
  }
});

describe('swarm lifecycle on an inactive node', () => {
  const calls: IdleCalls = {};
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApi(idleBackend('inactive', calls));
  });
  afterAll(() => app.close());

  it('init merges the non-zero spec fields over the defaults and returns the node ID', async () => {
    const body = {
      ListenAddr: '0.0.0.0:2377',
      AdvertiseAddr: '127.0.0.1',
      Spec: {
        Labels: null,
        Orchestration: {},
        Raft: { ElectionTick: 0, HeartbeatTick: 0 },
        Dispatcher: {},
        CAConfig: { NodeCertExpiry: 172800000000000 },
        TaskDefaults: {},
        EncryptionConfig: { AutoLockManagers: false },
      },
      AutoLockManagers: true,
      SubnetSize: 24,
    };
    const r = await app.inject({ method: 'POST', url: '/v1.47/swarm/init', payload: body });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toBe('newnodeid0000000000000000');
    const spec = calls.init?.spec;
    expect(spec?.caConfig?.nodeCertExpiry).toBe(172800000000000);
    expect(spec?.raft?.electionTick).toBe(10);
    expect(spec?.raft?.snapshotInterval).toBe(10000);
    expect(spec?.orchestration?.taskHistoryRetentionLimit).toBe(5);
    expect(spec?.encryptionConfig?.autoLockManagers).toBe(true);
    expect(calls.init?.advertiseAddr).toBe('127.0.0.1');
  });

  it('join and leave reach the backend', async () => {
    const j = await app.inject({
      method: 'POST',
      url: '/v1.41/swarm/join',
      payload: { ListenAddr: '0.0.0.0:2377', RemoteAddrs: ['10.0.0.1:2377'], JoinToken: 'SWMTKN-1-x-y' },
    });
    expect(j.statusCode).toBe(200);
    expect(calls.join?.remoteAddrs).toEqual(['10.0.0.1:2377']);
    const l = await app.inject({ method: 'POST', url: '/v1.47/swarm/leave?force=1' });
    expect(l.statusCode).toBe(200);
    expect(calls.leave).toBe(true);
  });

  it('a wrong unlock key is 401 with Docker message', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/v1.47/swarm/unlock',
      payload: { UnlockKey: 'SWMKEY-1-bad' },
    });
    expect(r.statusCode).toBe(401);
    expect(r.json()).toEqual({ message: 'swarm could not be unlocked: invalid key provided' });
  });

  it('bad JSON bodies and bad filters are 400 naming the problem, never a crash', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/v1.47/swarm/init',
      headers: { 'content-type': 'application/json' },
      payload: '{"ListenAddr": ',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toBe('application/json');
    expect(bad.json().message).toMatch(/invalid JSON/);
    const notObject = await app.inject({
      method: 'POST',
      url: '/v1.47/swarm/init',
      payload: '[1,2]',
      headers: { 'content-type': 'application/json' },
    });
    expect(notObject.statusCode).toBe(400);
    const wrongType = await app.inject({
      method: 'POST',
      url: '/v1.47/swarm/init',
      payload: { ListenAddr: 5 },
    });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().message).toContain('ListenAddr');
    const ev = await app.inject({ method: 'GET', url: '/v1.47/events?filters=%7Bnope' });
    expect(ev.statusCode).toBe(400);
    expect(ev.json().message).toMatch(/invalid filter/);
    const key = await app.inject({
      method: 'GET',
      url: `/v1.47/events?filters=${encodeURIComponent('{"colour":{"red":true}}')}`,
    });
    expect(key.statusCode).toBe(400);
    expect(key.json()).toEqual({ message: "invalid filter 'colour'" });
  });

  it('events with `until` in the past end at once', async () => {
    const r = await app.inject({ method: 'GET', url: '/v1.47/events?since=1&until=2' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toBe('');
  });

  it('metrics answer without a manager', async () => {
    const r = await app.inject({ method: 'GET', url: '/metrics' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('# TYPE shoal_raft_term gauge');
  });
});

describe('over a unix socket', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-sock-'));
  const path = join(dir, 'run', 'shoal.sock');
  // The directory is created by listenOn in the other case; here a stale file from a dead daemon waits.
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApi(idleBackend('inactive'));
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the directory, replaces a stale socket file, chmods 660 and serves', async () => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, 'stale');
    await listenOn(app, `unix://${path}`);
    expect(statSync(path).mode & 0o777).toBe(0o660);
    const res = await new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
      (resolve, reject) => {
        const req = request({ socketPath: path, path: '/v1.47/info', method: 'GET' }, (r) => {
          let body = '';
          r.on('data', (c: Buffer) => (body += c.toString()));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, headers: r.headers, body }));
        });
        req.on('error', reject);
        req.end();
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers['api-version']).toBe('1.47');
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.body)));
    expect((JSON.parse(res.body) as { Name: string }).Name).toBe('shoal-test');
  });
});

describe('long-lived streams', () => {
  it('an open events stream ends when the API closes, and close does not hang', async () => {
    const app = await buildApi(idleBackend('inactive'));
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as AddressInfo).port;
    const ended = new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/v1.47/events' }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
    await new Promise((r) => setTimeout(r, 100));
    await app.close();
    expect(await ended).toBe(200);
  });

  it('a followed log stream is aborted when the client goes away', async () => {
    const swarmless = idleBackend('inactive');
    let aborted = false;
    const backend = {
      ...swarmless,
      control: () => ({ getService: () => Promise.resolve({ service: { id: 'svc1' } }) }) as never,
      logs: (_req: unknown, signal: AbortSignal) =>
        (async function* () {
          await new Promise((r) => signal.addEventListener('abort', r, { once: true }));
          aborted = true;
          yield* [];
        })(),
    };
    const app = await buildApi(backend);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as AddressInfo).port;
    await new Promise<void>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: '/v1.47/services/svc1/logs?stdout=1&follow=1' },
        (res) => {
          expect(res.headers['content-type']).toBe('application/vnd.docker.multiplexed-stream');
          req.destroy();
          resolve();
        },
      );
      req.on('error', reject);
      req.end();
    });
    await new Promise<void>((resolve) => {
      const poll = (): void => void (aborted ? resolve() : setTimeout(poll, 10));
      poll();
    });
    expect(aborted).toBe(true);
    await app.close();
  });
});
