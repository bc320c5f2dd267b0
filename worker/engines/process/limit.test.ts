import { describe, expect, it } from 'vitest';
import { Gate } from './limit.ts';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('Gate', () => {
  it('runs at most `limit` calls at once, the rest in arrival order', async () => {
    const gate = new Gate(2);
    let active = 0;
    let most = 0;
    const order: number[] = [];
    const releases: (() => void)[] = [];
    const runs = [0, 1, 2, 3, 4].map((i) =>
      gate.run(async () => {
        active++;
        most = Math.max(most, active);
        order.push(i);
        await new Promise<void>((r) => releases.push(r));
        active--;
        return i;
      }),
    );
    await tick();
    expect(order).toEqual([0, 1]);
    while (releases.length > 0) {
      releases.shift()?.();
      await tick();
    }
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4]);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });

  it('frees the slot when a call fails', async () => {
    const gate = new Gate(1);
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run(() => Promise.resolve('next'))).toBe('next');
  });

  it('refuses a limit below 1', () => {
    expect(() => new Gate(0)).toThrow(RangeError);
  });
});
