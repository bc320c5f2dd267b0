/**
 * One host's membership in a swarm: the composition root of shoald. It starts the worker agent on
 * every node and the manager on managers, keeps the node's certificate current (renewal, root
 * rotation, role changes from promote and demote), and implements the node lifecycle the HTTP API
 * exposes: init, join, leave, unlock, restart from the data root, and `--force-new-cluster`.
 *
 * Life: `ShoalNode.open(options)` resumes whatever the data root holds (a locked manager stays
 * 'locked' until `unlock`); `stop()` stops the agent and the manager and leaves tasks running, so the
 * next start adopts them; `leave()` forgets the swarm and shuts its tasks down.
 */
import { nodeTlsInfo } from '../ca/tlsinfo.ts';
import { WORKER_NODE } from './messages.ts';
import { hostname as osHostname, release, type as osType, cpus, totalmem, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { joinSwarm, NodeCertificateAgent } from '../ca/client.ts';
import { LockedError } from '../ca/errors.ts';
import { CertificateDir } from '../ca/keyfile.ts';
import { identityOf, type NodeIdentity } from '../ca/pki.ts';
import { CLUSTER_CHANNEL_OPTIONS, NodeTlsCredentials } from '../ca/tls.ts';
import { defaultClusterSpec } from '../manager/controlapi/defaults.ts';
import type { ControlService } from '../manager/controlapi/rpc.ts';
import { Manager, type ManagerOptions } from '../manager/manager.ts';
import type { MemoryStore } from '../manager/store/memory.ts';
import type { ClusterSpec__Output } from '../proto/gen/shoal/api/ClusterSpec.ts';
import type { LogMessage__Output } from '../proto/gen/shoal/api/LogMessage.ts';
import type { NodeDescription } from '../proto/gen/shoal/api/NodeDescription.ts';
import type { SubscribeLogsRequest } from '../proto/gen/shoal/api/SubscribeLogsRequest.ts';
import type { SwarmInitRequest__Output } from '../proto/gen/shoal/api/SwarmInitRequest.ts';
import type { SwarmJoinRequest__Output } from '../proto/gen/shoal/api/SwarmJoinRequest.ts';
import { FailedPreconditionError, InvalidArgumentError, UnavailableError } from '../proto/shared/errors.ts';
import { silentLogger, type Logger } from '../proto/shared/log.ts';
import { SHOAL_VERSION } from '../proto/version.ts';
import { Agent } from '../worker/agent/agent.ts';
import type { Engine } from '../worker/executor/types.ts';
import type { SecretMounts } from '../worker/secrets/mounts.ts';
import type { DaemonBackend, HostInfo, RaftMetrics, SwarmLocalInfo } from './backend.ts';
import { clusterPlane, type ClusterPlane } from './plane.ts';
import { clearSwarmState, readSwarmState, writeSwarmState, type SwarmState } from './state.ts';

export const NOT_IN_SWARM = 'This node is not part of a swarm';
export const ALREADY_IN_SWARM =
  'This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.';

export interface ShoalNodeOptions {
  readonly dataRoot: string;
  /** The manager's raft failed for good (e.g. its disk is full); shoald stops (daemon/main.ts). */
  readonly onFatal?: (err: Error) => void;
  /** Default cluster listen address (`swarm init|join --listen-addr` override it). */
  readonly listenAddr: string;
  /** Default advertise address, `host` or `host:port`. */
  readonly advertiseAddr?: string;
  readonly engine: Engine;
  readonly engineNotes?: () => Promise<readonly string[]>;
  readonly secrets?: SecretMounts;
  readonly log?: Logger;
  /** Raft tick (ms); tests and local clusters shorten it. */
  readonly tickMs?: number;
  /** How often the node asks the CA whether to renew (role changes, root rotation); default 5 s. */
  readonly certPollMs?: number;
  /** Dispatcher heartbeat period (ms) for a swarm this node creates. */
  readonly heartbeatPeriodMs?: number;
  readonly hostname?: string;
}

type Status =
  { state: 'inactive' } | { state: 'locked' } | { state: 'active' } | { state: 'error'; error: string };

export class ShoalNode implements DaemonBackend {
  private readonly log: Logger;
  private status: Status = { state: 'inactive' };
  private saved: SwarmState | undefined;
  private manager: Manager | undefined;
  private plane: ClusterPlane | undefined;
  private agent: Agent | undefined;
  private certAgent: NodeCertificateAgent | undefined;
  private creds: NodeTlsCredentials | undefined;
  private busy: Promise<unknown> = Promise.resolve();
  private engineNotes: readonly string[] = [];

  private constructor(private readonly o: ShoalNodeOptions) {
    this.log = (o.log ?? silentLogger()).child({ component: 'node' });
  }

  /** Starts the node from its data root: back in its swarm if it was in one. */
  static async open(o: ShoalNodeOptions): Promise<ShoalNode> {
    const n = new ShoalNode(o);
    n.engineNotes = (await o.engineNotes?.()) ?? [];
    n.saved = await readSwarmState(o.dataRoot);
    if (!n.saved) return n;
    try {
      await n.resume(n.saved, {});
    } catch (err) {
      // A data root restored onto another host: the saved cluster address is not this host's. Serve
      // the API anyway, so `swarm init --force-new-cluster` with this host's address can restore it.
      if (n.saved.role !== 'manager' || !/EADDRNOTAVAIL/.test(String(err))) throw err;
      const error =
        `this manager's saved cluster address ${n.saved.listenAddr} is not an address of this host ` +
        '(a data root restored from another host?): run `shoal swarm init --force-new-cluster ' +
        '--listen-addr <this host>:2377 --advertise-addr <this host>` to start it here';
      n.status = { state: 'error', error };
      o.log?.error({ err }, error);
    }
    return n;
  }

  // ---- DaemonBackend: reads ----

  swarm(): SwarmLocalInfo {
    const s = this.saved;
    const managers = this.manager?.managers() ?? (s?.managers ?? []).map((addr) => ({ nodeId: '', addr }));
    return {
      nodeId: s?.nodeId ?? '',
      nodeAddr: s ? hostOf(s.advertiseAddr) : '',
      localNodeState: this.status.state,
      controlAvailable: this.status.state === 'active' && this.manager !== undefined,
      error: this.status.state === 'error' ? this.status.error : '',
      remoteManagers: managers,
    };
  }

  host(): HostInfo {
    return {
      hostname: this.hostname(),
      os: 'linux',
      arch: goArch(process.arch),
      kernelVersion: release(),
      operatingSystem: `${osType()} (Shoal ${SHOAL_VERSION})`,
      ncpu: cpus().length,
      memTotal: totalmem(),
      engine: this.o.engine.name,
      engineNotes: this.engineNotes,
      dataRoot: this.o.dataRoot,
    };
  }

  control(): ControlService | undefined {
    return this.status.state === 'active' ? this.manager?.control : undefined;
  }

  store(): MemoryStore | undefined {
    return this.status.state === 'active' ? this.manager?.store : undefined;
  }

  raftMetrics(): RaftMetrics | undefined {
    const m = this.manager;
    if (!m || this.status.state !== 'active') return undefined;
    const st = m.raft.status();
    return {
      term: st.term,
      isLeader: m.isLeader(),
      leaderId: m.raft.leader()?.id ?? null,
      commitIndex: st.commit,
      appliedIndex: st.applied,
      members: st.members.length,
    };
  }

  defaultClusterSpec(): ClusterSpec__Output {
    return defaultClusterSpec();
  }

  logs(req: SubscribeLogsRequest, signal: AbortSignal): AsyncIterable<LogMessage__Output> {
    const plane = this.plane;
    if (!plane || this.status.state !== 'active') throw new UnavailableError(WORKER_NODE);
    return plane.subscribeLogs(req, signal);
  }

  async unlockKey(): Promise<string> {
    const m = this.manager;
    if (!m || this.status.state !== 'active') throw new UnavailableError(WORKER_NODE);
    return Promise.resolve(m.ca.state.unlockKey ?? '');
  }

  // ---- DaemonBackend: lifecycle ----

  init(req: SwarmInitRequest__Output): Promise<string> {
    return this.serial(async () => {
      if (req.forceNewCluster && this.saved?.role === 'manager') {
        if (this.status.state === 'locked') throw new LockedError();
        return this.forceNewCluster(req);
      }
      if (this.status.state !== 'inactive') throw new UnavailableError(ALREADY_IN_SWARM);
      const { listenAddr, advertiseAddr } = this.addresses(req.listenAddr, req.advertiseAddr);
      const plane = clusterPlane(this.planeOptions());
      const m = await Manager.init({
        ...this.managerOptions(listenAddr, advertiseAddr, plane),
        cluster: {
          ...(req.spec ? { spec: req.spec } : {}),
          ...(req.defaultAddrPool.length > 0 ? { defaultAddrPool: req.defaultAddrPool } : {}),
          ...(req.subnetSize > 0 ? { subnetSize: req.subnetSize } : {}),
          ...(req.dataPathPort > 0 ? { dataPathPort: req.dataPathPort } : {}),
        },
      });
      this.manager = m;
      this.plane = plane;
      await this.applyInitSpec(m, req);
      this.saved = {
        version: 1,
        role: 'manager',
        nodeId: m.nodeId,
        advertiseAddr,
        listenAddr,
        managers: [advertiseAddr],
      };
      await writeSwarmState(this.o.dataRoot, this.saved);
      this.status = { state: 'active' };
      await this.startWorkerSide(m.creds, [advertiseAddr]);
      this.log.info({ nodeId: m.nodeId, addr: advertiseAddr }, 'swarm initialised');
      return m.nodeId;
    });
  }

  join(req: SwarmJoinRequest__Output): Promise<void> {
    return this.serial(async () => {
      if (this.status.state !== 'inactive') throw new UnavailableError(ALREADY_IN_SWARM);
      if (req.remoteAddrs.length === 0)
        throw new InvalidArgumentError('at least 1 RemoteAddr is required to join', 'RemoteAddrs');
      if (!req.joinToken) throw new InvalidArgumentError('a join token is required to join', 'JoinToken');
      const { listenAddr, advertiseAddr } = this.addresses(req.listenAddr, req.advertiseAddr);
      const dir = new CertificateDir(join(this.o.dataRoot, 'certificates'));
      let joined: Awaited<ReturnType<typeof joinSwarm>> | undefined;
      let lastErr: unknown;
      let via = '';
      for (const addr of req.remoteAddrs) {
        try {
          joined = await joinSwarm({ addr: withPort(addr, 2377), token: req.joinToken, dir });
          via = withPort(addr, 2377);
          break;
        } catch (err) {
          lastErr = err;
        }
      }
      if (!joined) throw lastErr instanceof Error ? lastErr : new UnavailableError(String(lastErr));
      const role = joined.identity.role;
      this.saved = {
        version: 1,
        role,
        nodeId: joined.identity.nodeId,
        advertiseAddr,
        listenAddr,
        managers: [via],
      };
      try {
        if (role === 'manager') {
          const plane = clusterPlane(this.planeOptions());
          this.manager = await Manager.promoted({
            ...this.managerOptions(listenAddr, advertiseAddr, plane),
            remoteAddr: via,
          });
          this.plane = plane;
        }
        await writeSwarmState(this.o.dataRoot, this.saved);
      } catch (err) {
        await this.manager?.stop().catch(() => undefined);
        this.manager = undefined;
        this.saved = undefined;
        await clearSwarmState(this.o.dataRoot);
        throw err;
      }
      this.status = { state: 'active' };
      const creds =
        this.manager?.creds ??
        new NodeTlsCredentials(
          { rootPem: joined.rootPem, certPem: joined.certPem, keyPem: joined.keyPem },
          joined.identity.clusterId,
        );
      await this.startWorkerSide(creds, [via]);
      this.log.info({ nodeId: joined.identity.nodeId, role, via }, 'joined the swarm');
    });
  }

  leave(force: boolean): Promise<void> {
    return this.serial(async () => {
      if (this.status.state === 'inactive') throw new UnavailableError(NOT_IN_SWARM);
      const m = this.manager;
      if (m && !force) {
        const total = m.raft.status().members.length;
        const msg =
          'You are attempting to leave the swarm on a node that is participating as a manager. ' +
          (total <= 1
            ? 'Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message. '
            : `Removing this node leaves ${total - 1} managers out of ${total}. Without a Raft quorum your swarm will be inaccessible. The only way to restore a swarm that has lost consensus is to reinitialize it with \`--force-new-cluster\`. Use \`--force\` to suppress this message.`);
        throw new UnavailableError(msg.trim());
      }
      if (this.status.state === 'locked' && !force) throw new LockedError();
      await this.stopWorkerSide({ shutdownTasks: true });
      if (m) await m.leave().catch((err: unknown) => this.log.warn({ err }, 'raft leave failed'));
      this.manager = undefined;
      this.plane?.close();
      this.plane = undefined;
      this.saved = undefined;
      await clearSwarmState(this.o.dataRoot);
      this.status = { state: 'inactive' };
      this.log.info('left the swarm');
    });
  }

  unlock(unlockKey: string): Promise<void> {
    return this.serial(async () => {
      if (this.status.state === 'inactive') throw new UnavailableError(NOT_IN_SWARM);
      if (this.status.state !== 'locked' || !this.saved)
        throw new FailedPreconditionError('swarm is not locked!');
      await this.resume(this.saved, { unlockKey });
    });
  }

  /** Stops the agent and the manager; tasks keep running for the next start to adopt. */
  async stop(): Promise<void> {
    await this.busy.catch(() => undefined);
    await this.stopWorkerSide({ shutdownTasks: false });
    await this.manager?.stop();
    this.manager = undefined;
    this.plane?.close();
  }

  // ---- internals ----

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.busy.then(op, op);
    this.busy = run.catch(() => undefined);
    return run;
  }

  private hostname(): string {
    return this.o.hostname ?? osHostname();
  }

  private planeOptions(): Parameters<typeof clusterPlane>[0] {
    return {
      ...(this.o.heartbeatPeriodMs !== undefined ? { heartbeatPeriodMs: this.o.heartbeatPeriodMs } : {}),
    };
  }

  private managerOptions(listenAddr: string, advertiseAddr: string, plane: ClusterPlane): ManagerOptions {
    return {
      dataRoot: this.o.dataRoot,
      addr: advertiseAddr,
      listenAddr,
      leader: plane.leader,
      control: plane.control,
      ...(this.o.tickMs !== undefined ? { tickMs: this.o.tickMs } : {}),
      ...(this.o.log ? { log: this.o.log } : {}),
      onFatal: (err) => this.o.onFatal?.(err),
    };
  }

  /** The listen and advertise addresses for init or join, from the request over shoald's flags. */
  private addresses(reqListen: string, reqAdvertise: string): { listenAddr: string; advertiseAddr: string } {
    const listenAddr = withPort(reqListen || this.o.listenAddr, 2377);
    const port = portOf(listenAddr);
    let advertise = reqAdvertise || this.o.advertiseAddr || '';
    if (!advertise) {
      const host = hostOf(listenAddr);
      advertise = host !== '0.0.0.0' && host !== '::' && host !== '' ? host : defaultAdvertiseHost();
    }
    return { listenAddr, advertiseAddr: withPort(advertise, port) };
  }

  /** Spec options of `swarm init` that live in the CA (autolock, certificate expiry). */
  private async applyInitSpec(m: Manager, req: SwarmInitRequest__Output): Promise<void> {
    const autolock = req.autoLockManagers || req.spec?.encryptionConfig?.autoLockManagers === true;
    const expiry = req.spec?.caConfig?.nodeCertExpiry;
    const wantsExpiry = typeof expiry === 'number' && expiry > 0;
    const control = m.control;
    if ((!autolock && !wantsExpiry) || !control) return;
    const { clusters } = await control.listClusters({ filters: null });
    const c = clusters[0];
    if (!c?.spec) return;
    const spec = { ...c.spec, encryptionConfig: { autoLockManagers: autolock } };
    await control.updateCluster({
      clusterId: c.id,
      clusterVersion: c.version,
      spec,
      rotateWorkerToken: false,
      rotateManagerToken: false,
      rotateManagerUnlockKey: false,
    });
  }

  /** `swarm init --force-new-cluster` on a manager that lost its quorum: a one-member swarm, state kept. */
  private async forceNewCluster(req: SwarmInitRequest__Output): Promise<string> {
    const saved = this.saved as SwarmState;
    // A running autolocked manager reopens with the key the swarm holds now.
    const ca = this.manager?.ca;
    const unlockKey = ca?.initialised ? (ca.state.unlockKey ?? undefined) : undefined;
    await this.stopWorkerSide({ shutdownTasks: false });
    await this.manager?.stop();
    this.manager = undefined;
    this.plane?.close();
    const { listenAddr, advertiseAddr } = req.listenAddr
      ? this.addresses(req.listenAddr, req.advertiseAddr)
      : { listenAddr: saved.listenAddr, advertiseAddr: saved.advertiseAddr };
    this.saved = { ...saved, listenAddr, advertiseAddr, managers: [advertiseAddr] };
    await this.resume(this.saved, { forceNewCluster: true, ...(unlockKey ? { unlockKey } : {}) });
    return saved.nodeId;
  }

  /** Starts what the saved state says: the manager (unless locked) and the worker side. */
  private async resume(s: SwarmState, o: { unlockKey?: string; forceNewCluster?: boolean }): Promise<void> {
    if (s.role === 'manager') {
      const plane = clusterPlane(this.planeOptions());
      try {
        this.manager = await Manager.open({
          ...this.managerOptions(s.listenAddr, s.advertiseAddr, plane),
          ...(o.unlockKey !== undefined ? { unlockKey: o.unlockKey } : {}),
          ...(o.forceNewCluster ? { forceNewCluster: true } : {}),
        });
        this.plane = plane;
      } catch (err) {
        if (err instanceof LockedError) {
          this.status = { state: 'locked' };
          this.log.warn('this manager is locked: run `shoal swarm unlock`');
          return;
        }
        throw err;
      }
      await writeSwarmState(this.o.dataRoot, s);
      this.status = { state: 'active' };
      await this.startWorkerSide(this.manager.creds, [s.advertiseAddr, ...s.managers]);
      return;
    }
    const dir = new CertificateDir(join(this.o.dataRoot, 'certificates'));
    const files = await dir.read(null);
    const identity = identityOf(files.certPem);
    const creds = new NodeTlsCredentials(
      { rootPem: files.rootPem, certPem: files.certPem, keyPem: files.key.keyPem },
      identity.clusterId,
    );
    this.status = { state: 'active' };
    await this.startWorkerSide(creds, s.managers);
  }

  private description(): NodeDescription {
    return {
      hostname: this.hostname(),
      platform: { os: 'linux', architecture: process.arch === 'x64' ? 'x86_64' : process.arch },
      resources: { nanoCpus: cpus().length * 1e9, memoryBytes: totalmem(), genericResources: [] },
      engine: { engineVersion: `${SHOAL_VERSION}-${this.o.engine.name}`, labels: {}, plugins: [] },
      // what `swarm ca --rotate` waits on: every node's trust root and issuer equal to the swarm's
      ...(this.creds
        ? { tlsInfo: { ...nodeTlsInfo(this.creds.current.rootPem, this.creds.current.certPem) } }
        : {}),
    };
  }

  /** The agent (tasks) and the certificate agent (renewal, role changes), with these credentials. */
  private async startWorkerSide(creds: NodeTlsCredentials, managers: readonly string[]): Promise<void> {
    this.creds = creds;
    const unique = [...new Set(managers)];
    const mounts = this.o.secrets;
    this.agent = new Agent({
      managers: unique,
      credentials: creds.client(),
      channelOptions: CLUSTER_CHANNEL_OPTIONS,
      description: this.description(),
      engine: this.o.engine,
      dataDir: join(this.o.dataRoot, 'worker'),
      // The VXLAN tunnel endpoint is the advertise address's host (Docker's default data-path address).
      network: { vtep: this.saved ? hostOf(this.saved.advertiseAddr) : '' },
      ...(mounts
        ? {
            secrets: {
              materialise: (task, secrets, configs) =>
                mounts.materialise(
                  task,
                  new Map(secrets.map((x) => [x.id, x])),
                  new Map(configs.map((x) => [x.id, x])),
                ),
              release: (id) => mounts.release(id),
            },
          }
        : {}),
      ...(this.o.log ? { log: this.o.log } : {}),
    });
    await this.agent.start();
    this.certAgent = new NodeCertificateAgent({
      creds,
      dir: new CertificateDir(join(this.o.dataRoot, 'certificates')),
      managers: () => this.managerAddrs(),
      pollMs: this.o.certPollMs ?? 5000,
      onUpdate: (identity) => this.onCertificate(identity),
      ...(this.o.log ? { log: this.o.log } : {}),
    });
    this.certAgent.start();
  }

  private managerAddrs(): string[] {
    const fromRaft = this.manager?.managers().map((m) => m.addr) ?? [];
    return [...new Set([...fromRaft, ...(this.saved?.managers ?? [])])];
  }

  private async stopWorkerSide(o: { shutdownTasks: boolean }): Promise<void> {
    await this.certAgent?.stop();
    this.certAgent = undefined;
    const agent = this.agent;
    this.agent = undefined;
    if (!agent) return;
    if (o.shutdownTasks)
      await agent.shutdownAll().catch((err: unknown) => this.log.warn({ err }, 'task shutdown'));
    await agent.stop();
  }

  /** A renewed certificate may carry a new role: promote or demote this node to match. */
  private onCertificate(identity: NodeIdentity): void {
    this.agent?.setDescription(this.description()); // a new root or issuer shows in its TLSInfo
    const want = identity.role;
    const have = this.manager ? 'manager' : 'worker';
    if (want === have || this.status.state !== 'active') return;
    void this.serial(async () => {
      const s = this.saved;
      if (!s || this.status.state !== 'active') return;
      if ((this.manager ? 'manager' : 'worker') === want) return;
      await this.stopWorkerSide({ shutdownTasks: false });
      if (want === 'manager') {
        const plane = clusterPlane(this.planeOptions());
        const via = this.managerAddrs()[0] ?? '';
        this.manager = await Manager.promoted({
          ...this.managerOptions(s.listenAddr, s.advertiseAddr, plane),
          remoteAddr: via,
        });
        this.plane = plane;
        this.log.info('promoted: this node is now a manager');
      } else {
        const m = this.manager;
        this.manager = undefined;
        this.plane?.close();
        this.plane = undefined;
        await m?.stop();
        const { rm } = await import('node:fs/promises');
        await rm(join(this.o.dataRoot, 'raft'), { recursive: true, force: true });
        this.log.info('demoted: this node is now a worker');
      }
      this.saved = { ...s, role: want, managers: this.managerAddrs() };
      await writeSwarmState(this.o.dataRoot, this.saved);
      const creds = this.manager?.creds ?? this.creds;
      if (!creds) throw new Error('no node credentials to restart the agent with');
      await this.startWorkerSide(creds, this.saved.managers);
    }).catch((err: unknown) => {
      this.status = { state: 'error', error: `role change to ${want} failed: ${String(err)}` };
      this.log.error({ err }, 'role change failed');
    });
  }
}

// ---- addresses ----

function hostOf(addr: string): string {
  if (addr.startsWith('[')) return addr.slice(1, addr.indexOf(']'));
  const i = addr.lastIndexOf(':');
  return i < 0 ? addr : addr.slice(0, i);
}

function portOf(addr: string): number {
  const i = addr.lastIndexOf(':');
  const p = i < 0 ? NaN : Number(addr.slice(i + 1));
  return Number.isInteger(p) && p > 0 ? p : 2377;
}

/** `host` → `host:port`; `host:p` unchanged. Rejects what is not an address. */
export function withPort(addr: string, port: number): string {
  const a = addr.trim();
  if (a === '' || /\s/.test(a)) throw new InvalidArgumentError(`invalid address "${addr}"`, 'Addr');
  if (/^\[.*\]:\d+$/.test(a) || /^[^:]+:\d+$/.test(a)) return a;
  if (/^[^:]+$/.test(a)) return `${a}:${port}`;
  throw new InvalidArgumentError(`invalid address "${addr}"`, 'Addr');
}

/** The first non-internal IPv4 address, else loopback. */
function defaultAdvertiseHost(): string {
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return '127.0.0.1';
}

function goArch(a: string): string {
  return a === 'x64' ? 'x86_64' : a === 'arm64' ? 'aarch64' : a;
}
