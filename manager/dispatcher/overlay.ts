/**
 * Overlay peers: for each node, the endpoints of other nodes' tasks on the overlay networks the node
 * has tasks on, so its agent can program ARP and FDB entries (Shoal distributes these through the
 * dispatcher instead of Docker's gossip). Only tasks ASSIGNED..RUNNING count. Nodes' own attachments
 * (Node.attachments: ingress-sbox and `lb-<network>` endpoints, from the allocator) are endpoints too,
 * and a node takes part in every network it has one on — so a node with no task on ingress still
 * reaches the tasks there (routing mesh), and tasks' replies reach the node's endpoint.
 */
import type { OverlayPeer } from '../../proto/gen/shoal/api/OverlayPeer.ts';
import type { ReadTx } from '../store/memory.ts';
import type { Network, Task } from '../store/types.ts';

type NetworkAttachment = Task['networksAttachments'][number];
import { holdsReferences } from './assignments.ts';

/** Docker's MAC for an IPv4 endpoint: 02:42 then the four address bytes. */
export function macOf(ip: string): string {
  const parts = ip.split('.').map((p) => Number(p));
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255))
    throw new Error(`overlay: ${JSON.stringify(ip)} is not an IPv4 address`);
  return ['02', '42', ...parts.map((p) => p.toString(16).padStart(2, '0'))].join(':');
}

function isOverlay(n: Network): boolean {
  const driver = n.driverState?.name || n.spec?.driverConfiguration?.name || 'overlay';
  return driver === 'overlay';
}

interface Endpoint extends Required<OverlayPeer> {
  readonly nodeId: string;
}

/** Every overlay endpoint of the swarm, once per refresh, for {@link peersOf}. */
export class OverlayIndex {
  private readonly byNetwork = new Map<string, Endpoint[]>();
  private readonly networksOf = new Map<string, Set<string>>();

  constructor(store: ReadTx) {
    const addrs = new Map<string, string>();
    for (const t of store.find('task')) {
      if (t.networksAttachments.length === 0 || !t.nodeId || !holdsReferences(t)) continue;
      let nodeAddr = addrs.get(t.nodeId);
      if (nodeAddr === undefined) {
        nodeAddr = store.get('node', t.nodeId)?.status?.addr ?? '';
        addrs.set(t.nodeId, nodeAddr);
      }
      for (const a of t.networksAttachments) this.add(t.nodeId, nodeAddr, a);
    }
    for (const n of store.find('node'))
      for (const a of n.attachments) this.add(n.id, n.status?.addr ?? '', a);
  }

  /** Records that `nodeId` takes part in the attachment's network, and its endpoints there. */
  private add(nodeId: string, nodeAddr: string, a: NetworkAttachment): void {
    if (!a.network || !isOverlay(a.network)) return;
    const networkId = a.network.id;
    let nets = this.networksOf.get(nodeId);
    if (!nets) this.networksOf.set(nodeId, (nets = new Set()));
    nets.add(networkId);
    if (!nodeAddr) return;
    for (const cidr of a.addresses) {
      const ip = cidr.split('/')[0] ?? '';
      if (!ip.includes('.')) continue;
      let list = this.byNetwork.get(networkId);
      if (!list) this.byNetwork.set(networkId, (list = []));
      list.push({ networkId, ip, mac: macOf(ip), nodeAddr, nodeId });
    }
  }

  /** The peers `nodeId` must know: other nodes' endpoints on its overlay networks, in a stable order. */
  peersOf(nodeId: string): OverlayPeer[] {
    const out: OverlayPeer[] = [];
    for (const networkId of this.networksOf.get(nodeId) ?? []) {
      for (const e of this.byNetwork.get(networkId) ?? []) {
        if (e.nodeId === nodeId) continue;
        out.push({ networkId: e.networkId, ip: e.ip, mac: e.mac, nodeAddr: e.nodeAddr });
      }
    }
    return out.sort((a, b) =>
      a.networkId === b.networkId
        ? compare(a.ip ?? '', b.ip ?? '')
        : compare(a.networkId ?? '', b.networkId ?? ''),
    );
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
