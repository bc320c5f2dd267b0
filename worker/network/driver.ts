/**
 * OverlayDriver: the worker side of Shoal's VXLAN overlay. The agent tells it which networks, local
 * tasks and remote peers this node should have; every call updates that desired state and reconciles
 * the network it touches (read back → {@link planNetwork} → execute), so repeating a call is harmless
 * and a half-applied change is finished by the next one. Calls are serialised.
 *
 * `close()` leaves the data plane in place (tasks keep talking while the agent restarts); a new driver
 * adopts it with `reconcile(state)`, which changes nothing that is already right.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseCidr } from './addr.ts';
import { NetlinkError } from './errors.ts';
import { NsPool, executePlan, isNetns, observeNetwork } from './execute.ts';
import type { DesiredNetwork, OverlayNetwork, Peer, PlanOp, TaskAttachment } from './plan.ts';
import { DEFAULT_DATA_PATH_PORT, EMPTY_OBSERVED, effectivePeers, planNetwork, planTeardown } from './plan.ts';
import { SECURE_OVERHEAD_BYTES, type OverlayKey } from './secure/codec.ts';
import { SECURE_PORT_OFFSET, SecureTransport } from './secure/transport.ts';
import type { Logger } from '../../proto/shared/log.ts';

export interface OverlayDriverOptions {
  /** This node's underlay (VTEP) address. */
  readonly localVtep: string;
  /**
   * The namespace that counts as "the host": VXLAN UDP sockets bind there. Default: the namespace
   * the process runs in. Tests point several drivers at different namespaces.
   */
  readonly hostNetnsPath?: string;
  /** Where sandbox namespaces are bind-mounted. Default `/run/shoal/netns`. */
  readonly sandboxDir?: string;
  /** Prefix of sandbox file names; the network ID follows. Default `ov-`. */
  readonly sandboxPrefix?: string;
  readonly log?: Logger;
}

/** The whole desired state, as the agent rebuilds it after a restart. */
export interface OverlayState {
  readonly networks: readonly {
    readonly network: OverlayNetwork;
    readonly tasks: readonly TaskAttachment[];
    readonly peers: readonly Peer[];
  }[];
}

/** What one reconcile did. */
export interface ReconcileReport {
  /** Operations applied, per network ID (empty arrays when nothing had to change). */
  readonly applied: ReadonlyMap<string, readonly PlanOp[]>;
  /** Sandboxes with our prefix that belonged to no desired network and were torn down. */
  readonly removedSandboxes: readonly string[];
}

interface NetworkState {
  network: OverlayNetwork;
  tasks: Map<string, TaskAttachment>;
  peers: readonly Peer[];
}

const ID = /^[A-Za-z0-9_.-]{1,200}$/;

export class OverlayDriver {
  private readonly networks = new Map<string, NetworkState>();
  private readonly hostNetnsPath: string;
  private readonly sandboxDir: string;
  private readonly sandboxPrefix: string;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** The encrypted networks' data path (secure/), made with the first encrypted network. */
  private secure: SecureTransport | undefined;
  private keys: readonly OverlayKey[] = [];

  constructor(private readonly opts: OverlayDriverOptions) {
    this.hostNetnsPath = opts.hostNetnsPath ?? `/proc/${process.pid}/ns/net`;
    this.sandboxDir = opts.sandboxDir ?? '/run/shoal/netns';
    this.sandboxPrefix = opts.sandboxPrefix ?? 'ov-';
  }

  /** Path of the sandbox namespace of `networkId` on this node. */
  sandboxPath(networkId: string): string {
    return join(this.sandboxDir, `${this.sandboxPrefix}${networkId}`);
  }

  /** Creates (or repairs) the network's sandbox, bridge and VXLAN device. */
  ensureNetwork(network: OverlayNetwork): Promise<readonly PlanOp[]> {
    validateNetwork(network);
    return this.serial(() => {
      const prev = this.networks.get(network.id);
      this.networks.set(network.id, {
        network,
        tasks: prev?.tasks ?? new Map<string, TaskAttachment>(),
        peers: prev?.peers ?? [],
      });
      return this.reconcileOne(network.id);
    });
  }

  /** Plumbs a local task into the network (veth, eth0 with its IP and MAC, default route). */
  attachTask(networkId: string, attachment: TaskAttachment): Promise<readonly PlanOp[]> {
    parseCidr(attachment.address);
    return this.serial(() => {
      const st = this.state(networkId, 'attachTask');
      if (!isNetns(attachment.netnsPath))
        throw new NetlinkError('ENOENT', 'attachTask', attachment.taskId, attachment.netnsPath);
      st.tasks.set(attachment.taskId, attachment);
      return this.reconcileOne(networkId);
    });
  }

  /** Removes a local task's veth (and so its eth0). Unknown task IDs are fine. */
  detachTask(networkId: string, taskId: string): Promise<readonly PlanOp[]> {
    return this.serial(() => {
      this.state(networkId, 'detachTask').tasks.delete(taskId);
      return this.reconcileOne(networkId);
    });
  }

  /** Replaces the network's peer table (remote tasks); entries behind this node's VTEP are ignored. */
  setPeers(networkId: string, peers: readonly Peer[]): Promise<readonly PlanOp[]> {
    return this.serial(() => {
      this.state(networkId, 'setPeers').peers = [...peers];
      return this.reconcileOne(networkId);
    });
  }

  /**
   * The swarm's overlay keys (SessionMessage.network_keys: previous, current, next). Encrypted networks
   * send nothing until they are set.
   */
  setKeys(keys: readonly OverlayKey[]): Promise<void> {
    return this.serial(() => {
      this.keys = keys.map((k) => ({ key: Buffer.from(k.key), lamportTime: k.lamportTime }));
      this.secure?.setKeys(this.keys);
      return Promise.resolve();
    });
  }

  /** Counters of the encrypted data path (undefined before the first encrypted network). */
  secureStats(): SecureTransport['stats'] | undefined {
    return this.secure?.stats;
  }

  /** Tears down everything the network has on this node, sandbox included. */
  removeNetwork(networkId: string): Promise<readonly PlanOp[]> {
    return this.serial(async () => {
      this.networks.delete(networkId);
      const ops = await this.teardown(this.sandboxPath(networkId));
      await this.secure?.removeNetwork(networkId);
      return ops;
    });
  }

  /**
   * Makes the node match `state` (when given, it replaces the driver's desired state wholesale; after a
   * restart, pass everything the agent knows) and removes sandboxes with our prefix that no desired
   * network owns.
   */
  reconcile(state?: OverlayState): Promise<ReconcileReport> {
    if (state !== undefined) state.networks.forEach((n) => validateNetwork(n.network));
    return this.serial(async () => {
      if (state !== undefined) {
        this.networks.clear();
        for (const n of state.networks)
          this.networks.set(n.network.id, {
            network: n.network,
            tasks: new Map(n.tasks.map((t) => [t.taskId, t])),
            peers: [...n.peers],
          });
      }
      const applied = new Map<string, readonly PlanOp[]>();
      for (const id of this.networks.keys()) applied.set(id, await this.reconcileOne(id));
      const removedSandboxes: string[] = [];
      for (const path of this.ownSandboxes()) {
        const owned = [...this.networks.keys()].some((id) => this.sandboxPath(id) === path);
        if (owned) continue;
        await this.teardown(path);
        removedSandboxes.push(path);
      }
      if (this.secure !== undefined)
        for (const id of this.secure.networkIds())
          if (!this.networks.has(id)) await this.secure.removeNetwork(id);
      return { applied, removedSandboxes };
    });
  }

  /** What `reconcile` would do for one network, without doing it. */
  plan(networkId: string): Promise<readonly PlanOp[]> {
    return this.serial(() =>
      this.withPool(async (pool) =>
        planNetwork(this.desired(networkId), await observeNetwork(this.desired(networkId), pool)),
      ),
    );
  }

  /**
   * Waits for queued calls and refuses new ones. Leaves the data plane in place — except encrypted
   * networks' TAPs, which cannot outlive this process (the next driver makes them again).
   */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue.catch(() => undefined);
    await this.secure?.close();
  }

  // ---- internals ------------------------------------------------------------------------------

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('OverlayDriver is closed'));
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private state(networkId: string, op: string): NetworkState {
    const st = this.networks.get(networkId);
    if (st === undefined) throw new NetlinkError('ENOENT', op, `network ${networkId}`, this.hostNetnsPath);
    return st;
  }

  private desired(networkId: string): DesiredNetwork {
    const st = this.state(networkId, 'reconcile');
    return {
      network: st.network,
      hostNetnsPath: this.hostNetnsPath,
      sandboxPath: this.sandboxPath(networkId),
      localVtep: this.opts.localVtep,
      tasks: [...st.tasks.values()],
      peers: st.peers,
    };
  }

  private async withPool<T>(fn: (pool: NsPool) => Promise<T>): Promise<T> {
    const pool = new NsPool();
    try {
      return await fn(pool);
    } finally {
      await pool.closeAll();
    }
  }

  private async reconcileOne(networkId: string): Promise<readonly PlanOp[]> {
    const d = this.desired(networkId);
    const once = (): Promise<PlanOp[]> =>
      this.withPool(async (pool) => {
        const ops = planNetwork(d, await observeNetwork(d, pool));
        await executePlan(ops, pool);
        return ops;
      });
    const ops = await once();
    if (d.network.encrypted !== true) {
      if (this.secure?.has(networkId) === true) await this.secure.removeNetwork(networkId);
      return ops;
    }
    // encrypted: the transport's tap0 (made once the sandbox exists), plugged into br0 by a second pass
    const secure = this.transport(d.network);
    const made = await secure.ensureTap(networkId, d.network.vni, d.sandboxPath);
    secure.setPeers(
      networkId,
      [...effectivePeers(d)].map(([ip, p]) => ({ ip, mac: p.mac, vtep: p.vtep })),
    );
    return made ? [...ops, ...(await once())] : ops;
  }

  private transport(n: OverlayNetwork): SecureTransport {
    if (this.secure === undefined) {
      this.secure = new SecureTransport({
        hostNetnsPath: this.hostNetnsPath,
        port: (n.dataPathPort ?? DEFAULT_DATA_PATH_PORT) + SECURE_PORT_OFFSET,
        ...(this.opts.log !== undefined ? { log: this.opts.log } : {}),
      });
      this.secure.setKeys(this.keys);
    }
    return this.secure;
  }

  private teardown(sandboxPath: string): Promise<readonly PlanOp[]> {
    return this.withPool(async (pool) => {
      const desired = { sandboxPath, hostNetnsPath: this.hostNetnsPath, tasks: [], peers: [] };
      const observed = isNetns(sandboxPath)
        ? await observeNetwork({ ...desired, network: PLACEHOLDER, localVtep: this.opts.localVtep }, pool)
        : EMPTY_OBSERVED;
      const ops = planTeardown(desired, observed);
      await executePlan(ops, pool);
      return ops;
    });
  }

  private ownSandboxes(): string[] {
    try {
      return readdirSync(this.sandboxDir)
        .filter((f) => f.startsWith(this.sandboxPrefix))
        .map((f) => join(this.sandboxDir, f));
    } catch {
      return [];
    }
  }
}

/** Teardown reads the sandbox without knowing the network; only the sandbox fields are used. */
const PLACEHOLDER: OverlayNetwork = { id: '-', vni: 0, subnet: '0.0.0.0/0', gateway: '0.0.0.0' };

function validateNetwork(n: OverlayNetwork): void {
  if (!ID.test(n.id)) throw new TypeError(`network ID ${JSON.stringify(n.id)} is not valid`);
  if (!Number.isInteger(n.vni) || n.vni < 1 || n.vni > 0xffffff)
    throw new TypeError(`network ${n.id}: VNI ${n.vni} out of range`);
  parseCidr(n.subnet);
  parseCidr(`${n.gateway}/32`);
  const port = n.dataPathPort ?? 4789;
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new TypeError(`network ${n.id}: data path port ${port} out of range`);
  const mtu = n.underlayMtu ?? 1500;
  if (!Number.isInteger(mtu) || mtu < 68 + (n.encrypted === true ? SECURE_OVERHEAD_BYTES : 50) || mtu > 65535)
    throw new TypeError(`network ${n.id}: underlay MTU ${mtu} out of range`);
}
