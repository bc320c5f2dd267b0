/**
 * Root-only: three "hosts" (network namespaces) on a private underlay, an OverlayDriver per host, a
 * task namespace per host, and real traffic across the overlay. Skips, saying why, without root or
 * iproute2. Everything it creates carries a random prefix and is deleted in afterAll.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vethNameFor } from './addr.ts';
import { OverlayDriver } from './driver.ts';
import type { OverlayState } from './driver.ts';
import { NetlinkError } from './errors.ts';
import { NetNs } from './netns.ts';
import type { OverlayNetwork, Peer, TaskAttachment } from './plan.ts';
import type { TestHost } from './testkit.ts';
import { TestLab, hasIputilsPing, ipJson, rootSkipReason, sh, status } from './testkit.ts';

const skip = rootSkipReason();
if (skip !== undefined) console.log(`worker/network integration tests skipped: ${skip}`);

interface Link {
  ifname: string;
  mtu: number;
  master?: string;
  linkinfo?: {
    info_kind?: string;
    info_data?: { id?: number; port?: number; learning?: boolean; proxy?: boolean };
  };
}

describe.skipIf(skip !== undefined)('overlay across three namespaced hosts', () => {
  const lab = new TestLab();
  const net: OverlayNetwork = {
    id: 'n1',
    vni: 4097 + Math.floor(Math.random() * 100_000),
    subnet: '10.77.0.0/24',
    gateway: '10.77.0.1',
  };
  let hosts: TestHost[] = [];
  let drivers: OverlayDriver[] = [];
  const tasks: (TaskAttachment & { ns: string })[] = [];
  let peers: Peer[] = [];
  let iputils = false;

  const driverFor = (h: TestHost): OverlayDriver =>
    new OverlayDriver({
      localVtep: h.vtep,
      hostNetnsPath: h.path,
      sandboxDir: '/run/netns',
      sandboxPrefix: `${h.name}-ov-`,
    });
  const sandboxOf = (i: number): string => `${hosts[i]?.name ?? '?'}-ov-${net.id}`;
  const ping = (from: string, ip: string, extra: string[] = []): Promise<number> =>
    status('ip', ['netns', 'exec', from, 'ping', '-c', '1', '-W', '1', ...extra, ip]);
  const stateFor = (i: number): OverlayState => ({
    networks: [{ network: net, tasks: [tasks[i] as TaskAttachment], peers }],
  });

  beforeAll(async () => {
    iputils = await hasIputilsPing();
    if (!iputils) console.log('iputils ping missing: connectivity and MTU boundary checks are skipped');
    hosts = await lab.createHosts(3);
    drivers = hosts.map(driverFor);
    for (const [i] of hosts.entries()) {
      const t = await lab.addNetns(`t${i + 1}`);
      tasks.push({ taskId: `task${i + 1}`, netnsPath: t.path, address: `10.77.0.${11 + i}/24`, ns: t.name });
    }
    peers = tasks.map((t, i) => ({ ip: t.address.split('/')[0] ?? '', vtep: hosts[i]?.vtep ?? '' }));
  });

  afterAll(async () => {
    for (const d of drivers) await d.close();
    await lab.destroy();
    expect(lab.ownNetns()).toEqual([]);
  });

  it('builds the overlay on every host', async () => {
    const started = performance.now();
    for (const [i, d] of drivers.entries()) {
      await d.ensureNetwork(net);
      await d.attachTask(net.id, tasks[i] as TaskAttachment);
      await d.setPeers(net.id, peers);
    }
    console.log(`overlay on 3 hosts built in ${(performance.now() - started).toFixed(1)} ms`);
    const links = await ipJson<Link[]>(sandboxOf(0), ['-d', 'link', 'show']);
    const vx = links.find((l) => l.ifname === 'vxlan0');
    expect(vx).toMatchObject({ mtu: 1450, master: 'br0' });
    expect(vx?.linkinfo?.info_data).toMatchObject({ id: net.vni, port: 4789, learning: false, proxy: true });
    expect(links.find((l) => l.ifname === 'br0')?.mtu).toBe(1450);
    const eth0 = await ipJson<(Link & { address: string })[]>(tasks[0]?.ns, ['link', 'show', 'eth0']);
    expect(eth0[0]).toMatchObject({ mtu: 1450, address: '02:42:0a:4d:00:0b' });
    // The VXLAN socket is bound in the host namespace, not in the sandbox.
    expect(await sh('ip', ['netns', 'exec', hosts[0]?.name ?? '', 'ss', '-Huln', 'sport = :4789'])).toContain(
      '4789',
    );
    expect(await sh('ip', ['netns', 'exec', sandboxOf(0), 'ss', '-Huln', 'sport = :4789'])).toBe('');
  });

  it('carries pings between tasks on different hosts', async ({ skip: skipTest }) => {
    if (!iputils) skipTest();
    expect(await ping(tasks[0]?.ns ?? '', '10.77.0.12')).toBe(0);
    expect(await ping(tasks[0]?.ns ?? '', '10.77.0.13')).toBe(0);
    expect(await ping(tasks[1]?.ns ?? '', '10.77.0.13')).toBe(0);
    expect(await ping(tasks[2]?.ns ?? '', '10.77.0.1')).toBe(0); // its own gateway
  });

  it('holds the MTU 1450 boundary: 1422 bytes with DF pass, 1423 do not', async ({ skip: skipTest }) => {
    if (!iputils) skipTest();
    expect(await ping(tasks[0]?.ns ?? '', '10.77.0.12', ['-M', 'do', '-s', '1422'])).toBe(0);
    expect(await ping(tasks[0]?.ns ?? '', '10.77.0.12', ['-M', 'do', '-s', '1423'])).not.toBe(0);
  });

  it('adopts everything after a restart without changing or duplicating anything', async () => {
    await drivers[0]?.close();
    const fresh = driverFor(hosts[0] as TestHost);
    drivers[0] = fresh;
    // A sandbox of a network removed while the agent was down.
    const orphan = await lab.addNetns(`h1-ov-gone`);
    const report = await fresh.reconcile(stateFor(0));
    expect(report.applied.get(net.id)).toEqual([]);
    expect(report.removedSandboxes).toEqual([orphan.path]);
    expect(lab.ownNetns()).not.toContain(orphan.name);
    // Repeating calls is harmless too.
    expect(await fresh.setPeers(net.id, peers)).toEqual([]);
    expect(await fresh.attachTask(net.id, tasks[0] as TaskAttachment)).toEqual([]);
    const fdb = JSON.parse(
      await sh('bridge', ['-n', sandboxOf(0), '-json', 'fdb', 'show', 'dev', 'vxlan0']),
    ) as { mac: string; dst?: string }[];
    expect(
      fdb
        .filter((f) => f.dst !== undefined)
        .map((f) => `${f.mac}>${f.dst}`)
        .sort(),
    ).toEqual(['02:42:0a:4d:00:0c>172.30.0.12', '02:42:0a:4d:00:0d>172.30.0.13']);
    const neigh = await ipJson<{ dst: string }[]>(sandboxOf(0), ['neigh', 'show', 'dev', 'vxlan0']);
    expect(neigh.map((n) => n.dst).sort()).toEqual(['10.77.0.12', '10.77.0.13']);
    const routes = await ipJson<{ dst: string }[]>(tasks[0]?.ns, ['route', 'show', 'default']);
    expect(routes).toHaveLength(1);
    if (iputils) expect(await ping(tasks[0]?.ns ?? '', '10.77.0.13')).toBe(0);
  });

  it('repairs drift: a deleted FDB entry and a deleted address come back', async () => {
    await sh('bridge', [
      '-n',
      sandboxOf(0),
      'fdb',
      'del',
      '02:42:0a:4d:00:0c',
      'dev',
      'vxlan0',
      'dst',
      '172.30.0.12',
      'self',
    ]);
    await sh('ip', ['-n', tasks[0]?.ns ?? '', 'addr', 'flush', 'dev', 'eth0']);
    const ops = (await drivers[0]?.reconcile())?.applied.get(net.id) ?? [];
    expect(ops.map((o) => o.op).sort()).toEqual(['addAddress', 'addFdb', 'addRoute']);
    if (iputils) expect(await ping(tasks[0]?.ns ?? '', '10.77.0.12')).toBe(0);
  });

  it('drops a peer and detaches a task', async () => {
    const remaining = peers.filter((p) => p.ip !== '10.77.0.13');
    await drivers[0]?.setPeers(net.id, remaining);
    const neigh = await ipJson<{ dst: string }[]>(sandboxOf(0), ['neigh', 'show', 'dev', 'vxlan0']);
    expect(neigh.map((n) => n.dst)).toEqual(['10.77.0.12']);
    await drivers[2]?.detachTask(net.id, 'task3');
    expect(await ipJson(tasks[2]?.ns, ['link', 'show'])).toHaveLength(1); // lo only
    expect(await ipJson(sandboxOf(2), ['link', 'show', vethNameFor('task3')]).catch(() => [])).toEqual([]);
  });

  it('tears down everything it made', async () => {
    for (const d of drivers) await d.removeNetwork(net.id);
    const left = lab.ownNetns().filter((n) => n.includes('-ov-'));
    expect(left).toEqual([]);
    // only this run's namespaces: other tests (and benchmarks) may have sandboxes of their own
    const mine = (await sh('ip', ['netns', 'list'])).split('\n').filter((l) => l.startsWith(lab.prefix));
    expect(mine.filter((l) => l.includes('-ov-'))).toEqual([]);
    for (const [i, h] of hosts.entries()) {
      const names = (await ipJson<Link[]>(h.name, ['link', 'show'])).map((l) => l.ifname).sort();
      expect(names).toEqual(['lo', 'ul0']);
      expect(await sh('ip', ['netns', 'exec', h.name, 'ss', '-Huln', 'sport = :4789'])).toBe('');
      const taskLinks = (await ipJson<Link[]>(tasks[i]?.ns, ['link', 'show'])).map((l) => l.ifname);
      expect(taskLinks).toEqual(['lo']);
    }
    // Idempotent.
    expect(await drivers[0]?.removeNetwork(net.id)).toEqual([]);
  });
});

describe.skipIf(skip !== undefined)('NetNs handle', () => {
  const lab = new TestLab();
  let ns: NetNs | undefined;

  beforeAll(async () => {
    const { path } = await lab.addNetns('x');
    ns = await NetNs.open(path);
  });

  afterAll(async () => {
    ns?.close();
    await lab.destroy();
  });

  it('treats EEXIST on add and ENOENT on delete as done', async () => {
    const h = ns as NetNs;
    await h.addBridge('br0', { mtu: 1400 });
    await h.addBridge('br0', { mtu: 1400 });
    await h.addAddress('br0', '10.1.0.1/24');
    await h.addAddress('br0', '10.1.0.1/24');
    expect(await h.listAddresses('br0')).toEqual([{ ifname: 'br0', cidr: '10.1.0.1/24' }]);
    await h.delLink('nosuch');
    await h.delNeighbor('br0', '10.1.0.9');
    await h.delLink('br0');
    await h.delLink('br0');
    expect((await h.listLinks()).map((l) => l.name)).toEqual(['lo']);
  });

  it('reports errors with an errno code and the operation and interface in the message', async () => {
    const err = await (ns as NetNs).setMaster('ghost0', 'br9').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetlinkError);
    expect((err as NetlinkError).code).toBe('ENODEV');
    expect((err as NetlinkError).message).toMatch(/setMaster br9 in \/run\/netns\/nt[0-9a-f]+-x: ENODEV/);
  });

  it('moves a link into another namespace under a new name', async () => {
    const other = await lab.addNetns('y');
    const h2 = await NetNs.open(other.path);
    try {
      await (ns as NetNs).addVeth('va', { peerName: 'vb', mtu: 1400 });
      await (ns as NetNs).moveTo('vb', h2, { newName: 'eth0' });
      expect((await h2.listLinks()).map((l) => l.name).sort()).toEqual(['eth0', 'lo']);
      expect((await (ns as NetNs).getLink('va'))?.kind).toBe('veth');
      await (ns as NetNs).delLink('va');
      expect((await h2.listLinks()).map((l) => l.name)).toEqual(['lo']);
    } finally {
      h2.close();
    }
  });

  it('measures one netlink round trip', async () => {
    const h = ns as NetNs;
    await h.addBridge('brt', { mtu: 1500 });
    const n = 200;
    const started = performance.now();
    for (let i = 0; i < n; i++) await h.up('brt'); // name lookup + setlink: two requests
    const perOpMs = (performance.now() - started) / n;
    console.log(`netlink: ${perOpMs.toFixed(3)} ms per up() (2 requests: name→index, setlink)`);
    expect(perOpMs).toBeLessThan(20);
    await h.delLink('brt');
  });
});
