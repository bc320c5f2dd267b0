/**
 * Sends one snapshot over StreamSnapshot: the first chunk carries the raft message, every chunk carries
 * its data offset and the total length, and writes follow the stream's backpressure so at most a few
 * chunks are buffered whatever the snapshot's size.
 */
import type * as grpc from '@grpc/grpc-js';
import type { RaftClient } from '../../proto/gen/shoal/api/Raft.ts';
import type { RaftMessage } from '../../proto/gen/shoal/api/RaftMessage.ts';
import type { SnapshotChunk } from '../../proto/gen/shoal/api/SnapshotChunk.ts';
import type { StreamSnapshotResponse__Output } from '../../proto/gen/shoal/api/StreamSnapshotResponse.ts';
import type { Logger } from '../../proto/shared/log.ts';
import type { SnapshotStatus } from './options.ts';
import { streamMetadata } from './wire.ts';

/** What a snapshot send needs to know. */
export interface SnapshotSendOptions {
  readonly selfId: string;
  readonly peerId: string;
  readonly chunkBytes: number;
  /** Fail when no chunk is taken, or no reply arrives, for this long. */
  readonly stallTimeoutMs: number;
  readonly log: Logger;
}

/** One snapshot on its way. `done` never rejects. */
export interface SnapshotSend {
  readonly done: Promise<SnapshotStatus>;
  /** Abandons the send; `done` resolves to 'failure'. */
  cancel(): void;
}

/** Starts streaming `data` with `msg` to the peer behind `client`. */
export function sendSnapshot(
  client: RaftClient,
  msg: RaftMessage,
  data: Uint8Array,
  o: SnapshotSendOptions,
): SnapshotSend {
  let settle: (s: SnapshotStatus) => void = () => {};
  const done = new Promise<SnapshotStatus>((resolve) => (settle = resolve));
  const total = data.byteLength;
  const bytes = Buffer.from(data.buffer, data.byteOffset, total);
  let finished = false;
  let stall: NodeJS.Timeout | undefined;

  const finish = (status: SnapshotStatus, reason?: unknown): void => {
    if (finished) return;
    finished = true;
    clearTimeout(stall);
    if (status === 'failure') o.log.warn({ peer: o.peerId, bytes: total, reason }, 'snapshot send failed');
    settle(status);
  };

  const onReply = (err: grpc.ServiceError | null, reply?: StreamSnapshotResponse__Output): void => {
    if (err) return finish('failure', `${err.code}: ${err.details}`);
    if (reply?.receivedBytes !== total)
      return finish('failure', `peer acknowledged ${reply?.receivedBytes} of ${total} bytes`);
    finish('finish');
  };

  let call: grpc.ClientWritableStream<SnapshotChunk>;
  try {
    call = client.streamSnapshot(streamMetadata(o.selfId, o.peerId), onReply);
  } catch (err) {
    finish('failure', err);
    return { done, cancel: () => {} };
  }
  call.on('error', () => {});

  const armStall = (): void => {
    clearTimeout(stall);
    stall = setTimeout(() => call.cancel(), o.stallTimeoutMs);
  };

  let offset = 0;
  let first = true;
  const pump = (): void => {
    while (!finished) {
      armStall();
      if (!first && offset >= total) {
        call.end();
        return;
      }
      const end = Math.min(total, offset + o.chunkBytes);
      const chunk: SnapshotChunk = { data: bytes.subarray(offset, end), offset, totalBytes: total };
      if (first) chunk.message = msg;
      first = false;
      offset = end;
      if (!call.write(chunk)) {
        call.once('drain', pump);
        return;
      }
    }
  };
  pump();

  return {
    done,
    cancel: () => {
      if (!finished) call.cancel();
    },
  };
}
