/**
 * A fake agent for tests of the whole manager: speaks only the Dispatcher gRPC API (no store access),
 * like a real worker would. It opens a session, heartbeats at the period the dispatcher asks for,
 * follows the assignments stream (reopening it on a gap in the sequence), and walks each task through
 * ACCEPTED → PREPARING → STARTING → RUNNING (or FAILED with exit code 1, or COMPLETE, or hangs at
 * PREPARING, per `behaviour`). Tasks whose desired state passes RUNNING are reported SHUTDOWN. When
 * the session breaks it reconnects with backoff (100 ms → 8 s), trying the managers it was told about
 * in turn. `pause()` stops heartbeats (a partition); `resume()` restarts them.
 */
import * as grpc from '@grpc/grpc-js';
import type { AssignmentsMessage__Output } from '../../proto/gen/shoal/api/AssignmentsMessage.ts';
import type { DispatcherClient } from '../../proto/gen/shoal/api/Dispatcher.ts';
import type { NodeDescription } from '../../proto/gen/shoal/api/NodeDescription.ts';
import type { SessionMessage__Output } from '../../proto/gen/shoal/api/SessionMessage.ts';
import type { Task__Output as Task } from '../../proto/gen/shoal/api/Task.ts';
import type { TaskState__Output as TaskState } from '../../proto/gen/shoal/api/TaskState.ts';
import type { TaskStatus } from '../../proto/gen/shoal/api/TaskStatus.ts';
import { grpcServices } from '../../proto/load.ts';

export type Behaviour = 'run' | 'fail' | 'complete' | 'hang';

export interface FakeAgentOptions {
  /** The manager to try first. */
  readonly addr: string;
  readonly credentials: grpc.ChannelCredentials;
  readonly channelOptions?: grpc.ChannelOptions;
  /** Sent with every call (tests over insecure channels use it to name the node). */
  readonly metadata?: () => grpc.Metadata;
  readonly description: NodeDescription;
  readonly behaviour?: (task: Task) => Behaviour;
  /** Delay between two reported states of a task (default 0). */
  readonly stepMs?: number;
}

const RPC_TIMEOUT_MS = 5000;
const BACKOFF_MIN_MS = 100;
const BACKOFF_MAX_MS = 8000;
const ORDER: readonly TaskState[] = [
  'TASK_STATE_ACCEPTED',
  'TASK_STATE_PREPARING',
  'TASK_STATE_STARTING',
  'TASK_STATE_RUNNING',
  'TASK_STATE_COMPLETE',
  'TASK_STATE_SHUTDOWN',
  'TASK_STATE_FAILED',
];
const past = (s: TaskState): boolean =>
  ['TASK_STATE_COMPLETE', 'TASK_STATE_SHUTDOWN', 'TASK_STATE_FAILED', 'TASK_STATE_REJECTED'].includes(s);
const wantsStop = (t: Task): boolean =>
  [
    'TASK_STATE_COMPLETE',
    'TASK_STATE_SHUTDOWN',
    'TASK_STATE_FAILED',
    'TASK_STATE_REJECTED',
    'TASK_STATE_REMOVE',
    'TASK_STATE_ORPHANED',
  ].includes(t.desiredState);

interface Local {
  task: Task;
  /** The state this agent reached (undefined: not started). */
  state: TaskState | undefined;
  /** The status last reported for `state`. */
  status: TaskStatus | undefined;
  started: boolean;
}

export class FakeAgent {
  private client: DispatcherClient | undefined;
  private addr: string;
  private managers: string[] = [];
  private session: grpc.ClientReadableStream<SessionMessage__Output> | undefined;
  private assignStream: grpc.ClientReadableStream<AssignmentsMessage__Output> | undefined;
  private sessionId = '';
  private lastResult = '';
  private backoffMs = BACKOFF_MIN_MS;
  private timers = new Set<NodeJS.Timeout>();
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private paused = false;
  /** A reconnect is waiting for resume() (a partitioned agent reaches no manager). */
  private connectOnResume = false;
  private stopped = false;
  private readonly tasks = new Map<string, Local>();
  private readonly secrets = new Set<string>();
  private readonly secretsEver = new Set<string>();
  private reports: Promise<void> = Promise.resolve();
  /** The node object the dispatcher last sent. */
  node: SessionMessage__Output['node'] = null;
  /** The network views (networks, services, RUNNING backends) the dispatcher last sent. */
  networks: SessionMessage__Output['networks'] = [];
  /** The overlay encryption keys the dispatcher last sent. */
  networkKeys: SessionMessage__Output['networkKeys'] = [];
  /** Sessions opened so far (reconnects count). */
  sessions = 0;

  constructor(private readonly o: FakeAgentOptions) {
    this.addr = o.addr;
    this.connect();
  }

  /** Tasks this agent is running now. */
  running(): Task[] {
    return [...this.tasks.values()].filter((l) => l.state === 'TASK_STATE_RUNNING').map((l) => l.task);
  }

  /** Every task assigned to this agent now, with the state it reached. */
  assigned(): { task: Task; state: TaskState | undefined }[] {
    return [...this.tasks.values()].map((l) => ({ task: l.task, state: l.state }));
  }

  /** IDs of every secret ever received with its data. */
  secretsReceived(): Set<string> {
    return new Set(this.secretsEver);
  }

  /** IDs of the secrets held now (received and not removed since). */
  secretsHeld(): Set<string> {
    return new Set(this.secrets);
  }

  /** The current session, or '' while disconnected. */
  get currentSession(): string {
    return this.sessionId;
  }

  /** Stops heartbeating (simulates a partition); streams stay open. */
  pause(): void {
    this.paused = true;
    clearTimeout(this.heartbeatTimer);
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    if (this.connectOnResume) {
      this.connectOnResume = false;
      this.connect();
    } else if (this.sessionId) this.heartbeat();
  }

  stop(): Promise<void> {
    this.stopped = true;
    this.teardown();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    return this.reports.catch(() => undefined);
  }

  // ---- connection ----

  private md(): grpc.Metadata {
    return this.o.metadata?.() ?? new grpc.Metadata();
  }

  private later(fn: () => void, ms: number): NodeJS.Timeout {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
    return t;
  }

  private connect(): void {
    if (this.stopped) return;
    if (this.paused) {
      this.connectOnResume = true;
      return;
    }
    this.client = new (grpcServices().shoal.api.Dispatcher)(
      this.addr,
      this.o.credentials,
      this.o.channelOptions,
    );
    const session = this.client.Session({ description: this.o.description, sessionId: '' }, this.md());
    this.session = session;
    session.on('data', (m: SessionMessage__Output) => this.onSession(session, m));
    session.on('error', () => this.broken(session));
    session.on('end', () => this.broken(session));
  }

  private onSession(
    stream: grpc.ClientReadableStream<SessionMessage__Output>,
    m: SessionMessage__Output,
  ): void {
    if (stream !== this.session) return;
    this.node = m.node;
    this.networks = m.networks;
    this.networkKeys = m.networkKeys;
    const addrs = m.managers.map((p) => p.addr).filter((a) => a !== '');
    if (addrs.length > 0) this.managers = addrs;
    if (this.sessionId === m.sessionId) return;
    this.sessionId = m.sessionId;
    this.sessions++;
    this.backoffMs = BACKOFF_MIN_MS;
    this.openAssignments();
    if (!this.paused) this.heartbeat();
  }

  /** The session (or a call on it) failed: drop everything and reconnect after the backoff. */
  private broken(stream?: grpc.ClientReadableStream<SessionMessage__Output>): void {
    if (this.stopped || (stream && stream !== this.session)) return;
    this.teardown();
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, BACKOFF_MAX_MS);
    const i = this.managers.indexOf(this.addr);
    if (this.managers.length > 0) this.addr = this.managers[(i + 1) % this.managers.length] ?? this.addr;
    this.later(() => this.connect(), delay);
  }

  private teardown(): void {
    clearTimeout(this.heartbeatTimer);
    const s = this.session;
    const a = this.assignStream;
    this.session = undefined;
    this.assignStream = undefined;
    this.sessionId = '';
    s?.cancel();
    a?.cancel();
    this.client?.close();
    this.client = undefined;
  }

  private heartbeat(): void {
    const client = this.client;
    const sessionId = this.sessionId;
    if (!client || this.paused || !sessionId) return;
    client.Heartbeat({ sessionId }, this.md(), { deadline: Date.now() + RPC_TIMEOUT_MS }, (err, res) => {
      if (this.stopped || sessionId !== this.sessionId) return;
      if (err || !res) {
        this.broken();
        return;
      }
      clearTimeout(this.heartbeatTimer);
      if (!this.paused) this.heartbeatTimer = this.later(() => this.heartbeat(), res.period / 1e6);
    });
  }

  // ---- assignments ----

  private openAssignments(): void {
    this.assignStream?.cancel();
    if (!this.client) return;
    this.lastResult = '';
    const stream = this.client.Assignments({ sessionId: this.sessionId }, this.md());
    this.assignStream = stream;
    stream.on('data', (m: AssignmentsMessage__Output) => {
      if (stream !== this.assignStream) return;
      if (m.type === 'TYPE_INCREMENTAL' && m.appliesTo !== this.lastResult) {
        this.openAssignments();
        return;
      }
      this.lastResult = m.resultsIn;
      this.apply(m);
    });
    stream.on('error', () => {
      if (stream === this.assignStream) this.broken();
    });
  }

  private apply(m: AssignmentsMessage__Output): void {
    if (m.type === 'TYPE_COMPLETE') {
      const keep = new Set(m.changes.map((c) => c.assignment?.task?.id).filter((id) => id !== undefined));
      for (const id of [...this.tasks.keys()]) if (!keep.has(id)) this.tasks.delete(id);
      this.secrets.clear();
    }
    for (const c of m.changes) {
      const a = c.assignment;
      if (!a) continue;
      const remove = c.action === 'ACTION_REMOVE';
      if (a.secret) {
        if (remove) this.secrets.delete(a.secret.id);
        else {
          this.secrets.add(a.secret.id);
          this.secretsEver.add(a.secret.id);
        }
      } else if (a.task) {
        if (remove) this.tasks.delete(a.task.id);
        else this.assign(a.task);
      }
    }
  }

  private assign(task: Task): void {
    let l = this.tasks.get(task.id);
    if (!l) this.tasks.set(task.id, (l = { task, state: undefined, status: undefined, started: false }));
    l.task = task;
    if (wantsStop(task)) {
      if (!l.state || !past(l.state)) this.step(l, 'TASK_STATE_SHUTDOWN');
      return;
    }
    // After a reconnect the manager may be behind what this agent reached: say it again.
    const reported = task.status?.state;
    if (l.status && reported !== l.state) this.report(l.task.id, l.status);
    if (l.started) return;
    l.started = true;
    const b = this.o.behaviour?.(task) ?? 'run';
    const plan: TaskState[] =
      b === 'hang'
        ? ['TASK_STATE_ACCEPTED', 'TASK_STATE_PREPARING']
        : b === 'fail'
          ? ['TASK_STATE_ACCEPTED', 'TASK_STATE_PREPARING', 'TASK_STATE_STARTING', 'TASK_STATE_FAILED']
          : b === 'complete'
            ? [
                'TASK_STATE_ACCEPTED',
                'TASK_STATE_PREPARING',
                'TASK_STATE_STARTING',
                'TASK_STATE_RUNNING',
                'TASK_STATE_COMPLETE',
              ]
            : ['TASK_STATE_ACCEPTED', 'TASK_STATE_PREPARING', 'TASK_STATE_STARTING', 'TASK_STATE_RUNNING'];
    const stepMs = this.o.stepMs ?? 0;
    plan.forEach((s, i) => {
      const go = (): void => {
        const cur = this.tasks.get(task.id);
        if (cur === l && !(cur.state && past(cur.state))) this.step(cur, s);
      };
      if (stepMs === 0) go();
      else this.later(go, stepMs * (i + 1));
    });
  }

  /** Moves a task forward locally and reports it. */
  private step(l: Local, state: TaskState): void {
    if (l.state && ORDER.indexOf(state) <= ORDER.indexOf(l.state)) return;
    l.state = state;
    l.status = this.status(state);
    this.report(l.task.id, l.status);
  }

  private status(state: TaskState): TaskStatus {
    const failed = state === 'TASK_STATE_FAILED';
    return {
      state,
      message: state.replace('TASK_STATE_', '').toLowerCase(),
      err: failed ? 'task: non-zero exit (1)' : '',
      timestamp: { seconds: Math.floor(Date.now() / 1000), nanos: 0 },
      ...(past(state) ? { containerStatus: { containerId: '', pid: 0, exitCode: failed ? 1 : 0 } } : {}),
    };
  }

  /** Reports one status; reports go one at a time, in order. A failed report breaks the session. */
  private report(taskId: string, status: TaskStatus): void {
    this.reports = this.reports.then(
      () =>
        new Promise<void>((resolve) => {
          const client = this.client;
          if (!client || !this.sessionId || this.stopped) {
            resolve();
            return;
          }
          const sessionId = this.sessionId;
          client.UpdateTaskStatus(
            { sessionId, updates: [{ taskId, status }] },
            this.md(),
            { deadline: Date.now() + RPC_TIMEOUT_MS },
            (err) => {
              if (err && sessionId === this.sessionId) this.broken();
              resolve();
            },
          );
        }),
    );
  }
}
