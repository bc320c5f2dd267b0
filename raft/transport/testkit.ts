/**
 * Test helpers for the transport: nodes on 127.0.0.1 with recording callbacks, torn down together,
 * and `eventually` to wait on a condition while printing the nodes' state if it never holds.
 */
import * as grpc from '@grpc/grpc-js';
import { createServer, type Server, type Socket } from 'node:net';
import type { RaftMessage } from '../../proto/gen/shoal/api/RaftMessage.ts';
import type { RaftMessage__Output } from '../../proto/gen/shoal/api/RaftMessage.ts';
import type { RaftTransportOptions, SnapshotStatus } from './options.ts';
import { RaftTransport } from './transport.ts';

/** What one test node's callbacks saw. */
export interface Recorded {
  readonly messages: RaftMessage__Output[];
  /** The size of each batch delivered to onMessages. */
  readonly batchSizes: number[];
  readonly unreachable: string[];
  readonly snapshots: { msg: RaftMessage__Output; data: Buffer }[];
  readonly snapshotStatus: { peer: string; status: SnapshotStatus }[];
}

/** A transport under test with its port and recordings. */
export interface TestNode {
  readonly id: string;
  readonly transport: RaftTransport;
  readonly port: number;
  readonly addr: string;
  readonly seen: Recorded;
}

type Overrides = Partial<Omit<RaftTransportOptions, 'selfId' | 'credentials'>>;

/** Builds nodes and closes every one of them in `destroyAll()` (call it in afterEach). */
export class TestNet {
  private readonly nodes: TestNode[] = [];
  private readonly cleanups: (() => void)[] = [];

  /** Runs `fn` in `destroyAll()`. */
  onDestroy(fn: () => void): void {
    this.cleanups.push(fn);
  }

  /** A started, listening node; `port` 0 picks a free one. */
  async node(id: string, overrides: Overrides = {}, port = 0): Promise<TestNode> {
    const { transport, seen } = this.unstarted(id, overrides);
    const bound = await transport.listen(`127.0.0.1:${port}`);
    transport.start();
    const node = { id, transport, port: bound, addr: `127.0.0.1:${bound}`, seen };
    this.nodes.push(node);
    return node;
  }

  /** A transport that is neither listening nor started, with recording callbacks; destroyed with the rest. */
  unstarted(id: string, overrides: Overrides = {}): { transport: RaftTransport; seen: Recorded } {
    const seen: Recorded = {
      messages: [],
      batchSizes: [],
      unreachable: [],
      snapshots: [],
      snapshotStatus: [],
    };
    const transport = new RaftTransport({
      selfId: id,
      credentials: {
        client: grpc.credentials.createInsecure(),
        server: grpc.ServerCredentials.createInsecure(),
      },
      onMessages: (batch) => {
        seen.messages.push(...batch);
        seen.batchSizes.push(batch.length);
      },
      onSnapshot: async (msg, data) => {
        seen.snapshots.push({ msg, data });
        await Promise.resolve();
      },
      onUnreachable: (peer) => seen.unreachable.push(peer),
      onSnapshotStatus: (peer, status) => seen.snapshotStatus.push({ peer, status }),
      ...overrides,
    });
    this.onDestroy(() => transport.destroy());
    return { transport, seen };
  }

  /** Destroys every node built so far. */
  destroyAll(): void {
    for (const n of this.nodes.splice(0)) n.transport.destroy();
    for (const fn of this.cleanups.splice(0)) fn();
  }

  /** Every node's stats, for failure messages. */
  describe(): string {
    return JSON.stringify(
      this.nodes.map((n) => ({ id: n.id, stats: n.transport.stats(), received: n.seen.messages.length })),
      null,
      1,
    );
  }
}

/**
 * A peer that accepts TCP connections and never says a word (a hung process, a half-open link).
 * Resolves to its address; closed with the net's other nodes.
 */
export async function blackHole(net: TestNet): Promise<string> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  net.onDestroy(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('black hole has no TCP address');
  return `127.0.0.1:${addr.port}`;
}

/** A MsgApp-like message from `from` to `to` carrying index `index` and `payloadBytes` of data. */
export function testMessage(from: string, to: string, index: number, payloadBytes = 16): RaftMessage {
  return {
    type: 'MsgApp',
    from,
    to,
    term: 1,
    index,
    entries: [{ term: 1, index, type: 'TYPE_NORMAL', data: Buffer.alloc(payloadBytes, index % 251) }],
  };
}

/** Polls `condition` every 10 ms until it holds; after `timeoutMs` fails with `describe()` in the message. */
export async function eventually(
  condition: () => boolean,
  describe: () => string,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms; state:\n${describe()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
