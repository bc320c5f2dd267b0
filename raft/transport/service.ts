/**
 * The receiving half: the Raft gRPC service. Message streams hand each batch to `onMessages` as it
 * arrives; snapshot streams are reassembled and handed to `onSnapshot`, and the sender hears back only
 * once the receiver has taken the snapshot.
 */
import * as grpc from '@grpc/grpc-js';
import type { RaftHandlers } from '../../proto/gen/shoal/api/Raft.ts';
import type { RaftMessageBatch__Output } from '../../proto/gen/shoal/api/RaftMessageBatch.ts';
import type { SnapshotChunk__Output } from '../../proto/gen/shoal/api/SnapshotChunk.ts';
import { InternalError, NotFoundError, ShoalError, toGrpcError } from '../../proto/shared/errors.ts';
import { MisaddressedError, TransportNotRunningError } from './errors.ts';
import type { ResolvedTransportOptions } from './options.ts';
import { SnapshotAssembler } from './snapshot-receiver.ts';
import { FROM_HEADER, TO_HEADER, headerOf } from './wire.ts';

/** What the service asks of the transport that owns it. */
export interface ServiceHost {
  readonly options: ResolvedTransportOptions;
  /** Undefined while accepting traffic; otherwise the state to name in the refusal. */
  refusal(): string | undefined;
  /** The address this node knows for `raftId`, for ResolveAddress. */
  addrOf(raftId: string): string | undefined;
}

/** Counters of inbound traffic. */
export interface InboundStats {
  /** Inbound calls open now (message streams and snapshots in progress). */
  readonly streams: number;
  readonly batchesReceived: number;
  readonly messagesReceived: number;
  readonly snapshotsReceived: number;
  readonly snapshotsRejected: number;
}

/** An admitted inbound call: `finish` ends it once (with `err` as its status, or OK with `reply`). */
interface Admitted<R> {
  readonly finish: (err: ShoalError | undefined, reply?: R) => void;
  /** True once finished, cancelled by the peer, or aborted: ignore further chunks. */
  readonly ended: () => boolean;
}

type InboundCall = grpc.ServerReadableStream<unknown, unknown>;

/** The Raft service implementation and the inbound calls it has open. */
export class RaftService {
  private readonly open = new Set<(err: ShoalError) => void>();
  private readonly counts = {
    batchesReceived: 0,
    messagesReceived: 0,
    snapshotsReceived: 0,
    snapshotsRejected: 0,
  };

  constructor(private readonly host: ServiceHost) {}

  /** The grpc-js implementation to pass to `server.addService`. */
  handlers(): RaftHandlers {
    return {
      StreamRaftMessages: (call, callback) => this.streamMessages(call, callback),
      StreamSnapshot: (call, callback) => this.streamSnapshot(call, callback),
      ResolveAddress: (call, callback) => {
        const addr = this.host.addrOf(call.request.raftId);
        if (addr === undefined)
          callback(
            toGrpcError(new NotFoundError(`raft member ${JSON.stringify(call.request.raftId)} not found`)),
          );
        else callback(null, { addr });
      },
    };
  }

  /** Ends every open inbound call with `err` (peers see their streams fail and reconnect later). */
  abortAll(err: ShoalError): void {
    for (const abort of [...this.open]) abort(err);
  }

  stats(): InboundStats {
    return { streams: this.open.size, ...this.counts };
  }

  private streamMessages(
    call: grpc.ServerReadableStream<RaftMessageBatch__Output, unknown>,
    callback: grpc.sendUnaryData<object>,
  ): void {
    const admitted = this.accept(call, callback);
    if (!admitted) return;
    const { finish, ended } = admitted;
    const { selfId, onMessages, log } = this.host.options;
    call.on('data', (batch: RaftMessageBatch__Output) => {
      if (ended()) return;
      const stray = batch.messages.find((m) => m.to !== selfId);
      if (stray) return finish(new MisaddressedError(stray.to, selfId));
      if (batch.messages.length === 0) return;
      this.counts.batchesReceived++;
      this.counts.messagesReceived += batch.messages.length;
      try {
        onMessages(batch.messages);
      } catch (err) {
        log.error({ err }, 'onMessages threw; closing the stream');
        finish(new InternalError('raft transport: receiver failed', { cause: err }));
      }
    });
    call.on('end', () => finish(undefined, {}));
  }

  private streamSnapshot(
    call: grpc.ServerReadableStream<SnapshotChunk__Output, unknown>,
    callback: grpc.sendUnaryData<{ receivedBytes: number }>,
  ): void {
    const admitted = this.accept(call, callback);
    if (!admitted) return;
    const { finish, ended } = admitted;
    const assembler = new SnapshotAssembler(this.host.options.selfId);
    const reject = (err: unknown): void => {
      this.counts.snapshotsRejected++;
      this.host.options.log.warn({ err, from: headerOf(call.metadata, FROM_HEADER) }, 'snapshot refused');
      finish(err instanceof ShoalError ? err : new InternalError(String(err), { cause: err }));
    };
    call.on('data', (chunk: SnapshotChunk__Output) => {
      if (ended()) return;
      try {
        assembler.push(chunk);
      } catch (err) {
        reject(err);
      }
    });
    call.on('end', () => {
      if (ended()) return;
      void (async () => {
        try {
          const { message, data } = assembler.finish();
          await this.host.options.onSnapshot(message, data);
          this.counts.snapshotsReceived++;
          finish(undefined, { receivedBytes: data.byteLength });
        } catch (err) {
          reject(err);
        }
      })();
    });
  }

  /**
   * Admits an inbound stream: refuses it when not running or when it was meant for another node;
   * otherwise sends response headers at once (the sender's sign that the stream is accepted) and
   * tracks it until it ends.
   */
  private accept<R>(call: InboundCall, callback: grpc.sendUnaryData<R>): Admitted<R> | undefined {
    const state = this.host.refusal();
    const to = headerOf(call.metadata, TO_HEADER);
    const { selfId } = this.host.options;
    const refusal =
      state !== undefined
        ? new TransportNotRunningError(state)
        : to !== undefined && to !== selfId
          ? new MisaddressedError(to, selfId)
          : undefined;
    if (refusal) {
      callback(toGrpcError(refusal));
      return undefined;
    }
    let done = false;
    const finish = (err: ShoalError | undefined, reply?: R): void => {
      if (done) return;
      done = true;
      this.open.delete(abort);
      if (err) callback(toGrpcError(err));
      else callback(null, reply);
    };
    const abort = (err: ShoalError): void => finish(err);
    this.open.add(abort);
    // A cancelled call needs no reply; forget it.
    const forget = (): void => {
      done = true;
      this.open.delete(abort);
    };
    call.on('cancelled', forget);
    call.on('error', forget);
    call.sendMetadata(new grpc.Metadata());
    return { finish, ended: () => done };
  }
}
