/**
 * Test helpers for the dispatcher: a fake clock for heartbeat deadlines, a Dispatcher served over
 * loopback (insecure; the caller's node ID travels in a metadata header instead of a certificate),
 * stream readers, and store fixtures.
 */
import * as grpc from '@grpc/grpc-js';
import type { DispatcherClient } from '../../proto/gen/shoal/api/Dispatcher.ts';
import { grpcServices } from '../../proto/load.ts';
import { messageType } from '../../proto/load.ts';
import { blank, MemoryStore, TO_OBJECT } from '../store/memory.ts';
import type { Task, TaskState } from '../store/types.ts';
import { Dispatcher } from './dispatcher.ts';
import type { DispatcherOptions } from './options.ts';

/** Timers that fire only when the test advances time. */
export class FakeClock {
  private t = 0;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  readonly now = (): number => this.t;
  readonly setTimer = (fn: () => void, ms: number): number => {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  };
  readonly clearTimer = (h: unknown): void => {
    this.timers.delete(h as number);
  };

  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const e of this.timers) if (e[1].at <= end && (!next || e[1].at < next[1].at)) next = e;
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = next[1].at;
      next[1].fn();
    }
    this.t = end;
  }
}

export const NODE_HEADER = 'x-test-node-id';

/** Metadata naming the caller (what the certificate does in production). */
export function as(nodeId: string): grpc.Metadata {
  const md = new grpc.Metadata();
  md.set(NODE_HEADER, nodeId);
  return md;
}

export function nodeIdFromHeader(call: { metadata: grpc.Metadata }): string {
  const v = call.metadata.get(NODE_HEADER)[0];
  if (typeof v !== 'string' || v === '') throw new Error('test caller without a node ID');
  return v;
}

export interface Served {
  readonly store: MemoryStore;
  readonly clock: FakeClock;
  readonly dispatcher: Dispatcher;
  readonly addr: string;
  readonly client: DispatcherClient;
  close(): Promise<void>;
}

/** A started Dispatcher (heartbeat period 1 s on a fake clock) served on 127.0.0.1. */
export async function serveDispatcher(
  o: Partial<DispatcherOptions> & { store?: MemoryStore; clock?: FakeClock } = {},
): Promise<Served> {
  const store = o.store ?? MemoryStore.local();
  const clock = o.clock ?? new FakeClock();
  const dispatcher = new Dispatcher({
    nodeIdOf: (call) => nodeIdFromHeader(call),
    managers: () => [{ nodeId: 'manager1', addr: '127.0.0.1:2377' }],
    heartbeatPeriodMs: () => 1000,
    now: clock.now,
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
    random: () => 0.5,
    ...o,
    store,
  });
  const server = new grpc.Server();
  dispatcher.register(server);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  dispatcher.start();
  const addr = `127.0.0.1:${port}`;
  const client = new (grpcServices().shoal.api.Dispatcher)(addr, grpc.credentials.createInsecure());
  return {
    store,
    clock,
    dispatcher,
    addr,
    client,
    async close() {
      await dispatcher.stop();
      client.close();
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    },
  };
}

/** Everything a server stream delivered, and how it ended. */
export class Reader<T> {
  readonly messages: T[] = [];
  error: grpc.ServiceError | undefined;
  ended = false;
  private waiters: (() => void)[] = [];

  constructor(readonly stream: grpc.ClientReadableStream<T>) {
    stream.on('data', (m: T) => {
      this.messages.push(m);
      this.wake();
    });
    stream.on('error', (e: grpc.ServiceError) => {
      this.error = e;
      this.ended = true;
      this.wake();
    });
    stream.on('end', () => {
      this.ended = true;
      this.wake();
    });
  }

  /** The n-th message (0-based), waiting for it. */
  async nth(n: number, timeoutMs = 5000): Promise<T> {
    await this.until(() => this.messages.length > n, timeoutMs);
    return this.messages[n] as T;
  }

  /** Waits until the stream has ended. */
  closed(timeoutMs = 5000): Promise<void> {
    return this.until(() => this.ended, timeoutMs);
  }

  cancel(): void {
    this.stream.cancel();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private async until(cond: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!cond()) {
      if (this.ended && !cond()) throw new Error(`stream ended (${this.error?.message ?? 'OK'}) first`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; got ${this.messages.length} messages`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
}

/** Polls `cond` until it holds; fails with `describe()` after `timeoutMs`. Never a bare sleep. */
export async function eventually(
  cond: () => boolean,
  describe: () => string = () => '',
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms. ${describe()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Calls a unary method with the caller's identity. */
export function unary<Req, Res>(
  client: DispatcherClient,
  method: 'Heartbeat' | 'UpdateTaskStatus',
  nodeId: string,
  req: Req,
): Promise<Res> {
  const fn = (client as unknown as Record<string, (...a: unknown[]) => void>)[method];
  if (!fn) throw new Error(`no method ${method}`);
  return new Promise((resolve, reject) =>
    fn.call(client, req, as(nodeId), (err: grpc.ServiceError | null, res: Res) =>
      err ? reject(err) : resolve(res),
    ),
  );
}

export interface TaskFixture {
  readonly id: string;
  readonly nodeId: string;
  readonly state?: TaskState;
  readonly desired?: TaskState;
  readonly secrets?: readonly string[];
  readonly configs?: readonly string[];
  readonly networks?: readonly { id: string; addr: string }[];
}

/** A task as the scheduler leaves it (ASSIGNED to a node, desired RUNNING) unless told otherwise. */
export function task(f: TaskFixture): Task {
  const t = blank('task');
  t.id = f.id;
  t.name = `svc.1.${f.id}`;
  t.serviceId = 'svc';
  t.nodeId = f.nodeId;
  t.desiredState = f.desired ?? 'TASK_STATE_RUNNING';
  t.status = {
    timestamp: null,
    state: f.state ?? 'TASK_STATE_ASSIGNED',
    message: '',
    err: '',
    containerStatus: null,
    portStatus: null,
  };
  const spec = defaults<NonNullable<Task['spec']>>('TaskSpec');
  const c = defaults<NonNullable<NonNullable<Task['spec']>['containerSpec']>>('ContainerSpec');
  spec.containerSpec = c;
  c.image = 'busybox';
  c.secrets = (f.secrets ?? []).map((id) => ({ secretId: id, secretName: id, file: null }));
  c.configs = (f.configs ?? []).map((id) => ({
    configId: id,
    configName: id,
    file: null,
    runtime: null,
  }));
  t.spec = spec;
  t.networksAttachments = (f.networks ?? []).map((n) => ({
    network: { ...blank('network'), id: n.id, driverState: { name: 'overlay', options: {} } },
    addresses: [n.addr],
  }));
  return t;
}

function defaults<T>(message: string): T {
  const type = messageType(message);
  return type.toObject(type.create({}), TO_OBJECT) as T;
}
