import { describe, expect, it } from 'vitest';
import { Backoff, RateLimiter } from './backoff.ts';
import { MessageQueue } from './queue.ts';

describe('MessageQueue', () => {
  it('refuses past capacity and batches by bytes, oldest first', () => {
    const q = new MessageQueue(3);
    expect([1, 2, 3, 4].map((i) => q.push({ index: i }, 40))).toEqual([true, true, true, false]);
    expect(q.takeBatch(80).map((m) => m.index)).toEqual([1, 2]);
    expect(q.takeBatch(10).map((m) => m.index)).toEqual([3]); // larger than the limit: goes alone
    expect(q.takeBatch(10)).toEqual([]);
    expect(q.length).toBe(0);
  });

  it('stays FIFO across compaction', () => {
    const q = new MessageQueue(10_000);
    for (let i = 0; i < 5000; i++) q.push({ index: i }, 1);
    const out: number[] = [];
    while (q.length > 0) out.push(...q.takeBatch(7).map((m) => Number(m.index)));
    expect(out).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    expect(q.clear()).toBe(0);
  });
});

describe('Backoff', () => {
  it('doubles from the initial delay up to the max, with jitter, and resets', () => {
    const b = new Backoff(100, 5000, () => 0.5); // jitter factor 1.0
    expect(Array.from({ length: 8 }, () => b.next())).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000]);
    b.reset();
    expect(b.next()).toBe(100);
    expect(new Backoff(100, 5000, () => 0).next()).toBe(80);
  });
});

describe('RateLimiter', () => {
  it('lets one event per key through per interval', () => {
    let now = 0;
    const r = new RateLimiter(1000, () => now);
    expect([r.allow('a'), r.allow('a'), r.allow('b')]).toEqual([true, false, true]);
    now = 999;
    expect(r.allow('a')).toBe(false);
    now = 1000;
    expect(r.allow('a')).toBe(true);
    r.forget('a');
    expect(r.allow('a')).toBe(true);
  });
});
