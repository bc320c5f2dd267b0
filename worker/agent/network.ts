/**
 * The agent's network hook: gives each task attached to overlay networks (the ingress network
 * included) a network namespace of its own, plumbed into every overlay through the
 * {@link OverlayDriver} (worker/network), and keeps the peer tables in step with the dispatcher.
 *
 * Life of a task's networking:
 * - before `prepare` ({@link TaskNetworks.prepare}): the namespace file `<netnsDir>/task-<id>` is made
 *   and, for `enter` engines (process), each network's sandbox is ensured and the task attached
 *   (`eth<i>` with its address, MAC from the IP, one default route); for `adopt` engines (docker) the
 *   plumbing waits until the engine reports the started workload's namespace (`TaskNetwork.adopt`);
 * - after removal ({@link TaskNetworks.release}): the task is detached, its namespace file removed, and
 *   a network no local task uses any more loses its sandbox;
 * - every SessionMessage ({@link TaskNetworks.setPeers}): each network's remote endpoints;
 * - agent restart ({@link TaskNetworks.resume}, before any task runs): the driver adopts what exists
 *   from the persisted tasks and removes sandboxes and task namespaces nobody owns.
 *
 * Without root or the native addon the hook is "unavailable": tasks run on the host's network as
 * before, with a warning in the log and a note in their RUNNING status message (the process engine's
 * convention for missing capabilities: run, and say so).
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { OverlayPeer__Output as OverlayPeer } from '../../proto/gen/shoal/api/OverlayPeer.ts';
import type { Logger } from '../../proto/shared/log.ts';
import type { SecretFile, Task, TaskNetwork } from '../executor/types.ts';
import type { OverlayDriver } from '../network/driver.ts';
import { isNetns } from '../network/execute.ts';
import { netnsAddon, netnsAddonAvailable } from '../network/native.ts';
import type { OverlayNetwork, Peer, TaskAttachment } from '../network/plan.ts';
import {
  DEFAULT_DATA_PATH_PORT,
  driverAttachment,
  overlayAttachments,
  peersByNetwork,
  peersKey,
  type DataPlaneSettings,
  type OverlayAttachment,
} from './overlays.ts';

const run = promisify(execFile);

/** The part of {@link OverlayDriver} the hook uses (tests pass a double). */
export type OverlayDataPlane = Pick<
  OverlayDriver,
  | 'ensureNetwork'
  | 'attachTask'
  | 'detachTask'
  | 'setPeers'
  | 'setKeys'
  | 'removeNetwork'
  | 'reconcile'
  | 'close'
>;

/** Named network namespace files (bind mounts, like `ip netns add`). */
export interface NetnsFiles {
  /** Makes a fresh namespace at `path`; nothing when one is there already. */
  create(path: string): Promise<void>;
  /** Bind-mounts the namespace `source` (`/proc/<pid>/ns/net`) at `path`, replacing what was there. */
  bind(path: string, source: string): Promise<void>;
  /** Unmounts and deletes `path`; missing is fine. */
  remove(path: string): Promise<void>;
  /** True when `path` holds a network namespace. */
  exists(path: string): boolean;
  /** Names of the entries of `dir` (empty when it does not exist). */
  list(dir: string): Promise<string[]>;
}

/** The real {@link NetnsFiles}: the shoal_netns addon, and util-linux `mount --bind` for adoption. */
export const NATIVE_NETNS_FILES: NetnsFiles = {
  async create(path) {
    await mkdir(dirname(path), { recursive: true, mode: 0o755 });
    netnsAddon().create(path);
  },
  async bind(path, source) {
    await mkdir(dirname(path), { recursive: true, mode: 0o755 });
    if (isNetns(path)) netnsAddon().remove(path);
    await writeFile(path, '', { mode: 0o444 });
    await run('mount', ['--bind', source, path], { timeout: 10_000 });
  },
  remove: (path) => Promise.resolve().then(() => netnsAddon().remove(path)),
  exists: isNetns,
  list: (dir) => readdir(dir).catch(() => []),
};

/** Why overlays cannot be plumbed on this node, or undefined when they can. */
export function overlayUnavailableReason(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root';
  if (!netnsAddonAvailable()) return 'the shoal_netns native addon is not built (npm run build:native)';
  return undefined;
}

/**
 * What the service mesh (mesh.ts) needs to hear from the hook: a task's namespace is plumbed (after
 * prepare or adoption, and again after an agent restart) or going away.
 */
export interface MeshHooks {
  /** The resolv.conf to mount at /etc/resolv.conf in a task with a namespace of its own. */
  resolvConf(taskId: string): Promise<SecretFile>;
  taskUp(t: {
    readonly taskId: string;
    readonly serviceId: string;
    readonly netnsPath: string;
    readonly addresses: ReadonlyMap<string, string>;
  }): Promise<void>;
  taskDown(taskId: string): Promise<void>;
}

/** The ID under which the node's ingress endpoint is attached (mesh.ts INGRESS_SBOX). */
export const INGRESS_ENDPOINT_ID = 'ingress-sbox';

/** The prefix of task namespace files in `netnsDir` (sandboxes use the driver's `ov-`). */
export const TASK_NETNS_PREFIX = 'task-';
/** What the hook keeps across restarts beside the task namespaces: the last peers and data path port. */
const STATE_FILE = 'dataplane.json';

interface SavedState {
  readonly dataPathPort?: number;
  readonly peers: Record<string, Peer[]>;
}

export interface TaskNetworksOptions {
  /** The data plane, or undefined when unavailable (then `unavailable` says why). */
  readonly driver: OverlayDataPlane | undefined;
  readonly unavailable?: string | undefined;
  /** Where task namespace files (and the last peer table) live. */
  readonly netnsDir: string;
  readonly files: NetnsFiles;
  /** The engine's {@link Engine.netns}. */
  readonly mode: 'enter' | 'adopt';
  readonly settings: DataPlaneSettings;
  readonly log: Logger;
}

/** What the hook hands the task's prepare. */
export interface PreparedNetwork {
  readonly network?: TaskNetwork;
  readonly notes: readonly string[];
  /** Files the engine mounts like secrets (the task's resolv.conf). */
  readonly files?: readonly SecretFile[];
}

interface LocalTask {
  readonly serviceId: string;
  readonly netnsPath: string;
  readonly attachments: readonly OverlayAttachment[];
}

/** The network hook; see the file comment. Calls are serialised. */
export class TaskNetworks {
  private readonly local = new Map<string, LocalTask>();
  /** Networks the driver has now (a sandbox on this node). */
  private readonly active = new Map<string, OverlayNetwork>();
  private peers = new Map<string, Peer[]>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly warned = new Set<string>();
  /** The swarm's data path port, once a SessionMessage named it (else the options' or 4789). */
  private dataPathPort: number | undefined;
  private mesh: MeshHooks | undefined;
  /** The keys last handed to the driver (to skip unchanged lists). */
  private keysText = '';

  constructor(private readonly o: TaskNetworksOptions) {}

  /** Tells `mesh` about plumbed and released task namespaces from now on. */
  useMesh(mesh: MeshHooks): void {
    this.mesh = mesh;
  }

  /** The namespace file of a task. */
  netnsPathOf(taskId: string): string {
    return join(this.o.netnsDir, `${TASK_NETNS_PREFIX}${taskId}`);
  }

  /**
   * Before the engine prepares `task`: its namespace (plumbed now for `enter` engines), or notes saying
   * why the task runs on the host's network.
   * When the kernel refuses the plumbing, what was made is undone and the task runs on the host's
   * network with the reason in its notes (see {@link fallBack}).
   * @throws when an overlay attachment has no usable allocation (no address, subnet or VNI): the task
   * is then REJECTED.
   */
  prepare(task: Task): Promise<PreparedNetwork> {
    const { attachments, problems } = overlayAttachments(task, this.settings());
    if (attachments.length === 0 && problems.length === 0) return Promise.resolve({ notes: [] });
    if (this.o.driver === undefined) {
      const why = this.o.unavailable ?? 'unavailable';
      if (!this.warned.has(task.id)) {
        this.warned.add(task.id);
        this.o.log.warn(
          { taskId: task.id, reason: why },
          'task is attached to overlay networks that this node cannot plumb: running it on the host network',
        );
      }
      return Promise.resolve({
        notes: [`overlay networking unavailable (${why}): running on the host's network`],
      });
    }
    if (problems.length > 0)
      return Promise.reject(new Error(`task ${task.id}: cannot attach to overlay: ${problems.join('; ')}`));
    const netnsPath = this.netnsPathOf(task.id);
    return this.serial(async () => {
      const entry = { serviceId: task.serviceId, netnsPath, attachments };
      this.local.set(task.id, entry);
      const files = await this.taskFiles(task.id);
      if (this.o.mode === 'adopt') {
        const adopt = (src: string): Promise<void> => this.adopt(task.id, entry, src);
        return { network: { netnsPath, adopt }, notes: [], files };
      }
      try {
        await this.o.files.create(netnsPath);
        await this.plumb(task.id, entry);
      } catch (err) {
        return this.fallBack(task.id, err);
      }
      await this.announce(task.id, entry);
      return {
        network: { netnsPath, adopt: () => Promise.resolve() },
        notes: [],
        files,
      };
    });
  }

  /** After the task's work is removed: detach it, delete its namespace, drop networks left unused. */
  release(taskId: string): Promise<void> {
    if (this.o.driver === undefined) return Promise.resolve();
    return this.serial(async () => {
      const entry = this.local.get(taskId);
      if (entry === undefined && !this.o.files.exists(this.netnsPathOf(taskId))) return; // never on one
      await this.forget(taskId, entry);
    });
  }

  /** The dispatcher's overlay peers (the whole table, from a SessionMessage). */
  setPeers(peers: readonly OverlayPeer[]): Promise<void> {
    if (this.o.driver === undefined) return Promise.resolve();
    const driver = this.o.driver;
    const next = peersByNetwork(peers);
    return this.serial(async () => {
      const prev = this.peers;
      this.peers = next;
      const changed = [...new Set([...prev.keys(), ...next.keys()])].filter(
        (id) => peersKey(prev.get(id) ?? []) !== peersKey(next.get(id) ?? []),
      );
      if (changed.length === 0) return;
      await this.saveState();
      for (const id of changed) if (this.active.has(id)) await driver.setPeers(id, next.get(id) ?? []);
    });
  }

  /** The swarm's overlay keys (SessionMessage.network_keys), for encrypted networks. */
  setKeys(keys: readonly { key: Buffer; lamportTime: number }[]): Promise<void> {
    const driver = this.o.driver;
    if (driver === undefined) return Promise.resolve();
    const list = keys.map((k) => ({ key: Buffer.from(k.key), lamportTime: Number(k.lamportTime) }));
    const text = list.map((k) => `${k.lamportTime}:${k.key.toString('hex')}`).join(',');
    if (text === this.keysText) return Promise.resolve();
    this.keysText = text;
    return this.serial(() => driver.setKeys(list));
  }

  /**
   * The swarm's VXLAN port (`--data-path-port`, from the SessionMessage's network views). Networks that
   * already have a sandbox here are rebuilt on the new port (the driver recreates vxlan0 and its peers).
   */
  setDataPathPort(port: number): Promise<void> {
    const driver = this.o.driver;
    if (driver === undefined || !Number.isInteger(port) || port < 1 || port > 65535) return Promise.resolve();
    return this.serial(async () => {
      if (port === this.settings().dataPathPort) return;
      this.dataPathPort = port;
      await this.saveState();
      const moved = (n: OverlayNetwork): OverlayNetwork => ({ ...n, dataPathPort: port });
      for (const [id, e] of this.local)
        this.local.set(id, {
          ...e,
          attachments: e.attachments.map((a) => ({ ...a, network: moved(a.network) })),
        });
      for (const [id, n] of this.active) {
        this.active.set(id, moved(n));
        await driver.ensureNetwork(moved(n));
      }
    });
  }

  /**
   * After an agent restart, before any task runs: adopts the data plane of the persisted tasks whose
   * namespaces still exist, with the last peer table, and removes sandboxes and task namespaces that
   * belong to no persisted task.
   */
  resume(tasks: readonly Task[]): Promise<void> {
    const driver = this.o.driver;
    if (driver === undefined) return Promise.resolve();
    return this.serial(async () => {
      const saved = await this.loadState();
      this.peers = new Map(Object.entries(saved.peers));
      this.dataPathPort = saved.dataPathPort;
      const keep = new Set<string>();
      const byNetwork = new Map<
        string,
        { network: OverlayNetwork; tasks: TaskAttachment[]; peers: readonly Peer[] }
      >();
      for (const task of tasks) {
        const { attachments } = overlayAttachments(task, this.settings());
        if (attachments.length === 0) continue;
        const netnsPath = this.netnsPathOf(task.id);
        if (!this.o.files.exists(netnsPath)) continue; // re-made if the task is prepared again
        keep.add(netnsPath);
        this.local.set(task.id, { serviceId: task.serviceId, netnsPath, attachments });
        for (const a of attachments) {
          let n = byNetwork.get(a.network.id);
          if (!n) {
            n = { network: a.network, tasks: [], peers: this.peers.get(a.network.id) ?? [] };
            byNetwork.set(a.network.id, n);
          }
          n.tasks.push(driverAttachment(task.id, netnsPath, a));
        }
      }
      await driver.reconcile({ networks: [...byNetwork.values()] });
      for (const [id, n] of byNetwork) this.active.set(id, n.network);
      await this.sweepTaskNetns(keep);
      for (const [id, entry] of this.local) await this.announce(id, entry);
    });
  }

  /**
   * Makes sure the node's ingress endpoint (mesh.ts) exists: a namespace `<netnsDir>/ingress-sbox` on
   * the ingress network with the node's address there. Resolves to the namespace's path.
   */
  ensureIngressEndpoint(network: OverlayNetwork, address: string): Promise<string> {
    const driver = this.o.driver;
    if (driver === undefined) return Promise.reject(new Error(this.o.unavailable ?? 'overlay unavailable'));
    const netnsPath = join(this.o.netnsDir, INGRESS_ENDPOINT_ID);
    return this.serial(async () => {
      const prev = this.local.get(INGRESS_ENDPOINT_ID);
      const current = prev?.attachments[0];
      if (current?.address === address && current.network.id === network.id && this.o.files.exists(netnsPath))
        return netnsPath;
      const attachment: OverlayAttachment = {
        network: this.active.get(network.id) ?? network,
        name: 'ingress',
        ingress: true,
        encrypted: false,
        address,
        ifname: 'eth0',
        defaultRoute: false,
      };
      const entry: LocalTask = { serviceId: '', netnsPath, attachments: [attachment] };
      this.local.set(INGRESS_ENDPOINT_ID, entry);
      try {
        await this.o.files.create(netnsPath);
        await this.plumb(INGRESS_ENDPOINT_ID, entry);
      } catch (err) {
        await this.forget(INGRESS_ENDPOINT_ID, entry, netnsPath); // leave nothing half made
        throw err;
      }
      return netnsPath;
    });
  }

  /** Removes the node's ingress endpoint (no published ingress ports any more, or leaving). */
  removeIngressEndpoint(): Promise<void> {
    if (this.o.driver === undefined) return Promise.resolve();
    return this.serial(async () => {
      const entry = this.local.get(INGRESS_ENDPOINT_ID);
      const path = join(this.o.netnsDir, INGRESS_ENDPOINT_ID);
      if (entry === undefined && !this.o.files.exists(path)) return;
      await this.forget(INGRESS_ENDPOINT_ID, entry, path);
    });
  }

  /** The overlay network the data plane would build for a network view (the node's settings applied). */
  overlayOf(view: {
    networkId: string;
    vni: number;
    subnet: string;
    gateway: string;
    dataPathPort: number;
  }): OverlayNetwork | undefined {
    const active = this.active.get(view.networkId);
    if (active !== undefined) return active;
    if (view.vni === 0 || view.subnet === '' || view.gateway === '') return undefined;
    const s = this.settings();
    return {
      id: view.networkId,
      vni: view.vni,
      subnet: view.subnet,
      gateway: view.gateway.split('/')[0] ?? view.gateway,
      dataPathPort: s.dataPathPort ?? (view.dataPathPort > 0 ? view.dataPathPort : DEFAULT_DATA_PATH_PORT),
      ...(s.underlayMtu !== undefined ? { underlayMtu: s.underlayMtu } : {}),
    };
  }

  /** Waits for calls in progress; leaves the data plane running (a restarted agent adopts it). */
  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    await this.o.driver?.close();
  }

  // ---- internals ----

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private adopt(taskId: string, entry: LocalTask, source: string): Promise<void> {
    return this.serial(async () => {
      if (this.local.get(taskId) !== entry) throw new Error(`task ${taskId} was released`);
      await this.o.files.bind(entry.netnsPath, source);
      await this.plumb(taskId, entry);
      await this.announce(taskId, entry);
    });
  }

  /**
   * Plumbing failed: undo what was made for the task and let it run on the host's network, saying so.
   * Failing the task instead would loop (the orchestrator places it again, on the same node if it is
   * the only one) — and the known cause is a node sharing its network namespace with another agent
   * (local test clusters), where the second cannot own the same VNI.
   */
  private async fallBack(taskId: string, err: unknown): Promise<PreparedNetwork> {
    const reason = err instanceof Error ? err.message : String(err);
    this.o.log.error({ taskId, err }, 'overlay plumbing failed: running the task on the host network');
    await this.forget(taskId, this.local.get(taskId));
    return { notes: [`overlay networking failed (${reason}): running on the host's network`] };
  }

  /** Ensures every network of the task (with its peers the first time) and attaches the task. */
  private async plumb(taskId: string, entry: LocalTask): Promise<void> {
    const driver = this.o.driver;
    if (driver === undefined) return;
    for (const a of entry.attachments) {
      const fresh = !this.active.has(a.network.id);
      this.active.set(a.network.id, a.network); // before ensuring: a half-made sandbox is ours to remove
      await driver.ensureNetwork(a.network);
      const peers = this.peers.get(a.network.id) ?? [];
      if (fresh && peers.length > 0) await driver.setPeers(a.network.id, peers);
      await driver.attachTask(a.network.id, driverAttachment(taskId, entry.netnsPath, a));
    }
    this.o.log.info(
      { taskId, networks: entry.attachments.map((a) => `${a.name}:${a.ifname}=${a.address}`) },
      'task attached to overlay networks',
    );
  }

  /**
   * Undoes a task's networking, best effort (each step logged, none stops the others; a restart's
   * reconcile sweeps what is left): a network no other local task uses is removed whole (its sandbox
   * takes the task's veth along, and the driver forgets it, even when it never came up), from the
   * others the task is detached; then the namespace file goes.
   */
  private async forget(
    taskId: string,
    entry: LocalTask | undefined,
    netnsPath = this.netnsPathOf(taskId),
  ): Promise<void> {
    const driver = this.o.driver;
    this.local.delete(taskId);
    const step = async (what: string, fn: () => Promise<unknown>): Promise<void> => {
      try {
        await fn();
      } catch (err) {
        this.o.log.warn({ taskId, err }, `overlay cleanup: ${what}`);
      }
    };
    for (const a of entry?.attachments ?? []) {
      const id = a.network.id;
      if (driver === undefined || !this.active.has(id)) continue;
      if ([...this.local.values()].some((t) => t.attachments.some((x) => x.network.id === id))) {
        await step(`detaching from ${a.name}`, () => driver.detachTask(id, taskId));
      } else {
        this.active.delete(id);
        await step(`removing network ${a.name}`, () => driver.removeNetwork(id));
      }
    }
    // Not awaited: the mesh may call back into this hook (the ingress endpoint), which is serialised.
    if (this.mesh !== undefined && taskId !== INGRESS_ENDPOINT_ID)
      this.mesh
        .taskDown(taskId)
        .catch((err: unknown) => this.o.log.warn({ taskId, err }, 'stopping its DNS'));
    await step('removing the task namespace', () => this.o.files.remove(netnsPath));
  }

  /** The task's resolv.conf (the embedded DNS), when there is a mesh. */
  private async taskFiles(taskId: string): Promise<SecretFile[]> {
    if (this.mesh === undefined) return [];
    try {
      return [await this.mesh.resolvConf(taskId)];
    } catch (err) {
      this.o.log.warn({ taskId, err }, 'writing the task resolv.conf');
      return [];
    }
  }

  /**
   * Tells the mesh a task's namespace is plumbed (never the node's own ingress endpoint). Not awaited:
   * the mesh may call back into this hook (the ingress endpoint), whose calls are serialised; the
   * mesh serialises its own calls, so their order is kept.
   */
  private announce(taskId: string, entry: LocalTask): Promise<void> {
    if (this.mesh === undefined || taskId === INGRESS_ENDPOINT_ID) return Promise.resolve();
    const addresses = new Map(entry.attachments.map((a) => [a.network.id, a.address.split('/')[0] ?? '']));
    this.mesh
      .taskUp({ taskId, serviceId: entry.serviceId, netnsPath: entry.netnsPath, addresses })
      .catch((err: unknown) => this.o.log.warn({ taskId, err }, 'service mesh for the task'));
    return Promise.resolve();
  }

  private async sweepTaskNetns(keep: ReadonlySet<string>): Promise<void> {
    const names = await this.o.files.list(this.o.netnsDir);
    for (const name of names) {
      const path = join(this.o.netnsDir, name);
      if (!name.startsWith(TASK_NETNS_PREFIX) || keep.has(path)) continue;
      this.o.log.info({ path }, 'removing the namespace of a task this node no longer has');
      await this.o.files
        .remove(path)
        .catch((err: unknown) => this.o.log.warn({ err, path }, 'removing netns'));
    }
  }

  private settings(): DataPlaneSettings {
    return { ...this.o.settings, dataPathPort: this.dataPathPort ?? this.o.settings.dataPathPort };
  }

  private async saveState(): Promise<void> {
    const path = join(this.o.netnsDir, STATE_FILE);
    const state: SavedState = {
      ...(this.dataPathPort !== undefined ? { dataPathPort: this.dataPathPort } : {}),
      peers: Object.fromEntries(this.peers),
    };
    await mkdir(this.o.netnsDir, { recursive: true, mode: 0o755 });
    await writeFile(`${path}.tmp`, JSON.stringify(state));
    await rename(`${path}.tmp`, path);
  }

  private async loadState(): Promise<SavedState> {
    try {
      return JSON.parse(await readFile(join(this.o.netnsDir, STATE_FILE), 'utf8')) as SavedState;
    } catch {
      return { peers: {} };
    }
  }
}
