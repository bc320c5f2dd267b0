import { describe, expect, it } from 'vitest';
import { blank, MemoryStore } from '../store/memory.ts';
import { macOf, OverlayIndex } from './overlay.ts';
import { task } from './testing.ts';

describe('macOf', () => {
  it('derives the MAC from the IPv4 address as Docker does', () => {
    expect(macOf('10.0.1.3')).toBe('02:42:0a:00:01:03');
    expect(macOf('192.168.255.1')).toBe('02:42:c0:a8:ff:01');
  });

  it('refuses what is not an IPv4 address', () => {
    expect(() => macOf('fe80::1')).toThrow(/not an IPv4 address/);
  });
});

describe('OverlayIndex', () => {
  it('counts nodes’ own attachments as endpoints, and as membership of their networks', async () => {
    const store = MemoryStore.local();
    const network = { ...blank('network'), id: 'ing', driverState: { name: 'overlay', options: {} } };
    const node = (id: string, addr: string, lb: string) => {
      const n = blank('node');
      n.id = id;
      n.status = { state: 'STATE_READY', message: '', addr };
      n.attachments = [{ network, addresses: [lb] }];
      return n;
    };
    await store.update((tx) => {
      tx.create('node', node('n1', '192.168.0.1', '10.0.0.2/24'));
      tx.create('node', node('n2', '192.168.0.2', '10.0.0.3/24'));
      tx.create('task', task({ id: 't', nodeId: 'n2', networks: [{ id: 'ing', addr: '10.0.0.9/24' }] }));
    });
    const ix = new OverlayIndex(store);
    // n1 has no task, yet it reaches n2's task and n2's own endpoint on ingress (routing mesh).
    expect(ix.peersOf('n1')).toEqual([
      { networkId: 'ing', ip: '10.0.0.3', mac: '02:42:0a:00:00:03', nodeAddr: '192.168.0.2' },
      { networkId: 'ing', ip: '10.0.0.9', mac: '02:42:0a:00:00:09', nodeAddr: '192.168.0.2' },
    ]);
    expect(ix.peersOf('n2').map((p) => p.ip)).toEqual(['10.0.0.2']);
  });
});
