/**
 * Address arithmetic for the overlay: IPv4 strings ↔ bytes, CIDRs, MACs derived from IPs (Docker's
 * `02:42:` + the four IP bytes) and the deterministic interface names the reconciler relies on.
 */
import { createHash } from 'node:crypto';

/** An IPv4 address with its prefix length, as given (`10.0.9.3/24`). */
export interface Cidr {
  readonly ip: string;
  readonly prefix: number;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The four bytes of a dotted IPv4 address. @throws TypeError when it is not one. */
export function ipBytes(ip: string): Buffer {
  const m = IPV4.exec(ip);
  const parts = m?.slice(1).map(Number) ?? [];
  if (parts.length !== 4 || parts.some((p) => p > 255)) throw new TypeError(`not an IPv4 address: ${ip}`);
  return Buffer.from(parts);
}

/** Dotted form of four bytes. */
export function ipString(b: Uint8Array): string {
  return Array.from(b.subarray(0, 4)).join('.');
}

/** Parses `a.b.c.d/n`. @throws TypeError on anything else. */
export function parseCidr(s: string): Cidr {
  const [ip = '', prefixText, extra] = s.split('/');
  const prefix = Number(prefixText);
  if (
    extra !== undefined ||
    prefixText === undefined ||
    !Number.isInteger(prefix) ||
    prefix < 0 ||
    prefix > 32
  )
    throw new TypeError(`not an IPv4 CIDR: ${s}`);
  ipBytes(ip);
  return { ip, prefix };
}

/** `02:42:` followed by the IP's four bytes in hex, as Docker does for overlay endpoints. */
export function macFromIp(ip: string): string {
  return macString(Buffer.concat([Buffer.from([0x02, 0x42]), ipBytes(ip)]));
}

/** Six bytes of a `aa:bb:cc:dd:ee:ff` MAC. @throws TypeError when it is not one. */
export function macBytes(mac: string): Buffer {
  const parts = mac.split(':');
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{2}$/.test(p)))
    throw new TypeError(`not a MAC address: ${mac}`);
  return Buffer.from(parts.map((p) => parseInt(p, 16)));
}

/** Lower-case colon form of six bytes. */
export function macString(b: Uint8Array): string {
  return Array.from(b.subarray(0, 6), (x) => x.toString(16).padStart(2, '0')).join(':');
}

/** Name of a task's veth end on the sandbox bridge: `vt` + 12 hex of sha256(task id), 14 chars. */
export function vethNameFor(taskId: string): string {
  return `vt${createHash('sha256').update(taskId).digest('hex').slice(0, 12)}`;
}

/** True for names {@link vethNameFor} produces. */
export function isTaskVethName(name: string): boolean {
  return /^vt[0-9a-f]{12}$/.test(name);
}
