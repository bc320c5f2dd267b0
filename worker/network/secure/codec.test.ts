import { describe, expect, it } from 'vitest';
import {
  HEADER_BYTES,
  KeyRing,
  TAG_BYTES,
  arpReply,
  destinationMac,
  isGroupAddressed,
  open,
  seal,
} from './codec.ts';

const key = (n: number, t: number): { key: Buffer; lamportTime: number } => ({
  key: Buffer.alloc(16, n),
  lamportTime: t,
});
const frame = (text: string): Buffer =>
  Buffer.concat([Buffer.from('0242ac1e000b0242ac1e000c0800', 'hex'), Buffer.from(text)]);

describe('seal and open', () => {
  it('round-trips a frame under the current key, hiding its bytes', () => {
    const ring = new KeyRing([key(1, 1), key(2, 2), key(3, 3)]);
    const f = frame('secret payload marker');
    const p = seal(f, 4097, ring);
    expect(p).toBeDefined();
    expect(p?.length).toBe(HEADER_BYTES + f.length + TAG_BYTES);
    expect(p?.includes(Buffer.from('secret payload marker'))).toBe(false);
    expect(p?.readUInt32BE(8)).toBe(2); // the middle key of three encrypts
    expect(open(p ?? Buffer.alloc(0), ring)).toEqual({ ok: true, vni: 4097, frame: f });
  });

  it('never repeats a nonce under one key', () => {
    const ring = new KeyRing([key(1, 7)]);
    const nonces = new Set<string>();
    for (let i = 0; i < 1000; i++)
      nonces.add(seal(frame('x'), 1, ring)?.subarray(12, 24).toString('hex') ?? '');
    expect(nonces.size).toBe(1000);
  });

  it('drops tampered bytes, a changed VNI, an unknown key, a wrong key, short and foreign datagrams', () => {
    const ring = new KeyRing([key(1, 1), key(2, 2), key(3, 3)]);
    const p = seal(frame('hello'), 4097, ring) ?? Buffer.alloc(0);
    const flip = (at: number, mask = 1): Buffer => {
      const c = Buffer.from(p);
      c[at] = (c[at] ?? 0) ^ mask;
      return c;
    };
    expect(open(flip(HEADER_BYTES + 3), ring)).toEqual({ ok: false, why: 'auth' }); // body
    expect(open(flip(p.length - 1), ring)).toEqual({ ok: false, why: 'auth' }); // tag
    expect(open(flip(7), ring)).toEqual({ ok: false, why: 'auth' }); // VNI: no replay into another network
    expect(open(flip(11, 8), ring)).toEqual({ ok: false, why: 'key' }); // key id 2 → 10: not in the ring
    expect(open(flip(11, 1), ring)).toEqual({ ok: false, why: 'auth' }); // key id 2 → 3: in the ring, wrong key
    expect(open(flip(0), ring)).toEqual({ ok: false, why: 'version' });
    expect(open(p.subarray(0, 40), ring)).toEqual({ ok: false, why: 'short' });
    const other = new KeyRing([key(9, 1), key(9, 2), key(9, 3)]); // same ids, other key bytes
    expect(open(p, other)).toEqual({ ok: false, why: 'auth' });
  });

  it('keeps accepting the previous key after a rotation, and stops once it is dropped', () => {
    const ring = new KeyRing([key(1, 1), key(2, 2), key(3, 3)]);
    const old = seal(frame('before'), 5, ring) ?? Buffer.alloc(0); // sealed with key 2
    ring.set([key(2, 2), key(3, 3), key(4, 4)]); // rotated: 3 is current now
    expect(seal(frame('after'), 5, ring)?.readUInt32BE(8)).toBe(3);
    expect(open(old, ring).ok).toBe(true);
    ring.set([key(3, 3), key(4, 4), key(5, 5)]);
    expect(open(old, ring)).toEqual({ ok: false, why: 'key' });
  });

  it('seals nothing without keys, and refuses keys that are not AES-128', () => {
    expect(seal(frame('x'), 1, new KeyRing())).toBeUndefined();
    expect(() => new KeyRing([{ key: Buffer.alloc(32), lamportTime: 1 }])).toThrow(/16 bytes/);
  });
});

describe('frames', () => {
  /** An ARP request from 10.0.1.3 (02:42:0a:00:01:03) for `target`. */
  const request = (target: string): Buffer =>
    Buffer.concat([
      Buffer.from('ffffffffffff02420a0001030806', 'hex'),
      Buffer.from('0001080006040001', 'hex'),
      Buffer.from('02420a000103', 'hex'),
      Buffer.from([10, 0, 1, 3]),
      Buffer.alloc(6),
      Buffer.from(target.split('.').map(Number)),
    ]);

  it('answers ARP for a known peer with its MAC, and nothing else', () => {
    const peers = new Map([['10.0.1.9', '02:42:0a:00:01:09']]);
    const reply = arpReply(request('10.0.1.9'), (ip) => peers.get(ip));
    expect(reply?.toString('hex')).toBe(
      '02420a000103' +
        '02420a000109' +
        '0806' +
        '0001080006040002' +
        '02420a000109' +
        '0a000109' +
        '02420a000103' +
        '0a000103',
    );
    expect(arpReply(request('10.0.1.77'), (ip) => peers.get(ip))).toBeUndefined();
    expect(arpReply(frame('not arp'), (ip) => peers.get(ip))).toBeUndefined();
  });

  it('reads the destination MAC and tells group frames', () => {
    expect(destinationMac(frame('x'))).toBe('02:42:ac:1e:00:0b');
    expect(isGroupAddressed(frame('x'))).toBe(false);
    expect(isGroupAddressed(request('10.0.1.9'))).toBe(true);
  });
});
