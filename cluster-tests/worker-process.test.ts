/**
 * Real Shoal agents on the embedded process engine, under a real manager. What a user sees: a task
 * runs in its own namespaces, chrooted into an imported image; its secret is readable at
 * /run/secrets/<name> and lives on a tmpfs of its own; another task on the same node cannot see it; a
 * node without a task using the secret never receives it (nothing of it on that node's disk); once the
 * task ends the secret is unmounted and gone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinSwarm } from '../ca/client.ts';
import { CertificateDir } from '../ca/keyfile.ts';
import { CLUSTER_CHANNEL_OPTIONS, NodeTlsCredentials } from '../ca/tls.ts';
import { controlPlane, controlServices } from '../manager/controlplane.ts';
import { Manager } from '../manager/manager.ts';
import type { Service } from '../manager/store/types.ts';
import { Agent } from '../worker/agent/agent.ts';
import { ProcessEngine } from '../worker/engines/process/engine.ts';
import { ImageStore } from '../worker/images/store.ts';
import { busyboxMissing, makeBusyboxRootfs, tarDir } from '../worker/images/testkit.ts';
import { SecretMounts } from '../worker/secrets/mounts.ts';
import { eventually, filesContaining, freePort } from './harness.ts';

const SECRET = 'pr0cess-s3cret-4f1d';
const reason =
  process.getuid?.() !== 0
    ? 'needs root (namespaces, tmpfs)'
    : await busyboxMissing().catch((e: unknown) => String(e));
if (reason) console.warn(`worker-process cluster test skipped: ${reason}`);

interface Node {
  readonly name: string;
  readonly nodeId: string;
  readonly dataDir: string;
  readonly agent: Agent;
  readonly mounts: SecretMounts;
}

describe.skipIf(reason !== undefined)('Shoal agents on the process engine', () => {
  const root = mkdtempSync(join(tmpdir(), 'shoal-wp-'));
  let manager: Manager;
  const nodes: Node[] = [];

  async function addNode(name: string): Promise<Node> {
    const dataDir = join(root, name);
    const joined = await joinSwarm({
      addr: manager.addr,
      token: manager.ca.state.joinTokens.worker,
      dir: new CertificateDir(join(dataDir, 'certificates')),
    });
    const images = new ImageStore(join(dataDir, 'images'));
    const rootfs = join(root, `${name}-rootfs`);
    await makeBusyboxRootfs(rootfs, { 'etc/only-in-image': 'from the image' });
    await tarDir(rootfs, join(root, `${name}-busybox.tar`));
    await images.import('busybox', join(root, `${name}-busybox.tar`));
    const mounts = new SecretMounts({ root: join(dataDir, 'secrets') });
    const agent = new Agent({
      managers: [manager.addr],
      credentials: new NodeTlsCredentials(
        { rootPem: joined.rootPem, certPem: joined.certPem, keyPem: joined.keyPem },
        joined.identity.clusterId,
      ).client(),
      channelOptions: CLUSTER_CHANNEL_OPTIONS,
      description: {
        hostname: name,
        platform: { os: 'linux', architecture: 'x86_64' },
        resources: { nanoCpus: 2e9, memoryBytes: 2 ** 32, generic: [] },
        engine: { engineVersion: 'process', labels: {}, plugins: [] },
        tlsInfo: null,
        csiInfo: [],
      } as never,
      engine: new ProcessEngine({
        dataRoot: dataDir,
        images,
        cgroupParent: `shoal-it-${name}-${process.pid}`,
        hiddenPaths: [join(dataDir, 'secrets')],
      }),
      dataDir,
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
    await agent.start();
    const n = { name, nodeId: joined.identity.nodeId, dataDir, agent, mounts };
    nodes.push(n);
    await eventually(
      () => manager.store.get('node', n.nodeId)?.status?.state === 'STATE_READY',
      `${name} READY`,
    );
    return n;
  }

  beforeAll(async () => {
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
    await addNode('pa');
    await addNode('pb');
  }, 120_000);

  afterAll(async () => {
    for (const s of manager?.store.find('service') ?? [])
      await manager.control?.removeService({ serviceId: s.id }).catch(() => undefined);
    await eventually(
      () => (manager?.store.find('task') ?? []).length === 0,
      'tasks gone',
      undefined,
      20_000,
    ).catch(() => undefined);
    for (const n of nodes) {
      await n.agent.stop().catch(() => undefined);
      await n.mounts.reconcile(new Set()).catch(() => undefined);
    }
    await manager?.stop().catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
    // the nodes' parent cgroups, once their tasks' cgroups are gone with the tasks
    const cgroups = nodes.flatMap((n) =>
      ['', 'cpu', 'memory'].map((ctl) => join('/sys/fs/cgroup', ctl, `shoal-it-${n.name}-${process.pid}`)),
    );
    await eventually(
      async () => {
        const left = await Promise.all(
          cgroups.map((p) =>
            rmdir(p).then(
              () => false,
              (e: NodeJS.ErrnoException) => e.code !== 'ENOENT',
            ),
          ),
        );
        return !left.includes(true);
      },
      'the nodes cgroups removed',
      undefined,
      10_000,
    ).catch(() => undefined);
  });

  const out = join(root, 'out');
  let service: Service;

  const create = async (name: string, containerSpec: Record<string, unknown>): Promise<Service> => {
    const res = (await manager.control?.createService({
      spec: {
        name,
        taskTemplate: {
          containerSpec: { stopGracePeriod: 1_000_000_000, ...containerSpec },
          placement: { constraints: ['node.hostname==pa'] },
        },
        mode: { replicated: { replicas: 1 } },
      },
    })) as { service: Service };
    return res.service;
  };

  it('runs the task with its secret on a private tmpfs; the other node never receives it', async () => {
    const sec = (await manager.control?.createSecret({
      spec: { name: 'k', data: Buffer.from(SECRET) },
    })) as {
      secret: { id: string };
    };
    // an image that is not imported runs on the host's filesystem, so the task can leave us a file
    service = await create('reader', {
      image: 'host-fs-only',
      command: [
        'sh',
        '-c',
        `cat /run/secrets/k > ${out}-secret; echo x > /run/secrets/k 2>/dev/null || echo RO > ${out}-ro; sleep 1000`,
      ],
      secrets: [
        { secretId: sec.secret.id, secretName: 'k', file: { name: 'k', uid: '0', gid: '0', mode: 0o444 } },
      ],
    });
    await eventually(
      async () => (await readFile(`${out}-ro`, 'utf8').catch(() => '')).includes('RO'),
      'the task to read its secret and find it read-only',
      () => JSON.stringify(manager.store.find('task', { serviceId: service.id }).map((t) => t.status)),
      30_000,
    );
    expect(await readFile(`${out}-secret`, 'utf8')).toBe(SECRET);
    const task = manager.store.find('task', { serviceId: service.id })[0];
    const pa = nodes[0] as Node;
    expect(task?.nodeId).toBe(pa.nodeId);
    expect(await pa.mounts.isTmpfs(join(pa.dataDir, 'secrets', task?.id ?? ''))).toBe(true);
    // the other node has nothing of it, anywhere under its data root
    const pb = nodes[1] as Node;
    expect(filesContaining(pb.dataDir, SECRET)).toEqual([]);
    // and on the node that has it, it is only in memory and on tmpfs (not in the agent's LevelDB)
    expect(filesContaining(join(pa.dataDir, 'agent-db'), SECRET)).toEqual([]);
  });

  it('another task on the same node cannot see the secret', async () => {
    const pa = nodes[0] as Node;
    await create('snoop', {
      image: 'host-fs-only',
      command: [
        'sh',
        '-c',
        `(ls -A ${join(pa.dataDir, 'secrets')} | wc -l; cat /run/secrets/k 2>&1 | head -c 40) > ${out}-snoop; sleep 1000`,
      ],
    });
    await eventually(
      async () => (await readFile(`${out}-snoop`, 'utf8').catch(() => '')) !== '',
      'the snooping task to report',
      undefined,
      30_000,
    );
    const seen = await readFile(`${out}-snoop`, 'utf8');
    expect(seen).not.toContain(SECRET);
    expect(seen.split('\n')[0]?.trim()).toBe('0');
  });

  it('chroots into an imported image', async () => {
    await create('chrooted', {
      image: 'busybox',
      command: ['sh', '-c', 'cat /etc/only-in-image; ls /work 2>&1; sleep 1000'],
    });
    const svc = manager.store.find('service', { name: 'chrooted' })[0] as Service;
    await eventually(
      () =>
        manager.store
          .find('task', { serviceId: svc.id })
          .some((t) => t.status?.state === 'TASK_STATE_RUNNING'),
      'the chrooted task RUNNING',
      undefined,
      30_000,
    );
  });

  it('expands service templates in env and hostname before the task starts; a malformed one fails it', async () => {
    await create('tmpl', {
      image: 'host-fs-only',
      hostname: '{{.Service.Name}}-{{.Task.Slot}}',
      env: ['NODE_HOSTNAME={{.Node.Hostname}}'],
      command: ['sh', '-c', `echo "$NODE_HOSTNAME $(hostname)" > ${out}-tmpl; sleep 1000`],
    });
    await eventually(
      async () => (await readFile(`${out}-tmpl`, 'utf8').catch(() => '')) !== '',
      'the templated task to report',
      undefined,
      30_000,
    );
    expect((await readFile(`${out}-tmpl`, 'utf8')).trim()).toBe('pa tmpl-1');
    const bad = await create('badtmpl', {
      image: 'host-fs-only',
      env: ['X={{.Node.Hostname'],
      command: ['sleep', '1000'],
    });
    await eventually(
      () =>
        manager.store
          .find('task', { serviceId: bad.id })
          .some(
            (t) =>
              t.status?.state === 'TASK_STATE_FAILED' &&
              t.status.err.includes('invalid template in ContainerSpec.Env[0] "{{.Node.Hostname"'),
          ),
      'the malformed template task FAILED',
      () => JSON.stringify(manager.store.find('task', { serviceId: bad.id }).map((t) => t.status)),
      30_000,
    );
    await manager.control?.removeService({ serviceId: bad.id });
  });

  it('when the task ends, its secret is unmounted and gone', async () => {
    const pa = nodes[0] as Node;
    const task = manager.store.find('task', { serviceId: service.id })[0];
    const dir = join(pa.dataDir, 'secrets', task?.id ?? '');
    await manager.control?.removeService({ serviceId: service.id });
    await eventually(
      async () => !(await pa.mounts.isTmpfs(dir)),
      'the secret tmpfs unmounted',
      undefined,
      30_000,
    );
    expect(filesContaining(pa.dataDir, SECRET)).toEqual([]);
  });
});
