/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any --
   the assertions walk Docker's JSON freely; a wrong path fails the test anyway. */
/**
 * Secrets, configs, networks, events, metrics and logs over a real one-manager swarm, as the docker CLI
 * sees them (statuses, exact messages, shapes, streams).
 */
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogMessage__Output } from '../../proto/gen/shoal/api/LogMessage.ts';
import type { SubscribeLogsRequest } from '../../proto/gen/shoal/api/SubscribeLogsRequest.ts';
import { buildApi } from './server.ts';
import { eventually, testSwarm, type TestSwarm } from './testing.ts';

type Json = Record<string, any>;

let swarm: TestSwarm;
let app: FastifyInstance;

async function call(method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) {
  const r = await app.inject({
    method,
    url: `/v1.41${url}`,
    ...(payload !== undefined ? { payload: payload as Json } : {}),
  });
  return {
    status: r.statusCode,
    type: r.headers['content-type'],
    body: r.body ? (JSON.parse(r.body) as Json) : undefined,
  };
}

const q = (filters: unknown): string => encodeURIComponent(JSON.stringify(filters));
const b64 = (s: string): string => Buffer.from(s).toString('base64');

beforeAll(async () => {
  swarm = await testSwarm({ agents: 1 });
  app = await buildApi(swarm.backend);
  await app.listen({ host: '127.0.0.1', port: 0 });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await swarm?.stop();
});

describe('secrets and configs', () => {
  it('secrets: create 201 {ID}, never show Data, labels-only updates, in use, delete 204', async () => {
    const c = await call('POST', '/secrets/create', {
      Name: 'db-pass',
      Labels: { a: '1' },
      Data: b64('s3cr3t'),
    });
    expect(c.status).toBe(201);
    expect(Object.keys(c.body ?? {})).toEqual(['ID']);
    const id = String(c.body?.['ID']);
    const list = (await call('GET', `/secrets?filters=${q({ name: { 'db-pass': true } })}`))
      .body as unknown as Json[];
    expect(list).toHaveLength(1);
    expect(list[0]?.['Spec']).toEqual({ Name: 'db-pass', Labels: { a: '1' } });
    const one = (await call('GET', `/secrets/db-pass`)).body ?? {};
    expect(one['Spec']['Data']).toBeUndefined();
    expect(JSON.stringify(one)).not.toContain(b64('s3cr3t'));
    const v = one['Version']['Index'] as number;
    const bad = await call('POST', `/secrets/${id}/update?version=${v}`, {
      Name: 'db-pass',
      Data: b64('other'),
    });
    expect(bad).toMatchObject({ status: 400, type: 'application/json' });
    expect(bad.body?.['message']).toContain('only updates to Labels are allowed');
    const ok = await call('POST', `/secrets/${id}/update?version=${v}`, {
      Name: 'db-pass',
      Labels: { a: '2' },
    });
    expect(ok.status).toBe(200);
    expect((await call('GET', `/secrets/${id}`)).body?.['Spec']['Labels']).toEqual({ a: '2' });
    const svc = await call('POST', '/services/create', {
      Name: 'uses-secret',
      TaskTemplate: {
        ContainerSpec: {
          Image: 'busybox',
          Secrets: [{ SecretName: 'db-pass', File: { Name: 'db-pass', UID: '0', GID: '0', Mode: 292 } }],
        },
      },
    });
    expect(svc.status).toBe(201);
    const inUse = await call('DELETE', `/secrets/${id}`);
    expect(inUse.status).toBe(400);
    expect(inUse.body?.['message']).toContain(
      "secret 'db-pass' is in use by the following service: uses-secret",
    );
    expect((await call('DELETE', '/services/uses-secret')).status).toBe(200);
    const gone = await app.inject({ method: 'DELETE', url: `/v1.41/secrets/${id}` });
    expect(gone.statusCode).toBe(204);
    expect((await call('GET', `/secrets/${id}`)).body).toEqual({ message: `secret ${id} not found` });
  });

  it('configs show their Data', async () => {
    const c = await call('POST', '/configs/create', { Name: 'app.yml', Data: b64('key: val\n') });
    expect(c.status).toBe(201);
    const one = (await call('GET', `/configs/${c.body?.['ID']}`)).body ?? {};
    expect(one['Spec']['Data']).toBe(b64('key: val\n'));
    const list = (await call('GET', `/configs?filters=${q({ label: ['nope'] })}`)).body as unknown as Json[];
    expect(list).toEqual([]);
    expect((await app.inject({ method: 'DELETE', url: '/configs/app.yml' })).statusCode).toBe(204);
  });
});

describe('networks', () => {
  it('create 201 {Id, Warning:""}, list, get with ?scope=swarm, delete 204', async () => {
    const c = await call('POST', '/networks/create', {
      Name: 'backend',
      Driver: 'overlay',
      IPAM: { Driver: 'default', Config: [{ Subnet: '10.70.0.0/24' }] },
      Attachable: true,
      Labels: { team: 'x' },
    });
    expect(c.status).toBe(201);
    expect(c.body).toEqual({ Id: expect.any(String) as string, Warning: '' });
    const n = (await call('GET', '/networks/backend?scope=swarm')).body ?? {};
    expect(n).toMatchObject({
      Name: 'backend',
      Id: c.body?.['Id'],
      Scope: 'swarm',
      Driver: 'overlay',
      Attachable: true,
      Labels: { team: 'x' },
    });
    expect(n['IPAM']['Config'][0]['Subnet']).toBe('10.70.0.0/24');
    const all = (await call('GET', '/networks')).body as unknown as Json[];
    expect(all.map((x) => x['Name']).sort()).toEqual(['backend', 'ingress']);
    const labelled = (await call('GET', `/networks?filters=${q({ label: { team: true } })}`))
      .body as unknown as Json[];
    expect(labelled.map((x) => x['Name'])).toEqual(['backend']);
    expect((await app.inject({ method: 'DELETE', url: '/networks/backend' })).statusCode).toBe(204);
    expect(await call('GET', '/networks/backend')).toMatchObject({
      status: 404,
      body: { message: 'network backend not found' },
    });
  });
});

/** Reads a streaming GET over real HTTP until `until(text)` holds; then the client goes away. */
function stream(
  path: string,
  until: (text: string) => boolean,
  onOpen: () => Promise<void>,
): Promise<{ headers: Record<string, unknown>; body: Buffer }> {
  const port = (app.server.address() as AddressInfo).port;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      onOpen().catch(reject);
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        if (until(Buffer.concat(chunks).toString())) {
          req.destroy();
          resolve({ headers: res.headers, body: Buffer.concat(chunks) });
        }
      });
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('events', () => {
  it('streams a service create and remove as Docker event lines, filtered by type', async () => {
    const filters = q({ type: { service: true }, scope: { swarm: true } });
    const { headers, body } = await stream(
      `/v1.47/events?filters=${filters}`,
      (t) => t.includes('"Action":"remove"'),
      async () => {
        await call('POST', '/secrets/create', { Name: 'not-an-event-here', Data: b64('x') });
        const c = await call('POST', '/services/create', {
          Name: 'evented',
          TaskTemplate: { ContainerSpec: { Image: 'busybox' } },
        });
        expect(c.status).toBe(201);
        await call('DELETE', '/services/evented');
      },
    );
    expect(headers['content-type']).toBe('application/json');
    expect(headers['api-version']).toBe('1.47');
    const events = body
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Json);
    expect(events.every((e) => e['Type'] === 'service')).toBe(true);
    const create = events.find((e) => e['Action'] === 'create');
    expect(create).toMatchObject({
      Type: 'service',
      Actor: { Attributes: { name: 'evented' } },
      scope: 'swarm',
    });
    expect(create?.['time']).toBeGreaterThan(1.6e9);
    expect(body.toString()).toMatch(/"timeNano":\d{19}\}/);
    expect(events.at(-1)).toMatchObject({ Action: 'remove', Actor: { ID: create?.['Actor']['ID'] } });
  });

  it('an `until` in the past ends the stream with nothing', async () => {
    const r = await app.inject({ method: 'GET', url: `/events?until=${Math.floor(Date.now() / 1000) - 5}` });
    expect(r.statusCode).toBe(200);
    expect(r.body).toBe('');
  });
});

describe('metrics', () => {
  it('exports raft figures, tasks by state and the latency histograms', async () => {
    await call('POST', '/services/create', {
      Name: 'metered',
      TaskTemplate: { ContainerSpec: { Image: 'busybox' } },
      Mode: { Replicated: { Replicas: 1 } },
    });
    await eventually(
      () => swarm.manager.store.find('task').some((t) => t.status?.state === 'TASK_STATE_RUNNING'),
      'a running task',
    );
    const r = await app.inject({ method: 'GET', url: '/metrics' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    for (const family of [
      'shoal_raft_term',
      'shoal_raft_commit_index',
      'shoal_raft_applied_index',
      'shoal_raft_members',
    ])
      expect(r.body).toMatch(new RegExp(`^${family} \\d+$`, 'm'));
    expect(r.body).toMatch(/^shoal_raft_is_leader 1$/m);
    expect(r.body).toMatch(/^shoal_tasks\{state="running"\} [1-9]\d*$/m);
    expect(r.body).toMatch(/^shoal_scheduler_latency_seconds_count [1-9]\d*$/m);
    expect(r.body).toMatch(/^shoal_dispatcher_status_update_seconds_count [1-9]\d*$/m);
  });
});

describe('logs', () => {
  it('multiplexes stdout and stderr frames with details and timestamps', async () => {
    const c = await call('POST', '/services/create', {
      Name: 'chatty',
      TaskTemplate: { ContainerSpec: { Image: 'busybox' } },
    });
    const serviceId = String(c.body?.['ID']);
    let asked: SubscribeLogsRequest | undefined;
    const ctx = { serviceId, nodeId: 'n1', taskId: 't1' };
    swarm.logs = async function* (req): AsyncIterable<LogMessage__Output> {
      asked = req;
      await Promise.resolve();
      yield {
        context: ctx,
        timestamp: { seconds: 1700000000, nanos: 5 },
        stream: 'STREAM_STDOUT',
        data: Buffer.from('hello'),
      };
      yield {
        context: ctx,
        timestamp: { seconds: 1700000001, nanos: 0 },
        stream: 'STREAM_STDERR',
        data: Buffer.from('oops\n'),
      };
    };
    const r = await app.inject({
      method: 'GET',
      url: '/v1.47/services/chatty/logs?details=1&stdout=1&stderr=1&tail=all&timestamps=1',
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/vnd.docker.multiplexed-stream');
    expect(asked?.selector?.serviceIds).toEqual([serviceId]);
    expect(asked?.options).toMatchObject({ follow: false, tail: -1 });
    const raw = r.rawPayload;
    const frames: { stream: number; text: string }[] = [];
    for (let at = 0; at < raw.length;) {
      const len = raw.readUInt32BE(at + 4);
      frames.push({ stream: raw[at] ?? 0, text: raw.subarray(at + 8, at + 8 + len).toString() });
      at += 8 + len;
    }
    const details = `com.docker.swarm.node.id=n1,com.docker.swarm.service.id=${serviceId},com.docker.swarm.task.id=t1`;
    expect(frames).toEqual([
      { stream: 1, text: `2023-11-14T22:13:20.000000005Z ${details} hello\n` },
      { stream: 2, text: `2023-11-14T22:13:21.000000000Z ${details} oops\n` },
    ]);
    const onlyErr = await app.inject({ method: 'GET', url: '/services/chatty/logs?stderr=1' });
    expect(onlyErr.rawPayload[0]).toBe(2);
    expect(onlyErr.rawPayload.subarray(8).toString()).toBe('oops\n');
    const none = await app.inject({ method: 'GET', url: '/services/chatty/logs' });
    expect(none.statusCode).toBe(400);
    const missing = await app.inject({ method: 'GET', url: '/tasks/nosuchtask/logs?stdout=1' });
    expect(missing.statusCode).toBe(404);
  });
});
