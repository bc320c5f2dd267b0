/**
 * Pure: what a task's network attachments (as the manager's allocator recorded them) mean for this
 * node's overlay data plane, and the dispatcher's overlay peers grouped per network. No I/O.
 *
 * Where the data is: `task.networksAttachments[i].network` embeds the allocated Network (its
 * `ipamOptions.configs` carry subnet and gateway, its `driverState.options` the VNIs, one per subnet,
 * comma-separated under {@link VXLAN_ID_LIST}); `addresses` are the task's CIDRs on it.
 */
import type { Network__Output as Network } from '../../proto/gen/shoal/api/Network.ts';
import type { OverlayPeer__Output as OverlayPeer } from '../../proto/gen/shoal/api/OverlayPeer.ts';
import { ipBytes, parseCidr } from '../network/addr.ts';
import type { OverlayNetwork, Peer, TaskAttachment } from '../network/plan.ts';
import type { Task } from '../executor/types.ts';

/** The driver option carrying a network's VNIs (as manager/allocator/objects.ts writes it). */
export const VXLAN_ID_LIST = 'com.docker.network.driver.overlay.vxlanid_list';
/** VXLAN's UDP port when the swarm names none (`--data-path-port`). */
export const DEFAULT_DATA_PATH_PORT = 4789;

/** One overlay network of one task, ready for the OverlayDriver. */
export interface OverlayAttachment {
  readonly network: OverlayNetwork;
  /** The network's name (for messages). */
  readonly name: string;
  readonly ingress: boolean;
  /** Docker's `-o encrypted` (any value but `false`/`0`): traffic between hosts is sealed (network/secure). */
  readonly encrypted: boolean;
  /** The task's `a.b.c.d/n` on it. */
  readonly address: string;
  /** `eth0`, `eth1`, … in the order of the task's attachments. */
  readonly ifname: string;
  /** True for exactly one attachment: the first that is not the ingress network (else the first). */
  readonly defaultRoute: boolean;
}

/** What {@link overlayAttachments} found: the attachments to plumb, and why others are left out. */
export interface TaskOverlays {
  readonly attachments: readonly OverlayAttachment[];
  /** One line per overlay attachment that cannot be plumbed (no address, no subnet, no VNI). */
  readonly problems: readonly string[];
}

/** Settings of the node's data plane that the manager does not send per network. */
export interface DataPlaneSettings {
  readonly dataPathPort?: number | undefined;
  readonly underlayMtu?: number | undefined;
}

/** True for networks on the VXLAN overlay: the ingress network and overlay-driver networks. */
export function isOverlayNetwork(n: Network): boolean {
  if (n.spec?.ingress === true) return true;
  const driver = n.driverState?.name || n.spec?.driverConfiguration?.name || 'overlay';
  return driver === 'overlay';
}

/** The network asks for encryption (`-o encrypted`, in the spec's driver options or the allocated state). */
export function isEncrypted(n: Network): boolean {
  const v = n.driverState?.options['encrypted'] ?? n.spec?.driverConfiguration?.options['encrypted'];
  return v !== undefined && v !== 'false' && v !== '0';
}

function ipNumber(ip: string): number {
  return ipBytes(ip).readUInt32BE(0);
}

/** True when the IP lies inside the CIDR. */
export function inSubnet(ip: string, cidr: string): boolean {
  const { ip: base, prefix } = parseCidr(cidr);
  if (prefix === 0) return true;
  const shift = 32 - prefix;
  return ipNumber(ip) >>> shift === ipNumber(base) >>> shift;
}

/** The task's overlay attachments, in its order, with interface names and the one default route. */
export function overlayAttachments(task: Task, settings: DataPlaneSettings = {}): TaskOverlays {
  const found: Omit<OverlayAttachment, 'ifname' | 'defaultRoute'>[] = [];
  const problems: string[] = [];
  for (const a of task.networksAttachments) {
    const n = a.network;
    if (!n || !isOverlayNetwork(n)) continue;
    const name = n.spec?.name || n.id;
    const r = resolve(n, a.addresses, settings);
    if (typeof r === 'string') problems.push(`network ${name}: ${r}`);
    else
      found.push({
        network: r.network,
        name,
        ingress: n.spec?.ingress === true,
        encrypted: isEncrypted(n),
        address: r.address,
      });
  }
  const routeAt = Math.max(
    0,
    found.findIndex((f) => !f.ingress),
  );
  return {
    attachments: found.map((f, i) => ({ ...f, ifname: `eth${i}`, defaultRoute: i === routeAt })),
    problems,
  };
}

function resolve(
  n: Network,
  addresses: readonly string[],
  s: DataPlaneSettings,
): { network: OverlayNetwork; address: string } | string {
  const address = addresses.find((c) => c.includes('.') && c.includes('/'));
  if (address === undefined) return 'the task has no IPv4 address on it';
  try {
    parseCidr(address);
  } catch {
    return `address ${JSON.stringify(address)} is not an IPv4 CIDR`;
  }
  const { ip } = parseCidr(address);
  const configs = (n.ipamOptions?.configs ?? []).filter((c) => c.subnet !== '');
  const vnis = (n.driverState?.options[VXLAN_ID_LIST] ?? '')
    .split(',')
    .filter((v) => v.trim() !== '')
    .map((v) => Number(v.trim()));
  const i = configs.findIndex((c) => {
    try {
      return inSubnet(ip, c.subnet);
    } catch {
      return false;
    }
  });
  const config = configs[i];
  if (config === undefined) return `no allocated subnet holds the task's address ${address}`;
  const vni = vnis[i];
  if (vni === undefined || !Number.isInteger(vni) || vni < 1 || vni > 0xffffff)
    return `no VXLAN ID recorded for subnet ${config.subnet}`;
  if (config.gateway === '') return `subnet ${config.subnet} has no gateway`;
  return {
    address,
    network: {
      id: n.id,
      vni,
      subnet: config.subnet,
      gateway: config.gateway,
      dataPathPort: s.dataPathPort ?? DEFAULT_DATA_PATH_PORT,
      ...(s.underlayMtu !== undefined ? { underlayMtu: s.underlayMtu } : {}),
      ...(isEncrypted(n) ? { encrypted: true } : {}),
    },
  };
}

/** The driver's view of one attachment of a task whose namespace is `netnsPath`. */
export function driverAttachment(taskId: string, netnsPath: string, a: OverlayAttachment): TaskAttachment {
  return { taskId, netnsPath, address: a.address, ifname: a.ifname, defaultRoute: a.defaultRoute };
}

/** The dispatcher's peers per network ID (entries without an IP or node address are dropped). */
export function peersByNetwork(peers: readonly OverlayPeer[]): Map<string, Peer[]> {
  const out = new Map<string, Peer[]>();
  for (const p of peers) {
    if (p.networkId === '' || p.ip === '' || p.nodeAddr === '') continue;
    let list = out.get(p.networkId);
    if (!list) out.set(p.networkId, (list = []));
    list.push({ ip: p.ip, vtep: p.nodeAddr, ...(p.mac !== '' ? { mac: p.mac } : {}) });
  }
  return out;
}

/** A stable text of a peer list, to tell whether it changed. */
export function peersKey(peers: readonly Peer[]): string {
  return peers
    .map((p) => `${p.ip}>${p.mac ?? ''}@${p.vtep}`)
    .sort()
    .join(',');
}
