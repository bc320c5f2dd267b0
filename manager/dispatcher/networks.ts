/**
 * Network views: for each node, the overlay networks it takes part in (those it has tasks on, and
 * always the ingress network) with the services attached to each — VIP, RUNNING task addresses,
 * published ports — and the node's own address there (SessionMessage.networks, see dispatcher.proto).
 *
 * {@link NetworkIndex} reads the store once per refresh: O(networks + services + tasks) to build, then
 * each node's views are shared network views picked by id, so a refresh is not O(nodes × tasks).
 */
import type { NetworkView } from '../../proto/gen/shoal/api/NetworkView.ts';
import type { PortConfig } from '../../proto/gen/shoal/api/PortConfig.ts';
import type { ServiceView } from '../../proto/gen/shoal/api/ServiceView.ts';
import {
  endpointMode,
  isAllocated,
  isManaged,
  recordedConfigs,
  recordedVnis,
  serviceNetworks,
  specPorts,
} from '../allocator/objects.ts';
import { observed, stateIndex } from '../orchestrator/common.ts';
import type { ReadTx } from '../store/memory.ts';
import type { Network, Service, Task } from '../store/types.ts';
import { holdsReferences } from './assignments.ts';

/** Driver option that asks for an encrypted overlay (`docker network create -o encrypted`). */
export const ENCRYPTED_OPTION = 'encrypted';

/** `-o encrypted` (Docker treats the option's presence as on; "false" and "0" are read as off here). */
export function isEncrypted(n: Network): boolean {
  const opts = n.spec?.driverConfiguration?.options ?? {};
  if (!(ENCRYPTED_OPTION in opts)) return false;
  const v = (opts[ENCRYPTED_OPTION] ?? '').trim().toLowerCase();
  return v !== 'false' && v !== '0';
}

type BaseView = Omit<Required<NetworkView>, 'nodeAddress'>;

/** Every overlay network, service and RUNNING task address of the swarm, read once per refresh. */
export class NetworkIndex {
  private readonly views = new Map<string, BaseView>();
  private readonly nodeNetworks = new Map<string, Set<string>>();
  private readonly nodeAddrs = new Map<string, Map<string, string>>();
  private readonly byName = new Map<string, string>();
  private ingressId: string | undefined;

  constructor(store: ReadTx) {
    const dataPathPort = store.find('cluster')[0]?.dataPathPort ?? 0;
    for (const n of store.find('network')) {
      if (!isManaged(n) || !isAllocated(n)) continue;
      if (n.spec?.ingress) this.ingressId = n.id;
      if (n.spec?.name) this.byName.set(n.spec.name, n.id);
      const config = recordedConfigs(n)[0];
      this.views.set(n.id, {
        networkId: n.id,
        name: n.spec?.name ?? '',
        ingress: n.spec?.ingress ?? false,
        vni: recordedVnis(n)[0] ?? 0,
        subnet: config?.subnet ?? '',
        gateway: (config?.gateway ?? '').split('/')[0] ?? '',
        dataPathPort,
        encrypted: isEncrypted(n),
        services: [],
      });
    }
    const running = this.indexTasks(store.find('task'));
    for (const s of [...store.find('service')].sort((a, b) => compare(a.id, b.id)))
      this.addService(s, running.get(s.id));
    for (const node of store.find('node')) {
      const addrs = new Map<string, string>();
      for (const a of node.attachments)
        if (a.network && a.addresses[0]) addrs.set(a.network.id, a.addresses[0]);
      if (addrs.size > 0) this.nodeAddrs.set(node.id, addrs);
    }
  }

  /** The views `nodeId` needs, sorted by network id. Shared service lists: callers must not mutate. */
  networksOf(nodeId: string): Required<NetworkView>[] {
    const ids = new Set(this.nodeNetworks.get(nodeId) ?? []);
    if (this.ingressId !== undefined) ids.add(this.ingressId);
    const out: Required<NetworkView>[] = [];
    for (const id of [...ids].sort(compare)) {
      const v = this.views.get(id);
      if (v) out.push({ ...v, nodeAddress: this.nodeAddrs.get(nodeId)?.get(id) ?? '' });
    }
    return out;
  }

  /**
   * Records which overlay networks each node takes part in (tasks ASSIGNED..RUNNING) and returns the
   * RUNNING tasks' addresses: service id → network id → addresses.
   */
  private indexTasks(tasks: readonly Task[]): Map<string, Map<string, string[]>> {
    const running = new Map<string, Map<string, string[]>>();
    for (const t of tasks) {
      if (t.networksAttachments.length === 0 || !holdsReferences(t)) continue;
      // a task asked to stop leaves the backends at once, before it has stopped (no stale entries
      // while it drains its stop grace period)
      const isRunning =
        observed(t) === 'TASK_STATE_RUNNING' &&
        t.serviceId !== '' &&
        stateIndex(t.desiredState ?? 'TASK_STATE_RUNNING') <= stateIndex('TASK_STATE_RUNNING');
      for (const a of t.networksAttachments) {
        const id = a.network?.id ?? '';
        if (!this.views.has(id)) continue;
        if (t.nodeId) {
          let nets = this.nodeNetworks.get(t.nodeId);
          if (!nets) this.nodeNetworks.set(t.nodeId, (nets = new Set()));
          nets.add(id);
        }
        if (!isRunning || a.addresses.length === 0) continue;
        let byNet = running.get(t.serviceId);
        if (!byNet) running.set(t.serviceId, (byNet = new Map<string, string[]>()));
        let list = byNet.get(id);
        if (!list) byNet.set(id, (list = []));
        list.push(...a.addresses);
      }
    }
    return running;
  }

  /** Adds the service to the view of every network it is attached to (VIPs, spec, RUNNING tasks). */
  private addService(s: Service, running: Map<string, string[]> | undefined): void {
    const vips = new Map<string, string>();
    for (const v of s.endpoint?.virtualIps ?? []) vips.set(v.networkId, v.addr);
    const attached = new Set<string>([...vips.keys(), ...(running?.keys() ?? [])]);
    for (const n of serviceNetworks(s)) attached.add(this.byName.get(n.target) ?? n.target);
    const ports = servicePorts(s);
    if (this.ingressId !== undefined && ports.some((p) => p.publishMode === 'PUBLISH_MODE_INGRESS'))
      attached.add(this.ingressId);
    const mode = endpointMode(s);
    for (const id of attached) {
      const view = this.views.get(id);
      if (!view) continue;
      const entry: Required<ServiceView> = {
        serviceId: s.id,
        name: s.spec?.name ?? '',
        endpointMode: mode,
        virtualIp: mode === 'vip' ? (vips.get(id) ?? '') : '',
        taskAddresses: [...(running?.get(id) ?? [])].sort(compareAddr),
        ports,
      };
      view.services.push(entry);
    }
  }
}

/** The allocated endpoint's ports (ingress ports carry their published port), else the spec's. */
function servicePorts(s: Service): PortConfig[] {
  const ports = s.endpoint?.ports.length ? s.endpoint.ports : specPorts(s);
  return ports.map((p) => ({
    name: p.name,
    protocol: p.protocol === 'PROTOCOL_UNSPECIFIED' ? 'PROTOCOL_TCP' : p.protocol,
    targetPort: p.targetPort,
    publishedPort: p.publishedPort,
    publishMode: p.publishMode === 'PUBLISH_MODE_HOST' ? 'PUBLISH_MODE_HOST' : 'PUBLISH_MODE_INGRESS',
  }));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders "ip/prefix" strings numerically by IPv4 address (lexically for anything else). */
function compareAddr(a: string, b: string): number {
  const ka = addrKey(a);
  const kb = addrKey(b);
  return ka !== undefined && kb !== undefined ? ka - kb : compare(a, b);
}

function addrKey(cidr: string): number | undefined {
  const parts = (cidr.split('/')[0] ?? '').split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p))) return undefined;
  return parts.reduce((acc, p) => acc * 256 + p, 0);
}
