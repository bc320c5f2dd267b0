/**
 * Root-only: a docker-engine task on an overlay. A private dockerd (worker/engines/docker/testkit.ts)
 * runs an httpd container created with `NetworkMode: none`; after start the engine hands
 * `/proc/<pid>/ns/net` to the network hook (`adopt` mode), which bind-mounts it and plumbs eth0 there
 * through a real OverlayDriver on "host 1" of a namespaced lab. A client namespace plumbed on "host 2"
 * fetches from the container by overlay IP. Removal leaves nothing. Skips, saying why, without root,
 * dockerd, iproute2 or the native addon.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../proto/shared/log.ts';
import { DockerEngine } from '../engines/docker/engine.ts';
import {
  ensureDockerInstalled,
  importBusybox,
  startDockerd,
  type PrivateDockerd,
} from '../engines/docker/testkit.ts';
import type { Task, TaskController } from '../executor/types.ts';
import { OverlayDriver } from '../network/driver.ts';
import { netnsAddonAvailable } from '../network/native.ts';
import { TestLab, ipJson, rootSkipReason, sh, type TestHost } from '../network/testkit.ts';
import { NATIVE_NETNS_FILES, TaskNetworks } from './network.ts';
import { allocatedNetwork, attachedTask } from './network-testing.ts';

const IMAGE = 'shoal-busybox:overlay';
const skip =
  rootSkipReason() ??
  (netnsAddonAvailable() ? undefined : 'the shoal_netns addon is not built') ??
  (await ensureDockerInstalled());
if (skip !== undefined) console.log(`worker/agent docker overlay test skipped: ${skip}`);

describe.skipIf(skip !== undefined)('a docker task on an overlay', () => {
  const lab = new TestLab();
  const net = allocatedNetwork(`dnet${randomBytes(3).toString('hex')}`, {
    subnet: '10.66.0.0/24',
    gateway: '10.66.0.1',
    vni: 4097 + Math.floor(Math.random() * 100_000),
  });
  let tmp = '';
  let dockerd: PrivateDockerd | undefined;
  let hosts: TestHost[] = [];
  let hooks: TaskNetworks[] = [];
  let controller: TaskController | undefined;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'shoal-overlay-docker-'));
    dockerd = await startDockerd();
    await importBusybox(new Docker({ socketPath: dockerd.socket }), IMAGE);
    hosts = await lab.createHosts(2);
    hooks = hosts.map(
      (host, i) =>
        new TaskNetworks({
          driver: new OverlayDriver({
            localVtep: host.vtep,
            hostNetnsPath: host.path,
            sandboxDir: join(tmp, `node${i + 1}`),
          }),
          netnsDir: join(tmp, `node${i + 1}`),
          files: NATIVE_NETNS_FILES,
          mode: i === 0 ? 'adopt' : 'enter',
          settings: {},
          log: silentLogger(),
        }),
    );
  }, 120_000);

  afterAll(async () => {
    await controller?.remove().catch(() => undefined);
    for (const [i, h] of hooks.entries()) {
      const dir = join(tmp, `node${i + 1}`);
      for (const f of await readdir(dir).catch(() => []))
        await NATIVE_NETNS_FILES.remove(join(dir, f)).catch(() => undefined);
      await h.close();
    }
    await lab.destroy();
    await dockerd?.stop();
    if (tmp !== '') await rm(tmp, { recursive: true, force: true });
  }, 60_000);

  const web = attachedTask(
    {
      id: `dweb${randomBytes(4).toString('hex')}`,
      name: '',
      serviceId: 'svc',
      slot: 1,
      nodeId: 'node1',
      labels: {},
      spec: {
        containerSpec: {
          image: IMAGE,
          command: [
            'sh',
            '-c',
            'mkdir -p /www && echo hello from docker > /www/index.html && exec httpd -f -p 8080 -h /www',
          ],
          labels: {},
          args: [],
          env: [],
          hostname: '',
          dir: '',
          user: '',
          groups: [],
          tty: false,
          openStdin: false,
          readOnly: false,
          mounts: [],
          stopSignal: '',
          healthcheck: null,
          hosts: [],
          secrets: [],
          configs: [],
          sysctls: {},
          capabilityAdd: [],
          capabilityDrop: [],
          ulimits: [],
          oomScoreAdj: 0,
        },
        resources: null,
      },
    } as unknown as Task,
    [{ network: net, address: '10.66.0.2/24' }],
  );
  const client = attachedTask({ id: 'dclient', networksAttachments: [] } as unknown as Task, [
    { network: net, address: '10.66.0.3/24' },
  ]);

  it('is plumbed into the started container and reachable from another host', async () => {
    await hooks[0]?.setPeers([
      { networkId: net.id, ip: '10.66.0.3', mac: '', nodeAddr: hosts[1]?.vtep ?? '' },
    ]);
    await hooks[1]?.setPeers([
      { networkId: net.id, ip: '10.66.0.2', mac: '', nodeAddr: hosts[0]?.vtep ?? '' },
    ]);
    const engine = new DockerEngine({ socketPath: dockerd?.socket ?? '' });
    expect(engine.netns).toBe('adopt');
    const prepared = await hooks[0]?.prepare(web);
    controller = engine.controller(web);
    await controller.prepare({
      files: [],
      workDir: join(tmp, 'work'),
      ...(prepared?.network ? { network: prepared.network } : {}),
    });
    await controller.start();
    const pid = (await controller.inspect()).pid ?? 0;
    const inContainer = await sh('nsenter', [
      `--net=/proc/${pid}/ns/net`,
      'ip',
      '-json',
      'addr',
      'show',
      'eth0',
    ]);
    expect(inContainer).toContain('10.66.0.2');

    const side = await hooks[1]?.prepare(client);
    const path = side?.network?.netnsPath ?? '';
    const get = `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | busybox nc -w 1 10.66.0.2 8080`;
    let out = '';
    for (let i = 0; i < 30 && !out.includes('hello from docker'); i++) {
      out = await sh('nsenter', [`--net=${path}`, 'sh', '-c', get]).catch(() => '');
      if (!out.includes('hello from docker')) await new Promise((r) => setTimeout(r, 200));
    }
    expect(out).toContain('hello from docker');
  }, 60_000);

  it('removal leaves no sandbox, namespace or interface', async () => {
    await controller?.remove();
    await hooks[0]?.release(web.id);
    await hooks[1]?.release(client.id);
    for (const [i, h] of hosts.entries()) {
      expect((await readdir(join(tmp, `node${i + 1}`))).filter((f) => f !== 'dataplane.json')).toEqual([]);
      const names = (await ipJson<{ ifname: string }[]>(h.name, ['link', 'show'])).map((l) => l.ifname);
      expect(names.sort()).toEqual(['lo', 'ul0']);
    }
    for (const h of hosts)
      expect(await sh('ip', ['netns', 'exec', h.name, 'ss', '-Huln', 'sport = :4789'])).toBe('');
  }, 30_000);
});
