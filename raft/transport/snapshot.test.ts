import { createHash, randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import type { RaftMessage } from '../../proto/gen/shoal/api/RaftMessage.ts';
import type { SnapshotChunk } from '../../proto/gen/shoal/api/SnapshotChunk.ts';
import type { SnapshotChunk__Output } from '../../proto/gen/shoal/api/SnapshotChunk.ts';
import { grpcServices } from '../../proto/load.ts';
import { MisaddressedError, SnapshotChunkError } from './errors.ts';
import { SnapshotAssembler } from './snapshot-receiver.ts';
import { TestNet, blackHole, eventually } from './testkit.ts';
import { streamMetadata } from './wire.ts';

const MiB = 1024 * 1024;
const net = new TestNet();
afterEach(() => net.destroyAll());

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

function snapMessage(to: string): RaftMessage {
  return {
    type: 'MsgSnap',
    from: 'a',
    to,
    term: 3,
    snapshot: { index: 1234, term: 2, confState: { voters: ['a', 'b'], learners: [] } },
  };
}

describe('RaftTransport snapshots', () => {
  it('transfers a 50 MiB snapshot intact in chunks and reports finish', async () => {
    const a = await net.node('a');
    const b = await net.node('b');
    a.transport.addPeer('b', b.addr);
    const data = randomBytes(50 * MiB);

    const started = performance.now();
    const status = await a.transport.sendSnapshot(snapMessage('b'), data);
    const ms = performance.now() - started;
    console.log(`50 MiB snapshot transferred in ${ms.toFixed(0)} ms`);

    expect(status).toBe('finish');
    await eventually(
      () => a.seen.snapshotStatus.length === 1,
      () => net.describe(),
    );
    expect(a.seen.snapshotStatus).toEqual([{ peer: 'b', status: 'finish' }]);
    const got = b.seen.snapshots[0];
    expect(got?.data.byteLength).toBe(50 * MiB);
    expect(sha256(got?.data ?? Buffer.alloc(0))).toBe(sha256(data));
    expect(got?.msg).toMatchObject({
      type: 'MsgSnap',
      from: 'a',
      to: 'b',
      snapshot: { index: 1234, term: 2 },
    });
    expect(got?.msg.snapshot?.confState?.voters).toEqual(['a', 'b']);
    expect(a.transport.stats().peers['b']).toMatchObject({ snapshotsSent: 1, snapshotsFailed: 0 });
  });

  it('sends an empty snapshot as one chunk', async () => {
    const a = await net.node('a');
    const b = await net.node('b');
    a.transport.addPeer('b', b.addr);
    expect(await a.transport.sendSnapshot(snapMessage('b'), new Uint8Array(0))).toBe('finish');
    expect(b.seen.snapshots[0]?.data.byteLength).toBe(0);
  });

  it('sends a snapshot whose bytes are a view into a larger buffer', async () => {
    const a = await net.node('a', { snapshotChunkBytes: 1000 });
    const b = await net.node('b');
    a.transport.addPeer('b', b.addr);
    const backing = randomBytes(10_000);
    const view = new Uint8Array(backing.buffer, backing.byteOffset + 123, 4567);
    expect(await a.transport.sendSnapshot(snapMessage('b'), view)).toBe('finish');
    expect(sha256(b.seen.snapshots[0]?.data ?? Buffer.alloc(0))).toBe(sha256(view));
  });

  it('reports failure when the peer is dead', async () => {
    const ghost = await net.node('ghost');
    ghost.transport.destroy();
    const a = await net.node('a');
    a.transport.addPeer('b', ghost.addr);
    expect(await a.transport.sendSnapshot(snapMessage('b'), randomBytes(3 * MiB))).toBe('failure');
    await eventually(
      () => a.seen.snapshotStatus.length === 1,
      () => net.describe(),
    );
    expect(a.seen.snapshotStatus).toEqual([{ peer: 'b', status: 'failure' }]);
    expect(a.seen.unreachable).toContain('b');
    expect(a.transport.stats().peers['b']).toMatchObject({ snapshotsSent: 0, snapshotsFailed: 1 });
  });

  it('reports failure when the peer stalls past snapshotStallTimeoutMs', async () => {
    const hole = await blackHole(net);
    const a = await net.node('a', { snapshotStallTimeoutMs: 200 });
    a.transport.addPeer('b', hole);
    expect(await a.transport.sendSnapshot(snapMessage('b'), randomBytes(MiB))).toBe('failure');
  });

  it('reports failure for an unknown peer', async () => {
    const a = await net.node('a');
    expect(await a.transport.sendSnapshot(snapMessage('nobody'), Buffer.alloc(10))).toBe('failure');
    await eventually(
      () => a.seen.snapshotStatus.length === 1,
      () => net.describe(),
    );
    expect(a.seen.snapshotStatus).toEqual([{ peer: 'nobody', status: 'failure' }]);
  });

  it('reports failure when the receiver refuses the snapshot', async () => {
    const a = await net.node('a');
    const b = await net.node('b', { onSnapshot: () => Promise.reject(new Error('disk full')) });
    a.transport.addPeer('b', b.addr);
    expect(await a.transport.sendSnapshot(snapMessage('b'), randomBytes(100))).toBe('failure');
    expect(b.transport.stats().inbound.snapshotsRejected).toBe(1);
  });

  it('fails the send when the transport is destroyed mid-stream', async () => {
    const a = await net.node('a', { snapshotChunkBytes: 64 * 1024 });
    const b = await net.node('b');
    a.transport.addPeer('b', b.addr);
    const sending = a.transport.sendSnapshot(snapMessage('b'), randomBytes(20 * MiB));
    a.transport.removePeer('b');
    expect(await sending).toBe('failure');
    expect(b.seen.snapshots).toEqual([]);
  });
});

describe('snapshot receiver over the wire', () => {
  /** Streams hand-made chunks to `addr` and returns the status code the receiver ended with. */
  async function streamRaw(addr: string, chunks: SnapshotChunk[]): Promise<grpc.status> {
    const Raft = grpcServices().shoal.api.Raft;
    const client = new Raft(addr, grpc.credentials.createInsecure());
    try {
      return await new Promise((resolve) => {
        const call = client.streamSnapshot(streamMetadata('a', 'b'), (err) =>
          resolve(err ? err.code : grpc.status.OK),
        );
        call.on('error', () => {});
        for (const c of chunks) call.write(c);
        call.end();
      });
    } finally {
      client.close();
    }
  }

  it('rejects a gap in the offsets with INVALID_ARGUMENT and never delivers', async () => {
    const b = await net.node('b');
    const code = await streamRaw(b.addr, [
      { message: snapMessage('b'), data: Buffer.alloc(10), offset: 0, totalBytes: 30 },
      { data: Buffer.alloc(10), offset: 20, totalBytes: 30 },
    ]);
    expect(code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(b.seen.snapshots).toEqual([]);
    expect(b.transport.stats().inbound.snapshotsRejected).toBe(1);
  });

  it('rejects a stream that ends short of total_bytes', async () => {
    const b = await net.node('b');
    const code = await streamRaw(b.addr, [
      { message: snapMessage('b'), data: Buffer.alloc(10), offset: 0, totalBytes: 30 },
    ]);
    expect(code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(b.seen.snapshots).toEqual([]);
  });

  it('accepts well-formed hand-made chunks', async () => {
    const b = await net.node('b');
    const code = await streamRaw(b.addr, [
      { message: snapMessage('b'), data: Buffer.from('hello '), offset: 0, totalBytes: 11 },
      { data: Buffer.from('world'), offset: 6, totalBytes: 11 },
    ]);
    expect(code).toBe(grpc.status.OK);
    expect(b.seen.snapshots[0]?.data.toString()).toBe('hello world');
  });
});

describe('SnapshotAssembler', () => {
  const msg = { ...snapMessage('b'), term: 3, from: 'a' } as unknown as SnapshotChunk__Output['message'];
  const chunk = (c: Partial<SnapshotChunk__Output>): SnapshotChunk__Output => ({
    message: null,
    data: Buffer.alloc(0),
    offset: 0,
    totalBytes: 8,
    ...c,
  });

  it('reassembles contiguous chunks', () => {
    const s = new SnapshotAssembler('b');
    s.push(chunk({ message: msg, data: Buffer.from('abcd') }));
    s.push(chunk({ data: Buffer.from('efgh'), offset: 4 }));
    expect(s.finish().data.toString()).toBe('abcdefgh');
  });

  it.each([
    ['a first chunk without message', [chunk({ data: Buffer.from('ab') })]],
    ['a second message', [chunk({ message: msg }), chunk({ message: msg })]],
    ['a changed total', [chunk({ message: msg }), chunk({ totalBytes: 9 })]],
    [
      'an overlap',
      [chunk({ message: msg, data: Buffer.from('abcd') }), chunk({ data: Buffer.from('e'), offset: 2 })],
    ],
    ['data past the total', [chunk({ message: msg, data: Buffer.alloc(9) })]],
    ['an absurd total', [chunk({ message: msg, totalBytes: 2 ** 52 })]],
  ])('rejects %s', (_name, chunks) => {
    const s = new SnapshotAssembler('b');
    expect(() => chunks.forEach((c) => s.push(c))).toThrow(SnapshotChunkError);
  });

  it('rejects a snapshot for another node, and an empty or short stream', () => {
    expect(() => new SnapshotAssembler('c').push(chunk({ message: msg }))).toThrow(MisaddressedError);
    expect(() => new SnapshotAssembler('b').finish()).toThrow(SnapshotChunkError);
    const short = new SnapshotAssembler('b');
    short.push(chunk({ message: msg, data: Buffer.from('abc') }));
    expect(() => short.finish()).toThrow(/before total_bytes arrived/);
  });
});
