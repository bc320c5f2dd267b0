import { describe, expect, it } from 'vitest';
import { blank } from '../store/memory.ts';
import type { Node } from '../store/types.ts';
import { matchesConstraints, parseConstraint } from './constraints.ts';

function node(): Node {
  const n = blank('node');
  n.id = 'node0000000000000000000aa';
  n.spec = {
    name: '',
    labels: { Zone: 'East' },
    role: 'NODE_ROLE_MANAGER',
    availability: 'AVAILABILITY_ACTIVE',
  };
  n.description = {
    hostname: 'web-1',
    platform: { os: 'linux', architecture: 'x86_64' },
    resources: null,
    engine: { engineVersion: '', labels: { disk: 'ssd' }, plugins: [] },
    tlsInfo: null,
    csiInfo: [],
  };
  return n;
}

describe('constraints', () => {
  it('parses == and !=', () => {
    expect(parseConstraint('node.role == manager')).toEqual({ key: 'node.role', op: '==', value: 'manager' });
    expect(parseConstraint('node.labels.Zone!=east')).toEqual({
      key: 'node.labels.Zone',
      op: '!=',
      value: 'east',
    });
    expect(parseConstraint('node.role = manager')).toBeUndefined();
  });

  it('matches id, hostname, role, labels and platform; values case-insensitively', () => {
    const n = node();
    expect(matchesConstraints(n, ['node.id == node0000000000000000000aa'])).toBe(true);
    expect(matchesConstraints(n, ['node.hostname == WEB-1'])).toBe(true);
    expect(matchesConstraints(n, ['node.role == manager', 'node.role != worker'])).toBe(true);
    expect(matchesConstraints(n, ['node.labels.Zone == east'])).toBe(true);
    expect(matchesConstraints(n, ['node.labels.zone == east'])).toBe(false); // label names keep their case
    expect(matchesConstraints(n, ['engine.labels.disk == ssd', 'node.platform.os == linux'])).toBe(true);
    expect(matchesConstraints(n, ['node.role == worker'])).toBe(false);
  });

  it('a missing label is "", an unknown key or bad syntax never matches', () => {
    const n = node();
    expect(matchesConstraints(n, ['node.labels.rack != a'])).toBe(true);
    expect(matchesConstraints(n, ['node.labels.rack == a'])).toBe(false);
    expect(matchesConstraints(n, ['node.colour == red'])).toBe(false);
    expect(matchesConstraints(n, ['nonsense'])).toBe(false);
  });
});
