/**
 * Everything the allocator holds, in memory: subnets, VNIs and the address pool of every allocated
 * network, the virtual IPs and published ports of every service, the addresses of every live task and
 * every node's own network attachments — and who holds what, so releases are exact and idempotent. No store access: the allocator loop feeds
 * it objects and writes what it returns.
 *
 * It is rebuilt from the store (`reserve*` from what objects record) whenever a leader starts the
 * allocator, so everything here can be derived from the objects.
 */
import type { Endpoint__Output } from '../../proto/gen/shoal/api/Endpoint.ts';
import type { IPAMConfig__Output } from '../../proto/gen/shoal/api/IPAMConfig.ts';
import type { PortConfig__Output } from '../../proto/gen/shoal/api/PortConfig.ts';
import { InternalError } from '../../proto/shared/errors.ts';
import type { Network, Node, Service, Task } from '../store/types.ts';
import { NetworkAddresses, SubnetAddresses } from './address-pool.ts';
import { formatCidr, formatIp, parseCidr, parseIp, type Cidr } from './ipv4.ts';
import { PortPool, VniPool, type PortOwner, type Protocol } from './number-pool.ts';
import {
  explicitConfigs,
  isIngressPort,
  protocolOf,
  recordedConfigs,
  recordedVnis,
  specPorts,
} from './objects.ts';
import { SubnetPool } from './subnet-pool.ts';

interface HeldNetwork {
  readonly addresses: NetworkAddresses;
  readonly subnets: readonly Cidr[];
  readonly vnis: readonly number[];
}

interface HeldPort {
  readonly protocol: Protocol;
  readonly port: number;
}

interface HeldService {
  /** Virtual IP per network ID. */
  readonly vips: Map<string, string>;
  readonly ports: HeldPort[];
}

/** One address of a task. */
export interface TaskAddress {
  readonly networkId: string;
  readonly addr: string;
}

/** A network's allocation, to record in the network object. */
export interface NetworkAllocation {
  readonly configs: IPAMConfig__Output[];
  readonly vnis: number[];
}

/** Wake-up keys: what became free (see Allocator's waiters). */
export type FreedKey = `net:${string}` | 'subnets' | 'vnis' | 'ports';

export class Pools {
  readonly subnets: SubnetPool;
  private readonly vnis = new VniPool();
  private readonly ports = new PortPool();
  private readonly networks = new Map<string, HeldNetwork>();
  private readonly services = new Map<string, HeldService>();
  private readonly tasks = new Map<string, TaskAddress[]>();
  /** Node ID → network ID → the node's own address there (ingress-sbox / `lb-<network>`). */
  private readonly nodes = new Map<string, Map<string, string>>();
  /** What was released since the last drain (the loop wakes whoever waits for it). */
  private readonly freed = new Set<FreedKey>();

  constructor(defaultAddrPool: readonly string[], subnetSize: number) {
    this.subnets = new SubnetPool(defaultAddrPool, subnetSize);
  }

  /** Keys of everything released since the last call. */
  drainFreed(): FreedKey[] {
    const out = [...this.freed];
    this.freed.clear();
    return out;
  }

  // ---- networks ----

  /** The address pool of an allocated network. */
  network(id: string): NetworkAddresses | undefined {
    return this.networks.get(id)?.addresses;
  }

  /**
   * Holds what a stored network records (subnets, gateways, VNIs). All or nothing: throws
   * SubnetOverlapError or InternalError (VNI taken) and holds none of it.
   */
  reserveNetwork(n: Network): void {
    const name = n.spec?.name ?? n.id;
    const configs = recordedConfigs(n);
    const vnis = recordedVnis(n);
    const undo: (() => void)[] = [];
    try {
      const subnets = configs.map((c) => {
        const cidr = parseCidr(c.subnet);
        this.subnets.reserve(cidr, name);
        undo.push(() => this.subnets.release(cidr));
        return new SubnetAddresses(cidr, gatewayOf(c, cidr));
      });
      for (const v of vnis) {
        if (!this.vnis.reserve(v))
          throw new InternalError(`network ${name}: VXLAN ID ${v} is already in use`);
        undo.push(() => this.vnis.release(v));
      }
      this.networks.set(n.id, {
        addresses: new NetworkAddresses(name, n.id, subnets),
        subnets: subnets.map((s) => s.subnet),
        vnis,
      });
    } catch (err) {
      for (const u of undo.reverse()) u();
      throw err;
    }
  }

  /**
   * Allocates a network: its explicit subnets (spec IPAM configs) or one carved from the default pool,
   * a gateway each, one VNI per subnet. All or nothing; throws PoolExhaustedError or
   * SubnetOverlapError.
   */
  allocateNetwork(n: Network): NetworkAllocation {
    const name = n.spec?.name ?? n.id;
    const explicit = explicitConfigs(n);
    const undo: (() => void)[] = [];
    try {
      const subnets: SubnetAddresses[] = [];
      if (explicit.length === 0) {
        const cidr = this.subnets.allocate(name);
        undo.push(() => this.subnets.release(cidr));
        subnets.push(new SubnetAddresses(cidr));
      }
      for (const c of explicit) {
        const cidr = parseCidr(c.subnet);
        this.subnets.reserve(cidr, name);
        undo.push(() => this.subnets.release(cidr));
        subnets.push(new SubnetAddresses(cidr, gatewayOf(c, cidr)));
      }
      const vnis = subnets.map(() => {
        const v = this.vnis.allocate();
        undo.push(() => this.vnis.release(v));
        return v;
      });
      this.networks.set(n.id, {
        addresses: new NetworkAddresses(name, n.id, subnets),
        subnets: subnets.map((s) => s.subnet),
        vnis,
      });
      const configs = subnets.map((s, i) => ({
        subnet: formatCidr(s.subnet),
        range: explicit[i]?.range ?? '',
        gateway: formatIp(s.gateway),
      }));
      return { configs, vnis };
    } catch (err) {
      for (const u of undo.reverse()) u();
      throw err;
    }
  }

  /** Frees a network's subnets and VNIs and forgets its addresses. */
  releaseNetwork(id: string): void {
    const h = this.networks.get(id);
    if (!h) return;
    this.networks.delete(id);
    for (const s of h.subnets) this.subnets.release(s);
    for (const v of h.vnis) this.vnis.release(v);
    if (h.subnets.length > 0) this.freed.add('subnets');
    if (h.vnis.length > 0) this.freed.add('vnis');
  }

  // ---- services ----

  /** Holds the VIPs and ingress ports a stored service's endpoint records (conflicts are skipped). */
  reserveService(s: Service): string[] {
    const problems: string[] = [];
    const held: HeldService = { vips: new Map(), ports: [] };
    for (const v of s.endpoint?.virtualIps ?? []) {
      if (this.network(v.networkId)?.reserve(v.addr)) held.vips.set(v.networkId, v.addr);
      else problems.push(`virtual IP ${v.addr} on network ${v.networkId}`);
    }
    const owner = ownerOf(s);
    for (const p of s.endpoint?.ports ?? []) {
      if (!isIngressPort(p) || p.publishedPort === 0) continue;
      try {
        this.ports.reserve(protocolOf(p), p.publishedPort, owner);
        held.ports.push({ protocol: protocolOf(p), port: p.publishedPort });
      } catch (err) {
        problems.push((err as Error).message);
      }
    }
    this.releaseService(s.id);
    this.services.set(s.id, held);
    return problems;
  }

  /**
   * The endpoint the service should have: its spec's ports with a published port each (given ones
   * held for it, missing ones from 30000–32767, keeping those it already has), and a virtual IP on
   * each of `vipNetworks` (kept where it has one). All or nothing: on PortInUseError or
   * PoolExhaustedError nothing changes. The networks must be allocated here.
   */
  allocateEndpoint(s: Service, vipNetworks: readonly string[]): Endpoint__Output {
    const old = this.services.get(s.id) ?? { vips: new Map<string, string>(), ports: [] };
    const owner = ownerOf(s);
    const next: HeldService = { vips: new Map(), ports: [] };
    const undo: (() => void)[] = [];
    try {
      const ports = this.endpointPorts(s, owner, old, next, undo);
      for (const netId of vipNetworks) {
        const kept = old.vips.get(netId);
        const pool = this.network(netId);
        if (!pool) throw new InternalError(`network ${netId} is not allocated`);
        const addr = kept ?? pool.allocate();
        if (kept === undefined) undo.push(() => pool.release(addr));
        next.vips.set(netId, addr);
      }
      for (const [netId, addr] of old.vips)
        if (next.vips.get(netId) !== addr && this.network(netId)?.release(addr))
          this.freed.add(`net:${netId}`);
      for (const p of old.ports)
        if (!next.ports.some((q) => q.protocol === p.protocol && q.port === p.port))
          this.releasePort(p, s.id);
      this.services.set(s.id, next);
      return {
        spec: s.spec?.endpointSpec ? structuredClone(s.spec.endpointSpec) : null,
        ports,
        virtualIps: [...next.vips].map(([networkId, addr]) => ({ networkId, addr })),
      };
    } catch (err) {
      for (const u of undo.reverse()) u();
      throw err;
    }
  }

  private endpointPorts(
    s: Service,
    owner: PortOwner,
    old: HeldService,
    next: HeldService,
    undo: (() => void)[],
  ): PortConfig__Output[] {
    const wanted = specPorts(s);
    const given = new Set(
      wanted.filter((p) => p.publishedPort > 0).map((p) => `${protocolOf(p)}/${p.publishedPort}`),
    );
    const taken = (protocol: Protocol, port: number): boolean =>
      next.ports.some((q) => q.protocol === protocol && q.port === port);
    const out: PortConfig__Output[] = [];
    for (const p of wanted) {
      const protocol = protocolOf(p);
      if (!isIngressPort(p)) {
        out.push(p);
        continue;
      }
      let port = p.publishedPort;
      if (port > 0) {
        if (this.ports.owner(protocol, port)?.serviceId !== s.id) {
          this.ports.reserve(protocol, port, owner);
          undo.push(() => this.ports.release(protocol, port, s.id));
        }
      } else {
        const reuse = old.ports.find(
          (q) => q.protocol === protocol && !given.has(`${protocol}/${q.port}`) && !taken(protocol, q.port),
        );
        port = reuse?.port ?? this.ports.allocate(protocol, owner);
        if (!reuse) undo.push(() => this.ports.release(protocol, port, s.id));
      }
      if (!taken(protocol, port)) next.ports.push({ protocol, port });
      out.push({ ...p, publishedPort: port });
    }
    return out;
  }

  /** Frees a service's VIPs and ports. */
  releaseService(id: string): void {
    const h = this.services.get(id);
    if (!h) return;
    this.services.delete(id);
    for (const [netId, addr] of h.vips)
      if (this.network(netId)?.release(addr)) this.freed.add(`net:${netId}`);
    for (const p of h.ports) this.releasePort(p, id);
  }

  private releasePort(p: HeldPort, serviceId: string): void {
    this.ports.release(p.protocol, p.port, serviceId);
    this.freed.add('ports');
  }

  // ---- tasks ----

  holdsTask(id: string): boolean {
    return this.tasks.has(id);
  }

  /** Holds the addresses a stored task records; returns those it could not (taken or unknown network). */
  reserveTask(t: Task): string[] {
    this.releaseTask(t.id);
    const held: TaskAddress[] = [];
    const problems: string[] = [];
    for (const a of t.networksAttachments) {
      const networkId = a.network?.id ?? '';
      for (const addr of a.addresses) {
        if (this.network(networkId)?.reserve(addr)) held.push({ networkId, addr });
        else problems.push(`${addr} on network ${networkId}`);
      }
    }
    this.tasks.set(t.id, held);
    return problems;
  }

  /**
   * One address on each network, held for the task. All or nothing: throws PoolExhaustedError naming
   * the network that is full. The networks must be allocated here.
   */
  allocateTask(id: string, networkIds: readonly string[]): TaskAddress[] {
    const got: TaskAddress[] = [];
    try {
      for (const networkId of networkIds) {
        const pool = this.network(networkId);
        if (!pool) throw new InternalError(`network ${networkId} is not allocated`);
        got.push({ networkId, addr: pool.allocate() });
      }
    } catch (err) {
      for (const a of got) this.network(a.networkId)?.release(a.addr);
      throw err;
    }
    this.releaseTask(id);
    this.tasks.set(id, got);
    return got;
  }

  /** Frees a task's addresses (no-op when it holds none). */
  releaseTask(id: string): void {
    const held = this.tasks.get(id);
    if (!held) return;
    this.tasks.delete(id);
    for (const a of held)
      if (this.network(a.networkId)?.release(a.addr)) this.freed.add(`net:${a.networkId}`);
  }

  // ---- nodes ----

  /** The node's own addresses, network ID → address (a copy). */
  nodeAddresses(nodeId: string): Map<string, string> {
    return new Map(this.nodes.get(nodeId));
  }

  /** Holds the attachments a stored node records; returns those it could not (taken or unknown network). */
  reserveNode(n: Node): string[] {
    this.releaseNode(n.id);
    const held = new Map<string, string>();
    const problems: string[] = [];
    for (const a of n.attachments) {
      const networkId = a.network?.id ?? '';
      for (const addr of a.addresses) {
        if (!held.has(networkId) && this.network(networkId)?.reserve(addr)) held.set(networkId, addr);
        else problems.push(`${addr} on network ${networkId}`);
      }
    }
    if (held.size > 0) this.nodes.set(n.id, held);
    return problems;
  }

  /** One address on the network for the node (the one it holds, if any); throws PoolExhaustedError. */
  allocateNodeAddress(nodeId: string, networkId: string): string {
    const held = this.nodes.get(nodeId)?.get(networkId);
    if (held !== undefined) return held;
    const pool = this.network(networkId);
    if (!pool) throw new InternalError(`network ${networkId} is not allocated`);
    const addr = pool.allocate();
    let m = this.nodes.get(nodeId);
    if (!m) this.nodes.set(nodeId, (m = new Map<string, string>()));
    m.set(networkId, addr);
    return addr;
  }

  /** Frees the node's address on one network (no-op when it holds none). */
  releaseNodeAddress(nodeId: string, networkId: string): void {
    const m = this.nodes.get(nodeId);
    const addr = m?.get(networkId);
    if (!m || addr === undefined) return;
    m.delete(networkId);
    if (m.size === 0) this.nodes.delete(nodeId);
    if (this.network(networkId)?.release(addr)) this.freed.add(`net:${networkId}`);
  }

  /** Frees every address of the node. */
  releaseNode(nodeId: string): void {
    for (const networkId of [...(this.nodes.get(nodeId)?.keys() ?? [])])
      this.releaseNodeAddress(nodeId, networkId);
  }
}

function ownerOf(s: Service): PortOwner {
  return { serviceId: s.id, serviceName: s.spec?.name ?? s.id };
}

function gatewayOf(c: IPAMConfig__Output, cidr: Cidr): number | undefined {
  if (c.gateway === '') return undefined;
  const ip = parseIp(c.gateway.split('/')[0] ?? '');
  if (ip === undefined)
    throw new InternalError(
      `gateway ${JSON.stringify(c.gateway)} of subnet ${formatCidr(cidr)} is malformed`,
    );
  return ip;
}
