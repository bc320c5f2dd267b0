/**
 * Test helpers for the log broker: a broker served over loopback (insecure; the caller's node ID travels
 * in a metadata header instead of a certificate), store fixtures, and an agent stand-in.
 */
import * as grpc from '@grpc/grpc-js';
import type { LogBrokerClient } from '../../proto/gen/shoal/api/LogBroker.ts';
import type { LogMessage } from '../../proto/gen/shoal/api/LogMessage.ts';
import type { SubscriptionMessage__Output } from '../../proto/gen/shoal/api/SubscriptionMessage.ts';
import { grpcServices } from '../../proto/load.ts';
import { as, nodeIdFromHeader, task } from '../dispatcher/testing.ts';
import { blank, MemoryStore } from '../store/memory.ts';
import { LogBroker, type LogBrokerOptions } from './broker.ts';

export { as };

export interface ServedBroker {
  readonly store: MemoryStore;
  readonly broker: LogBroker;
  readonly client: LogBrokerClient;
  close(): Promise<void>;
}

/** A started broker on 127.0.0.1 over a local store. */
export async function serveBroker(o: Partial<LogBrokerOptions> = {}): Promise<ServedBroker> {
  const store = o.store ?? MemoryStore.local();
  const broker = new LogBroker({ nodeIdOf: (call) => nodeIdFromHeader(call), ...o, store });
  const server = new grpc.Server();
  server.addService(grpcServices().shoal.api.LogBroker.service, broker.handlers());
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  broker.start();
  const client = new (grpcServices().shoal.api.LogBroker)(
    `127.0.0.1:${port}`,
    grpc.credentials.createInsecure(),
  );
  return {
    store,
    broker,
    client,
    async close() {
      await broker.stop();
      client.close();
      server.forceShutdown();
      return Promise.resolve();
    },
  };
}

/** Adds a node (READY unless told otherwise) and tasks `[id, serviceId, nodeId]`. */
export async function seed(
  store: MemoryStore,
  nodes: Record<string, 'STATE_READY' | 'STATE_DOWN'>,
  tasks: readonly (readonly [string, string, string])[],
): Promise<void> {
  await store.update((tx) => {
    for (const [id, state] of Object.entries(nodes)) {
      const n = blank('node');
      n.id = id;
      n.status = { state, message: '', addr: '127.0.0.1' };
      tx.create('node', n);
    }
    for (const [id, serviceId, nodeId] of tasks) tx.create('task', { ...task({ id, nodeId }), serviceId });
  });
}

/** What one node's agent stand-in received on ListenSubscriptions. */
export function listenAs(
  client: LogBrokerClient,
  nodeId: string,
): {
  readonly received: SubscriptionMessage__Output[];
  cancel(): void;
} {
  const received: SubscriptionMessage__Output[] = [];
  const call = client.ListenSubscriptions({}, as(nodeId));
  call.on('data', (m: SubscriptionMessage__Output) => received.push(m));
  call.on('error', () => undefined);
  return { received, cancel: () => call.cancel() };
}

/** Publishes `lines` for `subscriptionId` as `nodeId` (then close, unless told not to). */
export function publishAs(
  client: LogBrokerClient,
  nodeId: string,
  subscriptionId: string,
  lines: readonly LogMessage[],
  close = true,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const call = client.PublishLogs(as(nodeId), (err) => (err ? reject(err) : resolve()));
    call.write({ subscriptionId, messages: [...lines] });
    if (close) call.write({ subscriptionId, close: true });
    call.end();
  });
}

/** One stdout line of `taskId` on `nodeId` of service `serviceId`. */
export function line(serviceId: string, nodeId: string, taskId: string, text: string): LogMessage {
  return {
    context: { serviceId, nodeId, taskId },
    timestamp: { seconds: 1, nanos: 0 },
    stream: 'STREAM_STDOUT',
    data: Buffer.from(text),
  };
}
