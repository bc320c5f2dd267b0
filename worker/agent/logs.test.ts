import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogBrokerHandlers } from '../../proto/gen/shoal/api/LogBroker.ts';
import type { PublishLogsMessage__Output } from '../../proto/gen/shoal/api/PublishLogsMessage.ts';
import type { SubscriptionMessage } from '../../proto/gen/shoal/api/SubscriptionMessage.ts';
import { grpcServices } from '../../proto/load.ts';
import { silentLogger } from '../../proto/shared/log.ts';
import type { Engine, LogLine, Task, TaskController } from '../executor/types.ts';
import { LogPublisher } from './logs.ts';

/** A LogBroker stand-in: hands each listener `subs`, records what is published. */
async function fakeBroker(subs: SubscriptionMessage[]): Promise<{
  addr: string;
  published: PublishLogsMessage__Output[];
  listeners: grpc.ServerWritableStream<unknown, SubscriptionMessage>[];
  close(): void;
}> {
  const published: PublishLogsMessage__Output[] = [];
  const listeners: grpc.ServerWritableStream<unknown, SubscriptionMessage>[] = [];
  const handlers: LogBrokerHandlers = {
    ListenSubscriptions: (call) => {
      listeners.push(call);
      for (const s of subs) call.write(s);
    },
    PublishLogs: (call, cb) => {
      call.on('data', (m: PublishLogsMessage__Output) => published.push(m));
      call.on('end', () => cb(null, {}));
    },
  };
  const server = new grpc.Server();
  server.addService(grpcServices().shoal.api.LogBroker.service, handlers);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return { addr: `127.0.0.1:${port}`, published, listeners, close: () => server.forceShutdown() };
}

const mk = (id: string, serviceId: string): Task => ({ id, serviceId, nodeId: 'n1' }) as Task;

function engine(logs: Record<string, LogLine[]>): Engine {
  return {
    name: 'process',
    controller: (t: Task) =>
      ({
        async *logs(): AsyncIterable<LogLine> {
          await Promise.resolve();
          yield* logs[t.id] ?? [];
        },
      }) as unknown as TaskController,
    list: () => Promise.resolve([]),
    describe: () => Promise.resolve({}),
  };
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('LogPublisher', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  it('publishes the matching tasks lines with their context, then close', async () => {
    const b = await fakeBroker([
      {
        id: 'sub1',
        selector: { serviceIds: ['web'] },
        options: { tail: -1, follow: false, streams: [] },
      },
    ]);
    cleanups.push(() => b.close());
    const p = new LogPublisher({
      credentials: grpc.credentials.createInsecure(),
      engine: engine({
        t1: [{ stream: 'stdout', time: new Date(1000), line: 'hello' }],
        t2: [{ stream: 'stderr', time: new Date(2000), line: 'other service' }],
      }),
      tasks: () => [mk('t1', 'web'), mk('t2', 'db')],
      log: silentLogger(),
    });
    cleanups.push(() => p.stop());
    p.connect(b.addr);
    await until(() => b.published.some((m) => m.close));
    const lines = b.published.flatMap((m) => m.messages);
    expect(lines.map((l) => [l.context, l.stream, l.data.toString()])).toEqual([
      [{ serviceId: 'web', nodeId: 'n1', taskId: 't1' }, 'STREAM_STDOUT', 'hello'],
    ]);
    expect(b.published.every((m) => m.subscriptionId === 'sub1')).toBe(true);
    expect(b.published.at(-1)?.close).toBe(true);
  });

  it('closes a subscription with no matching task at once, and listens again after the stream ends', async () => {
    const b = await fakeBroker([
      { id: 'none', selector: { taskIds: ['gone'] }, options: { tail: -1, follow: false, streams: [] } },
    ]);
    cleanups.push(() => b.close());
    const p = new LogPublisher({
      credentials: grpc.credentials.createInsecure(),
      engine: engine({}),
      tasks: () => [],
      log: silentLogger(),
    });
    cleanups.push(() => p.stop());
    p.connect(b.addr);
    await until(() => b.published.length === 1);
    expect(b.published[0]).toMatchObject({ subscriptionId: 'none', close: true, messages: [] });
    b.listeners[0]?.end();
    await until(() => b.listeners.length === 2);
  });
});
