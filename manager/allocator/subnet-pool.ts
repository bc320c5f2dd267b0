/**
 * Overlay subnets: carved as /subnetSize blocks out of the default address pools (Swarm:
 * `--default-addr-pool 10.0.0.0/8`, `--subnet-size 24`), lowest first, skipping every block that
 * overlaps a subnet already held — carved earlier, or given explicitly by a user in a network's
 * IPAM config (those may lie inside or outside the default pools, and may be any size).
 *
 * Invariant: no two held subnets overlap. `reserve` refuses an overlapping one with
 * SubnetOverlapError naming the holder.
 */
import { InvalidArgumentError } from '../../proto/shared/errors.ts';
import { PoolExhaustedError, SubnetOverlapError } from './errors.ts';
import { blockSize, formatCidr, lastOf, overlaps, parseCidr, type Cidr } from './ipv4.ts';

/** Swarm's defaults (`swarm init` without `--default-addr-pool` / `--subnet-size`). */
export const DEFAULT_ADDR_POOL: readonly string[] = ['10.0.0.0/8'];
export const DEFAULT_SUBNET_SIZE = 24;

/** At most 2^MAX_SLOT_BITS blocks per default pool (a /8 in /30s), to bound memory. */
const MAX_SLOT_BITS = 22;

interface Area {
  readonly cidr: Cidr;
  readonly slotSize: number;
  /** Per slot: how many held subnets overlap it (0 = free to carve). */
  readonly holders: Uint16Array;
  /** No free slot below this one. */
  hint: number;
}

export interface HeldSubnet {
  readonly cidr: Cidr;
  /** Who holds it (a network's name, for messages). */
  readonly owner: string;
}

export class SubnetPool {
  private readonly areas: Area[];
  private readonly held = new Map<string, HeldSubnet>();

  /** Throws InvalidArgumentError for a malformed pool or a subnet size that does not fit. */
  constructor(
    pools: readonly string[] = DEFAULT_ADDR_POOL,
    readonly subnetSize: number = DEFAULT_SUBNET_SIZE,
  ) {
    if (!Number.isInteger(subnetSize) || subnetSize < 1 || subnetSize > 30)
      throw new InvalidArgumentError(`invalid subnet size ${subnetSize}: want 1..30`, 'SubnetSize');
    this.areas = pools.map((p) => {
      const cidr = parseCidr(p, 'default address pool');
      const bits = subnetSize - cidr.prefix;
      if (bits < 0)
        throw new InvalidArgumentError(
          `invalid subnet size ${subnetSize}: larger than the default address pool ${p}`,
          'SubnetSize',
        );
      if (bits > MAX_SLOT_BITS)
        throw new InvalidArgumentError(
          `invalid subnet size ${subnetSize}: ${p} would hold 2^${bits} subnets (at most 2^${MAX_SLOT_BITS})`,
          'SubnetSize',
        );
      return { cidr, slotSize: blockSize(subnetSize), holders: new Uint16Array(2 ** bits), hint: 0 };
    });
  }

  /** The default pools, as given. */
  get pools(): string[] {
    return this.areas.map((a) => formatCidr(a.cidr));
  }

  /** Subnets held. */
  get size(): number {
    return this.held.size;
  }

  /** The held subnet overlapping `cidr`, if any. */
  overlapping(cidr: Cidr): HeldSubnet | undefined {
    for (const h of this.held.values()) if (overlaps(h.cidr, cidr)) return h;
    return undefined;
  }

  /**
   * Holds a given subnet (explicit in a spec, or recorded in a stored network). Holding the same
   * subnet again for the same owner is a no-op; any other overlap throws SubnetOverlapError.
   */
  reserve(cidr: Cidr, owner: string): void {
    const key = formatCidr(cidr);
    const same = this.held.get(key);
    if (same && same.owner === owner) return;
    const other = this.overlapping(cidr);
    if (other) throw new SubnetOverlapError(key, formatCidr(other.cidr), other.owner);
    this.held.set(key, { cidr, owner });
    this.count(cidr, +1);
  }

  /** Carves the lowest free /subnetSize block; PoolExhaustedError when none is left. */
  allocate(owner: string): Cidr {
    for (const a of this.areas) {
      const i = a.holders.indexOf(0, a.hint);
      if (i < 0) {
        a.hint = a.holders.length;
        continue;
      }
      a.hint = i;
      const cidr = { base: a.cidr.base + i * a.slotSize, prefix: this.subnetSize };
      this.reserve(cidr, owner);
      return cidr;
    }
    throw new PoolExhaustedError(
      `could not allocate a subnet: no free /${this.subnetSize} left in the default address pool ` +
        `(${this.pools.join(', ')}); remove unused networks or give the network an explicit subnet`,
      'subnets',
    );
  }

  /** Gives a held subnet back; unknown subnets are ignored. */
  release(cidr: Cidr): void {
    const key = formatCidr(cidr);
    const h = this.held.get(key);
    if (!h) return;
    this.held.delete(key);
    this.count(h.cidr, -1);
  }

  private count(cidr: Cidr, delta: 1 | -1): void {
    for (const a of this.areas) {
      if (!overlaps(a.cidr, cidr)) continue;
      const first = Math.floor((Math.max(cidr.base, a.cidr.base) - a.cidr.base) / a.slotSize);
      const last = Math.floor((Math.min(lastOf(cidr), lastOf(a.cidr)) - a.cidr.base) / a.slotSize);
      for (let i = first; i <= last; i++) a.holders[i] = (a.holders[i] ?? 0) + delta;
      if (delta < 0) a.hint = Math.min(a.hint, first);
    }
  }
}
