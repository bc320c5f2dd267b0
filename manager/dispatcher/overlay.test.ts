import { describe, expect, it } from 'vitest';
import { macOf } from './overlay.ts';

describe('macOf', () => {
  it('derives the MAC from the IPv4 address as Docker does', () => {
    expect(macOf('10.0.1.3')).toBe('02:42:0a:00:01:03');
    expect(macOf('192.168.255.1')).toBe('02:42:c0:a8:ff:01');
  });

  it('refuses what is not an IPv4 address', () => {
    expect(() => macOf('fe80::1')).toThrow(/not an IPv4 address/);
  });
});
