/** What every part of the control API works with, and small helpers they share. */
import type { CaStore } from '../../ca/store.ts';
import type { Logger } from '../../proto/shared/log.ts';
import type { MemoryStore } from '../store/memory.ts';
import type { ConstraintParser } from './validate.ts';

export interface Ctx {
  readonly store: MemoryStore;
  /** The swarm's CA, when this manager has it: role changes, node removal, tokens, cert expiry, unlock key. */
  readonly ca: CaStore | undefined;
  readonly log: Logger;
  /** Clock (ms since the epoch). */
  readonly now: () => number;
  readonly parseConstraints: ConstraintParser;
}

export function timestamp(ms: number): { seconds: number; nanos: number } {
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 };
}

/**
 * JSON with sorted keys, without protobufjs' virtual oneof keys (`_replicas`) and with null, undefined
 * and empty containers dropped: two specs that mean the same thing give the same text.
 */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(canon(v)) ?? '';
}

function canon(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (Array.isArray(v)) return v.length ? v.map(canon) : undefined;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      if (k.startsWith('_')) continue;
      const c = canon((v as Record<string, unknown>)[k]);
      if (c !== undefined && c !== null) out[k] = c;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v;
}

/**
 * A deep copy that keeps Buffers as Buffers (structuredClone, and so the store's clone(), turns them
 * into plain Uint8Arrays, whose toString() is a list of numbers).
 */
export function copy<T>(v: T): T {
  if (Buffer.isBuffer(v)) return Buffer.from(v) as T;
  if (Array.isArray(v)) return v.map((x: unknown) => copy(x)) as T;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = copy(x);
    return out as T;
  }
  return v;
}
