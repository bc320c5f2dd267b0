/**
 * Test doubles for the agent: {@link FakeEngine} (in-memory workloads that run until stopped or told to
 * exit) and {@link FakeDispatcher} (a Dispatcher gRPC server on loopback, insecure, that pushes
 * assignments, records status updates and heartbeats, and can drop its streams).
 */
import * as grpc from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import type { Assignment } from '../../proto/gen/shoal/api/Assignment.ts';
import type { AssignmentChange } from '../../proto/gen/shoal/api/AssignmentChange.ts';
import type { AssignmentsMessage } from '../../proto/gen/shoal/api/AssignmentsMessage.ts';
import type { AssignmentsRequest__Output } from '../../proto/gen/shoal/api/AssignmentsRequest.ts';
import type { DispatcherHandlers } from '../../proto/gen/shoal/api/Dispatcher.ts';
import type { OverlayPeer } from '../../proto/gen/shoal/api/OverlayPeer.ts';
import type { SessionMessage } from '../../proto/gen/shoal/api/SessionMessage.ts';
import type { SessionRequest__Output } from '../../proto/gen/shoal/api/SessionRequest.ts';
import type { TaskStatus__Output as TaskStatus } from '../../proto/gen/shoal/api/TaskStatus.ts';
import type { Task as TaskInput } from '../../proto/gen/shoal/api/Task.ts';
import { grpcServices } from '../../proto/load.ts';
import type {
  Engine,
  ExitStatus,
  LogLine,
  PrepareContext,
  Task,
  TaskController,
  TaskRuntimeStatus,
} from '../executor/types.ts';

/** One fake workload: its history of calls and its current life. */
export class FakeWorkload {
  prepared = 0;
  starts = 0;
  removed = false;
  running = false;
  lastGraceMs: number | undefined;
  lastContext: PrepareContext | undefined;
  private exitWaiters: ((e: ExitStatus) => void)[] = [];
  private exit: ExitStatus | undefined;

  constructor(readonly pid: number) {}

  /** Makes the running workload exit with `exitCode`. */
  finish(exitCode: number): void {
    this.running = false;
    this.exit = { exitCode };
    for (const w of this.exitWaiters.splice(0)) w(this.exit);
  }

  waitExit(): Promise<ExitStatus> {
    if (this.exit) return Promise.resolve(this.exit);
    return new Promise((resolve) => this.exitWaiters.push(resolve));
  }

  begin(): void {
    this.starts++;
    this.running = true;
    this.exit = undefined;
  }
}

/** Behaviour knobs of a {@link FakeController}. */
export interface FakeFaults {
  prepareError?: string;
  startError?: string;
}

/** A controller over a {@link FakeWorkload}; several controllers of one task share the workload. */
export class FakeController implements TaskController {
  constructor(
    readonly w: FakeWorkload,
    private readonly faults: FakeFaults = {},
  ) {}

  prepare(ctx: PrepareContext): Promise<void> {
    if (this.faults.prepareError !== undefined) return Promise.reject(new Error(this.faults.prepareError));
    this.w.prepared++;
    this.w.lastContext = ctx;
    return Promise.resolve();
  }

  start(): Promise<void> {
    if (this.faults.startError !== undefined) return Promise.reject(new Error(this.faults.startError));
    this.w.begin();
    return Promise.resolve();
  }

  wait(): Promise<ExitStatus> {
    return this.w.waitExit();
  }

  shutdown(graceMs: number): Promise<void> {
    this.w.lastGraceMs = graceMs;
    if (this.w.running) this.w.finish(143);
    return Promise.resolve();
  }

  terminate(): Promise<void> {
    if (this.w.running) this.w.finish(137);
    return Promise.resolve();
  }

  remove(): Promise<void> {
    this.w.removed = true;
    return Promise.resolve();
  }

  inspect(): Promise<TaskRuntimeStatus> {
    return Promise.resolve({ runtimeId: `fake-${this.w.pid}`, pid: this.w.pid, running: this.w.running });
  }

  async *logs(): AsyncIterable<LogLine> {
    // A fake workload writes nothing.
  }
}

/** An in-memory engine; keep one instance across agent restarts to model work that outlives the agent. */
export class FakeEngine implements Engine {
  readonly name = 'process';
  readonly workloads = new Map<string, FakeWorkload>();
  /** Per task ID: make prepare or start fail. */
  readonly faults = new Map<string, FakeFaults>();
  private nextPid = 1000;

  controller(task: Task): TaskController {
    let w = this.workloads.get(task.id);
    if (!w) this.workloads.set(task.id, (w = new FakeWorkload(this.nextPid++)));
    return new FakeController(w, this.faults.get(task.id));
  }

  list(): Promise<string[]> {
    return Promise.resolve([...this.workloads].filter(([, w]) => !w.removed).map(([id]) => id));
  }

  describe(): Promise<Record<string, string>> {
    return Promise.resolve({ engine: 'fake' });
  }
}

/** A status update as the fake dispatcher received it. */
export interface ReceivedUpdate {
  readonly taskId: string;
  readonly status: TaskStatus;
  readonly sessionId: string;
}

/** A Dispatcher server for agent tests: the test decides what it sends. */
export class FakeDispatcher {
  readonly updates: ReceivedUpdate[] = [];
  readonly heartbeats: string[] = [];
  readonly sessions: string[] = [];
  /** UpdateTaskStatus calls received (each a batch). */
  batches = 0;
  assignmentStreamsOpened = 0;
  /** The manager list sent in every SessionMessage. */
  managers: string[] = [];
  /** The overlay peers sent in every SessionMessage (see {@link resendSession}). */
  overlayPeers: OverlayPeer[] = [];
  heartbeatPeriodMs = 200;
  private server: grpc.Server | undefined;
  private sessionCalls = new Set<grpc.ServerWritableStream<SessionRequest__Output, SessionMessage>>();
  private assignCalls = new Set<grpc.ServerWritableStream<AssignmentsRequest__Output, AssignmentsMessage>>();
  private seq = 0;
  /** When set, every new Session fails UNAVAILABLE with this leader address in `shoal-leader-addr`. */
  redirectTo: string | undefined;
  addr = '';

  async start(): Promise<string> {
    const server = new grpc.Server();
    server.addService(grpcServices().shoal.api.Dispatcher.service, this.handlers());
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
        err ? reject(err) : resolve(p),
      ),
    );
    this.server = server;
    this.addr = `127.0.0.1:${port}`;
    return this.addr;
  }

  /** Every task state this dispatcher heard for `taskId`, in order. */
  states(taskId: string): string[] {
    return this.updates.filter((u) => u.taskId === taskId).map((u) => u.status.state);
  }

  /** The last status heard for a task. */
  last(taskId: string): TaskStatus | undefined {
    return this.updates.filter((u) => u.taskId === taskId).at(-1)?.status;
  }

  /** Whether an agent has the assignments stream open. */
  get connected(): boolean {
    return this.assignCalls.size > 0;
  }

  /** Sends the whole set of tasks (and secrets) to every open assignments stream. */
  complete(tasks: TaskInput[], secrets: Assignment[] = []): void {
    const changes: AssignmentChange[] = [
      ...tasks.map((task) => ({ assignment: { task }, action: 'ACTION_UPDATE' as const })),
      ...secrets.map((assignment) => ({ assignment, action: 'ACTION_UPDATE' as const })),
    ];
    this.send('TYPE_COMPLETE', changes);
  }

  /** Sends a chained incremental change set. */
  incremental(changes: AssignmentChange[]): void {
    this.send('TYPE_INCREMENTAL', changes);
  }

  /** Sends an incremental message whose appliesTo does not chain (a gap in the sequence). */
  gap(changes: AssignmentChange[]): void {
    const msg: AssignmentsMessage = {
      type: 'TYPE_INCREMENTAL',
      appliesTo: 'nowhere',
      resultsIn: `r${++this.seq}`,
      changes,
    };
    for (const c of this.assignCalls) c.write(msg);
  }

  /** Ends every open stream with UNAVAILABLE (like a manager losing leadership). */
  drop(): void {
    const err = { code: grpc.status.UNAVAILABLE, details: 'dispatcher stopped' };
    for (const c of this.sessionCalls) c.emit('error', err);
    for (const c of this.assignCalls) c.emit('error', err);
    this.sessionCalls.clear();
    this.assignCalls.clear();
  }

  async stop(): Promise<void> {
    this.drop();
    const s = this.server;
    this.server = undefined;
    if (s) s.forceShutdown();
    await Promise.resolve();
  }

  private lastResult = new WeakMap<object, string>();
  private sessionIds = new WeakMap<object, string>();

  /** Sends every open session a new SessionMessage (same session ID: managers, overlay peers). */
  resendSession(): void {
    for (const c of this.sessionCalls) c.write(this.sessionMessage(this.sessionIds.get(c) ?? ''));
  }

  private sessionMessage(sessionId: string): SessionMessage {
    return {
      sessionId,
      node: null,
      managers: this.managers.map((addr, i) => ({ nodeId: `m${i}`, addr, weight: 10 })),
      overlayPeers: this.overlayPeers,
    };
  }

  private send(type: 'TYPE_COMPLETE' | 'TYPE_INCREMENTAL', changes: AssignmentChange[]): void {
    for (const c of this.assignCalls) {
      const resultsIn = `r${++this.seq}`;
      const appliesTo = this.lastResult.get(c) ?? '';
      this.lastResult.set(c, resultsIn);
      c.write({ type, appliesTo, resultsIn, changes });
    }
  }

  private handlers(): DispatcherHandlers {
    return {
      Session: (call) => {
        if (this.redirectTo !== undefined) {
          const md = new grpc.Metadata();
          md.set('shoal-leader-addr', this.redirectTo);
          call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'not the leader', metadata: md });
          return;
        }
        const sessionId = randomBytes(8).toString('hex');
        this.sessions.push(sessionId);
        this.sessionCalls.add(call);
        this.sessionIds.set(call, sessionId);
        call.on('cancelled', () => this.sessionCalls.delete(call));
        call.write(this.sessionMessage(sessionId));
      },
      Heartbeat: (call, cb) => {
        this.heartbeats.push(call.request.sessionId);
        cb(null, { period: this.heartbeatPeriodMs * 1e6 });
      },
      UpdateTaskStatus: (call, cb) => {
        this.batches++;
        for (const u of call.request.updates)
          if (u.status)
            this.updates.push({ taskId: u.taskId, status: u.status, sessionId: call.request.sessionId });
        cb(null, {});
      },
      Assignments: (call) => {
        this.assignmentStreamsOpened++;
        this.assignCalls.add(call);
        call.on('cancelled', () => this.assignCalls.delete(call));
      },
    };
  }
}

/** Waits until `cond` holds (polling every 20 ms); fails with `describe()` after `timeoutMs`. */
export async function eventually(
  cond: () => boolean,
  describe: () => unknown = () => '',
  timeoutMs = 5000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end)
      throw new Error(`condition not met in ${timeoutMs} ms: ${JSON.stringify(describe())}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A minimal task desired RUNNING. */
export function fakeTask(
  id: string,
  desiredState: TaskInput['desiredState'] = 'TASK_STATE_RUNNING',
): TaskInput {
  return {
    id,
    name: `web.1.${id}`,
    serviceId: 'svc',
    nodeId: 'node1',
    desiredState,
    status: { state: 'TASK_STATE_ASSIGNED', message: 'assigned' },
    spec: { containerSpec: { image: 'busybox', command: ['sleep', '1000'] } },
  };
}
