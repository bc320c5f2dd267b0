/**
 * The simulator's replicated state machine: a string key-value map. Entry data is a JSON-encoded
 * operation carrying the client operation's id, so a client can recognise its own entry when applied.
 */
export interface KvCommand {
  readonly opId: string;
  readonly key: string;
  readonly value: string;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

export function encodeCommand(c: KvCommand): Uint8Array {
  return enc.encode(JSON.stringify(c));
}

export function decodeCommand(data: Uint8Array): KvCommand {
  return JSON.parse(dec.decode(data)) as KvCommand;
}

export class KvState {
  readonly map = new Map<string, string>();

  apply(c: KvCommand): void {
    this.map.set(c.key, c.value);
  }

  get(key: string): string | undefined {
    return this.map.get(key);
  }

  encode(): Uint8Array {
    return enc.encode(JSON.stringify([...this.map].sort(([a], [b]) => (a < b ? -1 : 1))));
  }

  static decode(data: Uint8Array): KvState {
    const s = new KvState();
    if (data.byteLength === 0) return s;
    for (const [k, v] of JSON.parse(dec.decode(data)) as [string, string][]) s.map.set(k, v);
    return s;
  }

  /** A digest of the whole state, for comparing replicas. */
  hash(): string {
    let h = 0x811c9dc5;
    for (const [k, v] of [...this.map].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const s = `${k}=${v};`;
      for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
    }
    return `${this.map.size}:${h.toString(16)}`;
  }
}

/** A digest of entry data, for comparing entries across logs without keeping copies. */
export function dataHash(data: Uint8Array): string {
  let h = 0x811c9dc5;
  for (const b of data) h = Math.imul(h ^ b, 16777619) >>> 0;
  return `${data.byteLength}:${h.toString(16)}`;
}
