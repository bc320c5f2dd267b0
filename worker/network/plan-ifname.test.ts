/**
 * A task on several networks: each attachment names its interface (`eth1`, …) and whether it carries
 * the default route; the planner plumbs, checks and repairs that interface only.
 */
import { describe, expect, it } from 'vitest';
import { macFromIp, vethNameFor } from './addr.ts';
import type { DesiredNetwork, ObservedNetwork, PlanOp } from './plan.ts';
import { EMPTY_OBSERVED, overlayMtu, planNetwork, taskIfname } from './plan.ts';

const SB = '/run/shoal/netns/ov-blue';
const T1 = '/run/shoal/netns/task-t1';

const d: DesiredNetwork = {
  network: { id: 'blue', vni: 4098, subnet: '10.2.0.0/24', gateway: '10.2.0.1' },
  hostNetnsPath: '/proc/1/ns/net',
  sandboxPath: SB,
  localVtep: '192.168.1.1',
  tasks: [{ taskId: 't1', netnsPath: T1, address: '10.2.0.5/24', ifname: 'eth1', defaultRoute: false }],
  peers: [],
};

const taskOps = (ops: readonly PlanOp[]): PlanOp[] => ops.filter((o) => 'ns' in o && o.ns === T1);

describe('planNetwork with a named, route-less task interface', () => {
  it('defaults to eth0', () => {
    expect(taskIfname({})).toBe('eth0');
    expect(taskIfname({ ifname: 'eth2' })).toBe('eth2');
  });

  it('creates the veth peer as eth1 with its address and no default route', () => {
    const ops = planNetwork(d, EMPTY_OBSERVED);
    expect(ops).toContainEqual({
      op: 'addVeth',
      ns: SB,
      name: vethNameFor('t1'),
      peerNs: T1,
      peerName: 'eth1',
      peerMac: macFromIp('10.2.0.5'),
      mtu: 1450,
    });
    expect(taskOps(ops)).toEqual([
      { op: 'up', ns: T1, name: 'eth1' },
      { op: 'up', ns: T1, name: 'lo' },
      { op: 'addAddress', ns: T1, name: 'eth1', cidr: '10.2.0.5/24' },
    ]);
  });

  it('leaves a converged eth1 alone, even with eth0 and another default route beside it', () => {
    const mtu = overlayMtu(d.network);
    const observed: ObservedNetwork = {
      sandboxExists: true,
      links: [
        { name: 'lo', mtu: 65536, up: true },
        { name: 'br0', kind: 'bridge', mtu, up: true },
        {
          name: 'vxlan0',
          kind: 'vxlan',
          mtu,
          up: true,
          master: 'br0',
          vxlan: { vni: 4098, port: 4789, learning: false, proxy: true },
        },
        { name: vethNameFor('t1'), kind: 'veth', mtu, up: true, master: 'br0' },
      ],
      addresses: [{ ifname: 'br0', cidr: '10.2.0.1/24' }],
      neighbors: [],
      fdb: [],
      tasks: new Map([
        [
          't1',
          {
            netnsExists: true,
            links: [
              { name: 'lo', mtu: 65536, up: true },
              { name: 'eth1', kind: 'veth', mtu, up: true, mac: macFromIp('10.2.0.5') },
            ],
            addresses: [{ ifname: 'eth1', cidr: '10.2.0.5/24' }],
            routes: [{ dst: 'default', via: '10.1.0.1', dev: 'eth0' }],
          },
        ],
      ]),
    };
    expect(planNetwork(d, observed)).toEqual([]);
  });
});
