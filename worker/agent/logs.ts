/**
 * The agent's side of the log broker (model: swarmkit `agent/worker.go` Subscribe and the agent's
 * log publisher): with each new session it opens ListenSubscriptions on the session's manager (routed
 * to the leader's broker); for every subscription that concerns its tasks it reads their logs through
 * the engine (log-reader.ts) and publishes the lines, in batches, on a PublishLogs stream, then `close`
 * (without follow) or keeps following until the broker closes the subscription.
 */
import type * as grpc from '@grpc/grpc-js';
import type { LogBrokerClient } from '../../proto/gen/shoal/api/LogBroker.ts';
import type { LogMessage } from '../../proto/gen/shoal/api/LogMessage.ts';
import type { LogSelector__Output } from '../../proto/gen/shoal/api/LogSelector.ts';
import type { PublishLogsMessage } from '../../proto/gen/shoal/api/PublishLogsMessage.ts';
import type { SubscriptionMessage__Output } from '../../proto/gen/shoal/api/SubscriptionMessage.ts';
import { grpcServices } from '../../proto/load.ts';
import type { Logger } from '../../proto/shared/log.ts';
import type { Engine, Task } from '../executor/types.ts';
import { lineFilter, readTask } from './log-reader.ts';

/** Defaults of the publisher (batches, pauses, reconnects). */
export const LOG_PUBLISHER_DEFAULTS = Object.freeze({
  /** Lines per PublishLogsMessage. */
  batchLines: 100,
  /** A batch waits at most this long for more lines. */
  batchDelayMs: 20,
  /** With follow: how often to look for newly assigned matching tasks, and to re-read ended ones. */
  followPollMs: 500,
  retryMinMs: 250,
  retryMaxMs: 8000,
});

export interface LogPublisherOptions {
  readonly credentials: grpc.ChannelCredentials;
  readonly channelOptions?: grpc.ChannelOptions | undefined;
  readonly engine: Engine;
  /** The tasks this agent drives now. */
  readonly tasks: () => readonly Task[];
  readonly log: Logger;
  readonly followPollMs?: number;
}

/** Whether a task is one a selector names (the broker's rule: a union of task, service and node IDs). */
export function selects(s: LogSelector__Output | null, t: Task): boolean {
  if (!s) return false;
  return s.taskIds.includes(t.id) || s.serviceIds.includes(t.serviceId) || s.nodeIds.includes(t.nodeId);
}

/**
 * Life: `connect(addr)` with every new session (replacing the previous connection), `disconnect()`
 * when the session breaks (running subscriptions stop; the broker sends them again on the next
 * connection), `stop()` to end for good.
 */
export class LogPublisher {
  private client: LogBrokerClient | undefined;
  private listen: grpc.ClientReadableStream<SubscriptionMessage__Output> | undefined;
  private readonly running = new Map<string, { ac: AbortController; done: Promise<void> }>();
  private retryTimer: NodeJS.Timeout | undefined;
  private retryMs: number = LOG_PUBLISHER_DEFAULTS.retryMinMs;
  private readonly followPollMs: number;

  constructor(private readonly o: LogPublisherOptions) {
    this.followPollMs = o.followPollMs ?? LOG_PUBLISHER_DEFAULTS.followPollMs;
  }

  /** Listens for subscriptions on the manager at `addr`. */
  connect(addr: string): void {
    this.disconnect();
    this.client = new (grpcServices().shoal.api.LogBroker)(addr, this.o.credentials, this.o.channelOptions);
    this.open(this.client);
  }

  /** Stops listening and stops every subscription in progress. */
  disconnect(): void {
    clearTimeout(this.retryTimer);
    const l = this.listen;
    this.listen = undefined;
    l?.cancel();
    for (const r of this.running.values()) r.ac.abort();
    this.client?.close();
    this.client = undefined;
  }

  /** Disconnects and waits for the subscriptions to wind down. */
  async stop(): Promise<void> {
    this.disconnect();
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
  }

  private open(client: LogBrokerClient): void {
    const call = client.ListenSubscriptions({});
    this.listen = call;
    call.on('data', (m: SubscriptionMessage__Output) => {
      if (call !== this.listen) return;
      this.retryMs = LOG_PUBLISHER_DEFAULTS.retryMinMs;
      this.onSubscription(client, m);
    });
    const broken = (err?: grpc.ServiceError): void => {
      if (call !== this.listen) return;
      this.listen = undefined;
      this.o.log.debug({ err: err?.message }, 'log subscriptions stream ended; listening again soon');
      const delay = this.retryMs;
      this.retryMs = Math.min(this.retryMs * 2, LOG_PUBLISHER_DEFAULTS.retryMaxMs);
      this.retryTimer = setTimeout(() => {
        if (this.client === client) this.open(client);
      }, delay);
    };
    call.on('error', broken);
    call.on('end', () => broken());
  }

  private onSubscription(client: LogBrokerClient, m: SubscriptionMessage__Output): void {
    const current = this.running.get(m.id);
    if (m.close) {
      current?.ac.abort();
      return;
    }
    if (current) return; // sent again on a new listen stream: already at work
    const ac = new AbortController();
    const entry = { ac, done: Promise.resolve() };
    this.running.set(m.id, entry);
    entry.done = this.publish(client, m, ac)
      .catch((err: unknown) => this.o.log.warn({ err, sub: m.id }, 'publishing logs failed'))
      .finally(() => {
        if (this.running.get(m.id) === entry) this.running.delete(m.id);
      });
  }

  /** Runs one subscription: reads the matching tasks' logs and publishes them, then closes. */
  private async publish(
    client: LogBrokerClient,
    m: SubscriptionMessage__Output,
    ac: AbortController,
  ): Promise<void> {
    const follow = m.options?.follow ?? false;
    const filter = lineFilter(m.options);
    let failed: Error | undefined;
    const stream = client.PublishLogs((err) => {
      if (err && !ac.signal.aborted) {
        failed = err;
        ac.abort();
      }
    });
    const batcher = new Batcher(m.id, (msg) => stream.write(msg));
    const readers: Promise<void>[] = [];
    const started = new Set<string>();
    const present = (id: string): boolean => this.o.tasks().some((t) => t.id === id);
    const startMatching = (late: boolean): void => {
      for (const task of this.o.tasks()) {
        if (started.has(task.id) || !selects(m.selector, task)) continue;
        started.add(task.id);
        const reader = readTask({
          engine: this.o.engine,
          task,
          filter,
          follow,
          late,
          signal: ac.signal,
          present: () => present(task.id),
          emit: (line) => batcher.add(line),
          passPauseMs: this.followPollMs,
        }).catch((err: unknown) => this.o.log.debug({ err, taskId: task.id }, 'reading task logs'));
        readers.push(reader);
      }
    };
    startMatching(false);
    if (follow) {
      while (!ac.signal.aborted) {
        await new Promise((r) => setTimeout(r, this.followPollMs));
        startMatching(true);
      }
    }
    await Promise.all(readers);
    batcher.flush();
    if (failed) throw failed;
    if (!follow && !ac.signal.aborted) stream.write({ subscriptionId: m.id, close: true });
    stream.end();
  }
}

/** Collects lines into PublishLogsMessages of at most `batchLines`, sent after `batchDelayMs`. */
class Batcher {
  private lines: LogMessage[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly subscriptionId: string,
    private readonly send: (m: PublishLogsMessage) => void,
  ) {}

  add(line: LogMessage): void {
    this.lines.push(line);
    if (this.lines.length >= LOG_PUBLISHER_DEFAULTS.batchLines) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), LOG_PUBLISHER_DEFAULTS.batchDelayMs);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.lines.length === 0) return;
    const messages = this.lines;
    this.lines = [];
    this.send({ subscriptionId: this.subscriptionId, messages });
  }
}
