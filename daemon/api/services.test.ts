/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any --
   the assertions walk Docker's JSON freely; a wrong path fails the test anyway. */
/**
 * The API over a real one-manager swarm with a fake agent, as the docker CLI sees it: swarm inspect and
 * update, nodes, services (create, list with status, insertDefaults, update, out of sequence, rollback,
 * remove), tasks reaching RUNNING with filters, and every create body of the docker CLI 28 trace.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tracedRequests } from '../../proto/docker/trace.ts';
import { OUT_OF_SEQUENCE } from './common.ts';
import { buildApi } from './server.ts';
import { eventually, testSwarm, type TestSwarm } from './testing.ts';

type Json = Record<string, any>;

const ALREADY_IN_SWARM =
  'This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.';

let swarm: TestSwarm;
let app: FastifyInstance;

async function call(method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) {
  const r = await app.inject({
    method,
    url: `/v1.47${url}`,
    ...(payload !== undefined ? { payload: payload as Json } : {}),
  });
  return {
    status: r.statusCode,
    type: r.headers['content-type'],
    body: r.body ? (JSON.parse(r.body) as Json) : undefined,
  };
}

const q = (filters: unknown): string => encodeURIComponent(JSON.stringify(filters));

function serviceSpec(name: string, replicas = 2): Json {
  return {
    Name: name,
    Labels: { tier: 'front' },
    TaskTemplate: { ContainerSpec: { Image: 'busybox:latest', Args: ['sleep', '3600'] } },
    Mode: { Replicated: { Replicas: replicas } },
  };
}

beforeAll(async () => {
  swarm = await testSwarm({ agents: 1 });
  app = await buildApi(swarm.backend);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await swarm?.stop();
});

describe('swarm and nodes', () => {
  it('GET /swarm has the spec, join tokens and a version; /info shows the cluster', async () => {
    const s = await call('GET', '/swarm');
    expect(s.status).toBe(200);
    expect(s.body?.['Spec']).toMatchObject({
      Name: 'default',
      Orchestration: { TaskHistoryRetentionLimit: 5 },
    });
    expect(s.body?.['JoinTokens']?.['Worker']).toMatch(/^SWMTKN-1-/);
    expect(s.body?.['Version']?.['Index']).toBeGreaterThan(0);
    const info = await call('GET', '/info');
    expect(info.body?.['Swarm']).toMatchObject({
      LocalNodeState: 'active',
      ControlAvailable: true,
      NodeID: swarm.manager.nodeId,
      Nodes: 2,
      Managers: 1,
    });
    expect(info.body?.['Swarm']?.['Cluster']?.['ID']).toBe(s.body?.['ID']);
    expect(info.body?.['Swarm']?.['Cluster']?.['JoinTokens']).toBeUndefined();
  });

  it('POST /swarm/update replaces the spec, rotates tokens, refuses a stale version', async () => {
    const before = (await call('GET', '/swarm')).body ?? {};
    const spec = { ...before['Spec'], Labels: { env: 'test' } };
    const version = before['Version']['Index'] as number;
    const r = await call(
      'POST',
      `/swarm/update?version=${version}&rotateWorkerToken=true&rotateManagerToken=false&rotateManagerUnlockKey=false`,
      spec,
    );
    expect(r.status).toBe(200);
    const after = (await call('GET', '/swarm')).body ?? {};
    expect(after['Spec']['Labels']).toEqual({ env: 'test' });
    expect(after['JoinTokens']['Worker']).not.toBe(before['JoinTokens']['Worker']);
    expect(after['Version']['Index']).toBeGreaterThan(version);
    const stale = await call('POST', `/swarm/update?version=${version}`, spec);
    expect(stale).toMatchObject({
      status: 500,
      type: 'application/json',
      body: { message: 'rpc error: code = Unknown desc = update out of sequence' },
    });
    const key = await call('GET', '/swarm/unlockkey');
    expect(key.body?.['UnlockKey']).toMatch(/^SWMKEY-1-/);
  });

  it('lists and filters nodes, inspects by ID and by name, updates labels', async () => {
    const all = (await call('GET', '/nodes')).body as unknown as Json[];
    expect(all).toHaveLength(2);
    const managers = (await call('GET', `/nodes?filters=${q({ role: { manager: true } })}`))
      .body as unknown as Json[];
    expect(managers.map((n) => n['ID'])).toEqual([swarm.manager.nodeId]);
    expect(managers[0]?.['ManagerStatus']).toMatchObject({ Leader: true });
    const workers = (await call('GET', `/nodes?filters=${q({ role: ['worker'] })}`))
      .body as unknown as Json[];
    expect(workers).toHaveLength(1);
    const agent = workers[0] ?? {};
    expect(agent['Description']['Hostname']).toBe('agent-0');
    const byName = await call('GET', '/nodes/agent-0');
    expect(byName.body?.['ID']).toBe(agent['ID']);
    const byPrefix = await call('GET', `/nodes/${String(agent['ID']).slice(0, 6)}`);
    expect(byPrefix.body?.['ID']).toBe(agent['ID']);
    await eventually(async () => {
      const n = (await call('GET', `/nodes/${agent['ID']}`)).body ?? {};
      const spec = { ...n['Spec'], Labels: { zone: 'a' } };
      return (
        (await call('POST', `/nodes/${agent['ID']}/update?version=${n['Version']['Index']}`, spec)).status ===
        200
      );
    }, 'node label update');
    const labelled = (await call('GET', `/nodes?filters=${q({ 'node.label': { 'zone=a': true } })}`))
      .body as unknown as Json[];
    expect(labelled.map((n) => n['ID'])).toEqual([agent['ID']]);
    const missing = await call('GET', '/nodes/nosuchnode');
    expect(missing).toMatchObject({ status: 404, body: { message: 'node nosuchnode not found' } });
    const notDown = await call('DELETE', `/nodes/${agent['ID']}`);
    expect(notDown.status).toBe(400);
    expect(notDown.body?.['message']).toMatch(
      /^rpc error: code = FailedPrecondition desc = node .* is not down and can't be removed$/,
    );
  });
});

describe('services and tasks', () => {
  let id = '';

  it('creates a service: 201 {ID, Warnings}; a second one with that name is 409', async () => {
    const r = await call('POST', '/services/create', serviceSpec('api-web'));
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ ID: expect.any(String) as string, Warnings: null });
    id = String(r.body?.['ID']);
    const again = await call('POST', '/services/create', serviceSpec('api-web'));
    expect(again).toMatchObject({
      status: 409,
      type: 'application/json',
      body: {
        message:
          'rpc error: code = AlreadyExists desc = name conflicts with an existing object: service api-web already exists',
      },
    });
  });

  it('converges: tasks RUNNING on the agent, status=true counts, task filters', async () => {
    await eventually(
      async () => {
        const list = (await call('GET', `/services?status=true&filters=${q({ name: { 'api-web': true } })}`))
          .body as unknown as Json[];
        return list[0]?.['ServiceStatus']?.['RunningTasks'] === 2;
      },
      'web 2/2',
      30_000,
    );
    const list = (await call('GET', '/services?status=true')).body as unknown as Json[];
    expect(list.find((s) => s['ID'] === id)?.['ServiceStatus']).toEqual({
      RunningTasks: 2,
      DesiredTasks: 2,
      CompletedTasks: 0,
    });
    const tasks = (
      await call('GET', `/tasks?filters=${q({ service: { 'api-web': true }, 'desired-state': ['running'] })}`)
    ).body as unknown as Json[];
    expect(tasks).toHaveLength(2);
    for (const t of tasks) {
      expect(t['Spec']['ContainerSpec']['Image']).toBe('busybox:latest');
      expect(t['Status']['State']).toBe('running');
      expect(t['Status']['Timestamp']).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(t['ServiceID']).toBe(id);
    }
    const upToDate = (
      await call('GET', `/tasks?filters=${q({ '_up-to-date': { true: true }, service: { [id]: true } })}`)
    ).body as unknown as Json[];
    expect(upToDate).toHaveLength(2);
    const one = await call('GET', `/tasks/${tasks[0]?.['ID']}`);
    expect(one.body?.['ID']).toBe(tasks[0]?.['ID']);
    const byLabel = (await call('GET', `/tasks?filters=${q({ label: ['tier=front'] })}`))
      .body as unknown as Json[];
    expect(byLabel).toHaveLength(2);
    const bad = await call('GET', `/tasks?filters=${q({ colour: ['red'] })}`);
    expect(bad).toMatchObject({ status: 400, body: { message: "invalid filter 'colour'" } });
    const badJson = await call('GET', '/services?filters=%7B');
    expect(badJson.status).toBe(400);
  });

  it('lists with filters id, name, label, mode', async () => {
    const ids = async (f: unknown): Promise<unknown[]> =>
      ((await call('GET', `/services?filters=${q(f)}`)).body as unknown as Json[]).map((s) => s['ID']);
    expect(await ids({ id: { [id.slice(0, 5)]: true } })).toEqual([id]);
    expect(await ids({ name: ['api-w'] })).toEqual([id]);
    expect(await ids({ label: { 'tier=front': true } })).toEqual([id]);
    expect(await ids({ label: { 'tier=back': true } })).toEqual([]);
    expect(await ids({ mode: { replicated: true } })).toEqual([id]);
    expect(await ids({ mode: { global: true } })).toEqual([]);
  });

  it('inspects with and without insertDefaults; ContainerSpec always present', async () => {
    const plain = (await call('GET', `/services/api-web?insertDefaults=false`)).body ?? {};
    expect(plain['ID']).toBe(id);
    expect(plain['Spec']['TaskTemplate']['ContainerSpec']['Image']).toBe('busybox:latest');
    expect(plain['Spec']['UpdateConfig']).toBeUndefined();
    const full = (await call('GET', `/services/${id}?insertDefaults=true`)).body ?? {};
    expect(full['Spec']['UpdateConfig']).toMatchObject({
      Parallelism: 1,
      FailureAction: 'pause',
      Monitor: 5e9,
      Order: 'stop-first',
    });
    expect(full['Spec']['RollbackConfig']).toMatchObject({ Parallelism: 1 });
    expect(full['Spec']['TaskTemplate']['ContainerSpec']['StopGracePeriod']).toBe(10e9);
    expect(full['Spec']['TaskTemplate']['RestartPolicy']).toMatchObject({ Condition: 'any', Delay: 5e9 });
  });

  it('updates with ?version=, bumps Version.Index, refuses a stale version, rolls back', async () => {
    const cur = (await call('GET', `/services/${id}`)).body ?? {};
    const v = cur['Version']['Index'] as number;
    const spec = {
      ...cur['Spec'],
      TaskTemplate: { ...cur['Spec']['TaskTemplate'], ContainerSpec: { Image: 'busybox:1.36' } },
    };
    const r = await call('POST', `/services/${id}/update?version=${v}`, spec);
    expect(r.body).toEqual({ Warnings: null });
    expect(r).toMatchObject({ status: 200, body: { Warnings: null } });
    const next = (await call('GET', `/services/${id}`)).body ?? {};
    expect(next['Version']['Index']).toBeGreaterThan(v);
    expect(next['PreviousSpec']['TaskTemplate']['ContainerSpec']['Image']).toBe('busybox:latest');
    const stale = await call('POST', `/services/${id}/update?version=${v}`, spec);
    expect(stale).toMatchObject({
      status: 500,
      type: 'application/json',
      body: { message: 'rpc error: code = Unknown desc = update out of sequence' },
    });
    const noVersion = await call('POST', `/services/${id}/update`, spec);
    expect(noVersion.status).toBe(400);
    // The updater writes the service's UpdateStatus meanwhile: re-read until the version holds.
    await eventually(async () => {
      const now = (await call('GET', `/services/${id}`)).body ?? {};
      const back = await call(
        'POST',
        `/services/${id}/update?version=${now['Version']['Index']}&rollback=previous`,
        now['Spec'],
      );
      return back.status === 200;
    }, 'rollback');
    const rolled = (await call('GET', `/services/${id}`)).body ?? {};
    expect(rolled['Spec']['TaskTemplate']['ContainerSpec']['Image']).toBe('busybox:latest');
  });

  it('a service without a previous spec cannot roll back; unknown and ambiguous names', async () => {
    const c = await call('POST', '/services/create', serviceSpec('solo', 0));
    const s = (await call('GET', `/services/${c.body?.['ID']}`)).body ?? {};
    const r = await call(
      'POST',
      `/services/solo/update?version=${s['Version']['Index']}&rollback=previous`,
      s['Spec'],
    );
    expect(r).toMatchObject({ status: 400, body: { message: 'service solo does not have a previous spec' } });
    expect(await call('GET', '/services/nosuch')).toMatchObject({
      status: 404,
      body: { message: 'service nosuch not found' },
    });
    expect((await call('DELETE', '/services/solo')).status).toBe(200);
    expect((await call('GET', '/services/solo')).status).toBe(404);
  });
});

describe('the docker CLI 28 trace', () => {
  it('every service, secret, config and network create body is accepted', async () => {
    const file = new URL('../../../shared/reference/docker-cli-28-trace.txt', import.meta.url).pathname;
    const creates = tracedRequests(file).filter((r) =>
      ['/services/create', '/secrets/create', '/configs/create', '/networks/create'].includes(r.route),
    );
    expect(creates.length).toBeGreaterThanOrEqual(10);
    for (const r of creates) {
      const res = await call('POST', r.route, r.body);
      expect(
        res.status,
        `${r.route} ${JSON.stringify(r.body)}: ${JSON.stringify(res.body)}`,
      ).toBeGreaterThanOrEqual(200);
      expect(res.status, `${r.route}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    }
  });

  it('every request line of both traces is answered: JSON errors, no 5xx but out of sequence', async () => {
    for (const name of ['docker-cli-28-trace.txt', 'docker-cli-20-trace.txt']) {
      const file = new URL(`../../../shared/reference/${name}`, import.meta.url).pathname;
      const lines = readFileSync(file, 'utf8').split('\n');
      for (const [i, line] of lines.entries()) {
        const m = /^(GET|POST|DELETE|HEAD) (\S+) -> /.exec(line);
        if (!m) continue;
        const body = /^\s+body: (.*)$/.exec(lines[i + 1] ?? '')?.[1];
        const r = await app.inject({
          method: m[1] as 'GET',
          url: m[2] ?? '/',
          ...(body !== undefined ? { payload: body, headers: { 'content-type': 'application/json' } } : {}),
        });
        const what = `${name}:${i + 1} ${line} -> ${r.statusCode} ${r.body}`;
        if (r.statusCode >= 400) {
          expect(r.headers['content-type'], what).toBe('application/json');
          expect(typeof (JSON.parse(r.body) as { message?: unknown }).message, what).toBe('string');
        }
        if (r.statusCode >= 500)
          expect([OUT_OF_SEQUENCE, ALREADY_IN_SWARM], what).toContain(
            (JSON.parse(r.body) as { message: string }).message,
          );
      }
    }
  });
});
