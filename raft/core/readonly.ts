/**
 * Linearizable reads without log writes (§8, dissertation §6.4): the leader records its commit index,
 * confirms it is still leader with a heartbeat round carrying the request's context, and answers once a
 * quorum acknowledged. Requests are answered in order: an acknowledged round also answers every
 * earlier one.
 */
import type { LogIndex, NodeId } from './types.ts';

export interface ReadRequest {
  readonly key: string;
  readonly context: Uint8Array;
  readonly index: LogIndex;
  /** Who asked: the leader itself or a follower that forwarded it. */
  readonly from: NodeId;
  readonly acks: Set<NodeId>;
}

export function contextKey(ctx: Uint8Array): string {
  let s = '';
  for (const b of ctx) s += b.toString(16).padStart(2, '0');
  return s;
}

export class ReadOnlyQueue {
  private queue: ReadRequest[] = [];

  add(context: Uint8Array, index: LogIndex, from: NodeId): void {
    const key = contextKey(context);
    if (this.queue.some((r) => r.key === key)) return;
    this.queue.push({ key, context, index, from, acks: new Set() });
  }

  /**
   * Records an acknowledgement of the round for `context`; when `isQuorum(acks)` holds, removes and
   * returns that request and every one queued before it.
   */
  ack(context: Uint8Array, from: NodeId, isQuorum: (acks: ReadonlySet<NodeId>) => boolean): ReadRequest[] {
    const key = contextKey(context);
    const at = this.queue.findIndex((r) => r.key === key);
    if (at < 0) return [];
    const req = this.queue[at] as ReadRequest;
    req.acks.add(from);
    if (!isQuorum(req.acks)) return [];
    return this.queue.splice(0, at + 1);
  }

  /** The context of the newest pending request (heartbeats carry it). */
  lastContext(): Uint8Array | null {
    return this.queue.at(-1)?.context ?? null;
  }

  reset(): void {
    this.queue = [];
  }

  get length(): number {
    return this.queue.length;
  }
}
