/**
 * The agent of a node: keeps a session with the dispatcher on the raft leader, follows its assignments,
 * drives the tasks through the engine and reports their status. Model: swarmkit `agent/agent.go`,
 * `agent/session.go`.
 *
 * Connection: Session stream, then Heartbeat at the period each answer names, the Assignments stream
 * and UpdateTaskStatus batches. When anything breaks it reconnects after a backoff (100 ms doubling to
 * 8 s), to the leader named by a `shoal-leader-addr` header if there was one, else to the next manager of
 * the list the dispatcher last sent (which replaces the configured list). Each new session also opens
 * the log broker's ListenSubscriptions on the same manager (logs.ts).
 */
import * as grpc from '@grpc/grpc-js';
import { join } from 'node:path';
import type { AssignmentsMessage__Output } from '../../proto/gen/shoal/api/AssignmentsMessage.ts';
import type { DispatcherClient } from '../../proto/gen/shoal/api/Dispatcher.ts';
import type { NodeDescription } from '../../proto/gen/shoal/api/NodeDescription.ts';
import type { SessionMessage__Output } from '../../proto/gen/shoal/api/SessionMessage.ts';
import type { TaskStatusUpdate } from '../../proto/gen/shoal/api/TaskStatusUpdate.ts';
import { grpcServices } from '../../proto/load.ts';
import { silentLogger, type Logger } from '../../proto/shared/log.ts';
import type { Engine } from '../executor/types.ts';
import { LogPublisher } from './logs.ts';
import {
  NATIVE_NETNS_FILES,
  TaskNetworks,
  overlayUnavailableReason,
  type NetnsFiles,
  type OverlayDataPlane,
} from './network.ts';
import { OverlayDriver } from '../network/driver.ts';
import { netnsAddon } from '../network/native.ts';
import { ServiceMesh, iptablesNat } from './mesh.ts';
import { StatusReporter } from './reporter.ts';
import { AgentStore } from './store.ts';
import { TaskManager, type SecretsHook } from './tasks.ts';

export type { SecretsHook } from './tasks.ts';

/** The header a follower manager sets on UNAVAILABLE to name the leader (ca/server.ts, manager/routing.ts). */
export const LEADER_ADDR_HEADER = 'shoal-leader-addr';

export const BACKOFF_MIN_MS = 100;
export const BACKOFF_MAX_MS = 8000;
export const RPC_TIMEOUT_MS = 5000;

export interface AgentOptions {
  /** Manager addresses (`host:port`); the first is tried first. */
  readonly managers: readonly string[];
  readonly credentials: grpc.ChannelCredentials;
  readonly channelOptions?: grpc.ChannelOptions;
  readonly description: NodeDescription;
  readonly engine: Engine;
  /** The agent's LevelDB lives in `<dataDir>/agent-db`, task scratch directories in `<dataDir>/work`. */
  readonly dataDir: string;
  readonly secrets?: SecretsHook;
  /** The overlay data plane (network.ts); defaults apply when absent. */
  readonly network?: AgentNetworkOptions;
  readonly log?: Logger;
  readonly now?: () => Date;
}

/** The node's overlay data plane settings. */
export interface AgentNetworkOptions {
  /**
   * This node's underlay address (the VXLAN tunnel endpoint): the host of its advertise address.
   * Peers behind it are local and skipped. Default '' (the dispatcher never sends a node its own).
   */
  readonly vtep?: string;
  /** VXLAN UDP port (`--data-path-port`); default 4789. */
  readonly dataPathPort?: number;
  /** MTU of the underlay; overlays get 50 bytes less. Default 1500. */
  readonly underlayMtu?: number;
  /** Task namespace files and network sandboxes; default `<dataDir>/netns`. */
  readonly netnsDir?: string;
  /** Turns overlay plumbing off (tasks run on the host's network, with a note). */
  readonly disabled?: boolean;
  /** Tests: a data plane double (then the node counts as capable, root or not). */
  readonly driver?: OverlayDataPlane;
  /** Tests: namespace file operations. */
  readonly files?: NetnsFiles;
  /** Tests: the namespace VXLAN sockets bind in (default the agent's). */
  readonly hostNetnsPath?: string;
  /** The address published ports listen on (default all of the node's). */
  readonly publishAddress?: string;
}

/** The network hook for these options: a real OverlayDriver when the node can plumb overlays. */
function taskNetworks(o: AgentOptions, log: Logger): TaskNetworks {
  const n = o.network ?? {};
  const netnsDir = n.netnsDir ?? join(o.dataDir, 'netns');
  const why =
    n.disabled === true ? 'disabled' : n.driver !== undefined ? undefined : overlayUnavailableReason();
  const driver =
    n.driver ??
    (why === undefined
      ? new OverlayDriver({
          localVtep: n.vtep ?? '',
          sandboxDir: netnsDir,
          ...(n.hostNetnsPath !== undefined ? { hostNetnsPath: n.hostNetnsPath } : {}),
        })
      : undefined);
  if (why !== undefined)
    log.warn({ reason: why }, 'overlay networking unavailable: overlay tasks use the host network');
  return new TaskNetworks({
    driver: why === undefined ? driver : undefined,
    unavailable: why,
    netnsDir,
    files: n.files ?? NATIVE_NETNS_FILES,
    mode: o.engine.netns ?? 'enter',
    settings: { dataPathPort: n.dataPathPort, underlayMtu: n.underlayMtu },
    log,
  });
}

/** The service mesh over `network`, or undefined when this node cannot plumb overlays. */
function serviceMesh(o: AgentOptions, network: TaskNetworks, log: Logger): ServiceMesh | undefined {
  const n = o.network ?? {};
  // Only over the real data plane (a test's driver double has no namespaces to serve DNS in).
  if (n.disabled === true || n.driver !== undefined || overlayUnavailableReason() !== undefined)
    return undefined;
  const mesh = new ServiceMesh({
    dnsDir: join(o.dataDir, 'dns'),
    sockets: (ns, type, ip, port) => netnsAddon().socketIn(ns, type, ip, port),
    nat: iptablesNat(),
    ingress: {
      ensure: (network_, address) => network.ensureIngressEndpoint(network_, address),
      remove: () => network.removeIngressEndpoint(),
    },
    overlayOf: (view) => network.overlayOf(view),
    ...(n.publishAddress !== undefined ? { listenAddress: n.publishAddress } : {}),
    log: log.child({ component: 'mesh' }),
  });
  network.useMesh(mesh);
  return mesh;
}

type Call = grpc.ClientReadableStream<SessionMessage__Output>;

/**
 * Life: `start()` opens the store, resumes persisted tasks and connects; `stop()` disconnects and closes
 * the store, leaving the tasks' work running so a new Agent on the same dataDir adopts it.
 */
export class Agent {
  private readonly log: Logger;
  private readonly store: AgentStore;
  private readonly reporter = new StatusReporter();
  private readonly tasks: TaskManager;
  private readonly logs: LogPublisher;
  private readonly network: TaskNetworks;
  /** DNS, VIPs and published ports (mesh.ts); absent when overlays cannot be plumbed here. */
  private readonly mesh: ServiceMesh | undefined;
  private managers: string[];
  private addr: string;
  private client: DispatcherClient | undefined;
  private session: Call | undefined;
  private assignments: grpc.ClientReadableStream<AssignmentsMessage__Output> | undefined;
  private sessionId = '';
  private lastResult = '';
  private backoffMs = BACKOFF_MIN_MS;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private started: Promise<void> | undefined;
  private stopped = false;
  /** Set by shutdownAll: never connect again. */
  private leaving = false;
  /** Sessions opened so far (reconnects included). */
  sessions = 0;
  /** What the node says about itself when it opens a session (setDescription changes it). */
  private description: NodeDescription;

  constructor(private readonly o: AgentOptions) {
    if (o.managers.length === 0) throw new Error('agent: managers must name at least one address');
    this.log = (o.log ?? silentLogger()).child({ component: 'agent' });
    this.managers = [...o.managers];
    this.description = o.description;
    this.addr = this.managers[0] ?? '';
    this.store = new AgentStore(join(o.dataDir, 'agent-db'));
    this.network = taskNetworks(o, this.log);
    this.mesh = serviceMesh(o, this.network, this.log);
    this.tasks = new TaskManager({
      engine: o.engine,
      store: this.store,
      reporter: this.reporter,
      workRoot: join(o.dataDir, 'work'),
      secrets: o.secrets,
      network: this.network,
      node: o.description,
      log: this.log,
      now: o.now,
    });
    this.logs = new LogPublisher({
      credentials: o.credentials,
      channelOptions: o.channelOptions,
      engine: o.engine,
      tasks: () => this.tasks.tasks(),
      log: this.log,
    });
  }

  /** Resolves once persisted tasks are resumed and the first connection attempt is under way. */
  start(): Promise<void> {
    this.started ??= (async (): Promise<void> => {
      await this.store.open();
      await this.tasks.resume();
      this.connect();
    })();
    return this.started;
  }

  /** The manager this agent talks to (or tries next). */
  get manager(): string {
    return this.addr;
  }

  /**
   * The node's description changed (e.g. its TLS info after a certificate renewal): the managers learn
   * it when a session opens, so the session is reopened (tasks are untouched).
   */
  setDescription(d: NodeDescription): void {
    if (JSON.stringify(d) === JSON.stringify(this.description)) return;
    this.description = d;
    if (this.session === undefined || this.stopped || this.leaving) return;
    this.log.info('node description changed: reopening the session');
    this.teardown();
    this.connect();
  }

  /** IDs of the tasks the agent drives now. */
  taskIds(): string[] {
    return this.tasks.taskIds();
  }

  /**
   * `swarm leave`: disconnects from the managers for good, then shuts down and removes every task this
   * agent drives (secrets released, work directories deleted). Call `stop()` afterwards.
   */
  async shutdownAll(): Promise<void> {
    await this.started?.catch(() => undefined);
    this.leaving = true;
    clearTimeout(this.reconnectTimer);
    this.teardown();
    await this.tasks.removeAll();
    await this.mesh?.setViews([]);
    await this.network
      .removeIngressEndpoint()
      .catch((err: unknown) => this.log.warn({ err }, 'ingress endpoint'));
  }

  /** Disconnects (after one last attempt to send pending statuses) and closes the store. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.started?.catch(() => undefined);
    await this.tasks.close();
    await this.mesh?.close();
    await this.network.close();
    await this.reporter.flush();
    this.reporter.close();
    clearTimeout(this.reconnectTimer);
    this.teardown();
    await this.logs.stop();
    await this.store.close();
  }

  // ---- connection ----

  private connect(): void {
    if (this.stopped || this.leaving) return;
    this.log.debug({ addr: this.addr }, 'connecting');
    const client = new (grpcServices().shoal.api.Dispatcher)(
      this.addr,
      this.o.credentials,
      this.o.channelOptions,
    );
    this.client = client;
    const call = client.Session({ description: this.description, sessionId: this.sessionId });
    this.session = call;
    call.on('data', (m: SessionMessage__Output) => this.onSession(call, m));
    call.on('error', (err: grpc.ServiceError) => this.broken(call, err));
    call.on('end', () => this.broken(call));
  }

  private onSession(call: Call, m: SessionMessage__Output): void {
    if (call !== this.session) return;
    const addrs = m.managers.map((p) => p.addr).filter((a) => a !== '');
    if (addrs.length > 0) this.managers = addrs;
    const port = m.networks.find((n) => n.dataPathPort > 0)?.dataPathPort;
    if (port !== undefined)
      void this.network
        .setDataPathPort(port)
        .catch((err: unknown) => this.log.error({ err, port }, 'moving overlays to the data path port'));
    void this.network
      .setPeers(m.overlayPeers)
      .catch((err: unknown) => this.log.error({ err }, 'programming overlay peers'));
    void this.network
      .setKeys(m.networkKeys)
      .catch((err: unknown) => this.log.error({ err }, 'overlay encryption keys'));
    void this.mesh?.setViews(m.networks).catch((err: unknown) => this.log.error({ err }, 'service mesh'));
    if (m.sessionId === this.sessionId && this.assignments) return;
    this.sessionId = m.sessionId;
    this.sessions++;
    this.backoffMs = BACKOFF_MIN_MS;
    this.log.info({ addr: this.addr, sessionId: m.sessionId }, 'session established');
    this.openAssignments();
    this.logs.connect(this.addr);
    this.heartbeat();
    this.tasks.reportAll();
    this.reporter.setSender((updates) => this.sendStatus(updates));
  }

  /** The session or a call on it failed: drop everything and reconnect after the backoff. */
  private broken(call: Call | undefined, err?: grpc.ServiceError): void {
    if (this.stopped || (call && call !== this.session)) return;
    this.log.warn({ addr: this.addr, err: err?.message }, 'session broken');
    this.teardown();
    const leader =
      err?.code === grpc.status.UNAVAILABLE ? err.metadata.get(LEADER_ADDR_HEADER)[0] : undefined;
    if (typeof leader === 'string' && leader !== '') this.addr = leader;
    else if (this.managers.length > 0) {
      const i = this.managers.indexOf(this.addr);
      this.addr = this.managers[(i + 1) % this.managers.length] ?? this.addr;
    }
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, BACKOFF_MAX_MS);
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private teardown(): void {
    clearTimeout(this.heartbeatTimer);
    this.reporter.setSender(undefined);
    const s = this.session;
    const a = this.assignments;
    this.session = undefined;
    this.assignments = undefined;
    this.sessionId = '';
    this.logs.disconnect();
    s?.cancel();
    a?.cancel();
    this.client?.close();
    this.client = undefined;
  }

  private heartbeat(): void {
    const client = this.client;
    const sessionId = this.sessionId;
    if (!client || !sessionId) return;
    client.Heartbeat({ sessionId }, { deadline: Date.now() + RPC_TIMEOUT_MS }, (err, res) => {
      if (this.stopped || sessionId !== this.sessionId) return;
      if (err || !res) {
        this.broken(undefined, err ?? undefined);
        return;
      }
      clearTimeout(this.heartbeatTimer);
      this.heartbeatTimer = setTimeout(() => this.heartbeat(), Math.max(res.period / 1e6, 10));
    });
  }

  private openAssignments(): void {
    this.assignments?.cancel();
    if (!this.client) return;
    this.lastResult = '';
    const stream = this.client.Assignments({ sessionId: this.sessionId });
    this.assignments = stream;
    stream.on('data', (m: AssignmentsMessage__Output) => {
      if (stream !== this.assignments) return;
      if (m.type === 'TYPE_INCREMENTAL' && m.appliesTo !== this.lastResult) {
        this.log.warn({ appliesTo: m.appliesTo, last: this.lastResult }, 'assignment gap: reopening');
        this.openAssignments();
        return;
      }
      this.lastResult = m.resultsIn;
      this.tasks.apply(m);
    });
    stream.on('error', (err: grpc.ServiceError) => {
      if (stream === this.assignments) this.broken(undefined, err);
    });
    stream.on('end', () => {
      if (stream === this.assignments) this.broken(undefined);
    });
  }

  private sendStatus(updates: TaskStatusUpdate[]): Promise<void> {
    const client = this.client;
    const sessionId = this.sessionId;
    if (!client || !sessionId) return Promise.reject(new Error('agent: no session'));
    return new Promise((resolve, reject) => {
      client.UpdateTaskStatus({ sessionId, updates }, { deadline: Date.now() + RPC_TIMEOUT_MS }, (err) => {
        if (!err) {
          resolve();
          return;
        }
        reject(err);
        if (sessionId === this.sessionId && !this.stopped) this.broken(undefined, err);
      });
    });
  }
}
