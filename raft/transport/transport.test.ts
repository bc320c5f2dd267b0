import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { grpcServices } from '../../proto/load.ts';
import { TestNet, blackHole, eventually, testMessage, type TestNode } from './testkit.ts';

const net = new TestNet();
afterEach(() => net.destroyAll());

const indexes = (n: TestNode): number[] => n.seen.messages.map((m) => m.index);
const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);
const describeNet = (): string => net.describe();

/** An address nothing listens on: a node's, after it is destroyed. */
async function deadAddr(): Promise<string> {
  const n = await net.node('ghost');
  n.transport.destroy();
  return n.addr;
}

async function pair(): Promise<[TestNode, TestNode]> {
  const a = await net.node('a');
  const b = await net.node('b');
  a.transport.addPeer('b', b.addr);
  b.transport.addPeer('a', a.addr);
  return [a, b];
}

describe('RaftTransport messages', () => {
  it('delivers messages in order, batched, in both directions', async () => {
    const [a, b] = await pair();
    a.transport.send(range(1, 1000).map((i) => testMessage('a', 'b', i)));
    for (const i of range(1001, 1200)) a.transport.send([testMessage('a', 'b', i)]);
    b.transport.send([testMessage('b', 'a', 7)]);

    await eventually(() => b.seen.messages.length === 1200 && a.seen.messages.length === 1, describeNet);
    expect(indexes(b)).toEqual(range(1, 1200));
    expect(b.seen.messages[0]).toMatchObject({ type: 'MsgApp', from: 'a', to: 'b', term: 1 });
    expect(b.seen.messages[0]?.entries[0]?.data).toEqual(Buffer.alloc(16, 1));
    expect(b.seen.batchSizes.length).toBeLessThan(100);
    expect(Math.max(...b.seen.batchSizes)).toBeGreaterThan(100);
    expect(indexes(a)).toEqual([7]);
    expect(a.transport.stats().peers['b']).toMatchObject({
      state: 'open',
      sent: 1200,
      dropped: 0,
      queued: 0,
    });
    expect(b.transport.stats().inbound).toMatchObject({ messagesReceived: 1200, streams: 1 });
  });

  it('splits batches at maxBatchBytes and still sends a message larger than that alone', async () => {
    const a = await net.node('a', { maxBatchBytes: 64 * 1024 });
    const b = await net.node('b');
    a.transport.addPeer('b', b.addr);
    a.transport.send([
      ...range(1, 20).map((i) => testMessage('a', 'b', i, 16 * 1024)),
      testMessage('a', 'b', 21, 200 * 1024),
    ]);
    await eventually(() => b.seen.messages.length === 21, describeNet);
    expect(indexes(b)).toEqual(range(1, 21));
    expect(Math.max(...b.seen.batchSizes)).toBeLessThanOrEqual(4);
    expect(b.seen.batchSizes.at(-1)).toBe(1);
  });

  it('drops messages past the bounded queue while the peer is down, and reports it unreachable', async () => {
    const addr = await deadAddr();
    const a = await net.node('a', { maxQueuedMessagesPerPeer: 100, unreachableReportIntervalMs: 60_000 });
    a.transport.addPeer('b', addr);
    a.transport.send(range(1, 300).map((i) => testMessage('a', 'b', i)));

    expect(a.transport.stats().peers['b']).toMatchObject({ queued: 100, dropped: 200, sent: 0 });
    await eventually(() => a.seen.unreachable.includes('b'), describeNet);
    await eventually(() => a.transport.stats().peers['b']?.state === 'backoff', describeNet);
    // Rate-limited: 200 drops and a failed stream within the interval make one report.
    expect(a.seen.unreachable).toEqual(['b']);
  });

  it('reconnects after the peer restarts on the same port', async () => {
    const [a, b] = await pair();
    a.transport.send(range(1, 10).map((i) => testMessage('a', 'b', i)));
    await eventually(() => b.seen.messages.length === 10, describeNet);

    b.transport.destroy();
    await eventually(() => a.seen.unreachable.includes('b'), describeNet);
    a.transport.send(range(11, 20).map((i) => testMessage('a', 'b', i)));

    const b2 = await net.node('b', {}, b.port);
    a.transport.send(range(21, 30).map((i) => testMessage('a', 'b', i)));
    await eventually(() => indexes(b2).includes(30), describeNet);
    // Queued while down, then sent in order on the new stream; nothing lost once it was accepted.
    expect(indexes(b2)).toEqual(range(11, 30));
  });

  it('keeps the queue when a peer moves to a new address', async () => {
    const addr = await deadAddr();
    const a = await net.node('a');
    const b = await net.node('b');
    a.transport.addPeer('b', addr);
    a.transport.send(range(1, 5).map((i) => testMessage('a', 'b', i)));
    await eventually(() => a.seen.unreachable.includes('b'), describeNet);
    a.transport.updatePeer('b', b.addr);
    await eventually(() => b.seen.messages.length === 5, describeNet);
    expect(indexes(b)).toEqual(range(1, 5));
    expect(a.transport.stats().peers['b']?.addr).toBe(b.addr);
  });

  it('stops traffic to a removed peer', async () => {
    const [a, b] = await pair();
    a.transport.send([testMessage('a', 'b', 1)]);
    await eventually(() => b.seen.messages.length === 1, describeNet);

    a.transport.removePeer('b');
    a.transport.send([testMessage('a', 'b', 2), testMessage('a', 'b', 3)]);
    // a's stream to b is gone (b's only inbound stream), so nothing more can reach b.
    await eventually(() => b.transport.stats().inbound.streams === 0, describeNet);
    expect(a.transport.stats()).toMatchObject({ droppedUnknownPeer: 2, peers: {} });
    await eventually(() => a.seen.unreachable.includes('b'), describeNet);
    expect(indexes(b)).toEqual([1]);
  });

  it('gives up on a peer that accepts TCP but never answers, within connectTimeoutMs', async () => {
    const hole = await blackHole(net);
    const a = await net.node('a', { connectTimeoutMs: 200 });
    a.transport.addPeer('b', hole);
    a.transport.send([testMessage('a', 'b', 1)]);
    await eventually(() => a.seen.unreachable.includes('b'), describeNet, 2_000);
    expect(a.transport.stats().peers['b']).toMatchObject({ sent: 0, queued: 1 });
  });

  it('drops messages for unknown peers and reports each at most once per interval', async () => {
    const a = await net.node('a');
    a.transport.send([testMessage('a', 'nobody', 1)]);
    a.transport.send([testMessage('a', 'nobody', 2)]);
    await eventually(() => a.seen.unreachable.length > 0, describeNet);
    expect(a.seen.unreachable).toEqual(['nobody']);
    expect(a.transport.stats().droppedUnknownPeer).toBe(2);
  });

  it('refuses a stream meant for another node (stale address)', async () => {
    const a = await net.node('a');
    const b = await net.node('b');
    a.transport.addPeer('c', b.addr);
    a.transport.send([testMessage('a', 'c', 1)]);
    await eventually(() => a.seen.unreachable.includes('c'), describeNet);
    expect(b.seen.messages).toEqual([]);
    expect(b.transport.stats().inbound.streams).toBe(0);
  });

  it('stop() flushes what is queued to a connected peer', async () => {
    const [a, b] = await pair();
    a.transport.send([testMessage('a', 'b', 1)]);
    await eventually(() => b.seen.messages.length === 1, describeNet);

    a.transport.send(range(2, 500).map((i) => testMessage('a', 'b', i)));
    await a.transport.stop();
    expect(indexes(b)).toEqual(range(1, 500));
    expect(a.transport.stats()).toMatchObject({ state: 'stopped', peers: { b: { state: 'closed' } } });

    a.transport.send([testMessage('a', 'b', 501)]);
    expect(a.transport.stats().droppedStopped).toBe(1);
    expect(() => a.transport.start()).toThrow(/cannot start while stopped/);
  });

  it('rejects listen() on a port in use, and may listen again elsewhere', async () => {
    const a = await net.node('a');
    const c = net.unstarted('c').transport;
    await expect(c.listen(a.addr)).rejects.toThrow();
    expect(await c.listen('127.0.0.1:0')).toBeGreaterThan(0);
    await expect(c.listen('127.0.0.1:0')).rejects.toThrow(/cannot listen while listening/);
  });

  it('answers ResolveAddress from its peer list', async () => {
    const [a, b] = await pair();
    const client = new (grpcServices().shoal.api.Raft)(a.addr, grpc.credentials.createInsecure());
    try {
      const resolve = (raftId: string): Promise<string | number> =>
        new Promise((done) =>
          client.resolveAddress({ raftId }, (err, res) => done(err ? err.code : (res?.addr ?? ''))),
        );
      expect(await resolve('b')).toBe(b.addr);
      expect(await resolve('zz')).toBe(grpc.status.NOT_FOUND);
    } finally {
      client.close();
    }
  });

  it('refuses inbound streams until started, then accepts them', async () => {
    const a = await net.node('a');
    const b = net.unstarted('b');
    const port = await b.transport.listen('127.0.0.1:0');
    a.transport.addPeer('b', `127.0.0.1:${port}`);
    a.transport.send([testMessage('a', 'b', 1)]);
    await eventually(() => a.seen.unreachable.includes('b'), describeNet);
    expect(b.seen.messages).toEqual([]);
    b.transport.start();
    await eventually(() => b.seen.messages.length === 1, describeNet);
  });
});
