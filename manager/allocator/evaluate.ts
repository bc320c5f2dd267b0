/**
 * One object at a time, what the allocator should do: read it from the store, change the in-memory
 * pools, and return the new version of the object to write (or nothing). Waiting is explicit: an
 * object that cannot be allocated yet is parked under the key of what it waits for (`net:<id>`,
 * `svc:<id>`, `networks`, `subnets`, `vnis`, `ports`) and woken when that changes.
 */
import type { Endpoint__Output } from '../../proto/gen/shoal/api/Endpoint.ts';
import type { NetworkAttachment__Output } from '../../proto/gen/shoal/api/NetworkAttachment.ts';
import type { PortConfig__Output } from '../../proto/gen/shoal/api/PortConfig.ts';
import type { Logger } from '../../proto/shared/log.ts';
import { isTerminal, observed } from '../orchestrator/common.ts';
import { clone, type MemoryStore } from '../store/memory.ts';
import type { Network, Node, Service, Task } from '../store/types.ts';
import { PoolExhaustedError, PortInUseError, SubnetOverlapError } from './errors.ts';
import {
  DEFAULT_IPAM_DRIVER,
  endpointMode,
  isAllocated,
  isManaged,
  needsIngress,
  OVERLAY_DRIVER,
  serviceNetworks,
  taskNetworks,
  VXLAN_ID_LIST,
} from './objects.ts';
import type { Pools } from './pools.ts';

/** What an object waits for. */
export type WaitKey = `net:${string}` | `svc:${string}` | 'networks' | 'subnets' | 'vnis' | 'ports';
/** An object to re-evaluate. */
export type Ref = { kind: 'network' | 'service' | 'task' | 'node'; id: string };

/** A new version of an object to write. */
export type Change =
  | { readonly kind: 'network'; readonly object: Network }
  | { readonly kind: 'service'; readonly object: Service }
  | { readonly kind: 'task'; readonly object: Task }
  | { readonly kind: 'node'; readonly object: Node };

/** The task status message once its addresses are allocated (Swarm's). */
export const PENDING_MESSAGE = 'pending task scheduling';

type Targets = { ids: string[] } | { problem: string | undefined; wait: WaitKey };

/** The allocator's decisions; the loop owns it and gives it fresh pools on every rebuild. */
export class Evaluator {
  /** Why a network has no allocation (for the messages of tasks waiting on it). */
  readonly networkProblems = new Map<string, string>();
  /** Why a service has no endpoint yet (shown by its tasks). */
  readonly serviceProblems = new Map<string, string>();
  /** Services whose stored endpoint is what they need: their tasks may be allocated. */
  readonly serviceReady = new Set<string>();
  private ingressCache: Network | null | undefined;
  private readonly attachedNetworks = new Map<string, Network>();

  constructor(
    private readonly store: MemoryStore,
    private readonly pools: () => Pools,
    private readonly wait: (key: WaitKey, ref: Ref) => void,
    private readonly wake: (key: WaitKey) => void,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Forgets per-pass caches (call before each phase). */
  newPhase(): void {
    this.ingressCache = undefined;
    this.attachedNetworks.clear();
  }

  reset(): void {
    this.networkProblems.clear();
    this.serviceProblems.clear();
    this.serviceReady.clear();
    this.newPhase();
  }

  // ---- networks ----

  network(id: string): Change | undefined {
    const pools = this.pools();
    const n = this.store.get('network', id);
    if (!n) {
      pools.releaseNetwork(id);
      this.networkProblems.delete(id);
      return undefined;
    }
    if (!isManaged(n)) return undefined;
    if (pools.network(id) || (isAllocated(n) && this.reserveRecorded(n))) {
      this.networkProblems.delete(id);
      this.wake(`net:${id}`);
      this.wake('networks');
      return undefined;
    }
    if (isAllocated(n)) {
      this.wait('subnets', { kind: 'network', id });
      return undefined;
    }
    try {
      const a = pools.allocateNetwork(n);
      const next = clone(n);
      next.ipamOptions = { driver: { name: DEFAULT_IPAM_DRIVER, options: {} }, configs: a.configs };
      const options = { ...(n.spec?.driverConfiguration?.options ?? {}), [VXLAN_ID_LIST]: a.vnis.join(',') };
      next.driverState = { name: OVERLAY_DRIVER, options };
      this.networkProblems.delete(id);
      return { kind: 'network', object: next };
    } catch (err) {
      if (!(err instanceof PoolExhaustedError || err instanceof SubnetOverlapError)) throw err;
      const name = n.spec?.name ?? id;
      const problem = `network ${name} has no subnet: ${err.message}`;
      if (this.networkProblems.get(id) !== problem) this.log.warn({ network: id }, problem);
      this.networkProblems.set(id, problem);
      this.wait(err instanceof PoolExhaustedError && err.pool === 'vnis' ? 'vnis' : 'subnets', {
        kind: 'network',
        id,
      });
      return undefined;
    }
  }

  /** Holds what a stored network records; false (and a problem noted) when it clashes. */
  reserveRecorded(n: Network): boolean {
    try {
      this.pools().reserveNetwork(n);
      return true;
    } catch (err) {
      const problem = `network ${n.spec?.name ?? n.id} has an unusable allocation: ${(err as Error).message}`;
      this.log.error({ network: n.id }, problem);
      this.networkProblems.set(n.id, problem);
      return false;
    }
  }

  // ---- services ----

  service(id: string): Change | undefined {
    const pools = this.pools();
    const s = this.store.get('service', id);
    if (!s) {
      pools.releaseService(id);
      this.serviceProblems.delete(id);
      this.serviceReady.delete(id);
      return undefined;
    }
    const targets = this.vipNetworks(s);
    if ('problem' in targets)
      return this.serviceBlocked(s, targets.problem ?? 'waiting for its networks', targets.wait);
    let endpoint: Endpoint__Output;
    try {
      endpoint = pools.allocateEndpoint(s, targets.ids);
    } catch (err) {
      if (err instanceof PortInUseError) return this.serviceBlocked(s, err.message, 'ports');
      if (!(err instanceof PoolExhaustedError)) throw err;
      return this.serviceBlocked(s, err.message, waitKeyOf(err));
    }
    this.serviceProblems.delete(id);
    if (endpointKey(s.endpoint) === endpointKey(endpoint)) {
      this.serviceReady.add(id);
      this.wake(`svc:${id}`);
      return undefined;
    }
    const next = clone(s);
    next.endpoint = endpoint;
    return { kind: 'service', object: next };
  }

  private serviceBlocked(s: Service, problem: string, key: WaitKey): undefined {
    if (this.serviceProblems.get(s.id) !== problem) this.log.warn({ service: s.id }, problem);
    this.serviceProblems.set(s.id, problem);
    this.serviceReady.delete(s.id);
    this.wait(key, { kind: 'service', id: s.id });
    this.wake(`svc:${s.id}`);
    return undefined;
  }

  /** The networks a service needs a virtual IP on (ingress first when it publishes ingress ports). */
  private vipNetworks(s: Service): Targets {
    if (endpointMode(s) === 'dnsrr') return { ids: [] };
    return this.resolve(
      needsIngress(s),
      serviceNetworks(s).map((n) => n.target),
      `service ${s.spec?.name ?? s.id}`,
    );
  }

  // ---- tasks ----

  task(id: string): Change | undefined {
    const pools = this.pools();
    const t = this.store.get('task', id);
    if (!t || isTerminal(t)) {
      pools.releaseTask(id);
      return undefined;
    }
    if (observed(t) !== 'TASK_STATE_NEW') {
      if (!pools.holdsTask(id) && t.networksAttachments.length > 0) this.reserveTask(t);
      return undefined;
    }
    if (t.desiredState !== 'TASK_STATE_RUNNING' && t.desiredState !== 'TASK_STATE_COMPLETE') return undefined;
    const svc = t.serviceId === '' ? undefined : this.store.get('service', t.serviceId);
    if (t.serviceId !== '' && !svc) return undefined;
    if (svc && !this.serviceReady.has(svc.id)) {
      this.wait(`svc:${svc.id}`, { kind: 'task', id });
      return this.taskBlocked(t, this.serviceProblems.get(svc.id));
    }
    const targets = this.resolve(
      svc !== undefined && needsIngress(svc),
      taskNetworks(t, svc).map((n) => n.target),
      `task ${t.name || id}`,
    );
    if ('problem' in targets) {
      this.wait(targets.wait, { kind: 'task', id });
      return this.taskBlocked(t, targets.problem);
    }
    try {
      const got = pools.allocateTask(id, targets.ids);
      const next = clone(t);
      next.networksAttachments = got.map((a) => this.attachment(a.networkId, a.addr));
      next.status = this.status(t, 'TASK_STATE_PENDING', PENDING_MESSAGE, '');
      return { kind: 'task', object: next };
    } catch (err) {
      if (!(err instanceof PoolExhaustedError)) throw err;
      this.wait(waitKeyOf(err), { kind: 'task', id });
      return this.taskBlocked(t, err.message);
    }
  }

  /** Holds what a stored task records (a task allocated before this allocator started). */
  reserveTask(t: Task): void {
    const problems = this.pools().reserveTask(t);
    if (problems.length > 0)
      this.log.error(
        { task: t.id },
        `task ${t.name || t.id}: recorded addresses not held: ${problems.join('; ')}`,
      );
  }

  /** A task that must wait says why (moby/moby#37338): message and err, state unchanged. */
  private taskBlocked(t: Task, problem: string | undefined): Change | undefined {
    if (problem === undefined || (t.status?.message === problem && t.status.err === problem))
      return undefined;
    const next = clone(t);
    next.status = this.status(t, observed(t), problem, problem);
    return { kind: 'task', object: next };
  }

  private status(t: Task, state: Task['desiredState'], message: string, err: string): Task['status'] {
    const ms = this.now();
    return {
      timestamp: { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 },
      state,
      message,
      err,
      containerStatus: t.status?.containerStatus ?? null,
      portStatus: t.status?.portStatus ?? null,
    };
  }

  /** The network as embedded in task attachments: one copy per phase, shared by its tasks' writes. */
  private attachment(networkId: string, addr: string): NetworkAttachment__Output {
    let n = this.attachedNetworks.get(networkId);
    if (!n) {
      const stored = this.store.get('network', networkId);
      n = stored ? clone(stored) : undefined;
      if (n) this.attachedNetworks.set(networkId, n);
    }
    return { network: n ?? null, addresses: [addr] };
  }

  // ---- nodes ----

  /**
   * The node's own attachments (Swarm's ingress-sbox and `lb-<network>` endpoints): an address on the
   * ingress network, and on every overlay network one of its live tasks is attached to; addresses on
   * networks it no longer needs are freed. Ingress first, then by network ID.
   */
  node(id: string): Change | undefined {
    const pools = this.pools();
    const n = this.store.get('node', id);
    if (!n) {
      pools.releaseNode(id);
      return undefined;
    }
    const wanted = this.nodeNetworks(id);
    for (const networkId of pools.nodeAddresses(id).keys())
      if (!wanted.includes(networkId)) pools.releaseNodeAddress(id, networkId);
    const got: [string, string][] = [];
    for (const networkId of wanted) {
      try {
        got.push([networkId, pools.allocateNodeAddress(id, networkId)]);
      } catch (err) {
        if (!(err instanceof PoolExhaustedError)) throw err;
        this.log.warn({ node: id, network: networkId }, `node attachment: ${err.message}`);
        this.wait(`net:${networkId}`, { kind: 'node', id });
      }
    }
    const recorded = n.attachments.map((a) => [a.network?.id ?? '', a.addresses.join(',')]);
    if (JSON.stringify(recorded) === JSON.stringify(got)) return undefined;
    const next = clone(n);
    next.attachments = got.map(([networkId, addr]) => this.attachment(networkId, addr));
    return { kind: 'node', object: next };
  }

  /** Holds what a stored node records (attachments made before this allocator started). */
  reserveNode(n: Node): void {
    const problems = this.pools().reserveNode(n);
    if (problems.length > 0)
      this.log.error({ node: n.id }, `node attachments not held: ${problems.join('; ')}`);
  }

  /** Ingress (when allocated), then the allocated networks of the node's live tasks, by ID. */
  private nodeNetworks(nodeId: string): string[] {
    const pools = this.pools();
    const ingress = this.ingress();
    const ids = new Set<string>();
    for (const t of this.store.find('task', { nodeId })) {
      if (isTerminal(t)) continue;
      for (const a of t.networksAttachments) {
        const netId = a.network?.id ?? '';
        if (netId !== ingress?.id && pools.network(netId)) ids.add(netId);
      }
    }
    const out = [...ids].sort();
    return ingress && pools.network(ingress.id) ? [ingress.id, ...out] : out;
  }

  // ---- shared ----

  /**
   * Resolves network targets (IDs or names) to allocated networks, ingress first when `ingress`;
   * networks the allocator does not manage are left out. A problem (undefined while merely in
   * progress) and what to wait for when one is missing or not allocated.
   */
  private resolve(ingress: boolean, targets: readonly string[], who: string): Targets {
    const ids: string[] = [];
    if (ingress) {
      const n = this.ingress();
      if (!n)
        return {
          problem: `${who} publishes ports in ingress mode but there is no ingress network`,
          wait: 'networks',
        };
      ids.push(n.id);
    }
    for (const target of targets) {
      const n = this.store.get('network', target) ?? this.byName(target);
      if (!n) return { problem: `${who}: network ${target} not found`, wait: 'networks' };
      if (!isManaged(n) || ids.includes(n.id)) continue;
      if (!this.pools().network(n.id))
        return { problem: this.networkProblems.get(n.id), wait: `net:${n.id}` };
      ids.push(n.id);
    }
    return { ids };
  }

  private byName(name: string): Network | undefined {
    const id = this.store.idByName('network', name);
    return id === undefined ? undefined : this.store.get('network', id);
  }

  private ingress(): Network | undefined {
    if (this.ingressCache === undefined)
      this.ingressCache = this.store.find('network').find((n) => n.spec?.ingress) ?? null;
    return this.ingressCache ?? undefined;
  }
}

function waitKeyOf(err: PoolExhaustedError): WaitKey {
  if (err.pool.startsWith('network/')) return `net:${err.pool.slice('network/'.length)}`;
  if (err.pool.startsWith('ports/')) return 'ports';
  return err.pool === 'vnis' ? 'vnis' : 'subnets';
}

/** A canonical form of an endpoint, to tell whether the stored one is already right. */
function endpointKey(e: Endpoint__Output | null): string {
  const port = (p: PortConfig__Output): unknown[] => [
    p.name,
    p.protocol,
    p.targetPort,
    p.publishedPort,
    p.publishMode,
  ];
  return JSON.stringify([
    e?.spec ? [e.spec.mode, e.spec.ports.map(port)] : null,
    (e?.ports ?? []).map(port),
    (e?.virtualIps ?? []).map((v) => [v.networkId, v.addr]),
  ]);
}
