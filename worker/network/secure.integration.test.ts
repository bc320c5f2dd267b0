/**
 * Root-only: an encrypted overlay (tap0 + sealed UDP, secure/) between two namespaced hosts through
 * real OverlayDrivers: traffic with the same keys, across a key rotation, none with another node's keys,
 * and a driver that closes even when its sandbox was deleted behind its back. Everything carries a
 * random prefix and is deleted in afterAll.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OverlayDriver } from './driver.ts';
import { netnsAddonAvailable } from './native.ts';
import type { OverlayNetwork, TaskAttachment } from './plan.ts';
import type { TestHost } from './testkit.ts';
import { TestLab, hasIputilsPing, ipJson, rootSkipReason, sh, status } from './testkit.ts';

const skip = rootSkipReason() ?? (netnsAddonAvailable() ? undefined : 'the shoal_netns addon is not built');
if (skip !== undefined) console.log(`worker/network encrypted overlay tests skipped: ${skip}`);

const keys = (...ts: number[]): { key: Buffer; lamportTime: number }[] =>
  ts.map((t) => ({ key: Buffer.alloc(16, t), lamportTime: t }));

describe.skipIf(skip !== undefined)('encrypted overlay between two namespaced hosts', () => {
  const lab = new TestLab();
  const net: OverlayNetwork = {
    id: 'sec1',
    vni: 4097 + (randomBytes(3).readUIntBE(0, 3) % 100_000),
    subnet: '10.78.0.0/24',
    gateway: '10.78.0.1',
    encrypted: true,
  };
  let hosts: TestHost[] = [];
  let drivers: OverlayDriver[] = [];
  const tasks: (TaskAttachment & { ns: string })[] = [];

  const ping = (from: number, ip: string): Promise<number> =>
    status('ip', ['netns', 'exec', tasks[from]?.ns ?? '', 'ping', '-c', '1', '-W', '1', ip]);

  beforeAll(async () => {
    expect(await hasIputilsPing()).toBe(true);
    hosts = await lab.createHosts(2);
    drivers = hosts.map(
      (h) =>
        new OverlayDriver({
          localVtep: h.vtep,
          hostNetnsPath: h.path,
          sandboxDir: '/run/netns',
          sandboxPrefix: `${h.name}-ov-`,
        }),
    );
    for (const [i] of hosts.entries()) {
      const t = await lab.addNetns(`t${i + 1}`);
      tasks.push({ taskId: `task${i + 1}`, netnsPath: t.path, address: `10.78.0.${11 + i}/24`, ns: t.name });
    }
    const peers = tasks.map((t, i) => ({ ip: t.address.split('/')[0] ?? '', vtep: hosts[i]?.vtep ?? '' }));
    for (const [i, d] of drivers.entries()) {
      await d.setKeys(keys(1, 2, 3));
      await d.ensureNetwork(net);
      await d.attachTask(net.id, tasks[i] as TaskAttachment);
      await d.setPeers(net.id, peers);
    }
  });

  afterAll(async () => {
    for (const d of drivers) await d.close();
    await lab.destroy();
    expect(lab.ownNetns()).toEqual([]);
  });

  it('builds tap0 in place of vxlan0, with room for the sealing', async () => {
    const links = await ipJson<{ ifname: string; mtu: number; master?: string }[]>(
      `${hosts[0]?.name ?? ''}-ov-${net.id}`,
      ['link', 'show'],
    );
    expect(links.map((l) => l.ifname).sort()).toEqual(['br0', 'lo', 'tap0', expect.stringMatching(/^vt/)]);
    expect(links.find((l) => l.ifname === 'tap0')).toMatchObject({ mtu: 1418, master: 'br0' });
    // no VXLAN socket: sealed frames go over the transport's UDP port (4789 + 1) in the host namespace
    const udp = await sh('ip', ['netns', 'exec', hosts[0]?.name ?? '', 'ss', '-Huln']);
    expect(udp).toContain(':4790');
    expect(udp).not.toContain(':4789');
  });

  it('carries traffic with the same keys, and across a rotation', async () => {
    expect(await ping(0, '10.78.0.12')).toBe(0);
    expect(await ping(1, '10.78.0.11')).toBe(0);
    // host 1 rotates first: it seals with key 3 now, host 2 still has 3 in its list and opens it
    await drivers[0]?.setKeys(keys(2, 3, 4));
    expect(await ping(0, '10.78.0.12')).toBe(0);
    await drivers[1]?.setKeys(keys(2, 3, 4));
    expect(await ping(1, '10.78.0.11')).toBe(0);
    expect(drivers[0]?.secureStats()?.sealed).toBeGreaterThan(0);
  });

  it('carries nothing when the other node has other keys', async () => {
    const before = drivers[1]?.secureStats()?.droppedBadPacket ?? 0;
    await drivers[0]?.setKeys([2, 3, 4].map((t) => ({ key: Buffer.alloc(16, 100 + t), lamportTime: t })));
    expect(await ping(0, '10.78.0.12')).not.toBe(0);
    expect(drivers[1]?.secureStats()?.droppedBadPacket ?? 0).toBeGreaterThan(before);
    await drivers[0]?.setKeys(keys(2, 3, 4));
    expect(await ping(0, '10.78.0.12')).toBe(0);
  });

  it('closes even when its sandbox was deleted behind its back', async () => {
    const d = drivers[1];
    await sh('ip', ['netns', 'del', `${hosts[1]?.name ?? ''}-ov-${net.id}`]);
    const started = Date.now();
    await d?.close();
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
