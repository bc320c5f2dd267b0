/**
 * RaftTransport carries raft messages between managers over gRPC. It moves `RaftMessage` proto objects
 * and knows nothing of the Raft core: the driver converts core messages to and from them.
 *
 * Outbound, each peer has a bounded queue drained by one long-lived StreamRaftMessages call (see
 * peer.ts); snapshots go in chunks over StreamSnapshot, so they have no size limit. Inbound, the Raft
 * service (service.ts) runs on a server of the daemon's (via {@link RaftTransport.handlers}) or on one
 * of its own (via {@link RaftTransport.listen}).
 *
 * Sending never blocks and never throws: Raft retransmits, so a message that cannot go is dropped,
 * counted, and its peer reported through `onUnreachable`.
 */
import * as grpc from '@grpc/grpc-js';
import type { RaftHandlers } from '../../proto/gen/shoal/api/Raft.ts';
import type { RaftMessage } from '../../proto/gen/shoal/api/RaftMessage.ts';
import { grpcServices } from '../../proto/load.ts';
import { RateLimiter } from './backoff.ts';
import {
  InvalidPeerError,
  TransportNotRunningError,
  TransportOptionError,
  TransportStateError,
} from './errors.ts';
import {
  resolveTransportOptions,
  serverOptions,
  type RaftTransportOptions,
  type ResolvedTransportOptions,
  type SnapshotStatus,
} from './options.ts';
import { Peer, type PeerStats } from './peer.ts';
import { RaftService, type InboundStats } from './service.ts';
import { sendSnapshot } from './snapshot-sender.ts';
import { estimateMessageBytes } from './size.ts';

/** The transport's life: built, running, draining in `stop()`, and done. Single-use. */
export type TransportState = 'new' | 'running' | 'stopping' | 'stopped';

/** A point-in-time view of the transport's counters. */
export interface TransportStats {
  readonly state: TransportState;
  /** Outbound counters per peer ID. */
  readonly peers: Readonly<Record<string, PeerStats>>;
  /** Messages addressed to a peer that was never added (or was removed). */
  readonly droppedUnknownPeer: number;
  /** Messages sent while stopping or stopped. */
  readonly droppedStopped: number;
  readonly inbound: InboundStats;
}

/** Carries raft messages and snapshots to and from the other managers. */
export class RaftTransport {
  private readonly o: ResolvedTransportOptions;
  private state: TransportState = 'new';
  private readonly peers = new Map<string, Peer>();
  private readonly service: RaftService;
  private readonly limiter: RateLimiter;
  private server: grpc.Server | undefined;
  private stopping: Promise<void> | undefined;
  private droppedUnknownPeer = 0;
  private droppedStopped = 0;

  /** Checks the options (throws {@link TransportOptionError}); opens nothing until `start()` or `listen()`. */
  constructor(options: RaftTransportOptions) {
    this.o = resolveTransportOptions(options);
    this.limiter = new RateLimiter(this.o.unreachableReportIntervalMs);
    this.service = new RaftService({
      options: this.o,
      refusal: () => (this.state === 'running' ? undefined : this.state),
      addrOf: (id) => this.peers.get(id)?.addr,
    });
  }

  /**
   * The Raft service implementation, for a server the daemon owns:
   * `server.addService(grpcServices().shoal.api.Raft.service, transport.handlers())`. Create that server
   * with at least {@link serverOptions} so batches and chunks fit. Streams are refused until `start()`.
   */
  handlers(): RaftHandlers {
    return this.service.handlers();
  }

  /** gRPC server options the Raft service needs (message size limits, keepalive). */
  serverOptions(): grpc.ServerOptions {
    return serverOptions(this.o);
  }

  /**
   * Serves the Raft service on a server of the transport's own, bound to `addr` ('127.0.0.1:0' picks a
   * free port), using `credentials.server`. Resolves to the bound port; rejects with grpc-js's error if
   * the address cannot be bound (then `listen` may be tried again). The server closes with `stop()`.
   * `register` adds other services to the same server (one cluster port, as Swarm's 2377).
   */
  async listen(addr: string, register?: (server: grpc.Server) => void): Promise<number> {
    if (this.server || this.state === 'stopping' || this.state === 'stopped')
      throw new TransportStateError('listen', this.server ? 'listening' : this.state);
    const creds = this.o.credentials.server;
    if (!creds)
      throw new TransportOptionError('credentials.server', undefined, 'server credentials to listen');
    const server = new grpc.Server(this.serverOptions());
    server.addService(grpcServices().shoal.api.Raft.service, this.handlers());
    register?.(server);
    this.server = server;
    return new Promise((resolve, reject) =>
      server.bindAsync(addr, creds, (err, port) => {
        if (!err) return resolve(port);
        server.forceShutdown();
        if (this.server === server) this.server = undefined;
        reject(err);
      }),
    );
  }

  /** Starts accepting inbound streams and connecting to peers. Throws once stopped. */
  start(): void {
    if (this.state === 'running') return;
    if (this.state !== 'new') throw new TransportStateError('start', this.state);
    this.state = 'running';
    for (const peer of this.peers.values()) peer.start();
  }

  /**
   * Adds a peer, or moves an existing one to `addr`. Throws {@link InvalidPeerError} for an empty ID or
   * address, or this node's own ID (messages to self never leave the core).
   */
  addPeer(id: string, addr: string): void {
    if (id === '' || addr === '') throw new InvalidPeerError(id, addr, 'ID and address must be non-empty');
    if (id === this.o.selfId) throw new InvalidPeerError(id, addr, 'this is our own ID');
    const existing = this.peers.get(id);
    if (existing) return this.updatePeer(id, addr);
    if (this.state === 'stopping' || this.state === 'stopped') return;
    const peer = new Peer(id, addr, this.o, (peerId) => this.reportUnreachable(peerId));
    this.peers.set(id, peer);
    this.limiter.forget(id);
    if (this.state === 'running') peer.start();
  }

  /** Moves a peer to `addr` (adds it if unknown): its stream reconnects there, its queue is kept. */
  updatePeer(id: string, addr: string): void {
    const peer = this.peers.get(id);
    if (!peer) return this.addPeer(id, addr);
    if (addr === '') throw new InvalidPeerError(id, addr, 'address must be non-empty');
    if (addr !== peer.addr) this.limiter.forget(id);
    peer.setAddr(addr);
  }

  /** Forgets a peer now: its stream and snapshots are cancelled and its queue discarded. */
  removePeer(id: string): void {
    const peer = this.peers.get(id);
    if (!peer) return;
    this.peers.delete(id);
    peer.destroy();
  }

  /** The IDs of the known peers. */
  peerIds(): string[] {
    return [...this.peers.keys()];
  }

  /**
   * Queues each message for the peer named by its `to`. Never blocks or throws: a message for an
   * unknown peer, past a full queue, larger than `maxMessageBytes`, or sent after `stop()` is dropped
   * and counted, and its peer reported unreachable (asynchronously, at most once per interval).
   */
  send(messages: readonly RaftMessage[]): void {
    for (const msg of messages) {
      try {
        this.route(msg);
      } catch (err) {
        this.o.log.error({ err }, 'cannot queue raft message; dropped');
      }
    }
  }

  /**
   * Streams a snapshot to `msg.to`. Never throws; resolves to the outcome, which is also reported
   * through `onSnapshotStatus` (and a failure through `onUnreachable` as well).
   */
  async sendSnapshot(msg: RaftMessage, data: Uint8Array): Promise<SnapshotStatus> {
    const to = msg.to ?? '';
    const peer = this.peers.get(to);
    let status: SnapshotStatus = 'failure';
    if (peer && this.state === 'running') {
      const send = sendSnapshot(peer.client, msg, data, {
        selfId: this.o.selfId,
        peerId: to,
        chunkBytes: this.o.snapshotChunkBytes,
        stallTimeoutMs: this.o.snapshotStallTimeoutMs,
        log: this.o.log,
      });
      peer.track(send);
      status = await send.done;
    } else {
      this.o.log.warn({ peer: to, state: this.state }, 'snapshot for unknown peer or while not running');
    }
    if (status === 'failure') this.reportUnreachable(to);
    this.callback(() => this.o.onSnapshotStatus(to, status));
    return status;
  }

  stats(): TransportStats {
    const peers: Record<string, PeerStats> = {};
    for (const [id, peer] of this.peers) peers[id] = peer.stats();
    return {
      state: this.state,
      peers,
      droppedUnknownPeer: this.droppedUnknownPeer,
      droppedStopped: this.droppedStopped,
      inbound: this.service.stats(),
    };
  }

  /**
   * Drains and closes: refuses new messages and inbound streams, flushes what is queued to connected
   * peers, lets in-flight snapshots finish, then closes streams, channels and the own server. Gives up
   * after `stopTimeoutMs` and destroys what is left. Idempotent.
   */
  stop(): Promise<void> {
    this.stopping ??= this.drain();
    return this.stopping;
  }

  /**
   * Closes everything now: streams and snapshots are cancelled, queues discarded, and no callback runs
   * afterwards. Idempotent.
   */
  destroy(): void {
    this.state = 'stopped';
    this.service.abortAll(new TransportNotRunningError('stopped'));
    for (const peer of this.peers.values()) peer.destroy();
    this.server?.forceShutdown();
  }

  private async drain(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopping';
    this.service.abortAll(new TransportNotRunningError('stopping'));
    const closed = Promise.all([...this.peers.values()].map((p) => p.close()));
    const server = this.server;
    const shutdown = server
      ? new Promise<void>((resolve) => server.tryShutdown(() => resolve()))
      : Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.o.stopTimeoutMs)));
    await Promise.race([Promise.all([closed, shutdown]), deadline]);
    clearTimeout(timer);
    this.destroy();
  }

  private route(msg: RaftMessage): void {
    const to = msg.to ?? '';
    if (this.state === 'stopping' || this.state === 'stopped') {
      this.droppedStopped++;
      return;
    }
    const peer = this.peers.get(to);
    if (!peer) {
      this.droppedUnknownPeer++;
      if (to !== '') this.reportUnreachable(to);
      return;
    }
    const bytes = estimateMessageBytes(msg);
    if (bytes > this.o.maxMessageBytes) {
      this.o.log.warn(
        { peer: to, type: msg.type, bytes },
        'raft message larger than maxMessageBytes; dropped',
      );
      return peer.drop();
    }
    peer.enqueue(msg, bytes);
  }

  private reportUnreachable(peerId: string): void {
    if (this.state === 'stopped' || !this.limiter.allow(peerId)) return;
    this.callback(() => this.o.onUnreachable(peerId));
  }

  /**
   * Runs a driver callback on a later microtask, so it never re-enters the caller of send(); none runs
   * once the transport is stopped.
   */
  private callback(fn: () => void): void {
    queueMicrotask(() => {
      if (this.state === 'stopped') return;
      try {
        fn();
      } catch (err) {
        this.o.log.error({ err }, 'raft transport callback threw');
      }
    });
  }
}
