import { describe, expect, it } from 'vitest';
import type { RaftMessage } from '../../proto/gen/shoal/api/RaftMessage.ts';
import { messageType } from '../../proto/load.ts';
import { estimateMessageBytes } from './size.ts';

/** The real encoded size of `m` inside a RaftMessageBatch. */
function encodedInBatch(m: RaftMessage): number {
  const Batch = messageType('RaftMessageBatch');
  return Batch.encode(Batch.fromObject({ messages: [m] })).finish().length;
}

describe('estimateMessageBytes', () => {
  const big = 2 ** 53 - 1;
  const cases: [string, RaftMessage][] = [
    ['an empty message', {}],
    ['a heartbeat', { type: 'MsgHeartbeat', from: 'a', to: 'b', term: 5, commit: 100 }],
    [
      'an append with maximal varints',
      {
        type: 'MsgApp',
        from: 'x'.repeat(40),
        to: 'y'.repeat(40),
        term: big,
        logTerm: big,
        index: big,
        commit: big,
        rejectHint: big,
        reject: true,
        context: Buffer.alloc(300),
        extraJson: '{"ü":"ß"}',
        entries: Array.from({ length: 50 }, (_, i) => ({
          term: big,
          index: big - i,
          type: 'TYPE_CONF_CHANGE' as const,
          data: Buffer.alloc(i * 100),
        })),
      },
    ],
    [
      'a snapshot message',
      {
        type: 'MsgSnap',
        to: 'b',
        snapshot: { index: big, term: big, confState: { voters: ['a', 'b', 'c'], learners: ['d'] } },
      },
    ],
  ];

  it.each(cases)('bounds %s from above, within a small margin', (_name, m) => {
    const real = encodedInBatch(m);
    const estimate = estimateMessageBytes(m);
    expect(estimate).toBeGreaterThanOrEqual(real);
    expect(estimate).toBeLessThan(real * 2 + 1024);
  });
});
