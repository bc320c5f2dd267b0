import { describe, expect, it } from 'vitest';
import { isTaskVethName, macFromIp, vethNameFor } from './addr.ts';
import type { LinkInfo } from './netns.ts';
import type { DesiredNetwork, ObservedNetwork, ObservedTask, PlanOp } from './plan.ts';
import { EMPTY_OBSERVED, effectivePeers, overlayMtu, planNetwork, planTeardown } from './plan.ts';

const SB = '/run/shoal/netns/ov-net1';
const HOST = '/proc/1/ns/net';
const T1 = '/proc/100/ns/net';
const T2 = '/proc/200/ns/net';

function desired(over: Partial<DesiredNetwork> = {}): DesiredNetwork {
  return {
    network: { id: 'net1', vni: 4097, subnet: '10.0.9.0/24', gateway: '10.0.9.1' },
    hostNetnsPath: HOST,
    sandboxPath: SB,
    localVtep: '192.168.1.1',
    tasks: [{ taskId: 'task1', netnsPath: T1, address: '10.0.9.2/24' }],
    peers: [{ ip: '10.0.9.3', vtep: '192.168.1.2' }],
    ...over,
  };
}

/** The state a successful apply of desired() leaves behind. */
function converged(d: DesiredNetwork = desired()): ObservedNetwork {
  const mtu = overlayMtu(d.network);
  const links: LinkInfo[] = [
    { name: 'lo', mtu: 65536, up: true },
    { name: 'br0', kind: 'bridge', mtu, up: true },
    {
      name: 'vxlan0',
      kind: 'vxlan',
      mtu,
      up: true,
      master: 'br0',
      vxlan: { vni: d.network.vni, port: 4789, learning: false, proxy: true },
    },
    ...d.tasks.map((t) => ({ name: vethNameFor(t.taskId), kind: 'veth', mtu, up: true, master: 'br0' })),
  ];
  const tasks = new Map<string, ObservedTask>(
    d.tasks.map((t) => [
      t.taskId,
      {
        netnsExists: true,
        links: [
          { name: 'lo', mtu: 65536, up: true },
          { name: 'eth0', kind: 'veth', mtu, up: true, mac: macFromIp(t.address.split('/')[0] ?? '') },
        ],
        addresses: [{ ifname: 'eth0', cidr: t.address }],
        routes: [{ dst: 'default', via: d.network.gateway, dev: 'eth0' }],
      },
    ]),
  );
  const peers = [...effectivePeers(d)];
  return {
    sandboxExists: true,
    links,
    addresses: [{ ifname: 'br0', cidr: '10.0.9.1/24' }],
    neighbors: peers.map(([ip, p]) => ({ ifname: 'vxlan0', ip, mac: p.mac, permanent: true })),
    fdb: peers.map(([, p]) => ({ ifname: 'vxlan0', mac: p.mac, dst: p.vtep })),
    tasks,
  };
}

const kinds = (ops: readonly PlanOp[]): string[] => ops.map((o) => o.op);

describe('addresses', () => {
  it('derives the MAC from the IP like Docker', () => {
    expect(macFromIp('10.0.9.2')).toBe('02:42:0a:00:09:02');
  });
  it('names veths deterministically within IFNAMSIZ', () => {
    const n = vethNameFor('abcdefghijklmnopqrstuvwxy');
    expect(n).toHaveLength(14);
    expect(isTaskVethName(n)).toBe(true);
    expect(vethNameFor('abcdefghijklmnopqrstuvwxy')).toBe(n);
  });
});

describe('planNetwork from nothing', () => {
  const d = desired();
  const ops = planNetwork(d, {
    ...EMPTY_OBSERVED,
    tasks: new Map([['task1', { netnsExists: true, links: [], addresses: [], routes: [] }]]),
  });

  it('builds sandbox, bridge, vxlan, task and peers in dependency order', () => {
    expect(kinds(ops)).toEqual([
      'createNetns',
      'up', // lo in the sandbox
      'addBridge',
      'addAddress',
      'up',
      'addVxlan',
      'setMaster',
      'up',
      'addVeth',
      'setMaster',
      'up',
      'up', // eth0
      'up', // lo in the task
      'addAddress',
      'addRoute',
      'addNeighbor',
      'addFdb',
    ]);
  });

  it('creates vxlan0 from the host namespace into the sandbox, MTU = underlay − 50', () => {
    expect(ops).toContainEqual({
      op: 'addVxlan',
      ns: HOST,
      into: SB,
      name: 'vxlan0',
      vni: 4097,
      port: 4789,
      mtu: 1450,
    });
    expect(ops).toContainEqual({ op: 'addBridge', ns: SB, name: 'br0', mtu: 1450 });
    expect(ops).toContainEqual({ op: 'addAddress', ns: SB, name: 'br0', cidr: '10.0.9.1/24' });
  });

  it('plumbs the task: eth0 with derived MAC, its IP and a default route via the gateway', () => {
    expect(ops).toContainEqual({
      op: 'addVeth',
      ns: SB,
      name: vethNameFor('task1'),
      peerNs: T1,
      peerName: 'eth0',
      peerMac: '02:42:0a:00:09:02',
      mtu: 1450,
    });
    expect(ops).toContainEqual({ op: 'addAddress', ns: T1, name: 'eth0', cidr: '10.0.9.2/24' });
    expect(ops).toContainEqual({ op: 'addRoute', ns: T1, dst: 'default', via: '10.0.9.1' });
  });

  it('programs each remote peer as an ARP entry plus an FDB entry to its VTEP', () => {
    expect(ops).toContainEqual({
      op: 'addNeighbor',
      ns: SB,
      name: 'vxlan0',
      ip: '10.0.9.3',
      mac: '02:42:0a:00:09:03',
    });
    expect(ops).toContainEqual({
      op: 'addFdb',
      ns: SB,
      name: 'vxlan0',
      mac: '02:42:0a:00:09:03',
      dst: '192.168.1.2',
    });
  });

  it('honours data path port and underlay MTU', () => {
    const d2 = desired({ network: { ...d.network, dataPathPort: 4790, underlayMtu: 9000 } });
    const vx = planNetwork(d2, EMPTY_OBSERVED).find((o) => o.op === 'addVxlan');
    expect(vx).toMatchObject({ port: 4790, mtu: 8950 });
  });
});

describe('planNetwork against what exists', () => {
  it('is empty when everything is in place (no duplicates after a restart)', () => {
    expect(planNetwork(desired(), converged())).toEqual([]);
  });

  it('adds a new peer and removes a stale one, removals first', () => {
    const before = converged();
    const d = desired({ peers: [{ ip: '10.0.9.4', vtep: '192.168.1.3' }] });
    expect(planNetwork(d, before)).toEqual([
      { op: 'delNeighbor', ns: SB, name: 'vxlan0', ip: '10.0.9.3' },
      { op: 'delFdb', ns: SB, name: 'vxlan0', mac: '02:42:0a:00:09:03', dst: '192.168.1.2' },
      { op: 'addNeighbor', ns: SB, name: 'vxlan0', ip: '10.0.9.4', mac: '02:42:0a:00:09:04' },
      { op: 'addFdb', ns: SB, name: 'vxlan0', mac: '02:42:0a:00:09:04', dst: '192.168.1.3' },
    ]);
  });

  it('re-points an IP that moved to another node', () => {
    const d = desired({ peers: [{ ip: '10.0.9.3', vtep: '192.168.1.9' }] });
    expect(planNetwork(d, converged())).toEqual([
      { op: 'delFdb', ns: SB, name: 'vxlan0', mac: '02:42:0a:00:09:03', dst: '192.168.1.2' },
      { op: 'addFdb', ns: SB, name: 'vxlan0', mac: '02:42:0a:00:09:03', dst: '192.168.1.9' },
    ]);
  });

  it('skips peers behind the local VTEP and peers that collide with a local task', () => {
    const d = desired({
      peers: [
        { ip: '10.0.9.3', vtep: '192.168.1.2' },
        { ip: '10.0.9.5', vtep: '192.168.1.1' },
        { ip: '10.0.9.2', vtep: '192.168.1.2' },
      ],
    });
    expect(planNetwork(d, converged())).toEqual([]);
  });

  it('removes the veth of a task that is no longer desired', () => {
    const before = converged();
    expect(planNetwork(desired({ tasks: [] }), before)).toEqual([
      { op: 'delLink', ns: SB, name: vethNameFor('task1') },
    ]);
  });

  it('attaches a second task without touching the first', () => {
    const d1 = desired();
    const d2 = desired({ tasks: [...d1.tasks, { taskId: 'task2', netnsPath: T2, address: '10.0.9.7/24' }] });
    const obs = converged(d1);
    const tasks = new Map(obs.tasks).set('task2', {
      netnsExists: true,
      links: [],
      addresses: [],
      routes: [],
    });
    const ops = planNetwork(d2, { ...obs, tasks });
    expect(ops.every((o) => !('ns' in o) || o.ns === T2 || o.ns === SB)).toBe(true);
    expect(ops.filter((o) => o.op === 'addVeth')).toHaveLength(1);
    expect(ops).toContainEqual({ op: 'addAddress', ns: T2, name: 'eth0', cidr: '10.0.9.7/24' });
  });

  it('skips a task whose namespace is gone', () => {
    const obs = converged();
    const tasks = new Map(obs.tasks).set('task1', {
      netnsExists: false,
      links: [],
      addresses: [],
      routes: [],
    });
    const links = obs.links.filter((l) => l.name !== vethNameFor('task1'));
    expect(planNetwork(desired(), { ...obs, links, tasks })).toEqual([]);
  });

  it('recreates a veth whose task end is missing', () => {
    const obs = converged();
    const tasks = new Map(obs.tasks).set('task1', {
      netnsExists: true,
      links: [],
      addresses: [],
      routes: [],
    });
    expect(kinds(planNetwork(desired(), { ...obs, tasks }))).toEqual([
      'delLink',
      'addVeth',
      'setMaster',
      'up',
      'up',
      'up',
      'addAddress',
      'addRoute',
    ]);
  });

  it('fixes a wrong address and a missing default route in the task', () => {
    const obs = converged();
    const t = obs.tasks.get('task1');
    if (t === undefined) throw new Error('fixture');
    const tasks = new Map(obs.tasks).set('task1', {
      ...t,
      addresses: [{ ifname: 'eth0', cidr: '10.0.9.99/24' }],
      routes: [],
    });
    expect(planNetwork(desired(), { ...obs, tasks })).toEqual([
      { op: 'delAddress', ns: T1, name: 'eth0', cidr: '10.0.9.99/24' },
      { op: 'addAddress', ns: T1, name: 'eth0', cidr: '10.0.9.2/24' },
      { op: 'addRoute', ns: T1, dst: 'default', via: '10.0.9.1' },
    ]);
  });

  it('recreates vxlan0 with the wrong VNI and then re-adds every peer', () => {
    const obs = converged();
    const links = obs.links.map((l) =>
      l.name === 'vxlan0' && l.vxlan !== undefined ? { ...l, vxlan: { ...l.vxlan, vni: 9999 } } : l,
    );
    expect(kinds(planNetwork(desired(), { ...obs, links }))).toEqual([
      'delLink',
      'addVxlan',
      'setMaster',
      'up',
      'addNeighbor',
      'addFdb',
    ]);
  });

  it('brings up what is down and fixes MTUs', () => {
    const obs = converged();
    const links = obs.links.map((l) => (l.name === 'br0' ? { ...l, up: false, mtu: 1500 } : l));
    expect(planNetwork(desired(), { ...obs, links })).toEqual([
      { op: 'setMtu', ns: SB, name: 'br0', mtu: 1450 },
      { op: 'up', ns: SB, name: 'br0' },
    ]);
  });
});

describe('planTeardown', () => {
  it('deletes veths, vxlan0, br0, then the sandbox', () => {
    expect(planTeardown(desired(), converged())).toEqual([
      { op: 'delLink', ns: SB, name: vethNameFor('task1') },
      { op: 'delLink', ns: SB, name: 'vxlan0' },
      { op: 'delLink', ns: SB, name: 'br0' },
      { op: 'removeNetns', path: SB },
    ]);
  });

  it('does nothing when the sandbox is gone', () => {
    expect(planTeardown(desired(), EMPTY_OBSERVED)).toEqual([]);
  });
});
