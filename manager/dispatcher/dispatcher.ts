/**
 * The dispatcher: the leader's side of every agent's session (Swarm's `manager/dispatcher`).
 *
 * - Session: registers the node (READY) and streams SessionMessages — the first at once, then again
 *   whenever the node object, the manager list, the node's overlay peers, its network views (networks,
 *   services, VIPs, RUNNING task addresses, ports; networks.ts) or the network keys change. Messages
 *   are recomputed at most every `sessionRefreshMs`, from one read of the store, and a message equal
 *   to the last one sent is skipped. A second Session from the same node ends the first.
 * - Heartbeat: keeps the session alive; a node silent for 3 periods is marked DOWN ("heartbeat
 *   failure") and its session ended. After `start()` (a new leader) nodes READY in the store get twice
 *   that to reconnect.
 * - UpdateTaskStatus: only for the caller's own tasks, only forward, batched into store writes; the
 *   call returns once its batch is committed.
 * - Assignments: the node's tasks and the secrets and configs they reference (see assignments.ts).
 *
 * Runs only on the raft leader: `start()` when this manager becomes leader, `stop()` when it loses
 * leadership — which ends every open stream UNAVAILABLE so agents reconnect to the new leader.
 */
import type * as grpc from '@grpc/grpc-js';
import type { ServerSurfaceCall } from '@grpc/grpc-js/build/src/server-call.js';
import type { DispatcherHandlers } from '../../proto/gen/shoal/api/Dispatcher.ts';
import type { EncryptionKey__Output } from '../../proto/gen/shoal/api/EncryptionKey.ts';
import type { SessionMessage } from '../../proto/gen/shoal/api/SessionMessage.ts';
import { AbortedError, NotFoundError, UnavailableError } from './errors.ts';
import type { Logger } from '../../proto/shared/log.ts';
import { grpcServices } from '../../proto/load.ts';
import { observeLatency } from '../metrics.ts';
import type { StoreEvent } from '../store/types.ts';
import { AssignmentStream } from './assignment-stream.ts';
import { Heartbeats } from './heartbeats.ts';
import {
  DISPATCHER_DEFAULTS,
  resolveOptions,
  type DispatcherOptions,
  type ResolvedOptions,
} from './options.ts';
import { NetworkIndex } from './networks.ts';
import { OverlayIndex } from './overlay.ts';
import { markNodeDown, peerHost, registerNode, serviceError, Session, type SessionCall } from './session.ts';
import { StatusBatcher, type StatusUpdate } from './status-batcher.ts';

type Phase = 'new' | 'running' | 'stopped';

interface SessionIndexes {
  readonly peers: OverlayIndex;
  readonly networks: NetworkIndex;
  readonly keys: readonly EncryptionKey__Output[];
}

export class Dispatcher {
  private readonly o: ResolvedOptions;
  private readonly log: Logger;
  private phase: Phase = 'new';
  private readonly sessions = new Map<string, Session>();
  private readonly byNode = new Map<string, Session>();
  private readonly heartbeats: Heartbeats;
  private readonly status: StatusBatcher;
  private readonly nodeWrites = new Map<string, Promise<void>>();
  private refreshTimer: NodeJS.Timeout | undefined;
  private managersTimer: NodeJS.Timeout | undefined;
  private lastManagers = '';

  constructor(options: DispatcherOptions) {
    this.o = resolveOptions(options);
    this.log = this.o.log;
    this.heartbeats = new Heartbeats(this.o, (nodeId) => this.expire(nodeId));
    this.status = new StatusBatcher({
      store: this.o.store,
      log: this.log,
      windowMs: this.o.statusBatchMs,
      now: this.o.now,
    });
  }

  /** Adds the Dispatcher service to a server (tests; the manager routes to `handlers()` itself). */
  register(server: grpc.Server): void {
    server.addService(grpcServices().shoal.api.Dispatcher.service, this.handlers());
  }

  /**
   * Begins serving. Nodes the store says are READY (connected to the previous leader) get
   * `leaderChangeGraceFactor` × the usual time to open a session here before they are marked DOWN.
   */
  start(): void {
    if (this.phase !== 'new') return;
    this.phase = 'running';
    this.o.store.events.on('commit', this.onCommit);
    this.o.store.events.on('restore', this.onRestore);
    const grace =
      this.periodMs() * DISPATCHER_DEFAULTS.missedPeriods * DISPATCHER_DEFAULTS.leaderChangeGraceFactor;
    for (const n of this.o.store.find('node'))
      if (n.status?.state === 'STATE_READY') this.heartbeats.arm(n.id, grace);
    this.lastManagers = JSON.stringify(this.o.managers());
    this.managersTimer = setInterval(() => this.pollManagers(), this.o.managersPollMs);
    this.managersTimer.unref();
    this.log.debug({ nodes: this.o.store.count('node') }, 'dispatcher started');
  }

  /** Ends every stream UNAVAILABLE, stops the deadlines, and writes the status updates still queued. */
  async stop(): Promise<void> {
    if (this.phase === 'stopped') return;
    this.phase = 'stopped';
    this.o.store.events.off('commit', this.onCommit);
    this.o.store.events.off('restore', this.onRestore);
    this.heartbeats.clear();
    clearTimeout(this.refreshTimer);
    clearInterval(this.managersTimer);
    const err = new UnavailableError('the dispatcher stopped (leadership changed); reconnect to the leader');
    for (const s of [...this.sessions.values()]) this.endSession(s, err);
    await this.status.drain().catch(() => undefined);
    await Promise.allSettled([...this.nodeWrites.values()]);
  }

  /** Node IDs with a live session (for tests and diagnostics). */
  connectedNodes(): string[] {
    return [...this.byNode.keys()];
  }

  handlers(): DispatcherHandlers {
    return {
      Session: (call) => this.openSession(call),
      Heartbeat: (call, cb) => {
        try {
          const s = this.validSession(call, call.request.sessionId);
          const period = this.periodMs();
          this.heartbeats.arm(s.nodeId, period * DISPATCHER_DEFAULTS.missedPeriods);
          const jitter = (this.o.random() * 2 - 1) * DISPATCHER_DEFAULTS.heartbeatJitter;
          cb(null, { period: Math.round(period * (1 + jitter) * 1e6) });
        } catch (err) {
          cb(serviceError(err));
        }
      },
      UpdateTaskStatus: (call, cb) => {
        let s: Session;
        try {
          s = this.validSession(call, call.request.sessionId);
        } catch (err) {
          cb(serviceError(err));
          return;
        }
        const started = performance.now();
        this.status.submit(this.ownUpdates(s, call.request.updates)).then(
          () => {
            observeLatency('dispatcherStatusUpdate', (performance.now() - started) / 1000);
            cb(null, {});
          },
          (err: unknown) => cb(serviceError(err)),
        );
      },
      Assignments: (call) => {
        let s: Session;
        try {
          s = this.validSession(call, call.request.sessionId);
        } catch (err) {
          call.emit('error', serviceError(err));
          return;
        }
        const a: AssignmentStream = new AssignmentStream(call, {
          store: this.o.store,
          nodeId: s.nodeId,
          batchMs: this.o.assignmentsBatchMs,
          maxChanges: DISPATCHER_DEFAULTS.assignmentsMaxChanges,
          onClose: () => s.assignments.delete(a),
        });
        s.assignments.add(a);
        a.start();
      },
    };
  }

  // ---- sessions ----

  private openSession(call: SessionCall): void {
    let nodeId: string;
    try {
      if (this.phase !== 'running')
        throw new UnavailableError('the dispatcher is not running on this manager');
      nodeId = this.o.nodeIdOf(call);
    } catch (err) {
      call.emit('error', serviceError(err));
      return;
    }
    const old = this.byNode.get(nodeId);
    if (old) this.endSession(old, new AbortedError(`session replaced by a newer session of node ${nodeId}`));
    const s = new Session(nodeId, call);
    this.sessions.set(s.id, s);
    this.byNode.set(nodeId, s);
    this.heartbeats.arm(nodeId, this.periodMs() * DISPATCHER_DEFAULTS.missedPeriods);
    const registration = {
      nodeId,
      description: call.request.description,
      addr: peerHost(call.getPeer()),
      role: this.o.roleOf(call),
    };
    this.nodeWrite(nodeId, () =>
      s.ended ? Promise.resolve() : registerNode(this.o.store, registration),
    ).then(
      () => {
        if (s.ended) return;
        s.registered = true;
        this.log.debug({ node: nodeId, session: s.id }, 'session opened');
        this.sendSession(s, this.indexes(), true);
      },
      (err: unknown) => {
        this.log.warn({ err, node: nodeId }, 'node registration failed');
        this.endSession(s, new UnavailableError(`node registration failed: ${String(err)}`));
      },
    );
  }

  private endSession(s: Session, err: unknown): void {
    this.sessions.delete(s.id);
    if (this.byNode.get(s.nodeId) === s) this.byNode.delete(s.nodeId);
    s.end(err);
  }

  /** The caller's live session, or NOT_FOUND "session invalid". */
  private validSession(call: ServerSurfaceCall, sessionId: string): Session {
    if (this.phase !== 'running') throw new UnavailableError('the dispatcher is not running on this manager');
    const nodeId = this.o.nodeIdOf(call);
    const s = this.sessions.get(sessionId);
    if (!s || s.ended || s.nodeId !== nodeId) throw new NotFoundError('session invalid');
    return s;
  }

  /** What every session message of one refresh is computed from: the store, read once. */
  private indexes(): SessionIndexes {
    const cluster = this.o.store.find('cluster')[0];
    return {
      peers: new OverlayIndex(this.o.store),
      networks: new NetworkIndex(this.o.store),
      keys: cluster?.networkBootstrapKeys ?? [],
    };
  }

  private sendSession(s: Session, ix: SessionIndexes, force: boolean): void {
    const node = this.o.store.get('node', s.nodeId) ?? null;
    const msg: SessionMessage = {
      sessionId: s.id,
      node,
      managers: this.o.managers().map((m) => ({ ...m, weight: DISPATCHER_DEFAULTS.managerWeight })),
      overlayPeers: ix.peers.peersOf(s.nodeId),
      networkKeys: [...ix.keys],
      networks: ix.networks.networksOf(s.nodeId),
    };
    const key = JSON.stringify([
      node?.version?.index ?? 0,
      msg.managers,
      msg.overlayPeers,
      msg.networks,
      ix.keys.map((k) => k.lamportTime),
    ]);
    if (!force && key === s.lastSent) return;
    s.lastSent = key;
    s.send(msg);
  }

  private scheduleRefresh(): void {
    if (this.phase !== 'running') return;
    this.refreshTimer ??= setTimeout(() => {
      this.refreshTimer = undefined;
      const live = [...this.sessions.values()].filter((s) => s.registered && s.stream);
      if (live.length === 0) return;
      const ix = this.indexes();
      for (const s of live) this.sendSession(s, ix, false);
    }, this.o.sessionRefreshMs);
  }

  private pollManagers(): void {
    const now = JSON.stringify(this.o.managers());
    if (now === this.lastManagers) return;
    this.lastManagers = now;
    this.scheduleRefresh();
  }

  // ---- heartbeats ----

  private periodMs(): number {
    const p = this.o.heartbeatPeriodMs();
    return p > 0 ? p : DISPATCHER_DEFAULTS.heartbeatPeriodMs;
  }

  private expire(nodeId: string): void {
    if (this.phase !== 'running') return;
    this.log.info({ node: nodeId }, 'node missed its heartbeats: DOWN');
    const s = this.byNode.get(nodeId);
    if (s) this.endSession(s, new UnavailableError('heartbeat failure: session expired'));
    this.nodeWrite(nodeId, () =>
      markNodeDown(this.o.store, nodeId, 'heartbeat failure', () => this.byNode.has(nodeId)),
    ).catch((err: unknown) => this.log.warn({ err, node: nodeId }, 'could not mark node DOWN'));
  }

  /** Node writes run one after another per node, so READY and DOWN land in the order decided. */
  private nodeWrite(nodeId: string, write: () => Promise<void>): Promise<void> {
    const prev = this.nodeWrites.get(nodeId) ?? Promise.resolve();
    const next = prev.then(write, write);
    const settled = next.catch(() => undefined);
    this.nodeWrites.set(nodeId, settled);
    void settled.then(() => {
      if (this.nodeWrites.get(nodeId) === settled) this.nodeWrites.delete(nodeId);
    });
    return next;
  }

  // ---- task status ----

  private ownUpdates(
    s: Session,
    updates: readonly { taskId: string; status: StatusUpdate['status'] | null }[],
  ): StatusUpdate[] {
    const out: StatusUpdate[] = [];
    for (const u of updates) {
      const t = this.o.store.get('task', u.taskId);
      if (!u.status || !t) continue;
      if (t.nodeId !== s.nodeId) {
        this.log.warn(
          { node: s.nodeId, task: u.taskId, owner: t.nodeId },
          'status update for a task not assigned to this node ignored',
        );
        continue;
      }
      out.push({ nodeId: s.nodeId, taskId: u.taskId, status: u.status });
    }
    return out;
  }

  // ---- store watch ----

  private readonly onCommit = (events: readonly StoreEvent[]): void => {
    let refresh = false;
    let all = false;
    const nodes = new Set<string>();
    for (const e of events) {
      switch (e.kind) {
        case 'task': {
          const t = e.object as StoreEvent<'task'>['object'];
          const old = e.old as StoreEvent<'task'>['object'] | undefined;
          nodes.add(t.nodeId);
          if (old) nodes.add(old.nodeId);
          if (t.networksAttachments.length > 0 || (old?.networksAttachments.length ?? 0) > 0) refresh = true;
          break;
        }
        case 'service':
        case 'network':
        case 'cluster':
          // VIPs, ports, network allocations, encryption keys, the data-path port.
          refresh = true;
          break;
        case 'secret':
        case 'config':
          all = true;
          break;
        case 'node':
          refresh = true;
          break;
      }
    }
    for (const s of this.sessions.values())
      if (all || nodes.has(s.nodeId)) for (const a of s.assignments) a.dirty();
    if (refresh) this.scheduleRefresh();
  };

  private readonly onRestore = (): void => {
    for (const s of this.sessions.values()) for (const a of s.assignments) a.dirty();
    this.scheduleRefresh();
  };
}
