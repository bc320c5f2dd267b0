import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from './errors.ts';
import { ID_LENGTH, isId, newId, parseId, type NodeId } from './ids.ts';

describe('IDs', () => {
  it('are 25 lowercase base-36 characters', () => {
    for (let i = 0; i < 1000; i++) expect(newId<'node'>()).toMatch(/^[0-9a-z]{25}$/);
    expect(ID_LENGTH).toBe(25);
  });

  it('do not repeat', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newId<'task'>()));
    expect(ids.size).toBe(10_000);
  });

  it('use the whole base-36 alphabet in every position but the first', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) seen.add(newId<'task'>().charAt(24));
    expect(seen.size).toBe(36);
  });

  it('are checked when they come from outside', () => {
    const id: NodeId = parseId('node', 'cqfcz35eqpiez44xushu0jvrl');
    expect(id).toBe('cqfcz35eqpiez44xushu0jvrl');
    expect(isId('CQFCZ35EQPIEZ44XUSHU0JVRL')).toBe(false);
    expect(() => parseId('node', 'short')).toThrow(InvalidArgumentError);
    expect(() => parseId('service', 'short')).toThrow(
      'invalid service ID "short": want 25 lowercase base-36 characters',
    );
  });
});
