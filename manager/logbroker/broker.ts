/**
 * The log broker, on the leader (model: swarmkit `manager/logbroker/broker.go`). Users subscribe to the
 * logs of services, nodes or tasks; the broker resolves the selector against the store to the nodes
 * running selected tasks and tells those nodes' agents (ListenSubscriptions); the agents read the logs
 * of their matching tasks, apply tail, since and streams, and publish the lines (PublishLogs), which
 * the broker hands to the subscriber. With follow, tasks placed later on other nodes bring those nodes
 * in too.
 */
import type * as grpc from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import type { ServerSurfaceCall } from '@grpc/grpc-js/build/src/server-call.js';
import { peerIdentity } from '../../ca/authz.ts';
import type { LogBrokerHandlers } from '../../proto/gen/shoal/api/LogBroker.ts';
import type { LogMessage__Output } from '../../proto/gen/shoal/api/LogMessage.ts';
import type { PublishLogsMessage__Output } from '../../proto/gen/shoal/api/PublishLogsMessage.ts';
import type { SubscribeLogsRequest } from '../../proto/gen/shoal/api/SubscribeLogsRequest.ts';
import type { SubscriptionMessage } from '../../proto/gen/shoal/api/SubscriptionMessage.ts';
import {
  NotFoundError,
  PermissionDeniedError,
  toGrpcError,
  UnauthenticatedError,
  UnavailableError,
} from '../../proto/shared/errors.ts';
import { silentLogger, type Logger } from '../../proto/shared/log.ts';
import type { MemoryStore } from '../store/memory.ts';
import type { StoreEvent } from '../store/types.ts';
import { normaliseOptions } from './options.ts';
import { normaliseSelector, resolveSelector, taskSelected } from './selector.ts';
import { Subscription } from './subscription.ts';

/** Defaults of the broker's options. */
export const LOG_BROKER_DEFAULTS = Object.freeze({
  /** Without follow, a node silent this long (no listener, no lines, no close) is skipped. */
  nodeTimeoutMs: 10_000,
});

export interface LogBrokerOptions {
  readonly store: MemoryStore;
  readonly log?: Logger;
  /** See {@link LOG_BROKER_DEFAULTS}. */
  readonly nodeTimeoutMs?: number;
  /** The caller's node ID (default: from its TLS certificate). */
  readonly nodeIdOf?: (call: ServerSurfaceCall) => string;
}

type Listener = grpc.ServerWritableStream<unknown, SubscriptionMessage>;

function certNodeId(call: ServerSurfaceCall): string {
  const id = peerIdentity(call.getAuthContext());
  if (!id) throw new UnauthenticatedError('the log broker needs a node certificate issued by this swarm');
  return id.nodeId;
}

function grpcError(err: unknown): grpc.ServiceError {
  const p = toGrpcError(err);
  return Object.assign(new Error(p.details), p) as grpc.ServiceError;
}

/**
 * Life: `start()` (on becoming leader) then `stop()`, which ends every subscription with
 * UnavailableError (the subscriber may subscribe again through the new leader) and every agent stream.
 */
export class LogBroker {
  private readonly subs = new Map<string, Subscription>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly log: Logger;
  private readonly nodeTimeoutMs: number;
  private readonly nodeIdOf: (call: ServerSurfaceCall) => string;
  private running = false;
  private readonly onCommit = (events: readonly StoreEvent[]): void => this.taskEvents(events);

  constructor(private readonly o: LogBrokerOptions) {
    this.log = (o.log ?? silentLogger()).child({ component: 'logbroker' });
    this.nodeTimeoutMs = o.nodeTimeoutMs ?? LOG_BROKER_DEFAULTS.nodeTimeoutMs;
    this.nodeIdOf = o.nodeIdOf ?? certNodeId;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.o.store.events.on('commit', this.onCommit);
  }

  stop(): Promise<void> {
    this.running = false;
    this.o.store.events.off('commit', this.onCommit);
    for (const s of [...this.subs.values()])
      s.end(new UnavailableError('the log broker stopped (leadership changed); subscribe again'));
    for (const set of this.listeners.values()) for (const l of set) l.end();
    this.listeners.clear();
    return Promise.resolve();
  }

  /** Nodes whose agents listen for subscriptions now (for tests and diagnostics). */
  listeningNodes(): string[] {
    return [...this.listeners.keys()];
  }

  /** Subscriptions in progress (for tests and diagnostics). */
  subscriptions(): readonly Subscription[] {
    return [...this.subs.values()];
  }

  /**
   * Starts a subscription now (so no line printed after this call is missed) and returns its lines.
   * Stop reading or abort `signal` to end it early.
   * @throws InvalidArgumentError for an empty selector; UnavailableError when the broker is not running.
   */
  subscribe(req: SubscribeLogsRequest, signal?: AbortSignal): AsyncIterable<LogMessage__Output> {
    if (!this.running) throw new UnavailableError('the log broker is not running (not the leader)');
    const selector = normaliseSelector(req.selector);
    const options = normaliseOptions(req.options);
    const onAbort = (): void => sub.end();
    const sub: Subscription = new Subscription({
      id: randomBytes(12).toString('hex'),
      selector,
      options,
      nodeTimeoutMs: this.nodeTimeoutMs,
      onEnd: (s, unclosed) => {
        signal?.removeEventListener('abort', onAbort);
        this.ended(s, unclosed);
      },
      onSkip: (nodeId, why) => this.log.warn({ sub: sub.id, nodeId, why }, 'log subscription skips a node'),
    });
    this.subs.set(sub.id, sub);
    const nodes = new Set(resolveSelector(this.o.store, selector).tasksByNode.keys());
    if (options.follow) for (const n of selector.nodeIds) nodes.add(n);
    for (const n of nodes) this.addNode(sub, n);
    this.log.debug({ sub: sub.id, nodes: [...nodes], follow: options.follow }, 'log subscription');
    sub.open();
    if (signal?.aborted) sub.end();
    else if (!sub.ended) signal?.addEventListener('abort', onAbort, { once: true });
    return sub;
  }

  /** The gRPC LogBroker service for agents. */
  handlers(): LogBrokerHandlers {
    return {
      ListenSubscriptions: (call) => this.listen(call),
      PublishLogs: (call, cb) => this.publish(call, cb),
    };
  }

  private addNode(sub: Subscription, nodeId: string): void {
    if (!sub.addNode(nodeId)) return;
    const ls = this.listeners.get(nodeId);
    if (ls && ls.size > 0) {
      for (const l of ls) l.write(sub.message());
      return;
    }
    const node = this.o.store.get('node', nodeId);
    if (!sub.follow && node?.status?.state !== 'STATE_READY')
      sub.skipNode(nodeId, `node is ${node?.status?.state ?? 'unknown'} and not listening`);
    // otherwise the node may still connect: it gets the subscription then (or is skipped on timeout)
  }

  private ended(sub: Subscription, unclosed: readonly string[]): void {
    this.subs.delete(sub.id);
    for (const nodeId of unclosed)
      for (const l of this.listeners.get(nodeId) ?? []) l.write(sub.message(true));
  }

  /** With follow, a task of a selected service placed on a new node brings that node in. */
  private taskEvents(events: readonly StoreEvent[]): void {
    for (const e of events) {
      if (e.kind !== 'task' || e.action === 'remove') continue;
      const t = e.object as { id: string; serviceId: string; nodeId: string };
      for (const s of this.subs.values())
        if (s.follow && !s.ended && taskSelected(t, s.selector)) this.addNode(s, t.nodeId);
    }
  }

  private listen(call: Listener): void {
    let nodeId: string;
    try {
      nodeId = this.nodeIdOf(call);
      if (!this.running) throw new UnavailableError('the log broker is not running');
    } catch (err) {
      call.emit('error', grpcError(err));
      return;
    }
    let set = this.listeners.get(nodeId);
    if (!set) this.listeners.set(nodeId, (set = new Set()));
    set.add(call);
    const drop = (): void => {
      set.delete(call);
      if (set.size === 0 && this.listeners.get(nodeId) === set) this.listeners.delete(nodeId);
    };
    call.on('cancelled', drop);
    call.on('error', drop);
    call.on('close', drop);
    for (const s of this.subs.values()) if (s.expects(nodeId)) call.write(s.message());
  }

  private publish(
    call: grpc.ServerReadableStream<PublishLogsMessage__Output, unknown>,
    cb: grpc.sendUnaryData<object>,
  ): void {
    let done = false;
    const finish = (err: unknown): void => {
      if (done) return;
      done = true;
      if (err === undefined) cb(null, {});
      else cb(grpcError(err));
    };
    let nodeId: string;
    try {
      nodeId = this.nodeIdOf(call);
    } catch (err) {
      finish(err);
      return;
    }
    call.on('data', (m: PublishLogsMessage__Output) => {
      if (done) return;
      try {
        this.accept(nodeId, m);
      } catch (err) {
        finish(err);
      }
    });
    call.on('end', () => finish(undefined));
    call.on('error', () => finish(undefined));
  }

  private accept(nodeId: string, m: PublishLogsMessage__Output): void {
    const sub = this.subs.get(m.subscriptionId);
    if (!sub || !sub.expects(nodeId))
      throw new NotFoundError(
        `log subscription ${JSON.stringify(m.subscriptionId)} is over or does not expect node ${nodeId}`,
      );
    for (const msg of m.messages) {
      if (msg.context?.nodeId !== nodeId)
        throw new PermissionDeniedError(
          `node ${nodeId} published a log line for node ${JSON.stringify(msg.context?.nodeId ?? '')}`,
        );
    }
    sub.publish(nodeId, m.messages);
    if (m.close) sub.closeNode(nodeId);
  }
}
