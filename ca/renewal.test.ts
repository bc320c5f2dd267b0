import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffMs, renewalDelayMs, RenewalScheduler } from './renewal.ts';

const DAY = 86_400_000;
const cert = {
  notBefore: new Date(Date.UTC(2026, 0, 1)),
  notAfter: new Date(Date.UTC(2026, 0, 1) + 90 * DAY),
};

describe('renewal timing', () => {
  it('renews at a uniformly random point in [50%, 80%] of the validity period', () => {
    const at = (r: number): number => renewalDelayMs(cert, cert.notBefore, () => r) / DAY;
    expect(at(0)).toBeCloseTo(45);
    expect(at(0.999999)).toBeCloseTo(72);
    let seed = 1;
    const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const days = Array.from({ length: 2000 }, () => renewalDelayMs(cert, cert.notBefore, rnd) / DAY);
    expect(Math.min(...days)).toBeGreaterThanOrEqual(45);
    expect(Math.max(...days)).toBeLessThanOrEqual(72);
    const firstHalf = days.filter((d) => d < 58.5).length / days.length;
    expect(firstHalf).toBeGreaterThan(0.4);
    expect(firstHalf).toBeLessThan(0.6);
  });

  it('counts from the certificate start, and is immediate once the point has passed', () => {
    const later = new Date(cert.notBefore.getTime() + 40 * DAY);
    expect(renewalDelayMs(cert, later, () => 0) / DAY).toBeCloseTo(5);
    expect(renewalDelayMs(cert, new Date(cert.notBefore.getTime() + 80 * DAY), () => 0.5)).toBe(0);
  });

  it('backs off exponentially from 5 s to 1 h', () => {
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(backoffMs(30)).toBe(3_600_000);
  });
});

describe('RenewalScheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('renews at the drawn point, then reschedules from the new certificate', async () => {
    let current = cert;
    const renew = vi.fn(() => {
      current = { notBefore: new Date(Date.now()), notAfter: new Date(Date.now() + 90 * DAY) };
      return Promise.resolve();
    });
    vi.setSystemTime(cert.notBefore);
    const s = new RenewalScheduler({ current: () => current, renew, random: () => 0 });
    s.start();
    await vi.advanceTimersByTimeAsync(45 * DAY - 1000);
    expect(renew).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(2000);
    expect(renew).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(45 * DAY);
    expect(renew).toHaveBeenCalledTimes(2);
    await s.stop();
  });

  it('retries a failed renewal with backoff, and resets after a success', async () => {
    vi.setSystemTime(new Date(cert.notBefore.getTime() + 80 * DAY));
    const errors: number[] = [];
    let fail = 3;
    const renew = vi.fn(() =>
      fail-- > 0 ? Promise.reject(new Error('manager unreachable')) : Promise.resolve(),
    );
    const s = new RenewalScheduler({
      current: () => cert,
      renew,
      random: () => 0.5,
      onError: (_e, wait) => errors.push(wait),
    });
    s.start();
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(5_000 + 10_000 + 20_000);
    expect(errors).toEqual([5_000, 10_000, 20_000]);
    expect(renew).toHaveBeenCalledTimes(4);
    expect(s.failureCount).toBe(0);
    await s.stop();
  });

  it('renews at once on request (role change, root rotation)', async () => {
    vi.setSystemTime(cert.notBefore);
    const renew = vi.fn(() => Promise.resolve());
    const s = new RenewalScheduler({ current: () => cert, renew, random: () => 0.5 });
    s.start();
    s.renewNow();
    await vi.advanceTimersByTimeAsync(1);
    expect(renew).toHaveBeenCalledTimes(1);
    await s.stop();
  });
});
