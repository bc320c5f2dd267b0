/**
 * Reassembles a snapshot from its chunks, checking them as they come so a broken stream is refused at
 * the first bad chunk rather than at the end.
 */
import { constants as bufferConstants } from 'node:buffer';
import type { RaftMessage__Output } from '../../proto/gen/shoal/api/RaftMessage.ts';
import type { SnapshotChunk__Output } from '../../proto/gen/shoal/api/SnapshotChunk.ts';
import { MisaddressedError, SnapshotChunkError } from './errors.ts';

/** A whole snapshot as received. */
export interface ReceivedSnapshot {
  readonly message: RaftMessage__Output;
  readonly data: Buffer;
}

/**
 * Collects one snapshot stream. Rules: the first chunk carries the message (addressed to `selfId`) and
 * total_bytes; later chunks carry no message; every chunk repeats the same total_bytes; each chunk's
 * offset is where the previous one ended; the data ends exactly at total_bytes. The buffer is allocated
 * once from total_bytes, so a snapshot costs its own size and no concatenation.
 */
export class SnapshotAssembler {
  private message: RaftMessage__Output | undefined;
  private buffer: Buffer = Buffer.alloc(0);
  private total = 0;
  private received = 0;

  constructor(private readonly selfId: string) {}

  /** Bytes taken so far. */
  get receivedBytes(): number {
    return this.received;
  }

  /** Takes the next chunk; throws {@link SnapshotChunkError} or {@link MisaddressedError} if it breaks a rule. */
  push(chunk: SnapshotChunk__Output): void {
    if (this.message === undefined) this.begin(chunk);
    else if (chunk.message !== null)
      throw new SnapshotChunkError('only the first chunk may carry the message', chunk.offset, this.received);
    if (chunk.totalBytes !== this.total)
      throw new SnapshotChunkError(`total_bytes changed to ${chunk.totalBytes}`, chunk.offset, this.total);
    if (chunk.offset !== this.received)
      throw new SnapshotChunkError(
        'offset is not where the previous chunk ended',
        chunk.offset,
        this.received,
      );
    const end = chunk.offset + chunk.data.byteLength;
    if (end > this.total)
      throw new SnapshotChunkError(`data runs to ${end}, past total_bytes`, chunk.offset, this.total);
    chunk.data.copy(this.buffer, chunk.offset);
    this.received = end;
  }

  /** The snapshot, once the stream has ended; throws {@link SnapshotChunkError} if it is incomplete. */
  finish(): ReceivedSnapshot {
    if (this.message === undefined) throw new SnapshotChunkError('stream ended before any chunk', 0, 0);
    if (this.received !== this.total)
      throw new SnapshotChunkError('stream ended before total_bytes arrived', this.received, this.total);
    return { message: this.message, data: this.buffer };
  }

  private begin(chunk: SnapshotChunk__Output): void {
    const msg = chunk.message;
    if (msg === null) throw new SnapshotChunkError('the first chunk carries no message', chunk.offset, 0);
    if (msg.to !== this.selfId) throw new MisaddressedError(msg.to, this.selfId);
    if (chunk.totalBytes > bufferConstants.MAX_LENGTH)
      throw new SnapshotChunkError(
        `total_bytes ${chunk.totalBytes} exceeds the largest buffer (${bufferConstants.MAX_LENGTH})`,
        chunk.offset,
        0,
      );
    this.message = msg;
    this.total = chunk.totalBytes;
    this.buffer = Buffer.allocUnsafeSlow(this.total);
  }
}
