/**
 * The encrypted overlay's wire format and crypto, pure (no I/O): Ethernet frames of an encrypted
 * network travel between VTEPs sealed with AES-128-GCM under the swarm's overlay keys
 * (SessionMessage.network_keys), in UDP datagrams:
 *
 * ```
 *  0       1       2       4               8               12                      24
 *  | ver=1 | 0     | 0 0   | VNI (u32 BE)  | key id (u32)  | nonce (12 bytes)      | sealed frame … | tag (16) |
 * ```
 *
 * The first 12 bytes (version, VNI, key id) are the additional authenticated data: a datagram sealed
 * for one network cannot be replayed into another, nor its key id swapped. The key id is the key's
 * lamport time (mod 2^32). Nonces are a random 4-byte prefix, fresh for each key, and a 64-bit counter,
 * so a nonce never repeats under one key. Receivers take any key of the current list by its id (the
 * previous key stays valid until the managers drop it), and drop what fails to authenticate.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const SECURE_VERSION = 1;
export const HEADER_BYTES = 24;
export const AAD_BYTES = 12;
export const TAG_BYTES = 16;
/** Outer IPv4 20 + UDP 8 + header 24 + tag 16 + the inner Ethernet header 14. */
export const SECURE_OVERHEAD_BYTES = 20 + 8 + HEADER_BYTES + TAG_BYTES + 14;

/** One key as the managers send it. */
export interface OverlayKey {
  readonly key: Buffer;
  readonly lamportTime: number;
}

interface RingKey {
  readonly id: number;
  readonly key: Buffer;
  /** Nonce prefix (4 bytes) and counter for sealing with this key. */
  readonly prefix: Buffer;
  counter: bigint;
}

/**
 * The keys of one node: encrypts with the current one (the middle of three, previous/current/next, or
 * the only one when fewer are sent, like Swarm), decrypts with any.
 */
export class KeyRing {
  private readonly byId = new Map<number, RingKey>();
  private cur: RingKey | undefined;

  constructor(keys: readonly OverlayKey[] = []) {
    this.set(keys);
  }

  /** Replaces the keys. Keys must be 16 bytes (AES-128); others are refused. */
  set(keys: readonly OverlayKey[]): void {
    for (const k of keys)
      if (k.key.length !== 16)
        throw new TypeError(`overlay key ${k.lamportTime}: want 16 bytes, got ${k.key.length}`);
    const sorted = [...keys].sort((a, b) => a.lamportTime - b.lamportTime);
    const old = this.byId;
    const next = new Map<number, RingKey>();
    for (const k of sorted) {
      const id = k.lamportTime >>> 0;
      const prev = old.get(id);
      next.set(id, prev !== undefined && prev.key.equals(k.key) ? prev : fresh(id, k.key));
    }
    this.byId.clear();
    for (const [id, k] of next) this.byId.set(id, k);
    const pick = sorted.length >= 3 ? sorted[Math.floor(sorted.length / 2)] : sorted.at(-1);
    this.cur = pick === undefined ? undefined : this.byId.get(pick.lamportTime >>> 0);
  }

  get size(): number {
    return this.byId.size;
  }

  current(): RingKey | undefined {
    return this.cur;
  }

  get(id: number): RingKey | undefined {
    return this.byId.get(id);
  }
}

function fresh(id: number, key: Buffer): RingKey {
  return { id, key: Buffer.from(key), prefix: randomBytes(4), counter: 0n };
}

/** Seals one Ethernet frame for network `vni`; undefined when there is no key to seal with. */
export function seal(frame: Buffer, vni: number, ring: KeyRing): Buffer | undefined {
  const k = ring.current();
  if (k === undefined) return undefined;
  const out = Buffer.allocUnsafe(HEADER_BYTES + frame.length + TAG_BYTES);
  out.writeUInt8(SECURE_VERSION, 0);
  out.writeUInt8(0, 1);
  out.writeUInt16BE(0, 2);
  out.writeUInt32BE(vni >>> 0, 4);
  out.writeUInt32BE(k.id, 8);
  k.prefix.copy(out, 12);
  out.writeBigUInt64BE(k.counter, 16);
  k.counter += 1n;
  const iv = out.subarray(12, 24);
  const c = createCipheriv('aes-128-gcm', k.key, iv);
  c.setAAD(out.subarray(0, AAD_BYTES));
  const n = c.update(frame).copy(out, HEADER_BYTES);
  c.final();
  c.getAuthTag().copy(out, HEADER_BYTES + n);
  return out;
}

export type OpenResult =
  | { readonly ok: true; readonly vni: number; readonly frame: Buffer }
  | { readonly ok: false; readonly why: 'short' | 'version' | 'key' | 'auth' };

/** Opens one datagram: the network's VNI and the frame, or why it was dropped. Never throws. */
export function open(packet: Buffer, ring: KeyRing): OpenResult {
  if (packet.length < HEADER_BYTES + TAG_BYTES + 14) return { ok: false, why: 'short' };
  if (packet.readUInt8(0) !== SECURE_VERSION) return { ok: false, why: 'version' };
  const k = ring.get(packet.readUInt32BE(8));
  if (k === undefined) return { ok: false, why: 'key' };
  try {
    const d = createDecipheriv('aes-128-gcm', k.key, packet.subarray(12, 24));
    d.setAAD(packet.subarray(0, AAD_BYTES));
    d.setAuthTag(packet.subarray(packet.length - TAG_BYTES));
    const body = d.update(packet.subarray(HEADER_BYTES, packet.length - TAG_BYTES));
    d.final();
    return { ok: true, vni: packet.readUInt32BE(4), frame: body };
  } catch {
    return { ok: false, why: 'auth' };
  }
}

const macText = (b: Buffer, at: number): string =>
  [...b.subarray(at, at + 6)].map((x) => x.toString(16).padStart(2, '0')).join(':');
const macBytes = (mac: string): Buffer => Buffer.from(mac.split(':').map((h) => parseInt(h, 16)));

/** The destination MAC of an Ethernet frame (`aa:bb:…`). */
export function destinationMac(frame: Buffer): string {
  return macText(frame, 0);
}

/** True for broadcast and multicast destinations. */
export function isGroupAddressed(frame: Buffer): boolean {
  return ((frame[0] ?? 0) & 1) === 1;
}

/**
 * The answer to an ARP request for a known peer's IP (what vxlan0's `proxy` does for plain overlays):
 * a reply frame to write back into the bridge, or undefined when `frame` is no such request.
 */
export function arpReply(frame: Buffer, macOf: (ip: string) => string | undefined): Buffer | undefined {
  if (frame.length < 42 || frame.readUInt16BE(12) !== 0x0806) return undefined;
  const arp = 14;
  if (
    frame.readUInt16BE(arp) !== 1 ||
    frame.readUInt16BE(arp + 2) !== 0x0800 ||
    frame[arp + 4] !== 6 ||
    frame[arp + 5] !== 4 ||
    frame.readUInt16BE(arp + 6) !== 1
  )
    return undefined;
  const target = [...frame.subarray(arp + 24, arp + 28)].join('.');
  const mac = macOf(target);
  if (mac === undefined) return undefined;
  const peer = macBytes(mac);
  const out = Buffer.alloc(42);
  frame.copy(out, 0, 6, 12); // to the asker
  peer.copy(out, 6);
  out.writeUInt16BE(0x0806, 12);
  out.writeUInt16BE(1, arp);
  out.writeUInt16BE(0x0800, arp + 2);
  out[arp + 4] = 6;
  out[arp + 5] = 4;
  out.writeUInt16BE(2, arp + 6);
  peer.copy(out, arp + 8); // sender: the peer
  frame.copy(out, arp + 14, arp + 24, arp + 28); // its IP
  frame.copy(out, arp + 18, arp + 8, arp + 14); // target: the asker's MAC
  frame.copy(out, arp + 24, arp + 14, arp + 18); // and IP
  return out;
}
