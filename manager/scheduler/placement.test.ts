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

  it('reads node attributes too (spread: node.id, common in stack files, spreads over nodes)', () => {
    const n = makeNode({ labels: {} });
    expect(spreadValue(n, 'node.id')).toBe(n.id);
    expect(spreadValue(n, 'node.hostname')).toBe(n.description?.hostname);
    expect(spreadValue(n, 'node.role')).toMatch(/^(manager|worker)$/);
  });

  it('accepts any node attribute a constraint reads, refuses the rest naming the known ones', () => {
    expect(parseSpreadDescriptor('node.labels.zone')).toBe('node.labels.zone');
    expect(parseSpreadDescriptor('node.id')).toBe('node.id');
    expect(parseSpreadDescriptor('node.hostname')).toBe('node.hostname');
    expect(() => parseSpreadDescriptor('node.zone')).toThrow(InvalidArgumentError);
    expect(() => parseSpreadDescriptor('node.zone')).toThrow(/want one of node\.id, node\.hostname/);
    expect(() => parseSpreadDescriptor('node.labels.')).toThrow(/"node.labels."/);
  });
});
