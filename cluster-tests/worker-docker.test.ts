/**
 * A real worker on a real Docker Engine: a manager (control plane over mTLS) and a Shoal agent that
 * joined with the worker token and runs its tasks on a private dockerd. What a user sees: the service's
 * task runs as a container carrying Swarm's labels, its secret is a read-only file at
 * /run/secrets/<name> backed by tmpfs on the host, a restarted agent adopts the container instead of
 * starting another, and removing the service removes the container and the secret.
 */
import Docker from 'dockerode';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinSwarm, type Joined } from '../ca/client.ts';
import { CertificateDir } from '../ca/keyfile.ts';
import { CLUSTER_CHANNEL_OPTIONS, NodeTlsCredentials } from '../ca/tls.ts';
import { controlPlane, controlServices } from '../manager/controlplane.ts';
import { Manager } from '../manager/manager.ts';
import type { Service } from '../manager/store/types.ts';
import { Agent } from '../worker/agent/agent.ts';
import { DockerEngine } from '../worker/engines/docker/engine.ts';
import {
  ensureDockerInstalled,
  importBusybox,
  startDockerd,
  type PrivateDockerd,
} from '../worker/engines/docker/testkit.ts';
import { SecretMounts } from '../worker/secrets/mounts.ts';
import { eventually, freePort } from './harness.ts';

const IMAGE = 'shoal-it-busybox:latest';
const skipReason = await ensureDockerInstalled();
if (skipReason) console.warn(`worker-docker cluster test skipped: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('a Shoal agent on a real Docker Engine', () => {
  const root = mkdtempSync(join(tmpdir(), 'shoal-wd-'));
  let dockerd: PrivateDockerd;
  let docker: Docker;
  let manager: Manager;
  let joined: Joined;
  let agent: Agent;
  const mounts = new SecretMounts({ root: join(root, 'worker', 'secrets') });

  const startAgent = async (): Promise<Agent> => {
    const creds = new NodeTlsCredentials(
      { rootPem: joined.rootPem, certPem: joined.certPem, keyPem: joined.keyPem },
      joined.identity.clusterId,
    );
    const a = new Agent({
      managers: [manager.addr],
      credentials: creds.client(),
      channelOptions: CLUSTER_CHANNEL_OPTIONS,
      description: {
        hostname: 'docker-worker',
        platform: { os: 'linux', architecture: 'x86_64' },
        resources: { nanoCpus: 2e9, memoryBytes: 2 ** 32, generic: [] },
        engine: { engineVersion: 'docker', labels: {}, plugins: [] },
        tlsInfo: null,
        csiInfo: [],
      } as never,
      engine: new DockerEngine({ socketPath: dockerd.socket }),
      dataDir: join(root, 'worker'),
      secrets: {
        materialise: (task, secrets, configs) =>
          mounts.materialise(
            task,
            new Map(secrets.map((s) => [s.id, s])),
            new Map(configs.map((c) => [c.id, c])),
          ),
        release: (id) => mounts.release(id),
      },
    });
    await a.start();
    return a;
  };

  const containersOf = async (taskId: string): Promise<Docker.ContainerInfo[]> =>
    docker.listContainers({ all: true, filters: { label: [`com.docker.swarm.task.id=${taskId}`] } });

  beforeAll(async () => {
    dockerd = await startDockerd();
    docker = new Docker({ socketPath: dockerd.socket });
    await importBusybox(docker, IMAGE);
    manager = await Manager.init({
      dataRoot: join(root, 'manager'),
      addr: `127.0.0.1:${await freePort()}`,
      tickMs: 50,
      leader: controlPlane({ heartbeatPeriodMs: 500 }),
      control: controlServices,
    });
    await eventually(
      () => manager.leading && manager.store.get('node', manager.nodeId) !== undefined,
      'leader',
    );
    const self = manager.store.get('node', manager.nodeId);
    await manager.control?.updateNode({
      nodeId: manager.nodeId,
      nodeVersion: self?.version,
      spec: { ...self?.spec, availability: 'AVAILABILITY_DRAIN' },
    } as never);
    joined = await joinSwarm({
      addr: manager.addr,
      token: manager.ca.state.joinTokens.worker,
      dir: new CertificateDir(join(root, 'worker', 'certificates')),
    });
    agent = await startAgent();
    await eventually(
      () => manager.store.get('node', joined.identity.nodeId)?.status?.state === 'STATE_READY',
      'the worker READY',
    );
  }, 240_000);

  afterAll(async () => {
    await agent?.stop().catch(() => undefined);
    for (const c of (await docker?.listContainers({ all: true }).catch(() => [])) ?? [])
      await docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined);
    await manager?.stop().catch(() => undefined);
    await dockerd?.stop().catch(() => undefined);
    await mounts.reconcile(new Set()).catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  });

  let service: Service;
  let taskId = '';

  it('runs the task as a container with Swarm labels and its secret on tmpfs, read-only', async () => {
    const control = manager.control;
    if (!control) throw new Error('no control API');
    const sec = (await control.createSecret({
      spec: { name: 'api-key', data: Buffer.from('s3cr3t-value') },
    })) as {
      secret: { id: string };
    };
    const res = (await control.createService({
      spec: {
        name: 'web',
        taskTemplate: {
          containerSpec: {
            image: IMAGE,
            command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'],
            secrets: [
              {
                secretId: sec.secret.id,
                secretName: 'api-key',
                file: { name: 'api-key', uid: '0', gid: '0', mode: 0o400 },
              },
            ],
          },
        },
        mode: { replicated: { replicas: 1 } },
      },
    })) as { service: Service };
    service = res.service;
    await eventually(
      () =>
        manager.store
          .find('task', { serviceId: service.id })
          .some((t) => t.status?.state === 'TASK_STATE_RUNNING'),
      'the task RUNNING',
      () => JSON.stringify(manager.store.find('task', { serviceId: service.id }).map((t) => t.status)),
      60_000,
    );
    const task = manager.store.find('task', { serviceId: service.id })[0];
    taskId = task?.id ?? '';
    const [c] = await containersOf(taskId);
    expect(c?.Labels['com.docker.swarm.service.name']).toBe('web');
    expect(c?.Labels['com.docker.swarm.node.id']).toBe(joined.identity.nodeId);
    expect(task?.status?.containerStatus?.containerId).toBe(c?.Id);
    // the secret inside the container, read-only
    const exec = async (cmd: string[]): Promise<string> => {
      const e = await docker
        .getContainer(c?.Id ?? '')
        .exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
      const stream = await e.start({});
      const chunks: Buffer[] = [];
      await new Promise<void>((resolve) => {
        stream.on('data', (b: Buffer) => chunks.push(b));
        stream.on('end', () => resolve());
      });
      return Buffer.concat(chunks).toString('latin1');
    };
    expect(await exec(['cat', '/run/secrets/api-key'])).toContain('s3cr3t-value');
    expect(await exec(['sh', '-c', 'echo x > /run/secrets/api-key && echo WROTE || echo REFUSED'])).toContain(
      'REFUSED',
    );
    // on the host: a tmpfs mount private to this task
    const taskDir = join(root, 'worker', 'secrets', taskId);
    expect(await mounts.isTmpfs(taskDir)).toBe(true);
    const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
    expect(mountinfo).toContain(taskDir);
  });

  it("another task's container cannot see the secret", async () => {
    const res = (await manager.control?.createService({
      spec: {
        name: 'other',
        taskTemplate: { containerSpec: { image: IMAGE, command: ['sleep', '1000'], stopGracePeriod: 1e9 } },
        mode: { replicated: { replicas: 1 } },
      },
    })) as { service: Service };
    await eventually(
      () =>
        manager.store
          .find('task', { serviceId: res.service.id })
          .some((t) => t.status?.state === 'TASK_STATE_RUNNING'),
      'the other task RUNNING',
      undefined,
      60_000,
    );
    const other = manager.store.find('task', { serviceId: res.service.id })[0];
    const [c] = await containersOf(other?.id ?? '');
    const info = await docker.getContainer(c?.Id ?? '').inspect();
    const secretsRoot = join(root, 'worker', 'secrets');
    expect(info.Mounts.filter((m) => m.Source.startsWith(secretsRoot))).toEqual([]);
    const e = await docker.getContainer(c?.Id ?? '').exec({
      Cmd: ['sh', '-c', `ls /run/secrets 2>&1; ls ${secretsRoot} 2>&1`],
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = await e.start({});
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve) => {
      stream.on('data', (b: Buffer) => chunks.push(b));
      stream.on('end', () => resolve());
    });
    const seen = Buffer.concat(chunks).toString('latin1');
    expect(seen).not.toContain('api-key');
    expect(seen).toMatch(/No such file or directory/);
    await manager.control?.removeService({ serviceId: res.service.id });
  });

  it('expands service templates in env and hostname before the container is created', async () => {
    const res = (await manager.control?.createService({
      spec: {
        name: 'tmpl',
        taskTemplate: {
          containerSpec: {
            image: IMAGE,
            command: ['sleep', '1000'],
            env: ['NODE_HOSTNAME={{.Node.Hostname}}'],
            hostname: '{{.Service.Name}}-{{.Task.Slot}}',
            stopGracePeriod: 1e9,
          },
        },
        mode: { replicated: { replicas: 1 } },
      },
    })) as { service: Service };
    await eventually(
      () =>
        manager.store
          .find('task', { serviceId: res.service.id })
          .some((t) => t.status?.state === 'TASK_STATE_RUNNING'),
      'the templated task RUNNING',
      undefined,
      60_000,
    );
    const t = manager.store.find('task', { serviceId: res.service.id })[0];
    const [c] = await containersOf(t?.id ?? '');
    const e = await docker.getContainer(c?.Id ?? '').exec({
      Cmd: ['sh', '-c', 'echo "$NODE_HOSTNAME $(hostname)"'],
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = await e.start({});
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve) => {
      stream.on('data', (b: Buffer) => chunks.push(b));
      stream.on('end', () => resolve());
    });
    expect(Buffer.concat(chunks).toString('latin1')).toContain('docker-worker tmpl-1');
    await manager.control?.removeService({ serviceId: res.service.id });
  });

  it('a task failing its healthcheck retries is FAILED (Docker reports it unhealthy)', async () => {
    const res = (await manager.control?.createService({
      spec: {
        name: 'sick',
        taskTemplate: {
          containerSpec: {
            image: IMAGE,
            command: ['sleep', '1000'],
            stopGracePeriod: 1e9,
            healthcheck: { test: ['CMD-SHELL', 'exit 1'], interval: 200e6, timeout: 1e9, retries: 2 },
          },
        },
        mode: { replicated: { replicas: 1 } },
      },
    })) as { service: Service };
    await eventually(
      () =>
        manager.store
          .find('task', { serviceId: res.service.id })
          .some(
            (t) => t.status?.state === 'TASK_STATE_FAILED' && t.status.err === 'task: unhealthy container',
          ),
      'the unhealthy task FAILED',
      () => JSON.stringify(manager.store.find('task', { serviceId: res.service.id }).map((t) => t.status)),
      60_000,
    );
    const failed = manager.store
      .find('task', { serviceId: res.service.id })
      .find((t) => t.status?.state === 'TASK_STATE_FAILED');
    // killed by the agent once Docker reported it unhealthy
    expect(failed?.status?.containerStatus?.exitCode).toBe(137);
    await manager.control?.removeService({ serviceId: res.service.id });
  });

  it('a restarted agent adopts the container instead of starting another', async () => {
    const before = await containersOf(taskId);
    await agent.stop();
    agent = await startAgent();
    await new Promise((r) => setTimeout(r, 1500));
    const after = await containersOf(taskId);
    expect(after.map((c) => c.Id)).toEqual(before.map((c) => c.Id));
    expect(after[0]?.State).toBe('running');
    expect(
      manager.store
        .find('task', { serviceId: service.id })
        .filter((t) => t.status?.state === 'TASK_STATE_RUNNING'),
    ).toHaveLength(1);
  });

  it('removing the service removes the container and the secret', async () => {
    await manager.control?.removeService({ serviceId: service.id });
    await eventually(
      async () => (await containersOf(taskId)).length === 0,
      'the container removed',
      undefined,
      30_000,
    );
    await eventually(
      async () => !(await mounts.isTmpfs(join(root, 'worker', 'secrets', taskId))),
      'the secret tmpfs gone',
    );
  });
});
