/**
 * Root-only: the network hook with real OverlayDrivers on two "hosts" (network namespaces on a private
 * underlay, worker/network/testkit.ts) and real process-engine tasks in a busybox image: an httpd on
 * host 1 answers a wget from a task on host 2 across the VXLAN overlay, by overlay IP; the httpd's
 * healthcheck probes its own overlay address (only reachable inside the task's namespace); removal
 * leaves no sandbox, namespace, interface or VXLAN socket behind. Skips, saying why, without root,
 * iproute2, the native addon, unshare/nsenter or a static busybox.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, rmdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../proto/shared/log.ts';
import { ProcessEngine } from '../engines/process/engine.ts';
import { allLogs, specTask } from '../engines/process/testkit.ts';
import type { Task, TaskController } from '../executor/types.ts';
import { busyboxMissing, makeBusyboxRootfs, tarDir } from '../images/testkit.ts';
import { ImageStore } from '../images/store.ts';
import { OverlayDriver } from '../network/driver.ts';
import { netnsAddonAvailable } from '../network/native.ts';
import { TestLab, ipJson, rootSkipReason, sh, type TestHost } from '../network/testkit.ts';
import { NATIVE_NETNS_FILES, TaskNetworks } from './network.ts';
import { allocatedNetwork, attachedTask } from './network-testing.ts';

const skip =
  rootSkipReason() ??
  (netnsAddonAvailable() ? undefined : 'the shoal_netns addon is not built') ??
  (await busyboxMissing());
if (skip !== undefined) console.log(`worker/agent overlay integration test skipped: ${skip}`);

/** An HTTP request on stdout, for busybox nc (busybox-static's wget crashes without NSS libraries). */
const GET = `printf 'GET / HTTP/1.0\\r\\n\\r\\n'`;

interface Node {
  readonly host: TestHost;
  readonly netnsDir: string;
  hook: TaskNetworks;
  readonly engine: ProcessEngine;
}

describe.skipIf(skip !== undefined)('overlay tasks on the process engine across two hosts', () => {
  const lab = new TestLab();
  const cgroupParent = `shoal-nettest-${process.pid}`;
  const net = allocatedNetwork(`net${randomBytes(3).toString('hex')}`, {
    subnet: '10.88.0.0/24',
    gateway: '10.88.0.1',
    vni: 4097 + Math.floor(Math.random() * 100_000),
  });
  // A second network on the server only: one interface per network (eth0, eth1) in its namespace.
  const net2 = allocatedNetwork(`net${randomBytes(3).toString('hex')}`, {
    subnet: '10.89.0.0/24',
    gateway: '10.89.0.1',
    vni: net.driverState ? Number(Object.values(net.driverState.options)[0]) + 1 : 4096,
  });
  let tmp = '';
  let nodes: Node[] = [];
  const controllers: TaskController[] = [];

  const node = (i: number): Node => nodes[i] as Node;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'shoal-overlay-tasks-'));
    const images = new ImageStore(join(tmp, 'images'));
    await makeBusyboxRootfs(join(tmp, 'bb'), { 'www/index.html': 'hello over the overlay\n' });
    await tarDir(join(tmp, 'bb'), join(tmp, 'bb.tar'));
    await images.import('busybox', join(tmp, 'bb.tar'));
    const hosts = await lab.createHosts(2);
    nodes = hosts.map((host, i) => {
      const netnsDir = join(tmp, `node${i + 1}`, 'netns');
      const driver = new OverlayDriver({
        localVtep: host.vtep,
        hostNetnsPath: host.path,
        sandboxDir: netnsDir,
      });
      const hook = new TaskNetworks({
        driver,
        netnsDir,
        files: NATIVE_NETNS_FILES,
        mode: 'enter',
        settings: {},
        log: silentLogger(),
      });
      const engine = new ProcessEngine({ dataRoot: join(tmp, `node${i + 1}`), images, cgroupParent });
      return { host, netnsDir, hook, engine };
    });
  }, 30_000);

  afterAll(async () => {
    for (const c of controllers) await c.remove().catch(() => undefined);
    for (const n of nodes) {
      for (const f of await readdir(n.netnsDir).catch(() => []))
        await NATIVE_NETNS_FILES.remove(join(n.netnsDir, f)).catch(() => undefined);
      await n.hook.close();
    }
    await lab.destroy();
    if (tmp !== '') await rm(tmp, { recursive: true, force: true });
    for (const ctl of ['', 'cpu', 'memory'])
      await rmdir(join('/sys/fs/cgroup', ctl, cgroupParent)).catch(() => undefined);
  });

  /** Prepares (through the hook, as the agent does) and starts a task on node `i`. */
  async function run(i: number, task: Task): Promise<TaskController> {
    const n = node(i);
    const prepared = await n.hook.prepare(task);
    expect(prepared.notes).toEqual([]);
    const c = n.engine.controller(task);
    controllers.push(c);
    await c.prepare({
      files: [],
      workDir: join(tmp, `node${i + 1}`, 'work', task.id),
      ...(prepared.network ? { network: prepared.network } : {}),
    });
    await c.start();
    return c;
  }

  const server = attachedTask(
    specTask('web', {
      image: 'busybox',
      command: ['httpd', '-f', '-p', '8080', '-h', '/www'],
      healthcheck: {
        test: ['CMD-SHELL', `${GET} | nc -w 1 10.88.0.2 8080 | grep -q hello`],
        interval: 200e6,
        timeout: 2e9,
        startPeriod: 0,
        retries: 3,
      },
    }),
    [
      { network: net, address: '10.88.0.2/24' },
      { network: net2, address: '10.89.0.2/24' },
    ],
  );
  const client = attachedTask(
    specTask('client', {
      image: 'busybox',
      command: [
        'sh',
        '-c',
        `i=0; until ${GET} | nc -w 1 10.88.0.2 8080; do i=$((i+1)); [ $i -gt 50 ] && exit 1; sleep 0.2; done`,
      ],
    }),
    [{ network: net, address: '10.88.0.3/24' }],
  );

  it('a task on host 2 fetches from a task on host 1 by overlay IP; probes run in the task namespace', async () => {
    const started = performance.now();
    await node(0).hook.setPeers([
      { networkId: net.id, ip: '10.88.0.3', mac: '', nodeAddr: node(1).host.vtep },
    ]);
    await node(1).hook.setPeers([
      { networkId: net.id, ip: '10.88.0.2', mac: '', nodeAddr: node(0).host.vtep },
    ]);
    const web = await run(0, server);
    // The wrapper (pid recorded by the engine) enters the task's namespace (nsenter execs in place).
    const rt = await web.inspect();
    const netnsPath = node(0).hook.netnsPathOf(server.id);
    const want = (await stat(netnsPath)).ino;
    const nsOfWrapper = async (): Promise<number> => (await stat(`/proc/${rt.pid ?? 0}/ns/net`)).ino;
    for (let i = 0; i < 50 && (await nsOfWrapper()) !== want; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(await nsOfWrapper()).toBe(want);
    const addrs = JSON.parse(
      await sh('nsenter', [`--net=${netnsPath}`, 'ip', '-json', '-4', 'addr', 'show']),
    ) as {
      ifname: string;
      addr_info: { local: string }[];
    }[];
    expect(addrs.map((a) => `${a.ifname}=${a.addr_info.map((i) => i.local).join(',')}`).sort()).toEqual([
      'eth0=10.88.0.2',
      'eth1=10.89.0.2',
      'lo=127.0.0.1',
    ]);
    const cli = await run(1, client);
    const exit = await cli.wait();
    const lines = (await allLogs(cli)).map((l) => `${l.stream}: ${l.line}`);
    expect(exit, lines.join('\n')).toEqual({ exitCode: 0 });
    expect(lines).toContain('stdout: hello over the overlay');
    console.log(`overlay: two tasks plumbed and talking in ${(performance.now() - started).toFixed(0)} ms`);
    const until = Date.now() + 5000;
    while ((await web.inspect()).health !== 'healthy' && Date.now() < until)
      await new Promise((r) => setTimeout(r, 100));
    expect((await web.inspect()).health).toBe('healthy');
  }, 30_000);

  it('a restarted agent adopts the running task: same interfaces, peers kept, still reachable', async () => {
    const n = node(0);
    const netnsPath = n.hook.netnsPathOf(server.id);
    const links = async (): Promise<string> =>
      (await sh('nsenter', [`--net=${netnsPath}`, 'ip', '-o', 'link', 'show'])).replace(/\s+link\/.*$/gm, '');
    const before = await links();
    await n.hook.close();
    // A stale namespace of a task removed while the agent was down is swept.
    const stale = join(n.netnsDir, 'task-gone');
    await NATIVE_NETNS_FILES.create(stale);
    n.hook = new TaskNetworks({
      driver: new OverlayDriver({
        localVtep: n.host.vtep,
        hostNetnsPath: n.host.path,
        sandboxDir: n.netnsDir,
      }),
      netnsDir: n.netnsDir,
      files: NATIVE_NETNS_FILES,
      mode: 'enter',
      settings: {},
      log: silentLogger(),
    });
    await n.hook.resume([server]);
    expect(await links()).toBe(before); // same ifindexes: nothing was re-created
    expect(NATIVE_NETNS_FILES.exists(stale)).toBe(false);
    const neigh = await sh('nsenter', [
      `--net=${join(n.netnsDir, `ov-${net.id}`)}`,
      'ip',
      'neigh',
      'show',
      'dev',
      'vxlan0',
    ]);
    expect(neigh).toContain('10.88.0.3'); // the peer table came back from dataplane.json
    const probe = attachedTask(
      specTask('probe', { image: 'busybox', command: ['sh', '-c', `${GET} | nc -w 2 10.88.0.2 8080`] }),
      [{ network: net, address: '10.88.0.4/24' }],
    );
    // The dispatcher's next table: the probe's endpoint joins (the client's is gone).
    await node(0).hook.setPeers([
      { networkId: net.id, ip: '10.88.0.4', mac: '', nodeAddr: node(1).host.vtep },
    ]);
    const c = await run(1, probe);
    expect(await c.wait()).toEqual({ exitCode: 0 });
    expect((await allLogs(c)).map((l) => l.line)).toContain('hello over the overlay');
    await c.remove();
    await node(1).hook.release(probe.id);
  }, 30_000);

  it('removal leaves no sandbox, task namespace, interface or VXLAN socket', async () => {
    for (const [i, t] of [server, client].entries()) {
      await controllers[i]?.remove();
      await node(i).hook.release(t.id);
    }
    for (const n of nodes) {
      expect((await readdir(n.netnsDir)).filter((f) => f !== 'dataplane.json')).toEqual([]);
      const names = (await ipJson<{ ifname: string }[]>(n.host.name, ['link', 'show'])).map((l) => l.ifname);
      expect(names.sort()).toEqual(['lo', 'ul0']);
      expect(await sh('ip', ['netns', 'exec', n.host.name, 'ss', '-Huln', 'sport = :4789'])).toBe('');
    }
  }, 20_000);
});
