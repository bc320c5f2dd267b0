/**
 * `shoal stack` end to end: the real `shoal` binary against real shoald processes (one manager, one
 * worker, embedded process engine). A small stack is deployed, checked (ls, services, ps, the secret
 * read by the task from /run/secrets), redeployed with one service changed (only it rolls) and
 * unchanged (nothing moves), and removed without leaving anything behind. The trace compose file is
 * deployed too, and the resulting service specs must be what the real docker CLI sent.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDockerZeroFields } from '../daemon/api/services.ts';
import { canonical } from '../proto/docker/canonical.ts';
import type { DockerObject } from '../proto/docker/convert.ts';
import { tracedRequests } from '../proto/docker/trace.ts';
import { eventually } from './harness.ts';
import { api, SHOAL_BIN, ShoaldKit, type DaemonHandle } from './shoald-kit.ts';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}
interface ServiceJson {
  ID: string;
  Version: { Index: number };
  Spec: DockerObject & { Name: string };
}
interface TaskJson {
  ID: string;
  ServiceID: string;
  Spec?: { ContainerSpec?: { Args?: string[] } };
  DesiredState: string;
  Status: { State: string };
}

/** A JSON string field, or '' when it is something else. */
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const reference = fileURLToPath(new URL('../../shared/reference/', import.meta.url));
const label = (ns: string) =>
  encodeURIComponent(JSON.stringify({ label: { [`com.docker.stack.namespace=${ns}`]: true } }));

const STACK = `
services:
  app:
    image: hostfs
    command: ["sh", "-c", "cat /run/secrets/token; echo; exec sleep 3600"]
    networks: [back]
    secrets: [token]
    deploy:
      replicas: 2
  idle:
    image: hostfs
    command: sleep 3600
    networks: [back]
networks:
  back:
secrets:
  token:
    file: ./token.txt
`;

const reason = process.getuid?.() !== 0 ? 'needs root (namespaces, tmpfs secrets)' : undefined;
if (reason) console.warn(`stack cluster test skipped: ${reason}`);

describe.skipIf(reason !== undefined)('shoal stack against a live cluster', () => {
  const work = mkdtempSync(join(tmpdir(), 'shoal-stack-e2e-'));
  const kit = new ShoaldKit({ root: join(work, 'nodes') });
  let m: DaemonHandle, w: DaemonHandle;

  const shoal = (args: readonly string[]): Promise<Run> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        [SHOAL_BIN, '-H', `unix://${m.socket}`, ...args],
        { cwd: work, timeout: 120_000 },
        (err, stdout, stderr) =>
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
      );
    });
  const ok = async (args: readonly string[]): Promise<Run> => {
    const r = await shoal(args);
    expect(r.code, `shoal ${args.join(' ')}\n${r.stdout}\n${r.stderr}\n${kit.describe()}`).toBe(0);
    return r;
  };
  const get = async <T>(path: string): Promise<T> => {
    const r = await api(m.socket, 'GET', `/v1.47${path}`);
    expect(r.status, `GET ${path}: ${r.body}`).toBe(200);
    return r.json<T>();
  };
  const stackServices = (ns: string) => get<ServiceJson[]>(`/services?filters=${label(ns)}`);
  const versions = async (ns: string) =>
    Object.fromEntries((await stackServices(ns)).map((s) => [s.Spec.Name, s.Version.Index]));

  beforeAll(async () => {
    [m, w] = (await Promise.all(['m', 'w'].map((n) => kit.add(n)))) as [DaemonHandle, DaemonHandle];
    const init = await api(m.socket, 'POST', '/v1.47/swarm/init', {
      ListenAddr: m.addr,
      AdvertiseAddr: m.addr,
      Spec: {},
    });
    expect(init.status, init.body).toBe(200);
    const tokens = (await api(m.socket, 'GET', '/v1.47/swarm')).json<{ JoinTokens: { Worker: string } }>();
    const join_ = await api(w.socket, 'POST', '/v1.47/swarm/join', {
      ListenAddr: w.addr,
      AdvertiseAddr: w.addr,
      RemoteAddrs: [m.addr],
      JoinToken: tokens.JoinTokens.Worker,
    });
    expect(join_.status, join_.body).toBe(200);
    await eventually(
      async () =>
        (await get<{ Status: { State: string } }[]>('/nodes')).filter((n) => n.Status.State === 'ready')
          .length === 2,
      'two ready nodes',
      () => kit.describe(),
      30_000,
    );
    writeFileSync(join(work, 'stack.yml'), STACK);
    writeFileSync(join(work, 'token.txt'), 'tok-5150');
  }, 120_000);
  afterAll(async () => {
    await kit.destroy();
    rmSync(work, { recursive: true, force: true });
  }, 120_000);

  it('deploys a stack: ls, services, ps, running tasks, the secret in /run/secrets', async () => {
    const r = await ok(['stack', 'deploy', '-c', 'stack.yml', 'st']);
    expect(r.stdout).toBe(
      'Creating network st_back\nCreating secret st_token\nCreating service st_app\nCreating service st_idle\n',
    );
    expect(r.stderr).toContain('Since --detach=false was not specified');
    expect((await ok(['stack', 'ls'])).stdout).toBe('NAME      SERVICES\nst        2\n');
    await eventually(
      async () => {
        const out = (await ok(['stack', 'services', 'st'])).stdout;
        return (
          /st_app\s+replicated\s+2\/2\s+hostfs:latest/.test(out) && /st_idle\s+replicated\s+1\/1/.test(out)
        );
      },
      'st_app 2/2 and st_idle 1/1',
      () => kit.describe(),
      60_000,
    );
    const ps = (await ok(['stack', 'ps', 'st'])).stdout;
    expect(
      ps.split('\n').filter((l) => /st_(app|idle)\.\d\s+hostfs:latest\s+\S+\s+Running\s+Running/.test(l)),
    ).toHaveLength(3);
    expect((await ok(['stack', 'services', '-q', 'st'])).stdout.trim().split('\n')).toHaveLength(2);
    await eventually(
      async () =>
        ((await ok(['service', 'logs', 'st_app'])).stdout.match(/\| tok-5150$/gm) ?? []).length === 2,
      'both app tasks print the secret they read from /run/secrets/token',
      () => kit.describe(),
      30_000,
    );
  }, 120_000);

  it('redeploying a changed file rolls only the changed service; an unchanged file changes nothing', async () => {
    const before = await versions('st');
    const app = (await stackServices('st')).find((s) => s.Spec.Name === 'st_app');
    const running = async (id: string | undefined) =>
      (await get<TaskJson[]>(`/tasks?filters=${label('st')}`)).filter(
        (t) => t.ServiceID === id && t.Status.State === 'running' && t.DesiredState === 'running',
      );
    const appTasks = (await running(app?.ID)).map((t) => t.ID).sort();
    expect(appTasks).toHaveLength(2);
    writeFileSync(join(work, 'stack.yml'), STACK.replace('command: sleep 3600', 'command: sleep 3601'));
    const idle = (await stackServices('st')).find((s) => s.Spec.Name === 'st_idle');
    // --detach=false: waits for the updated service to converge, with docker's progress lines.
    const r = await ok(['stack', 'deploy', '--detach=false', '-c', 'stack.yml', 'st']);
    expect(r.stdout.startsWith(`Updating service st_idle (id: ${idle?.ID})\n`), r.stdout).toBe(true);
    expect(r.stdout).toMatch(/verify: Service (st_idle |[a-z0-9]{25} )?converged/);
    // As docker: an update's warnings (here: no registry to pin the digest) go to stderr.
    expect(r.stderr).toBe(
      'image hostfs:latest could not be accessed on a registry to record\nits digest. Each node will access hostfs:latest independently,\npossibly leading to different nodes running different\nversions of the image.\n',
    );
    const after = await versions('st');
    expect(after['st_app']).toBe(before['st_app']);
    expect(after['st_idle']).toBeGreaterThan(before['st_idle'] ?? 0);
    await eventually(
      async () => {
        const idleTasks = await running(idle?.ID);
        return idleTasks.length === 1 && idleTasks[0]?.Spec?.ContainerSpec?.Args?.[1] === '3601';
      },
      'st_idle rolled to its new spec',
      () => kit.describe(),
      60_000,
    );
    expect((await running(app?.ID)).map((t) => t.ID).sort()).toEqual(appTasks); // untouched
    const again = await ok(['stack', 'deploy', '-d', '-c', 'stack.yml', 'st']);
    expect(again.stdout).toBe('');
    expect(await versions('st')).toEqual(after);
  }, 120_000);

  it('stack rm removes services, secrets and networks, and leaves nothing behind', async () => {
    const r = await ok(['stack', 'rm', 'st']);
    expect(r.stdout).toBe(
      'Removing service st_app\nRemoving service st_idle\nRemoving secret st_token\nRemoving network st_back\n',
    );
    for (const kind of ['services', 'networks', 'secrets', 'configs']) {
      expect(await get<unknown[]>(`/${kind}?filters=${label('st')}`), kind).toEqual([]);
    }
    await eventually(
      async () =>
        (await get<TaskJson[]>(`/tasks?filters=${label('st')}`)).every((t) => t.DesiredState !== 'running'),
      'no task of st left to run',
      () => kit.describe(),
      60_000,
    );
    expect((await ok(['stack', 'ls'])).stdout).toBe('NAME      SERVICES\n');
  }, 120_000);

  it('the trace compose file gives the service specs the real docker CLI sent', async () => {
    const dir = join(work, 'trace');
    mkdirSync(dir);
    copyFileSync(join(reference, 'trace-stack-compose.yml'), join(dir, 'compose.yml'));
    writeFileSync(join(dir, 'secret.txt'), 's3cr3t');
    writeFileSync(join(dir, 'cfg.yml'), 'key: val\n');
    const ext = await api(m.socket, 'POST', '/v1.47/secrets/create', {
      Name: 'ext_secret',
      Labels: {},
      Data: 'czNjcjN0',
    });
    expect(ext.status, ext.body).toBe(201);
    const r = await ok(['stack', 'deploy', '-d', '-c', join(dir, 'compose.yml'), 'mystack']);
    expect(r.stdout).toBe(
      'Creating network mystack_front\nCreating network mystack_back\nCreating network mystack_default\n' +
        'Creating secret mystack_mysecret\nCreating config mystack_mycfg\n' +
        'Creating service mystack_web\nCreating service mystack_worker\n',
    );

    const ids = new Map<string, string>();
    for (const kind of ['networks', 'secrets', 'configs'] as const) {
      for (const o of await get<{ ID?: string; Id?: string; Name?: string; Spec?: { Name: string } }[]>(
        `/${kind}`,
      )) {
        ids.set(o.Name ?? o.Spec?.Name ?? '', o.Id ?? o.ID ?? '');
      }
    }
    const traced = tracedRequests(join(reference, 'docker-cli-28-trace.txt')).filter(
      (q) =>
        q.method === 'POST' &&
        q.route === '/services/create' &&
        str((q.body as DockerObject)['Name']).startsWith('mystack_'),
    );
    expect(traced).toHaveLength(2);
    const actual = await stackServices('mystack');
    for (const q of traced) {
      const body = structuredClone(q.body) as DockerObject;
      const task = body['TaskTemplate'] as DockerObject;
      const container = task['ContainerSpec'] as DockerObject;
      for (const s of (container['Secrets'] ?? []) as DockerObject[])
        s['SecretID'] = ids.get(str(s['SecretName'])) ?? '';
      for (const c of (container['Configs'] ?? []) as DockerObject[])
        c['ConfigID'] = ids.get(str(c['ConfigName'])) ?? '';
      for (const n of (task['Networks'] ?? []) as DockerObject[])
        n['Target'] = ids.get(str(n['Target'])) ?? '';
      // What the server fills in on create (swarmkit does the same): the endpoint mode; and the
      // zero-valued fields Docker's daemon writes in every GET (runtime, isolation, …).
      body['EndpointSpec'] = { Mode: 'vip', ...(body['EndpointSpec'] as DockerObject) };
      const expected = canonical('ServiceSpec', body);
      withDockerZeroFields(expected);
      const got = actual.find((s) => s.Spec.Name === body['Name']);
      expect(got?.Spec, str(body['Name'])).toEqual(expected);
    }
    const back = await get<{
      Options?: Record<string, string>;
      Labels?: Record<string, string>;
      IPAM?: { Config?: { Subnet?: string }[] };
    }>(`/networks/${ids.get('mystack_back')}`);
    expect(back.Options).toMatchObject({ encrypted: 'true' });
    expect(back.Labels).toEqual({ 'com.docker.stack.namespace': 'mystack', netlabel: 'z' });
    expect(back.IPAM?.Config?.[0]?.Subnet).toBe('10.60.0.0/24');

    const rm = await ok(['stack', 'rm', 'mystack']);
    expect(rm.stdout).toMatch(/^Removing service mystack_web\nRemoving service mystack_worker\n/);
    for (const kind of ['services', 'networks', 'secrets', 'configs']) {
      expect(await get<unknown[]>(`/${kind}?filters=${label('mystack')}`), kind).toEqual([]);
    }
    const left = await get<{ Spec: { Name: string } }[]>('/secrets');
    expect(left.map((s) => s.Spec.Name)).toEqual(['ext_secret']); // external: not the stack's to remove
  }, 180_000);
});
