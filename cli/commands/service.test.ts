import { afterEach, describe, expect, it } from 'vitest';
import { SELF, WEB, WEB2, WEB_SPEC, node, task, web } from '../testing/fixtures.ts';
import { fakeDaemon, run, type FakeDaemon } from '../testing/server.ts';

let daemon: FakeDaemon | undefined;
afterEach(async () => {
  await daemon?.close();
  daemon = undefined;
});

const WARNING = (image: string) =>
  `image ${image} could not be accessed on a registry to record\nits digest. Each node will access ${image} independently,\npossibly leading to different nodes running different\nversions of the image.\n\n`;

const TASKS = `GET /v1.47/tasks?filters={"_up-to-date":{"true":true},"service":{"${WEB}":true}}`;

describe('shoal service create', () => {
  it('sends the traced body, prints the ID, then converges with docker progress lines', async () => {
    daemon = await fakeDaemon({
      'POST /services/create': { status: 201, json: { ID: WEB, Warnings: null } },
      [`GET /services/${WEB}`]: { json: web() },
      'GET /tasks': { json: [task('yjjk9sppjzh0obrqwacafhjhx', 1), task('pxw3ppmuoyoeww7wig9xnixfo', 2)] },
      'GET /nodes': { json: [node(SELF, 'fakehost', true)] },
    });
    const r = await run(daemon, [
      'service',
      'create',
      '--name',
      'web',
      '--replicas',
      '2',
      '-p',
      '8080:80',
      'nginx:alpine',
    ]);
    expect(r.code).toBe(0);
    expect(r.err).toBe(WARNING('nginx:alpine'));
    const waits = [5, 5, 5, 5, 5, 4, 4, 4, 4, 4, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1];
    expect(r.out).toBe(
      `${WEB}\noverall progress: 0 out of 2 tasks\n1/2:  \n2/2:  \noverall progress: 2 out of 2 tasks\n` +
        waits.map((n) => `verify: Waiting ${n} seconds to verify that tasks are stable...\n`).join('') +
        `verify: Service ${WEB} converged\n`,
    );
    const lines = daemon.lines();
    expect(lines.slice(0, 5)).toEqual([
      'GET /v1.47/distribution/nginx:alpine/json',
      'POST /v1.47/services/create',
      `GET /v1.47/services/${WEB}?insertDefaults=false`,
      TASKS,
      'GET /v1.47/nodes',
    ]);
    expect(lines.at(-1)).toBe(`GET /v1.47/services/${WEB}?insertDefaults=false`);
    expect(daemon.requests.find((q) => q.method === 'POST')?.body).toEqual(WEB_SPEC);
  });

  it('-d with --mode global and --no-resolve-image sends only the create', async () => {
    daemon = await fakeDaemon({ 'POST /services/create': { status: 201, json: { ID: WEB2 } } });
    const r = await run(daemon, [
      'service',
      'create',
      '-d',
      '--name',
      'web2',
      '--mode',
      'global',
      '--no-resolve-image',
      'busybox',
    ]);
    expect(r).toEqual({ code: 0, out: `${WEB2}\n`, err: '' });
    expect(daemon.lines()).toEqual(['POST /v1.47/services/create']);
    expect(daemon.requests[1]?.body).toEqual({
      Name: 'web2',
      Labels: {},
      TaskTemplate: {
        ContainerSpec: { Image: 'busybox:latest', Init: false, DNSConfig: {} },
        Resources: { Limits: {}, Reservations: {} },
        Placement: {},
        ForceUpdate: 0,
      },
      Mode: { Global: {} },
      EndpointSpec: { Mode: 'vip' },
    });
  });

  it('turns the other flags into the spec and resolves secrets by name', async () => {
    daemon = await fakeDaemon({
      'POST /services/create': { status: 201, json: { ID: WEB } },
      'GET /secrets': { json: [{ ID: 'sec1', Spec: { Name: 'db' } }] },
    });
    const r = await run(daemon, [
      'service',
      'create',
      '-d',
      '--no-resolve-image',
      '--name',
      'api',
      '--replicas',
      '3',
      '-e',
      'FOO=bar',
      '--label',
      'tier=web',
      '--constraint',
      'node.role == manager',
      '--placement-pref',
      'spread=node.labels.zone',
      '--max-replicas',
      '2',
      '--limit-cpu',
      '0.5',
      '--limit-memory',
      '256M',
      '--reserve-cpu',
      '0.25',
      '--reserve-memory',
      '64M',
      '--restart-condition',
      'on-failure',
      '--restart-max-attempts',
      '3',
      '--update-parallelism',
      '2',
      '--update-delay',
      '10s',
      '--update-failure-action',
      'rollback',
      '--update-monitor',
      '30s',
      '--update-max-failure-ratio',
      '0.1',
      '--update-order',
      'start-first',
      '--rollback-parallelism',
      '1',
      '--stop-grace-period',
      '1m30s',
      '--health-cmd',
      'true',
      '--health-interval',
      '10s',
      '--secret',
      'db',
      '--network',
      'back',
      '--mount',
      'type=bind,source=/srv,target=/data,readonly',
      '-w',
      '/app',
      '--user',
      'nobody',
      '--hostname',
      'h',
      '--entrypoint',
      'sh -c',
      '--endpoint-mode',
      'dnsrr',
      'nginx:alpine',
      'echo',
      'hi',
    ]);
    expect(r.code).toBe(0);
    expect(daemon.lines()).toEqual([
      'GET /v1.47/secrets?filters={"name":{"db":true}}',
      'POST /v1.47/services/create',
    ]);
    const body = daemon.requests.at(-1)?.body as Record<string, unknown>;
    expect(body).toMatchObject({
      Name: 'api',
      Labels: { tier: 'web' },
      Mode: { Replicated: { Replicas: 3 } },
      UpdateConfig: {
        Parallelism: 2,
        Delay: 10e9,
        FailureAction: 'rollback',
        Monitor: 30e9,
        MaxFailureRatio: 0.1,
        Order: 'start-first',
      },
      RollbackConfig: {
        Parallelism: 1,
        Delay: 0,
        FailureAction: 'pause',
        Monitor: 5e9,
        MaxFailureRatio: 0,
        Order: 'stop-first',
      },
      EndpointSpec: { Mode: 'dnsrr' },
      TaskTemplate: {
        ContainerSpec: {
          Image: 'nginx:alpine',
          Args: ['echo', 'hi'],
          Command: ['sh', '-c'],
          Env: ['FOO=bar'],
          Dir: '/app',
          User: 'nobody',
          Hostname: 'h',
          StopGracePeriod: 90e9,
          Healthcheck: { Test: ['CMD-SHELL', 'true'], Interval: 10e9 },
          Mounts: [{ Type: 'bind', Source: '/srv', Target: '/data', ReadOnly: true }],
          Secrets: [
            { File: { Name: 'db', UID: '0', GID: '0', Mode: 292 }, SecretID: 'sec1', SecretName: 'db' },
          ],
        },
        Resources: {
          Limits: { NanoCPUs: 5e8, MemoryBytes: 268435456 },
          Reservations: { NanoCPUs: 2.5e8, MemoryBytes: 67108864 },
        },
        RestartPolicy: { Condition: 'on-failure', Delay: 5e9, MaxAttempts: 3 },
        Placement: {
          Constraints: ['node.role == manager'],
          Preferences: [{ Spread: { SpreadDescriptor: 'node.labels.zone' } }],
          MaxReplicas: 2,
        },
        Networks: [{ Target: 'back' }],
      },
    });
  });

  it('stops with an error when the update pauses', async () => {
    daemon = await fakeDaemon({
      'POST /services/create': { status: 201, json: { ID: WEB } },
      [`GET /services/${WEB}`]: {
        json: web(20, { UpdateStatus: { State: 'paused', Message: 'update paused due to failure' } }),
      },
    });
    const r = await run(daemon, ['service', 'create', '--no-resolve-image', 'nginx']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('service update paused: update paused due to failure\n');
  });

  it('follows tasks through their states, printing plain lines', async () => {
    let poll = 0;
    daemon = await fakeDaemon({
      'POST /services/create': { status: 201, json: { ID: WEB } },
      [`GET /services/${WEB}`]: {
        json: web(20, { Spec: { ...structuredClone(WEB_SPEC), UpdateConfig: { Monitor: 1e9 } } }),
      },
      'GET /tasks': () => {
        poll++;
        if (poll === 1) return { json: [] };
        if (poll === 2) return { json: [task('t1', 1, 'preparing'), task('t2', 2, 'running')] };
        return { json: [task('t1', 1, 'running'), task('t2', 2, 'running')] };
      },
      'GET /nodes': { json: [node(SELF, 'fakehost', true)] },
    });
    const r = await run(daemon, ['service', 'create', '--no-resolve-image', 'nginx']);
    expect(r.out).toBe(
      `${WEB}\noverall progress: 0 out of 2 tasks\n1/2:  \n2/2:  \noverall progress: 0 out of 2 tasks\n` +
        'overall progress: 1 out of 2 tasks\noverall progress: 2 out of 2 tasks\n' +
        'verify: Waiting 1 seconds to verify that tasks are stable...\n'.repeat(5) +
        `verify: Service ${WEB} converged\n`,
    );
  });

  it('redraws in place on a terminal', async () => {
    daemon = await fakeDaemon({
      'POST /services/create': { status: 201, json: { ID: WEB } },
      [`GET /services/${WEB}`]: {
        json: web(20, { Spec: { ...structuredClone(WEB_SPEC), UpdateConfig: { Monitor: 1e8 } } }),
      },
      'GET /tasks': { json: [task('t1', 1, 'running'), task('t2', 2, 'running')] },
      'GET /nodes': { json: [node(SELF, 'fakehost', true)] },
    });
    const r = await run(daemon, ['service', 'create', '--no-resolve-image', 'nginx'], { tty: true });
    expect(r.out).toContain('1/2: running   ');
    expect(r.out).toContain('\x1b[');
    expect(r.out).toContain(`verify: Service ${WEB} converged`);
  });
});

describe('shoal service: flag errors send nothing', () => {
  it.each([
    [
      ['--replicas', '-1'],
      'invalid argument "-1" for "--replicas" flag: strconv.ParseUint: parsing "-1": invalid syntax',
    ],
    [
      ['--update-order', 'sideways'],
      'invalid argument "sideways" for "--update-order" flag: must be one of "start-first", "stop-first"',
    ],
    [['--limit-memory', '12qq'], `invalid argument "12qq" for "--limit-memory" flag: invalid size: '12qq'`],
    [['--mode', 'sideways'], 'invalid argument "sideways" for "--mode" flag'],
    [
      ['--restart-delay', '5'],
      'invalid argument "5" for "--restart-delay" flag: time: missing unit in duration "5"',
    ],
    [['--limit-cpu', 'lots'], 'invalid argument "lots" for "--limit-cpu" flag'],
    [['-p', '80:x'], 'invalid argument "80:x" for "--publish" flag'],
    [
      ['--mode', 'global', '--replicas', '2'],
      'replicas can only be used with replicated or replicated-job mode',
    ],
    [['--update-max-failure-ratio', '2'], '"--update-max-failure-ratio" flag: must be between 0 and 1'],
    [['--frobnicate'], "error: unknown option '--frobnicate'"],
  ])('service create %j', async (flags, message) => {
    daemon = await fakeDaemon();
    const r = await run(daemon, ['service', 'create', ...flags, 'nginx']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(message);
    expect(daemon.requests).toEqual([]);
  });

  it.each([
    [['service', 'create'], "missing required argument 'image'"],
    [['service', 'update', '--update-order', 'sideways', 'web'], '"--update-order" flag'],
    [['service', 'update', '--replicas', 'x', 'web'], '"--replicas" flag'],
    [['service', 'update', '--limit-memory', '1zz', 'web'], '"--limit-memory" flag'],
    [['service', 'scale', 'web'], "Invalid scale specifier 'web'"],
    [['service', 'scale', 'web=two'], 'invalid argument "two" for "web" flag'],
    [['service', 'logs', '--since', 'yesterday', 'web'], ''],
  ])('%j', async (argv, message) => {
    daemon = await fakeDaemon();
    const r = await run(daemon, argv);
    if (message === '') return; // logs --since is validated after the service lookup, like docker
    expect(r.code).toBe(1);
    expect(r.err).toContain(message);
    expect(daemon.requests).toEqual([]);
  });
});
