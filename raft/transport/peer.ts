/**
 * One peer's outbound side: a bounded queue drained by one long-lived StreamRaftMessages call, and the
 * reconnect loop around it. Nothing here throws at the caller; failures become drops and
 * unreachable reports.
 *
 *   idle ──(messages queued)──▶ connecting ──(peer sent headers)──▶ open
 *     ▲                             │ failed / timed out                │ failed
 *     └──(backoff timer)── backoff ◀┴───────────────────────────────────┘
 *   any ──(close / destroy)──▶ closed
 */
import type * as grpc from '@grpc/grpc-js';
import type { RaftClient } from '../../proto/gen/shoal/api/Raft.ts';
import type { RaftMessage } from '../../proto/gen/shoal/api/RaftMessage.ts';
import type { RaftMessageBatch } from '../../proto/gen/shoal/api/RaftMessageBatch.ts';
import { Backoff } from './backoff.ts';
import type { ResolvedTransportOptions } from './options.ts';
import { MessageQueue } from './queue.ts';
import type { SnapshotSend } from './snapshot-sender.ts';
import { newRaftClient, streamMetadata } from './wire.ts';

/** Where a peer's message stream is in its life (see the diagram in this file). */
export type PeerState = 'idle' | 'connecting' | 'open' | 'backoff' | 'closed';

/** Counters for one peer; messages are counted, not bytes. */
export interface PeerStats {
  readonly addr: string;
  readonly state: PeerState;
  /** Waiting in the queue now. */
  readonly queued: number;
  /** Refused (queue full, too large) or discarded (peer removed, transport stopped) without being written. */
  readonly dropped: number;
  /** Written to an accepted stream (delivery is not confirmed: a stream that fails may lose them). */
  readonly sent: number;
  readonly snapshotsSent: number;
  readonly snapshotsFailed: number;
}

type BatchCall = grpc.ClientWritableStream<RaftMessageBatch>;

/** The outbound connection to one peer. Owned by RaftTransport; `report` is its rate-limited onUnreachable. */
export class Peer {
  private state: PeerState = 'idle';
  private started = false;
  private raftClient: RaftClient;
  private call: BatchCall | undefined;
  private awaitingDrain = false;
  private ending = false;
  private timer: NodeJS.Timeout | undefined;
  private flushTask: NodeJS.Immediate | undefined;
  private closed: (() => void) | undefined;
  private readonly queue: MessageQueue;
  private readonly backoff: Backoff;
  private readonly snapshots = new Set<SnapshotSend>();
  private counts = { dropped: 0, sent: 0, snapshotsSent: 0, snapshotsFailed: 0 };

  constructor(
    readonly id: string,
    private address: string,
    private readonly o: ResolvedTransportOptions,
    private readonly report: (peerId: string) => void,
  ) {
    this.queue = new MessageQueue(o.maxQueuedMessagesPerPeer);
    this.backoff = new Backoff(o.reconnectBackoffInitialMs, o.reconnectBackoffMaxMs);
    this.raftClient = newRaftClient(address, o);
  }

  get addr(): string {
    return this.address;
  }

  /** The client for this peer's current address (snapshots use it too). */
  get client(): RaftClient {
    return this.raftClient;
  }

  /** Lets the peer connect; until then messages only queue. */
  start(): void {
    this.started = true;
    this.scheduleFlush();
  }

  /** Queues `msg` (of estimated size `bytes`) or drops it when the queue is full or the peer closed. */
  enqueue(msg: RaftMessage, bytes: number): void {
    if (this.state === 'closed' || this.ending || !this.queue.push(msg, bytes)) return this.drop();
    this.scheduleFlush();
  }

  /** Counts a message the transport refused for this peer, and reports the peer unreachable. */
  drop(): void {
    this.counts.dropped++;
    this.report(this.id);
  }

  /** Points the peer at a new address: the stream and channel are replaced, queued messages kept. */
  setAddr(addr: string): void {
    if (addr === this.address || this.state === 'closed' || this.ending) return;
    this.abandonCall();
    this.raftClient.close();
    this.address = addr;
    this.raftClient = newRaftClient(addr, this.o);
    this.backoff.reset();
    this.state = 'idle';
    this.scheduleFlush();
  }

  /** Registers an in-flight snapshot so close and destroy wait for or cancel it. */
  track(send: SnapshotSend): void {
    this.snapshots.add(send);
    void send.done.then((status) => {
      this.snapshots.delete(send);
      if (status === 'finish') this.counts.snapshotsSent++;
      else this.counts.snapshotsFailed++;
    });
  }

  stats(): PeerStats {
    return { addr: this.address, state: this.state, queued: this.queue.length, ...this.counts };
  }

  /**
   * Drains: an open (or opening) stream writes what is queued, half-closes and waits for the peer's
   * reply; in-flight snapshots finish. A peer that is down drops its queue at once. Bounded by the
   * caller, who calls {@link destroy} after its deadline.
   */
  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.ending = true;
    const snapshots = Promise.all([...this.snapshots].map((s) => s.done));
    if (this.state === 'open' || this.state === 'connecting') {
      const ended = new Promise<void>((resolve) => (this.closed = resolve));
      this.flush();
      await ended;
    }
    await snapshots;
    this.destroy();
  }

  /** Stops now: cancels the stream and snapshots, discards the queue, closes the channel. */
  destroy(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearTimeout(this.timer);
    if (this.flushTask) clearImmediate(this.flushTask);
    this.abandonCall();
    for (const s of this.snapshots) s.cancel();
    this.counts.dropped += this.queue.clear();
    this.raftClient.close();
    this.closed?.();
  }

  private scheduleFlush(): void {
    if (this.flushTask || this.state === 'closed') return;
    // Deferred so that messages sent in the same turn of the event loop go out as one batch.
    this.flushTask = setImmediate(() => {
      this.flushTask = undefined;
      this.flush();
    });
  }

  private flush(): void {
    switch (this.state) {
      case 'idle':
        if (this.started && this.queue.length > 0 && !this.ending) this.connect();
        return;
      case 'open':
        return this.writeQueued();
      case 'connecting':
      case 'backoff':
      case 'closed':
        return;
    }
  }

  private connect(): void {
    let call: BatchCall;
    try {
      call = this.raftClient.streamRaftMessages(streamMetadata(this.o.selfId, this.id), (err) =>
        this.onCallEnd(call, err),
      );
    } catch (err) {
      this.o.log.warn({ peer: this.id, err }, 'cannot start raft stream');
      return this.retryLater();
    }
    this.call = call;
    this.state = 'connecting';
    // Errors arrive through the callback; this keeps a stray stream 'error' from being unhandled.
    call.on('error', () => {});
    call.on('metadata', () => this.onOpen(call));
    this.timer = setTimeout(() => call.cancel(), this.o.connectTimeoutMs);
  }

  /** The peer's service sends headers as soon as it accepts the stream: from here writes are useful. */
  private onOpen(call: BatchCall): void {
    if (call !== this.call || this.state !== 'connecting') return;
    clearTimeout(this.timer);
    this.state = 'open';
    this.backoff.reset();
    this.writeQueued();
  }

  private writeQueued(): void {
    const call = this.call;
    if (!call || this.awaitingDrain) return;
    while (this.queue.length > 0) {
      const messages = this.queue.takeBatch(this.o.maxBatchBytes);
      this.counts.sent += messages.length;
      if (!call.write({ messages })) {
        this.awaitingDrain = true;
        call.once('drain', () => {
          if (call !== this.call) return;
          this.awaitingDrain = false;
          this.writeQueued();
        });
        return;
      }
    }
    if (this.ending) call.end();
  }

  private onCallEnd(call: BatchCall, err: grpc.ServiceError | null): void {
    if (call !== this.call) return; // abandoned: replaced or cancelled on purpose
    clearTimeout(this.timer);
    this.call = undefined;
    this.awaitingDrain = false;
    if (this.ending) {
      this.closed?.();
      return;
    }
    if (err) {
      this.o.log.debug(
        { peer: this.id, addr: this.address, code: err.code, details: err.details },
        'raft stream failed',
      );
      this.report(this.id);
    }
    this.retryLater();
  }

  private retryLater(): void {
    this.state = 'backoff';
    this.timer = setTimeout(() => {
      this.state = 'idle';
      this.flush();
    }, this.backoff.next());
  }

  /** Forgets the current call before cancelling it, so its end is not taken for a failure. */
  private abandonCall(): void {
    clearTimeout(this.timer);
    const call = this.call;
    this.call = undefined;
    this.awaitingDrain = false;
    call?.cancel();
  }
}
