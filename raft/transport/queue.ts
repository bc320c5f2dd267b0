/** The bounded FIFO of messages waiting for one peer's stream. */
import type { RaftMessage } from '../../proto/gen/shoal/api/RaftMessage.ts';

interface Queued {
  readonly msg: RaftMessage;
  readonly bytes: number;
}

/**
 * A bounded FIFO of messages with their estimated sizes. `push` refuses (returns false) when full rather
 * than evicting: the newest message is the one dropped, so what does go out stays in send order.
 */
export class MessageQueue {
  private items: Queued[] = [];
  private head = 0;

  constructor(private readonly capacity: number) {}

  get length(): number {
    return this.items.length - this.head;
  }

  /** Appends `msg` unless the queue holds `capacity` messages already. */
  push(msg: RaftMessage, bytes: number): boolean {
    if (this.length >= this.capacity) return false;
    this.items.push({ msg, bytes });
    return true;
  }

  /**
   * Removes and returns the oldest messages whose sizes add up to at most `maxBytes`; always at least
   * one message when not empty, so a message larger than `maxBytes` still goes (alone).
   */
  takeBatch(maxBytes: number): RaftMessage[] {
    const batch: RaftMessage[] = [];
    let bytes = 0;
    while (this.head < this.items.length) {
      const next = this.items[this.head];
      if (next === undefined || (batch.length > 0 && bytes + next.bytes > maxBytes)) break;
      batch.push(next.msg);
      bytes += next.bytes;
      this.head++;
    }
    this.compact();
    return batch;
  }

  /** Empties the queue; returns how many messages were discarded. */
  clear(): number {
    const n = this.length;
    this.items = [];
    this.head = 0;
    return n;
  }

  /** Drops consumed slots once they are most of the array, keeping `takeBatch` amortised O(batch). */
  private compact(): void {
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
