/**
 * Wiring of the log broker into a Manager without touching manager.ts or controlplane.ts:
 * {@link withLogBroker} adds the broker to the leader's set (and serves it as `LogBroker`, which the
 * cluster port routes to the leader), {@link logServices} gives every manager the `Logs` service and an
 * in-process `subscribe` that uses the local broker on the leader and the leader's `Logs` service
 * (over the cluster's mutual TLS) on a follower.
 */
import * as grpc from '@grpc/grpc-js';
import { CLUSTER_CHANNEL_OPTIONS } from '../../ca/tls.ts';
import type { LogMessage__Output } from '../../proto/gen/shoal/api/LogMessage.ts';
import type { LogsClient, LogsHandlers } from '../../proto/gen/shoal/api/Logs.ts';
import type { SubscribeLogsMessage__Output } from '../../proto/gen/shoal/api/SubscribeLogsMessage.ts';
import type { SubscribeLogsRequest } from '../../proto/gen/shoal/api/SubscribeLogsRequest.ts';
import { grpcServices } from '../../proto/load.ts';
import { fromGrpcError, toGrpcError, UnavailableError } from '../../proto/shared/errors.ts';
import type { LeaderFactory, ManagerContext } from '../manager.ts';
import { LogBroker, type LogBrokerOptions } from './broker.ts';

/** The running broker of each manager that leads now (set by {@link withLogBroker}'s component). */
const brokers = new WeakMap<ManagerContext, LogBroker>();

/** Lines per SubscribeLogsMessage on the Logs service. */
const LOGS_BATCH = 100;

/**
 * `inner`'s leader set plus the log broker: a component started and stopped with leadership, served
 * as the `LogBroker` gRPC service. Options are for tests (e.g. a short node timeout).
 */
export function withLogBroker(
  inner: LeaderFactory,
  o: Omit<LogBrokerOptions, 'store' | 'log'> = {},
): LeaderFactory {
  return (ctx) => {
    const set = inner(ctx);
    const broker = new LogBroker({ ...o, store: ctx.store, log: ctx.log });
    const component = {
      start: (): void => {
        broker.start();
        brokers.set(ctx, broker);
      },
      stop: (): Promise<void> => {
        if (brokers.get(ctx) === broker) brokers.delete(ctx);
        return broker.stop();
      },
    };
    return {
      components: [...set.components, component],
      services: { ...set.services, LogBroker: broker.handlers() },
    };
  };
}

/** The running broker of `ctx` when it leads (and was given {@link withLogBroker}). */
export function brokerOf(ctx: ManagerContext): LogBroker | undefined {
  return brokers.get(ctx);
}

/** A subscription to logs, as the HTTP API and the Logs service use it. */
export type SubscribeLogs = (
  req: SubscribeLogsRequest,
  signal: AbortSignal,
) => AsyncIterable<LogMessage__Output>;

/** What {@link logServices} gives a manager. */
export interface LogServices {
  /** Merge into the Manager's `control` option's services. */
  readonly services: { readonly Logs: LogsHandlers };
  /** Logs on any manager: the local broker when leading, else the leader's Logs service. */
  readonly subscribe: SubscribeLogs;
  /** Closes the client to the leader (if one was opened). */
  close(): void;
}

/** The Logs service and an in-process subscription for one manager. */
export function logServices(ctx: ManagerContext): LogServices {
  let cached: { addr: string; client: LogsClient } | undefined;
  const leaderClient = (addr: string): LogsClient => {
    if (cached?.addr !== addr) {
      cached?.client.close();
      cached = {
        addr,
        client: new (grpcServices().shoal.api.Logs)(addr, ctx.creds.client(), CLUSTER_CHANNEL_OPTIONS),
      };
    }
    return cached.client;
  };
  const subscribe: SubscribeLogs = (req, signal) => {
    const local = brokerOf(ctx);
    if (ctx.isLeader() && local) return local.subscribe(req, signal);
    const addr = ctx.leaderAddr();
    if (!addr)
      throw new UnavailableError(
        ctx.isLeader()
          ? 'the log broker is not running yet on this leader'
          : 'no leader is known (is quorum lost?)',
      );
    return remoteLogs(leaderClient(addr), req, signal);
  };
  return {
    services: { Logs: logsHandlers(subscribe) },
    subscribe,
    close: () => cached?.client.close(),
  };
}

/** The leader's lines over its Logs service, as an AsyncIterable; aborting `signal` cancels the call. */
export async function* remoteLogs(
  client: LogsClient,
  req: SubscribeLogsRequest,
  signal: AbortSignal,
): AsyncGenerator<LogMessage__Output> {
  if (signal.aborted) return;
  const call = client.SubscribeLogs(req);
  const cancel = (): void => call.cancel();
  signal.addEventListener('abort', cancel, { once: true });
  try {
    for await (const m of call as AsyncIterable<SubscribeLogsMessage__Output>) yield* m.messages;
  } catch (err) {
    if (signal.aborted && (err as { code?: number }).code === grpc.status.CANCELLED) return;
    throw fromGrpcError(err);
  } finally {
    signal.removeEventListener('abort', cancel);
    call.cancel();
  }
}

/** The Logs service over any subscribe function: lines in batches, ended with the subscription. */
export function logsHandlers(subscribe: SubscribeLogs): LogsHandlers {
  return {
    SubscribeLogs: (call) => {
      const ac = new AbortController();
      call.on('cancelled', () => ac.abort());
      void (async (): Promise<void> => {
        let batch: LogMessage__Output[] = [];
        let timer: NodeJS.Immediate | undefined;
        const flush = (): void => {
          clearImmediate(timer);
          timer = undefined;
          if (batch.length > 0 && !ac.signal.aborted) call.write({ messages: batch });
          batch = [];
        };
        try {
          // lines that are already there go out together; a followed line goes out on the next turn
          for await (const m of subscribe(call.request, ac.signal)) {
            batch.push(m);
            if (batch.length >= LOGS_BATCH) flush();
            else timer ??= setImmediate(flush);
          }
        } finally {
          flush();
        }
        if (!ac.signal.aborted) call.end();
      })().catch((err: unknown) => {
        if (ac.signal.aborted) return;
        const p = toGrpcError(err);
        call.emit('error', Object.assign(new Error(p.details), p));
      });
    },
  };
}
