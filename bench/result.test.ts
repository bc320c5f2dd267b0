import { describe, expect, it } from 'vitest';
import { benchmarks, runBenchmark } from './run.ts';
import { formatResult, parseResult, percentile } from './result.ts';

describe('benchmark convention', () => {
  it('formats and parses RESULT lines', () => {
    const line = formatResult('raft', {
      shoal_writes_per_s: 1234.56789,
      etcd_writes_per_s: 1000,
      note: 'ok',
    });
    expect(line).toBe('RESULT raft shoal_writes_per_s=1234.568 etcd_writes_per_s=1000 note=ok');
    expect(parseResult(line)).toEqual({
      name: 'raft',
      figures: { shoal_writes_per_s: '1234.568', etcd_writes_per_s: '1000', note: 'ok' },
    });
    expect(parseResult('raft 1000 writes/s')).toBeUndefined();
  });

  it('refuses figure names and values that would break the line', () => {
    expect(() => formatResult('x', { 'Writes/s': 1 })).toThrow('want snake_case');
    expect(() => formatResult('x', { note: 'two words' })).toThrow('must be one word');
  });

  it('computes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
  });

  it('finds bench/proto and rejects an unknown benchmark', async () => {
    expect(benchmarks()).toContain('proto');
    expect(await runBenchmark('no-such-bench')).toBe(2);
  });
});
