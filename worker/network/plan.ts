/**
 * The overlay planner: a pure function from (desired, observed) to the list of netlink operations
 * that turns one into the other. No I/O, no clock: unit tests feed it plain objects.
 *
 * Layout per network per node (Docker's): a sandbox namespace holding `br0` (the gateway address)
 * and `vxlan0` (created from the host namespace so its UDP socket binds there, placed directly in the
 * sandbox); per local task a veth whose sandbox end `vt<hash>` is a port of br0 and whose other end
 * is `eth0` in the task's namespace; per remote task an ARP entry and an FDB entry on vxlan0.
 *
 * Order of a plan: sandbox, bridge, vxlan, removals of stale veths and peers, then additions. Deleting
 * stale peers first lets an IP that moved to another node be re-pointed in the same plan.
 */
import type { AddressEntry, FdbEntry, LinkInfo, NeighborEntry, RouteEntry } from './netns.ts';
import { isTaskVethName, macFromIp, parseCidr, vethNameFor } from './addr.ts';
import { SECURE_OVERHEAD_BYTES } from './secure/codec.ts';

/** VXLAN over IPv4 costs 50 bytes: outer Ethernet 14 + IP 20 + UDP 8 + VXLAN 8. */
export const VXLAN_OVERHEAD_BYTES = 50;
export const DEFAULT_DATA_PATH_PORT = 4789;
export const DEFAULT_UNDERLAY_MTU = 1500;
export const BRIDGE = 'br0';
export const VXLAN = 'vxlan0';
/** An encrypted network's port to the other hosts instead of vxlan0 (made by secure/transport.ts). */
export const TAP = 'tap0';
export const TASK_IFNAME = 'eth0';

/** An overlay network as the manager allocated it. */
export interface OverlayNetwork {
  readonly id: string;
  /** In [4096, 2^24 − 1] when allocated by Shoal's manager. */
  readonly vni: number;
  /** `a.b.c.d/n` */
  readonly subnet: string;
  /** Gateway IP inside the subnet; carried by br0. */
  readonly gateway: string;
  /** VXLAN UDP port; default {@link DEFAULT_DATA_PATH_PORT}. */
  readonly dataPathPort?: number;
  /** MTU of the underlay path; the overlay gets this minus {@link VXLAN_OVERHEAD_BYTES}. */
  readonly underlayMtu?: number;
  /**
   * Docker's `-o encrypted`: no vxlan0; br0's port to the other hosts is `tap0`, whose frames shoald
   * seals with the swarm's keys (secure/); the MTU leaves room for that ({@link SECURE_OVERHEAD_BYTES}).
   */
  readonly encrypted?: boolean;
}

/** A local task on the network. */
export interface TaskAttachment {
  readonly taskId: string;
  /** The task's network namespace file (`/proc/<pid>/ns/net`, `/run/netns/<name>`). */
  readonly netnsPath: string;
  /** `a.b.c.d/n`; its MAC is derived from the IP. */
  readonly address: string;
  /**
   * Name of the interface in the task's namespace; default {@link TASK_IFNAME}. A task on several
   * networks gets one per network (`eth0`, `eth1`, …).
   */
  readonly ifname?: string;
  /** Add a default route via the network's gateway (default true); one network per task should. */
  readonly defaultRoute?: boolean;
}

/** The interface name of `t` in its namespace. */
export function taskIfname(t: Pick<TaskAttachment, 'ifname'>): string {
  return t.ifname ?? TASK_IFNAME;
}

/** A task on another node. */
export interface Peer {
  readonly ip: string;
  /** Defaults to the MAC derived from `ip`. */
  readonly mac?: string;
  /** Underlay address of the node running it. */
  readonly vtep: string;
}

/** Everything the node should have for one network. */
export interface DesiredNetwork {
  readonly network: OverlayNetwork;
  readonly hostNetnsPath: string;
  readonly sandboxPath: string;
  /** This node's underlay address; peers behind it are local and skipped. */
  readonly localVtep: string;
  readonly tasks: readonly TaskAttachment[];
  readonly peers: readonly Peer[];
}

/** A task namespace as read back. */
export interface ObservedTask {
  readonly netnsExists: boolean;
  readonly links: readonly LinkInfo[];
  readonly addresses: readonly AddressEntry[];
  readonly routes: readonly RouteEntry[];
}

/** What exists for one network, read back through netlink. */
export interface ObservedNetwork {
  readonly sandboxExists: boolean;
  readonly links: readonly LinkInfo[];
  readonly addresses: readonly AddressEntry[];
  readonly neighbors: readonly NeighborEntry[];
  readonly fdb: readonly FdbEntry[];
  /** Keyed by task ID; only tasks in the desired state are read. */
  readonly tasks: ReadonlyMap<string, ObservedTask>;
}

/** One step; `ns` is the path of the namespace whose netlink socket performs it. */
export type PlanOp =
  | { readonly op: 'createNetns'; readonly path: string }
  | { readonly op: 'removeNetns'; readonly path: string }
  | { readonly op: 'addBridge'; readonly ns: string; readonly name: string; readonly mtu: number }
  | {
      readonly op: 'addVxlan';
      readonly ns: string;
      readonly into: string;
      readonly name: string;
      readonly vni: number;
      readonly port: number;
      readonly mtu: number;
    }
  | {
      readonly op: 'addVeth';
      readonly ns: string;
      readonly name: string;
      readonly peerNs: string;
      readonly peerName: string;
      readonly peerMac: string;
      readonly mtu: number;
    }
  | { readonly op: 'setMaster'; readonly ns: string; readonly name: string; readonly master: string }
  | { readonly op: 'setMtu'; readonly ns: string; readonly name: string; readonly mtu: number }
  | { readonly op: 'up'; readonly ns: string; readonly name: string }
  | { readonly op: 'delLink'; readonly ns: string; readonly name: string }
  | { readonly op: 'addAddress'; readonly ns: string; readonly name: string; readonly cidr: string }
  | { readonly op: 'delAddress'; readonly ns: string; readonly name: string; readonly cidr: string }
  | { readonly op: 'addRoute'; readonly ns: string; readonly dst: 'default'; readonly via: string }
  | {
      readonly op: 'addNeighbor';
      readonly ns: string;
      readonly name: string;
      readonly ip: string;
      readonly mac: string;
    }
  | { readonly op: 'delNeighbor'; readonly ns: string; readonly name: string; readonly ip: string }
  | {
      readonly op: 'addFdb';
      readonly ns: string;
      readonly name: string;
      readonly mac: string;
      readonly dst: string;
    }
  | {
      readonly op: 'delFdb';
      readonly ns: string;
      readonly name: string;
      readonly mac: string;
      readonly dst: string;
    };

/** Nothing exists yet. */
export const EMPTY_OBSERVED: ObservedNetwork = {
  sandboxExists: false,
  links: [],
  addresses: [],
  neighbors: [],
  fdb: [],
  tasks: new Map(),
};

/** MTU of br0, vxlan0 (or tap0) and every veth of the network. */
export function overlayMtu(net: OverlayNetwork): number {
  const overhead = net.encrypted === true ? SECURE_OVERHEAD_BYTES : VXLAN_OVERHEAD_BYTES;
  return (net.underlayMtu ?? DEFAULT_UNDERLAY_MTU) - overhead;
}

/** The operations that make `observed` match `desired`. Empty when they already match. */
export function planNetwork(desired: DesiredNetwork, observed: ObservedNetwork): PlanOp[] {
  const ops: PlanOp[] = [];
  if (!observed.sandboxExists) ops.push({ op: 'createNetns', path: desired.sandboxPath });
  const lo = find(observed.links, 'lo');
  if (lo === undefined || !lo.up) ops.push({ op: 'up', ns: desired.sandboxPath, name: 'lo' });
  planBridge(desired, observed, ops);
  const encrypted = desired.network.encrypted === true;
  const vxlanRecreated = encrypted ? planTap(desired, observed, ops) : planVxlan(desired, observed, ops);
  const peerView = vxlanRecreated ? { neighbors: [], fdb: [] } : observed;
  planStaleVeths(desired, observed, ops);
  // an encrypted network's peers live in the transport (secure/), not in ARP and FDB entries
  const peerOps = encrypted ? { removals: [], additions: [] } : planPeers(desired, peerView);
  ops.push(...peerOps.removals);
  for (const task of desired.tasks) planTask(desired, task, observed, ops);
  ops.push(...peerOps.additions);
  return ops;
}

/** The operations that remove everything the network has on this node. */
export function planTeardown(
  desired: Pick<DesiredNetwork, 'sandboxPath'>,
  observed: ObservedNetwork,
): PlanOp[] {
  if (!observed.sandboxExists) return [];
  const ns = desired.sandboxPath;
  const ops: PlanOp[] = observed.links
    .filter((l) => isTaskVethName(l.name))
    .map((l) => ({ op: 'delLink', ns, name: l.name }) as const);
  for (const name of [VXLAN, TAP, BRIDGE])
    if (find(observed.links, name)) ops.push({ op: 'delLink', ns, name });
  ops.push({ op: 'removeNetns', path: ns });
  return ops;
}

function find(links: readonly LinkInfo[], name: string): LinkInfo | undefined {
  return links.find((l) => l.name === name);
}

function gatewayCidr(net: OverlayNetwork): string {
  return `${net.gateway}/${parseCidr(net.subnet).prefix}`;
}

function planBridge(d: DesiredNetwork, o: ObservedNetwork, ops: PlanOp[]): void {
  const ns = d.sandboxPath;
  const mtu = overlayMtu(d.network);
  const want = gatewayCidr(d.network);
  let br = find(o.links, BRIDGE);
  if (br !== undefined && br.kind !== 'bridge') {
    ops.push({ op: 'delLink', ns, name: BRIDGE });
    br = undefined;
  }
  if (br === undefined) {
    ops.push({ op: 'addBridge', ns, name: BRIDGE, mtu });
    ops.push({ op: 'addAddress', ns, name: BRIDGE, cidr: want });
    ops.push({ op: 'up', ns, name: BRIDGE });
    return;
  }
  if (br.mtu !== mtu) ops.push({ op: 'setMtu', ns, name: BRIDGE, mtu });
  const have = o.addresses.filter((a) => a.ifname === BRIDGE);
  for (const a of have) if (a.cidr !== want) ops.push({ op: 'delAddress', ns, name: BRIDGE, cidr: a.cidr });
  if (!have.some((a) => a.cidr === want)) ops.push({ op: 'addAddress', ns, name: BRIDGE, cidr: want });
  if (!br.up) ops.push({ op: 'up', ns, name: BRIDGE });
}

/**
 * An encrypted network: no vxlan0 (removed when the network was plain before); tap0, once the transport
 * made it, is a port of br0 with the network's MTU, up. @returns true: no ARP/FDB entries are kept.
 */
function planTap(d: DesiredNetwork, o: ObservedNetwork, ops: PlanOp[]): boolean {
  const ns = d.sandboxPath;
  const mtu = overlayMtu(d.network);
  if (find(o.links, VXLAN) !== undefined) ops.push({ op: 'delLink', ns, name: VXLAN });
  const tap = find(o.links, TAP);
  if (tap === undefined) return true;
  if (tap.mtu !== mtu) ops.push({ op: 'setMtu', ns, name: TAP, mtu });
  if (tap.master !== BRIDGE) ops.push({ op: 'setMaster', ns, name: TAP, master: BRIDGE });
  if (!tap.up) ops.push({ op: 'up', ns, name: TAP });
  return true;
}

/** @returns true when vxlan0 is (re)created, so its ARP and FDB entries are gone. */
function planVxlan(d: DesiredNetwork, o: ObservedNetwork, ops: PlanOp[]): boolean {
  const ns = d.sandboxPath;
  // the network was encrypted before: its tap0 goes (the transport's reader ends with it)
  if (find(o.links, TAP) !== undefined) ops.push({ op: 'delLink', ns, name: TAP });
  const mtu = overlayMtu(d.network);
  const port = d.network.dataPathPort ?? DEFAULT_DATA_PATH_PORT;
  const vx = find(o.links, VXLAN);
  const matches =
    vx?.kind === 'vxlan' &&
    vx.vxlan !== undefined &&
    vx.vxlan.vni === d.network.vni &&
    vx.vxlan.port === port &&
    !vx.vxlan.learning &&
    vx.vxlan.proxy;
  if (vx !== undefined && matches) {
    if (vx.mtu !== mtu) ops.push({ op: 'setMtu', ns, name: VXLAN, mtu });
    if (vx.master !== BRIDGE) ops.push({ op: 'setMaster', ns, name: VXLAN, master: BRIDGE });
    if (!vx.up) ops.push({ op: 'up', ns, name: VXLAN });
    return false;
  }
  if (vx !== undefined) ops.push({ op: 'delLink', ns, name: VXLAN });
  ops.push({ op: 'addVxlan', ns: d.hostNetnsPath, into: ns, name: VXLAN, vni: d.network.vni, port, mtu });
  ops.push({ op: 'setMaster', ns, name: VXLAN, master: BRIDGE });
  ops.push({ op: 'up', ns, name: VXLAN });
  return true;
}

function planStaleVeths(d: DesiredNetwork, o: ObservedNetwork, ops: PlanOp[]): void {
  const wanted = new Set(d.tasks.map((t) => vethNameFor(t.taskId)));
  for (const l of o.links)
    if (isTaskVethName(l.name) && !wanted.has(l.name))
      ops.push({ op: 'delLink', ns: d.sandboxPath, name: l.name });
}

function planTask(d: DesiredNetwork, t: TaskAttachment, o: ObservedNetwork, ops: PlanOp[]): void {
  const seen = o.tasks.get(t.taskId);
  if (seen !== undefined && !seen.netnsExists) return; // the task is gone; its veth went with it
  const ns = d.sandboxPath;
  const mtu = overlayMtu(d.network);
  const name = vethNameFor(t.taskId);
  const { ip } = parseCidr(t.address);
  const mac = macFromIp(ip);
  const hostEnd = find(o.links, name);
  const ifname = taskIfname(t);
  const eth0 = seen !== undefined ? find(seen.links, ifname) : undefined;
  const intact = hostEnd?.kind === 'veth' && eth0?.kind === 'veth' && eth0.mac === mac;
  const task: ObservedTask =
    intact && seen !== undefined ? seen : { netnsExists: true, links: [], addresses: [], routes: [] };
  if (!intact) {
    if (hostEnd !== undefined) ops.push({ op: 'delLink', ns, name });
    if (eth0 !== undefined) ops.push({ op: 'delLink', ns: t.netnsPath, name: ifname });
    ops.push({ op: 'addVeth', ns, name, peerNs: t.netnsPath, peerName: ifname, peerMac: mac, mtu });
  }
  const host = intact ? hostEnd : undefined;
  if (host?.master !== BRIDGE) ops.push({ op: 'setMaster', ns, name, master: BRIDGE });
  if (host !== undefined && host.mtu !== mtu) ops.push({ op: 'setMtu', ns, name, mtu });
  if (host?.up !== true) ops.push({ op: 'up', ns, name });
  planTaskSide(d, t, task, ops);
}

function planTaskSide(d: DesiredNetwork, t: TaskAttachment, seen: ObservedTask, ops: PlanOp[]): void {
  const ns = t.netnsPath;
  const mtu = overlayMtu(d.network);
  const ifname = taskIfname(t);
  const eth0 = find(seen.links, ifname);
  if (eth0 !== undefined && eth0.mtu !== mtu) ops.push({ op: 'setMtu', ns, name: ifname, mtu });
  if (eth0?.up !== true) ops.push({ op: 'up', ns, name: ifname });
  const lo = find(seen.links, 'lo');
  if (lo?.up !== true) ops.push({ op: 'up', ns, name: 'lo' });
  const have = seen.addresses.filter((a) => a.ifname === ifname);
  for (const a of have)
    if (a.cidr !== t.address) ops.push({ op: 'delAddress', ns, name: ifname, cidr: a.cidr });
  if (!have.some((a) => a.cidr === t.address))
    ops.push({ op: 'addAddress', ns, name: ifname, cidr: t.address });
  const gw = d.network.gateway;
  if (t.defaultRoute !== false && !seen.routes.some((r) => r.dst === 'default' && r.via === gw))
    ops.push({ op: 'addRoute', ns, dst: 'default', via: gw });
}

/** Remote peers only, one per IP (the last wins), none that collides with a local task. */
export function effectivePeers(
  d: Pick<DesiredNetwork, 'localVtep' | 'tasks' | 'peers'>,
): Map<string, { mac: string; vtep: string }> {
  const local = new Set(d.tasks.map((t) => parseCidr(t.address).ip));
  const out = new Map<string, { mac: string; vtep: string }>();
  for (const p of d.peers) {
    if (p.vtep === d.localVtep || local.has(p.ip)) continue;
    out.set(p.ip, { mac: (p.mac ?? macFromIp(p.ip)).toLowerCase(), vtep: p.vtep });
  }
  return out;
}

function planPeers(
  d: DesiredNetwork,
  o: Pick<ObservedNetwork, 'neighbors' | 'fdb'>,
): { removals: PlanOp[]; additions: PlanOp[] } {
  const ns = d.sandboxPath;
  const peers = effectivePeers(d);
  const fdbWanted = new Map([...peers.values()].map((p) => [p.mac, p.vtep]));
  const removals: PlanOp[] = [];
  const additions: PlanOp[] = [];
  const arp = o.neighbors.filter((n) => n.ifname === VXLAN && n.permanent);
  const fdb = o.fdb.filter((f) => f.ifname === VXLAN);
  for (const n of arp) if (!peers.has(n.ip)) removals.push({ op: 'delNeighbor', ns, name: VXLAN, ip: n.ip });
  for (const f of fdb)
    if (fdbWanted.get(f.mac) !== f.dst)
      removals.push({ op: 'delFdb', ns, name: VXLAN, mac: f.mac, dst: f.dst });
  for (const [ip, p] of peers) {
    if (!arp.some((n) => n.ip === ip && n.mac === p.mac))
      additions.push({ op: 'addNeighbor', ns, name: VXLAN, ip, mac: p.mac });
  }
  for (const [mac, vtep] of fdbWanted) {
    if (!fdb.some((f) => f.mac === mac && f.dst === vtep))
      additions.push({ op: 'addFdb', ns, name: VXLAN, mac, dst: vtep });
  }
  return { removals, additions };
}
