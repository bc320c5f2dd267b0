/**
 * One log subscription on the leader: the nodes it waits for, the lines they published (queued until
 * the subscriber reads them) and when it is over. Without follow it ends once every node that had a
 * selected task has published its `close` or has been skipped (down, or silent for `nodeTimeoutMs`);
 * with follow it runs until the subscriber stops reading or the broker stops.
 */
import type { LogMessage__Output } from '../../proto/gen/shoal/api/LogMessage.ts';
import type { LogSubscriptionOptions__Output } from '../../proto/gen/shoal/api/LogSubscriptionOptions.ts';
import type { SubscriptionMessage } from '../../proto/gen/shoal/api/SubscriptionMessage.ts';
import type { Selector } from './selector.ts';

/** Options with every field present. */
export type Options = LogSubscriptionOptions__Output;

/** Where one node stands in a subscription. */
export type NodeProgress = 'pending' | 'closed' | 'skipped';

export interface SubscriptionInit {
  readonly id: string;
  readonly selector: Selector;
  readonly options: Options;
  /** Without follow: how long a pending node may stay silent before it is skipped. */
  readonly nodeTimeoutMs: number;
  /** Called once when the subscription ends, with the nodes that had not closed yet. */
  readonly onEnd: (sub: Subscription, unclosed: readonly string[]) => void;
  /** Called when a node is skipped (for the log). */
  readonly onSkip?: (nodeId: string, why: string) => void;
}

/**
 * The subscriber reads it as an AsyncIterable (one reader); the broker feeds it. Breaking out of the
 * iteration ends the subscription.
 */
export class Subscription implements AsyncIterable<LogMessage__Output> {
  private readonly nodes = new Map<string, NodeProgress>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private queue: LogMessage__Output[] = [];
  private wake: (() => void) | undefined;
  private error: Error | undefined;
  private over = false;
  private opened = false;

  constructor(private readonly init: SubscriptionInit) {}

  get id(): string {
    return this.init.id;
  }

  get follow(): boolean {
    return this.init.options.follow;
  }

  get selector(): Selector {
    return this.init.selector;
  }

  get ended(): boolean {
    return this.over;
  }

  /** What the agents are told about this subscription. */
  message(close = false): SubscriptionMessage {
    return { id: this.id, selector: this.init.selector, options: this.init.options, close };
  }

  /** Where each node stands (a copy). */
  progress(): ReadonlyMap<string, NodeProgress> {
    return new Map(this.nodes);
  }

  /** Adds a node that has (or, with follow, may get) selected tasks; false if it was already known. */
  addNode(nodeId: string): boolean {
    if (this.over || this.nodes.has(nodeId)) return false;
    this.nodes.set(nodeId, 'pending');
    this.arm(nodeId);
    return true;
  }

  /** Whether `nodeId` is expected to publish for this subscription. */
  expects(nodeId: string): boolean {
    return !this.over && this.nodes.get(nodeId) === 'pending';
  }

  /** Lines from a node; they count as a sign of life (its silence timer starts again). */
  publish(nodeId: string, messages: readonly LogMessage__Output[]): void {
    if (!this.expects(nodeId)) return;
    if (messages.length > 0) {
      this.queue.push(...messages);
      this.notify();
    }
    this.arm(nodeId);
  }

  /** The node sent everything it had (not used with follow, where nodes publish until told to close). */
  closeNode(nodeId: string): void {
    if (!this.expects(nodeId)) return;
    this.settle(nodeId, 'closed');
  }

  /** Gives up on a node (down, unreachable, silent): the subscription goes on without it. */
  skipNode(nodeId: string, why: string): void {
    if (!this.expects(nodeId)) return;
    this.init.onSkip?.(nodeId, why);
    this.settle(nodeId, 'skipped');
  }

  /** Ends the subscription now: readers get what is queued, then the end (or `err`). Idempotent. */
  end(err?: Error): void {
    if (this.over) return;
    this.over = true;
    this.error = err;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    const unclosed = [...this.nodes].filter(([, p]) => p === 'pending').map(([n]) => n);
    this.notify();
    this.init.onEnd(this, unclosed);
  }

  /**
   * The initial nodes are all added: from now on, without follow, the subscription ends once no node
   * is pending (at once when no node had a selected task, or all were skipped).
   */
  open(): void {
    this.opened = true;
    this.checkDone();
  }

  private checkDone(): void {
    if (this.opened && !this.follow && ![...this.nodes.values()].includes('pending')) this.end();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<LogMessage__Output> {
    try {
      for (;;) {
        if (this.queue.length > 0) {
          const batch = this.queue;
          this.queue = [];
          yield* batch;
          continue;
        }
        if (this.over) {
          if (this.error) throw this.error;
          return;
        }
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      this.end();
    }
  }

  private settle(nodeId: string, p: NodeProgress): void {
    this.nodes.set(nodeId, p);
    clearTimeout(this.timers.get(nodeId));
    this.timers.delete(nodeId);
    this.checkDone();
  }

  private arm(nodeId: string): void {
    if (this.follow) return;
    clearTimeout(this.timers.get(nodeId));
    const ms = this.init.nodeTimeoutMs;
    this.timers.set(
      nodeId,
      setTimeout(() => this.skipNode(nodeId, `no logs or close within ${ms} ms`), ms),
    );
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}
