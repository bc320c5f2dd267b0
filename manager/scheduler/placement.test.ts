import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../proto/shared/errors.ts';
import { makeNode } from './fixtures.ts';
import { distribute, parseSpreadDescriptor, spreadValue } from './placement.ts';

describe('distribute (even shares counting what is already there)', () => {
  it.each([
    [6, [0, 0, 0], [2, 2, 2]],
    [7, [0, 0, 0], [3, 2, 2]],
    [6, [4, 0, 0], [0, 3, 3]],
    [3, [5, 1, 0], [0, 1, 2]],
    [10, [5, 1, 0], [0, 4, 6]],
    [0, [1, 2], [0, 0]],
    [5, [], []],
  ])('%i new over %j → %j', (n, counts, want) => {
    const got = distribute(n, counts);
    expect(got).toEqual(want);
    expect(got.reduce((a, b) => a + b, 0)).toBe(counts.length === 0 ? 0 : n);
  });
});

describe('spread descriptors', () => {
  it('reads node and engine labels, "" when missing', () => {
    const n = makeNode({ labels: { zone: 'a' }, engineLabels: { disk: 'ssd' } });
    expect(spreadValue(n, 'node.labels.zone')).toBe('a');
    expect(spreadValue(n, 'engine.labels.disk')).toBe('ssd');
    expect(spreadValue(n, 'node.labels.rack')).toBe('');
  });

  it('refuses descriptors that are not labels', () => {
    expect(parseSpreadDescriptor('node.labels.zone')).toBe('node.labels.zone');
    expect(() => parseSpreadDescriptor('node.hostname')).toThrow(InvalidArgumentError);
    expect(() => parseSpreadDescriptor('node.labels.')).toThrow(/"node.labels."/);
  });
});
