import { describe, expect, it } from 'vitest';
import { goDurationString, goTimeString, humanDuration, rfc3339NanoFixed, taskState } from './time.ts';
import { bytesSize, truncateId } from './units.ts';

describe('relative times', () => {
  it.each([
    [500, 'Less than a second'],
    [1000, '1 second'],
    [6000, '6 seconds'],
    [60_000, 'About a minute'],
    [5 * 60_000, '5 minutes'],
    [3_600_000, 'About an hour'],
    [5 * 3_600_000, '5 hours'],
    [172_800_000, '2 days'],
    [30 * 86_400_000, '4 weeks'],
    [90 * 86_400_000, '3 months'],
    [800 * 86_400_000, '2 years'],
  ])('%d ms is %s', (ms, s) => expect(humanDuration(ms)).toBe(s));

  it('prints task states as in the trace', () => {
    const now = Date.parse('2026-11-22T11:47:20Z');
    expect(taskState('running', '2026-11-22T11:47:14Z', now)).toBe('Running 6 seconds ago');
    expect(taskState('running', '2026-11-22T11:47:19.6Z', now)).toBe('Running less than a second ago');
  });

  it("prints Go's time and duration strings", () => {
    expect(goTimeString('2026-11-22T11:47:10.723482Z')).toBe('2026-11-22 11:47:10.723482 +0000 utc');
    expect(goDurationString(10e9)).toBe('10s');
    expect(goDurationString(90e9)).toBe('1m30s');
    expect(goDurationString(3600e9)).toBe('1h0m0s');
    expect(goDurationString(5e8)).toBe('500ms');
    const nano = BigInt(Date.parse('2026-11-22T11:47:10.723Z')) * 1_000_000n + 482_000n;
    expect(rfc3339NanoFixed(nano)).toBe('2026-11-22T11:47:10.723482000Z');
  });
});

describe('units', () => {
  it('prints sizes and IDs like docker', () => {
    expect(bytesSize(8000000000)).toBe('7.451GiB');
    expect(bytesSize(268435456)).toBe('256MiB');
    expect(bytesSize(1536)).toBe('1.5KiB');
    expect(truncateId('1qp5euurzqncazrqy3z3rp6sz')).toBe('1qp5euurzqnc');
  });
});
