/**
 * The overlay benchmark's setup, built as worker/network/overlay.integration.test.ts builds it: two
 * "hosts" from TestLab (namespaces on a private veth underlay, random `nt<hex>` prefix), an
 * OverlayDriver per host whose sandboxes live in /run/netns under the host's name (so `lab.destroy()`
 * removes them too), and per overlay network one task namespace per host, attached and peered.
 */
import { randomBytes } from 'node:crypto';
import { OverlayDriver } from '../../worker/network/driver.ts';
import type { OverlayNetwork } from '../../worker/network/plan.ts';
import type { TestHost, TestLab } from '../../worker/network/testkit.ts';
import type { Path } from './measure.ts';

/** True when this build's OverlayDriver has encrypted overlays (`setKeys`). */
export function encryptionAvailable(): boolean {
  return typeof (OverlayDriver.prototype as unknown as Record<string, unknown>)['setKeys'] === 'function';
}

/** One overlay case: the network and the name of its Path. */
interface OverlayCase {
  readonly path: Extract<Path['name'], 'overlay' | 'encrypted'>;
  readonly network: OverlayNetwork;
}

/** Task i (0-based, host i) has `<subnet>.1{1+i}`; the gateway is `.1`. */
const taskIp = (n: OverlayNetwork, i: number): string => n.gateway.replace(/\.1$/, `.${11 + i}`);

/**
 * Builds hosts A and B, a driver per host (pushed onto `drivers` as soon as it exists, so the caller
 * can close them even when a later step fails) and the given cases; returns the Paths from A to B:
 * the underlay first, then one per overlay case.
 */
export async function buildTopology(
  lab: TestLab,
  drivers: OverlayDriver[],
  encrypted: boolean,
): Promise<Path[]> {
  const [a, b] = (await lab.createHosts(2)) as [TestHost, TestHost];
  const vni = 4096 + (randomBytes(3).readUIntBE(0, 3) % 1_000_000);
  const cases: OverlayCase[] = [
    { path: 'overlay', network: { id: 'bench', vni, subnet: '10.88.0.0/24', gateway: '10.88.0.1' } },
  ];
  if (encrypted)
    cases.push({
      path: 'encrypted',
      network: {
        id: 'benchenc',
        vni: vni + 1,
        subnet: '10.89.0.0/24',
        gateway: '10.89.0.1',
        encrypted: true,
      },
    });
  const keys = [1, 2, 3].map((lamportTime) => ({ key: randomBytes(16), lamportTime }));
  for (const [i, h] of [a, b].entries()) {
    const d = new OverlayDriver({
      localVtep: h.vtep,
      hostNetnsPath: h.path,
      sandboxDir: '/run/netns',
      sandboxPrefix: `${h.name}-ov-`,
    });
    drivers.push(d);
    if (encrypted) await d.setKeys(keys);
    for (const c of cases) await attach(lab, d, c.network, i, [a, b]);
  }
  return [
    { name: 'underlay', client: a.name, server: b.name, serverIp: b.vtep },
    ...cases.map((c) => ({
      name: c.path,
      client: `${lab.prefix}-${c.network.id}1`,
      server: `${lab.prefix}-${c.network.id}2`,
      serverIp: taskIp(c.network, 1),
    })),
  ];
}

/** Host i's side of network n: the network, task namespace `<prefix>-<network id><i+1>`, peers. */
async function attach(
  lab: TestLab,
  d: OverlayDriver,
  n: OverlayNetwork,
  i: number,
  hosts: readonly TestHost[],
): Promise<void> {
  const ns = await lab.addNetns(`${n.id}${i + 1}`);
  await d.ensureNetwork(n);
  await d.attachTask(n.id, { taskId: `t${i + 1}`, netnsPath: ns.path, address: `${taskIp(n, i)}/24` });
  await d.setPeers(
    n.id,
    hosts.map((h, j) => ({ ip: taskIp(n, j), vtep: h.vtep })),
  );
}
