/**
 * The addresses of one network: one or more subnets, each with its gateway (the first address unless
 * given) and without its network and broadcast addresses. Task addresses and service virtual IPs come
 * from here. Allocation is serial — the next free address after the last one handed out, wrapping —
 * so a freed address is reused as late as possible (a stale DNS entry then points nowhere rather than
 * at someone else).
 */
import { InvalidArgumentError } from '../../proto/shared/errors.ts';
import { Bitset } from './bitset.ts';
import { PoolExhaustedError } from './errors.ts';
import { blockSize, containsIp, formatCidr, formatIp, parseIp, type Cidr } from './ipv4.ts';

/** One subnet's addresses. Bit i stands for address `base + i`. */
export class SubnetAddresses {
  private readonly bits: Bitset;
  private next = 0;
  /** Usable addresses, the gateway excluded. */
  readonly capacity: number;

  /**
   * @param gateway defaults to the first address; must lie inside the subnet and be usable.
   * Throws InvalidArgumentError for a subnet too small to hold a gateway and one address (/31, /32).
   */
  constructor(
    readonly subnet: Cidr,
    gateway?: number,
  ) {
    if (subnet.prefix > 30)
      throw new InvalidArgumentError(
        `subnet ${formatCidr(subnet)} is too small: want /30 or larger`,
        'IPAM.Config.Subnet',
      );
    const size = blockSize(subnet.prefix);
    this.bits = new Bitset(size);
    this.bits.set(0);
    this.bits.set(size - 1);
    this.gateway = gateway ?? subnet.base + 1;
    if (!this.usable(this.gateway))
      throw new InvalidArgumentError(
        `gateway ${formatIp(this.gateway)} is not a usable address of subnet ${formatCidr(subnet)}`,
        'IPAM.Config.Gateway',
      );
    this.bits.set(this.gateway - subnet.base);
    this.capacity = size - 3;
  }

  readonly gateway: number;

  /** Addresses handed out (gateway, network and broadcast not counted). */
  get inUse(): number {
    return this.bits.count - 3;
  }

  contains(ip: number): boolean {
    return containsIp(this.subnet, ip);
  }

  /** The next free address, or undefined when all are in use. */
  allocate(): number | undefined {
    const i = this.bits.nextClear(this.next);
    if (i === undefined) return undefined;
    this.bits.set(i);
    this.next = i + 1;
    return this.subnet.base + i;
  }

  /** Marks a recorded address as used; false when it is taken, reserved or outside the subnet. */
  reserve(ip: number): boolean {
    return this.usable(ip) && this.bits.set(ip - this.subnet.base);
  }

  /** Frees an address; false when it was not handed out. */
  release(ip: number): boolean {
    return this.usable(ip) && ip !== this.gateway && this.bits.clear(ip - this.subnet.base);
  }

  private usable(ip: number): boolean {
    return ip > this.subnet.base && ip < this.subnet.base + blockSize(this.subnet.prefix) - 1;
  }
}

/** An address with its subnet's prefix, as tasks and VIPs record it: `10.0.1.5/24`. */
export function formatAddr(ip: number, prefix: number): string {
  return `${formatIp(ip)}/${prefix}`;
}

/** Parses `10.0.1.5/24` (or a bare address); undefined when malformed. */
export function parseAddr(s: string): number | undefined {
  const slash = s.indexOf('/');
  return parseIp(slash < 0 ? s : s.slice(0, slash));
}

/** All the addresses of one network, over its subnets in order. */
export class NetworkAddresses {
  constructor(
    /** The network's name, for messages. */
    readonly name: string,
    readonly id: string,
    readonly subnets: readonly SubnetAddresses[],
  ) {}

  /** Usable addresses, gateways excluded. */
  get capacity(): number {
    return this.subnets.reduce((n, s) => n + s.capacity, 0);
  }

  get inUse(): number {
    return this.subnets.reduce((n, s) => n + s.inUse, 0);
  }

  /**
   * An address as `ip/prefix`. Throws PoolExhaustedError naming the network, its subnets and the count
   * (the message a task shows, instead of Swarm's silent wait — moby/moby#37338).
   */
  allocate(): string {
    for (const s of this.subnets) {
      const ip = s.allocate();
      if (ip !== undefined) return formatAddr(ip, s.subnet.prefix);
    }
    const subnets = this.subnets.map((s) => formatCidr(s.subnet)).join(', ');
    throw new PoolExhaustedError(
      `could not allocate an IP address on network ${this.name} (${subnets}): all ${this.capacity} addresses in use`,
      `network/${this.id}`,
    );
  }

  /** Marks a recorded `ip/prefix` as used; false when malformed, outside, or already taken. */
  reserve(addr: string): boolean {
    const ip = parseAddr(addr);
    if (ip === undefined) return false;
    return this.subnets.find((s) => s.contains(ip))?.reserve(ip) ?? false;
  }

  /** Frees an `ip/prefix`; false when it was not in use here. */
  release(addr: string): boolean {
    const ip = parseAddr(addr);
    if (ip === undefined) return false;
    return this.subnets.find((s) => s.contains(ip))?.release(ip) ?? false;
  }
}
