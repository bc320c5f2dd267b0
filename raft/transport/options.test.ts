import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { TransportOptionError } from './errors.ts';
import {
  TRANSPORT_DEFAULTS,
  channelOptions,
  resolveTransportOptions,
  type RaftTransportOptions,
} from './options.ts';

const base: RaftTransportOptions = {
  selfId: 'a',
  credentials: { client: grpc.credentials.createInsecure() },
  onMessages: () => {},
  onSnapshot: () => Promise.resolve(),
  onUnreachable: () => {},
  onSnapshotStatus: () => {},
};

describe('resolveTransportOptions', () => {
  it('applies the defaults and freezes the result', () => {
    const o = resolveTransportOptions(base);
    expect(o).toMatchObject(TRANSPORT_DEFAULTS);
    expect(Object.isFrozen(o)).toBe(true);
    expect(channelOptions(o)['grpc.max_receive_message_length']).toBe(TRANSPORT_DEFAULTS.maxMessageBytes);
  });

  it.each([
    ['selfId', { selfId: '' }],
    ['maxQueuedMessagesPerPeer', { maxQueuedMessagesPerPeer: 0 }],
    ['connectTimeoutMs', { connectTimeoutMs: 1.5 }],
    ['snapshotChunkBytes', { snapshotChunkBytes: 16 * 1024 * 1024 }],
    ['maxBatchBytes', { maxBatchBytes: 32 * 1024 * 1024 }],
    ['reconnectBackoffInitialMs', { reconnectBackoffInitialMs: 10_000 }],
  ])('rejects a bad %s, naming it', (field, patch) => {
    const err = (() => {
      try {
        resolveTransportOptions({ ...base, ...patch });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(TransportOptionError);
    expect((err as TransportOptionError).field).toBe(field);
    expect((err as TransportOptionError).code).toBe('InvalidArgument');
  });
});
