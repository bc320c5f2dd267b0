/**
 * The transport's options in their three stages: as given ({@link RaftTransportOptions}), with defaults
 * applied, checked and frozen ({@link ResolvedTransportOptions}), and compiled into gRPC channel and
 * server options. Every default lives in {@link TRANSPORT_DEFAULTS}.
 */
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from '../../proto/shared/log.ts';
import { silentLogger } from '../../proto/shared/log.ts';
import type { RaftMessage__Output } from '../../proto/gen/shoal/api/RaftMessage.ts';
import { TransportOptionError } from './errors.ts';

const MiB = 1024 * 1024;

/** Room for a chunk's non-data fields (the message with its metadata) on top of the chunk bytes. */
export const CHUNK_OVERHEAD_BYTES = 64 * 1024;

/** Defaults for every tunable, with units in the names. */
export const TRANSPORT_DEFAULTS = Object.freeze({
  /** Messages waiting per peer; past this, new messages are dropped (Raft retransmits). */
  maxQueuedMessagesPerPeer: 4096,
  /** A batch closes once its estimated encoded size reaches this; a larger message travels alone. */
  maxBatchBytes: 1 * MiB,
  /** gRPC max send/receive message length on our channels and server; also the largest single message. */
  maxMessageBytes: 16 * MiB,
  /** Data bytes per snapshot chunk. */
  snapshotChunkBytes: 1 * MiB,
  /** A snapshot send fails if no chunk is taken, or no reply comes, for this long. */
  snapshotStallTimeoutMs: 30_000,
  /** A message stream that is not accepted by the peer within this long counts as failed. */
  connectTimeoutMs: 5_000,
  /** First delay before reconnecting a failed stream; doubles per failure up to the max. */
  reconnectBackoffInitialMs: 100,
  reconnectBackoffMaxMs: 5_000,
  /** At most one `onUnreachable` per peer per this interval. */
  unreachableReportIntervalMs: 1_000,
  /** HTTP/2 keepalive pings find dead connections on idle streams. */
  keepaliveTimeMs: 10_000,
  keepaliveTimeoutMs: 5_000,
  /** How long `stop()` waits for queues to flush and streams to close before destroying. */
  stopTimeoutMs: 2_000,
});

/** The numeric tunables; each may be overridden. */
export type TransportLimits = { -readonly [K in keyof typeof TRANSPORT_DEFAULTS]: number };

/** What the driver hears from the transport. Callbacks must not throw. */
export interface TransportCallbacks {
  /** A batch arrived from one peer, in the order it sent them. */
  readonly onMessages: (batch: RaftMessage__Output[]) => void;
  /**
   * A whole snapshot arrived. Resolve once the receiver has taken it (the sender then reports
   * 'finish'); reject to make the sender report 'failure'.
   */
  readonly onSnapshot: (msg: RaftMessage__Output, data: Buffer) => Promise<void>;
  /** Messages to `peerId` could not be delivered (stream failed, unknown peer, queue overflow). Rate-limited. */
  readonly onUnreachable: (peerId: string) => void;
  /** The outcome of one `sendSnapshot` to `peerId`. */
  readonly onSnapshotStatus: (peerId: string, status: SnapshotStatus) => void;
}

/** The outcome of a snapshot send, as Raft's ReportSnapshot wants it. */
export type SnapshotStatus = 'finish' | 'failure';

/** Options for `new RaftTransport()`, as given. */
export interface RaftTransportOptions extends TransportCallbacks, Partial<TransportLimits> {
  /** This node's raft ID; inbound traffic addressed to anyone else is refused. */
  readonly selfId: string;
  /** Injected so mutual TLS can replace insecure credentials without touching the transport. */
  readonly credentials: {
    readonly client: grpc.ChannelCredentials;
    /** Needed only by `listen()`. */
    readonly server?: grpc.ServerCredentials;
    /** Extra channel options the credentials need (e.g. the TLS name managers are verified by). */
    readonly channelOptions?: grpc.ChannelOptions;
  };
  readonly log?: Logger;
}

/** Options with defaults applied and checked; frozen. */
export interface ResolvedTransportOptions extends TransportCallbacks, Readonly<TransportLimits> {
  readonly selfId: string;
  readonly credentials: RaftTransportOptions['credentials'];
  readonly log: Logger;
}

/** Applies defaults and checks ranges; throws {@link TransportOptionError} naming the bad field. */
export function resolveTransportOptions(given: RaftTransportOptions): ResolvedTransportOptions {
  if (typeof given.selfId !== 'string' || given.selfId === '')
    throw new TransportOptionError('selfId', given.selfId, 'a non-empty raft ID');
  const limits = { ...TRANSPORT_DEFAULTS } as TransportLimits;
  for (const key of Object.keys(TRANSPORT_DEFAULTS) as (keyof TransportLimits)[]) {
    const v = given[key];
    if (v === undefined) continue;
    if (!Number.isSafeInteger(v) || v <= 0) throw new TransportOptionError(key, v, 'a positive integer');
    limits[key] = v;
  }
  if (limits.snapshotChunkBytes + CHUNK_OVERHEAD_BYTES > limits.maxMessageBytes)
    throw new TransportOptionError(
      'snapshotChunkBytes',
      limits.snapshotChunkBytes,
      `at most maxMessageBytes - ${CHUNK_OVERHEAD_BYTES} (${limits.maxMessageBytes - CHUNK_OVERHEAD_BYTES})`,
    );
  if (limits.maxBatchBytes > limits.maxMessageBytes)
    throw new TransportOptionError('maxBatchBytes', limits.maxBatchBytes, 'at most maxMessageBytes');
  if (limits.reconnectBackoffInitialMs > limits.reconnectBackoffMaxMs)
    throw new TransportOptionError(
      'reconnectBackoffInitialMs',
      limits.reconnectBackoffInitialMs,
      'at most reconnectBackoffMaxMs',
    );
  for (const cb of ['onMessages', 'onSnapshot', 'onUnreachable', 'onSnapshotStatus'] as const)
    if (typeof given[cb] !== 'function') throw new TransportOptionError(cb, typeof given[cb], 'a function');
  return Object.freeze({
    ...limits,
    selfId: given.selfId,
    credentials: given.credentials,
    log: (given.log ?? silentLogger()).child({ component: 'raft-transport' }),
    onMessages: given.onMessages,
    onSnapshot: given.onSnapshot,
    onUnreachable: given.onUnreachable,
    onSnapshotStatus: given.onSnapshotStatus,
  });
}

/**
 * Channel options for a peer: message limits sized for batches and chunks, retries off (Raft retries,
 * and grpc-js's retry buffer would hold whole snapshots), reconnect backoff matching ours, keepalive on,
 * and a private subchannel so a peer's channel never shares a connection in backoff with another.
 */
export function channelOptions(o: ResolvedTransportOptions): grpc.ChannelOptions {
  return {
    ...o.credentials.channelOptions,
    'grpc.max_send_message_length': o.maxMessageBytes,
    'grpc.max_receive_message_length': o.maxMessageBytes,
    'grpc.enable_retries': 0,
    'grpc.initial_reconnect_backoff_ms': o.reconnectBackoffInitialMs,
    'grpc.max_reconnect_backoff_ms': o.reconnectBackoffMaxMs,
    'grpc.keepalive_time_ms': o.keepaliveTimeMs,
    'grpc.keepalive_timeout_ms': o.keepaliveTimeoutMs,
    'grpc.use_local_subchannel_pool': 1,
  };
}

/** Server options the Raft service needs; a shared server should include them. */
export function serverOptions(o: ResolvedTransportOptions): grpc.ServerOptions {
  return {
    'grpc.max_send_message_length': o.maxMessageBytes,
    'grpc.max_receive_message_length': o.maxMessageBytes,
    'grpc.keepalive_time_ms': o.keepaliveTimeMs,
    'grpc.keepalive_timeout_ms': o.keepaliveTimeoutMs,
  };
}
