import { afterEach, describe, expect, it } from 'vitest';
import { SELF, WEB, WEB2, WEB_SPEC, node, task, web } from '../testing/fixtures.ts';
import { fakeDaemon, run, type FakeDaemon } from '../testing/server.ts';
import type { Service } from '../types.ts';

let daemon: FakeDaemon | undefined;
afterEach(async () => {
  await daemon?.close();
  daemon = undefined;
});

const web2: Service = {
  ID: WEB2,
  Version: { Index: 3 },
  Spec: { Name: 'web2', TaskTemplate: { ContainerSpec: { Image: 'busybox:latest' } }, Mode: { Global: {} } },
  ServiceStatus: { RunningTasks: 1, DesiredTasks: 1 },
};

describe('shoal service (read)', () => {
  it('ls prints REPLICAS and PORTS as docker', async () => {
    daemon = await fakeDaemon({ 'GET /services': { json: [web2, web()] } });
    const r = await run(daemon, ['service', 'ls']);
    expect(r.out).toBe(
      'ID             NAME      MODE         REPLICAS   IMAGE            PORTS\n' +
        '1qp5euurzqnc   web       replicated   2/2        nginx:alpine     *:8080->80/tcp\n' +
        'ezcbi9d84o4p   web2      global       1/1        busybox:latest   \n',
    );
    expect(daemon.lines()).toEqual(['GET /v1.47/services?status=true']);
    expect((await run(daemon, ['service', 'ls', '-q'])).out).toBe('1qp5euurzqnc\nezcbi9d84o4p\n');
    expect((await run(daemon, ['service', 'ls', '--format', 'table {{.Name}}\\t{{.Replicas}}'])).out).toBe(
      'NAME      REPLICAS\nweb       2/2\nweb2      1/1\n',
    );
    await run(daemon, ['service', 'ls', '-f', 'label=com.docker.stack.namespace=mystack']);
    expect(daemon.lines().at(-1)).toBe(
      'GET /v1.47/services?filters={"label":{"com.docker.stack.namespace=mystack":true}}&status=true',
    );
  });

  it('ls shows max replicas per node', async () => {
    const s = web();
    const spec = structuredClone(s.Spec);
    spec.Mode = { Replicated: { Replicas: 3 } };
    (spec.TaskTemplate ?? {}).Placement = { MaxReplicas: 2 };
    daemon = await fakeDaemon({
      'GET /services': { json: [{ ...s, Spec: spec, ServiceStatus: { RunningTasks: 3, DesiredTasks: 3 } }] },
    });
    expect((await run(daemon, ['service', 'ls'])).out).toContain('   3/3 (max 2 per node)   ');
  });

  it('ps resolves the service by ID then name and prints the task table', async () => {
    daemon = await fakeDaemon({
      'GET /services?filters={"id":{"web":true}}': { json: [] },
      'GET /services?filters={"name":{"web":true}}': { json: [web()] },
      'GET /tasks': { json: [task('pxw3ppmuoyoeww7wig9xnixfo', 2), task('yjjk9sppjzh0obrqwacafhjhx', 1)] },
      [`GET /services/${WEB}`]: { json: web() },
      [`GET /nodes/${SELF}`]: { json: node(SELF, 'fakehost', true) },
    });
    const r = await run(daemon, ['service', 'ps', 'web']);
    expect(r.out).toBe(
      'ID             NAME      IMAGE          NODE       DESIRED STATE   CURRENT STATE           ERROR     PORTS\n' +
        'yjjk9sppjzh0   web.1     nginx:alpine   fakehost   Running         Running 6 seconds ago             \n' +
        'pxw3ppmuoyoe   web.2     nginx:alpine   fakehost   Running         Running 6 seconds ago             \n',
    );
    expect(daemon.lines()).toEqual([
      'GET /v1.47/services?filters={"id":{"web":true}}',
      'GET /v1.47/services?filters={"name":{"web":true}}',
      `GET /v1.47/tasks?filters={"service":{"${WEB}":true}}`,
      `GET /v1.47/services/${WEB}?insertDefaults=false`,
      `GET /v1.47/nodes/${SELF}`,
    ]);
  });

  it('ps marks older tasks of a slot and quotes errors', async () => {
    const old = {
      ...task('olderaaaaaaa1', 1, 'failed', '2026-11-22T11:40:00Z'),
      CreatedAt: '2026-11-22T11:40:00Z',
    };
    const failed = {
      ...old,
      Status: { ...old.Status, Err: 'task: non-zero exit (1): something went very wrong' },
    };
    daemon = await fakeDaemon({
      'GET /services?filters={"id":{"web":true}}': { json: [] },
      'GET /services?filters={"name":{"web":true}}': { json: [web()] },
      'GET /tasks': { json: [failed, task('yjjk9sppjzh0obrqwacafhjhx', 1)] },
      [`GET /services/${WEB}`]: { json: web() },
      [`GET /nodes/${SELF}`]: { json: node(SELF, 'fakehost', true) },
    });
    const lines = (await run(daemon, ['service', 'ps', 'web'])).out.split('\n');
    expect(lines[1]).toMatch(/^yjjk9sppjzh0 +web\.1 /);
    expect(lines[2]).toMatch(
      /^olderaaaaaaa +\\_ web\.1 .* Failed 7 minutes ago +"task: non-zero exit \(1\): some…" +$/,
    );
  });

  it('ps reports a missing service', async () => {
    daemon = await fakeDaemon({ 'GET /services': { json: [] } });
    expect(await run(daemon, ['service', 'ps', 'nope'])).toEqual({
      code: 1,
      out: '',
      err: 'no such service: nope\n',
    });
  });

  it('inspect --pretty prints what the trace shows', async () => {
    daemon = await fakeDaemon({ 'GET /services/web': { json: web() } });
    const r = await run(daemon, ['service', 'inspect', '--pretty', 'web']);
    expect(r.out).toBe(`
ID:		${WEB}
Name:		web
Service Mode:	Replicated
 Replicas:	2
Placement:
ContainerSpec:
 Image:		nginx:alpine
 Init:		false
Resources:
Endpoint Mode:	vip
Ports:
 PublishedPort = 8080
  Protocol = tcp
  TargetPort = 80
  PublishMode = ingress 

`);
    expect(daemon.lines()).toEqual(['GET /v1.47/services/web?insertDefaults=true']);
    expect(
      (await run(daemon, ['service', 'inspect', '--format', '{{.Spec.Name}} {{json .Spec.Mode}}', 'web']))
        .out,
    ).toBe('web {"Replicated":{"Replicas":2}}\n');
  });

  it('inspect --pretty prints update config, limits and env', async () => {
    const s = web();
    const spec = structuredClone(s.Spec);
    spec.UpdateConfig = {
      Parallelism: 2,
      Delay: 10e9,
      FailureAction: 'pause',
      Monitor: 5e9,
      MaxFailureRatio: 0,
      Order: 'stop-first',
    };
    const tt = spec.TaskTemplate ?? {};
    tt.Resources = { Limits: { NanoCPUs: 5e8, MemoryBytes: 268435456 }, Reservations: {} };
    (tt.ContainerSpec ?? {}).Env = ['A=1'];
    daemon = await fakeDaemon({ 'GET /services/web': { json: { ...s, Spec: spec } } });
    const out = (await run(daemon, ['service', 'inspect', '--pretty', 'web'])).out;
    expect(out).toContain(
      'UpdateConfig:\n Parallelism:\t2\n Delay:\t\t10s\n On failure:\tpause\n Monitoring Period: 5s\n Max failure ratio: 0\n Update order:      stop-first\n',
    );
    expect(out).toContain(' Env:\t\tA=1 \n');
    expect(out).toContain('Resources:\n Limits:\n  CPU:\t\t0.5\n  Memory:\t256MiB\n');
  });
});

describe('shoal service (write)', () => {
  it('update -d --image --update-parallelism --update-delay sends what docker sends', async () => {
    daemon = await fakeDaemon({
      'GET /services/web': { json: web(20) },
      [`POST /services/${WEB}/update`]: { json: { Warnings: null } },
    });
    const r = await run(daemon, [
      'service',
      'update',
      '-d',
      '--image',
      'nginx:1.27',
      '--update-parallelism',
      '2',
      '--update-delay',
      '10s',
      'web',
    ]);
    expect(r.out).toBe('web\n');
    expect(r.err).toContain('image nginx:1.27 could not be accessed');
    expect(daemon.lines()).toEqual([
      'GET /v1.47/services/web?insertDefaults=false',
      'GET /v1.47/distribution/nginx:1.27/json',
      `POST /v1.47/services/${WEB}/update?registryAuthFrom=spec&version=20`,
    ]);
    expect(daemon.requests.at(-1)?.body).toEqual({
      ...WEB_SPEC,
      TaskTemplate: {
        ...WEB_SPEC.TaskTemplate,
        ContainerSpec: { Image: 'nginx:1.27', Init: false, DNSConfig: {} },
      },
      UpdateConfig: {
        Parallelism: 2,
        Delay: 10000000000,
        FailureAction: 'pause',
        Monitor: 5000000000,
        MaxFailureRatio: 0,
        Order: 'stop-first',
      },
    });
  });

  it('update edits lists with -add/-rm and bumps ForceUpdate with --force', async () => {
    const s = web(20);
    (s.Spec.TaskTemplate?.ContainerSpec ?? {}).Env = ['A=1', 'B=2'];
    daemon = await fakeDaemon({
      'GET /services/web': { json: s },
      [`POST /services/${WEB}/update`]: { json: { Warnings: ['careful'] } },
    });
    const r = await run(daemon, [
      'service',
      'update',
      '-d',
      '--env-add',
      'B=3',
      '--env-rm',
      'A',
      '--label-add',
      'x=y',
      '--publish-rm',
      '80',
      '--publish-add',
      '9090:90',
      '--constraint-add',
      'node.role==worker',
      '--replicas',
      '4',
      '--force',
      'web',
    ]);
    expect(r.err).toBe('careful\n');
    const body = daemon.requests.at(-1)?.body as typeof WEB_SPEC & {
      TaskTemplate: { ContainerSpec: { Env: string[] } };
    };
    expect(body.TaskTemplate.ContainerSpec.Env).toEqual(['B=3']);
    expect(body.Labels).toEqual({ x: 'y' });
    expect(body.EndpointSpec.Ports).toEqual([
      { Protocol: 'tcp', TargetPort: 90, PublishedPort: 9090, PublishMode: 'ingress' },
    ]);
    expect(body.Mode).toEqual({ Replicated: { Replicas: 4 } });
    expect(body.TaskTemplate).toMatchObject({
      ForceUpdate: 1,
      Placement: { Constraints: ['node.role==worker'] },
    });
  });

  it('update --rollback and rollback send rollback=previous with the current spec', async () => {
    daemon = await fakeDaemon({
      'GET /services/web': { json: web(25) },
      [`POST /services/${WEB}/update`]: { json: { Warnings: null } },
    });
    expect((await run(daemon, ['service', 'update', '-d', '--rollback', 'web'])).out).toBe('web\n');
    expect((await run(daemon, ['service', 'rollback', '-d', 'web'])).out).toBe('web\n');
    expect(daemon.lines()).toEqual([
      'GET /v1.47/services/web?insertDefaults=false',
      `POST /v1.47/services/${WEB}/update?registryAuthFrom=spec&rollback=previous&version=25`,
      'GET /v1.47/services/web?insertDefaults=false',
      `POST /v1.47/services/${WEB}/update?rollback=previous&version=25`,
    ]);
    expect(daemon.requests.at(-1)?.body).toEqual(WEB_SPEC);
  });

  it('rollback without a previous spec shows the daemon error', async () => {
    daemon = await fakeDaemon({
      'GET /services/web': { json: web(25) },
      [`POST /services/${WEB}/update`]: {
        status: 400,
        json: { message: `service ${WEB} does not have a previous spec` },
      },
    });
    expect(await run(daemon, ['service', 'rollback', 'web'])).toEqual({
      code: 1,
      out: '',
      err: `Error response from daemon: service ${WEB} does not have a previous spec\n`,
    });
  });

  it('scale -d web=3', async () => {
    daemon = await fakeDaemon({
      'GET /services/web': { json: web(31) },
      [`POST /services/${WEB}/update`]: { json: { Warnings: null } },
      'GET /services/web2': { json: web2 },
    });
    expect((await run(daemon, ['service', 'scale', '-d', 'web=3'])).out).toBe('web scaled to 3\n');
    expect(daemon.lines()).toEqual([
      'GET /v1.47/services/web?insertDefaults=false',
      `POST /v1.47/services/${WEB}/update?version=31`,
    ]);
    expect(daemon.requests.at(-1)?.body).toMatchObject({ Mode: { Replicated: { Replicas: 3 } } });
    expect(await run(daemon, ['service', 'scale', '-d', 'web2=2'])).toEqual({
      code: 1,
      out: '',
      err: 'web2: scale can only be used with replicated or replicated-job mode\n',
    });
  });

  it('rm removes each and reports failures at the end', async () => {
    daemon = await fakeDaemon({
      'DELETE /services/web': { json: null },
      'DELETE /services/web2': { json: null },
      'DELETE /services/nope': { status: 404, json: { message: 'service nope not found' } },
    });
    expect((await run(daemon, ['service', 'rm', 'web', 'web2'])).out).toBe('web\nweb2\n');
    expect(await run(daemon, ['service', 'rm', 'nope', 'web'])).toEqual({
      code: 1,
      out: 'web\n',
      err: 'Error response from daemon: service nope not found\n',
    });
  });
});

function frame(line: string, stream = 1): Buffer {
  const payload = Buffer.from(line);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('shoal service logs', () => {
  it('demultiplexes and prefixes lines with task names, as the trace', async () => {
    const ctx = (t: string) =>
      `com.docker.swarm.node.id=${SELF},com.docker.swarm.service.id=${WEB},com.docker.swarm.task.id=${t}`;
    const t1 = 'yjjk9sppjzh0obrqwacafhjhx';
    const t2 = 'pxw3ppmuoyoeww7wig9xnixfo';
    daemon = await fakeDaemon({
      'GET /services/web': { json: web() },
      'GET /services/web/logs': {
        raw: Buffer.concat([
          frame(`${ctx(t1)} hello from yjjk9s line 0\n`),
          frame(`${ctx(t2)} hello from pxw3pp line 0\n`, 2),
          frame(`${ctx(t1)} hello from yjjk9s line 1\n`),
        ]),
        headers: { 'Content-Type': 'application/vnd.docker.multiplexed-stream' },
      },
      [`GET /nodes/${SELF}`]: { json: node(SELF, 'fakehost', true) },
      [`GET /services/${WEB}`]: { json: web() },
      [`GET /tasks/${t1}`]: { json: task(t1, 1) },
      [`GET /tasks/${t2}`]: { json: task(t2, 2) },
    });
    const r = await run(daemon, ['service', 'logs', 'web']);
    expect(r.out).toBe(
      'web.1.yjjk9sppjzh0@fakehost    | hello from yjjk9s line 0\nweb.1.yjjk9sppjzh0@fakehost    | hello from yjjk9s line 1\n',
    );
    expect(r.err).toBe('web.2.pxw3ppmuoyoe@fakehost    | hello from pxw3pp line 0\n');
    expect(daemon.lines()).toEqual([
      'GET /v1.47/services/web?insertDefaults=false',
      'GET /v1.47/services/web/logs?details=1&stderr=1&stdout=1&tail=all',
      `GET /v1.47/nodes/${SELF}`,
      `GET /v1.47/services/${WEB}?insertDefaults=false`,
      `GET /v1.47/tasks/${t1}`,
      `GET /v1.47/tasks/${t2}`,
    ]);
    const raw = await run(daemon, ['service', 'logs', '--raw', '-f', '--tail', '5', '--no-task-ids', 'web']);
    expect(raw.out).toContain(`${ctx(t1)} hello from yjjk9s line 0\n`);
    expect(daemon.lines().at(-1)).toBe('GET /v1.47/services/web/logs?follow=1&stderr=1&stdout=1&tail=5');
  });
});
