/**
 * IPv4 addresses and CIDR blocks as unsigned 32-bit numbers: parsing, formatting, overlap. Pure.
 */
import { InvalidArgumentError } from '../../proto/shared/errors.ts';

/** A CIDR block: `base` is the network address (host bits zero), `prefix` 0..32. */
export interface Cidr {
  readonly base: number;
  readonly prefix: number;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Parses a dotted quad; undefined when it is not one. */
export function parseIp(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!OCTET.test(p)) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

export function formatIp(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** Number of addresses in a block of this prefix length. */
export function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

/** The last address of the block (its broadcast address). */
export function lastOf(c: Cidr): number {
  return c.base + blockSize(c.prefix) - 1;
}

/**
 * Parses `a.b.c.d/p`. Refuses host bits set (Docker: "it should be 10.0.1.0/24"), naming `what` (the
 * field, e.g. `subnet`) in the message.
 */
export function parseCidr(s: string, what = 'subnet'): Cidr {
  const slash = s.indexOf('/');
  const ip = slash < 0 ? undefined : parseIp(s.slice(0, slash));
  const prefixText = slash < 0 ? '' : s.slice(slash + 1);
  const prefix = /^\d{1,2}$/.test(prefixText) ? Number(prefixText) : -1;
  if (ip === undefined || prefix < 0 || prefix > 32)
    throw new InvalidArgumentError(
      `invalid ${what} ${JSON.stringify(s)}: want an IPv4 CIDR such as 10.0.1.0/24`,
    );
  const base = prefix === 0 ? 0 : ip - (ip % blockSize(prefix));
  if (base !== ip)
    throw new InvalidArgumentError(
      `invalid ${what} ${s}: it should be ${formatCidr({ base, prefix })} (host bits are set)`,
    );
  return { base, prefix };
}

export function formatCidr(c: Cidr): string {
  return `${formatIp(c.base)}/${c.prefix}`;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.base <= lastOf(b) && b.base <= lastOf(a);
}

export function containsIp(c: Cidr, ip: number): boolean {
  return ip >= c.base && ip <= lastOf(c);
}
