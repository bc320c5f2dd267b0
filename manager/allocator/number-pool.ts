/**
 * Integer pools: VXLAN network identifiers (VNIs, 4096 up, as Swarm) and published ports (any port
 * may be given; ports without one get the lowest free in 30000–32767, per protocol, as Swarm).
 */
import { Bitset } from './bitset.ts';
import { PoolExhaustedError, PortInUseError } from './errors.ts';

/** Swarm's VNI range (libnetwork overlay: 4096 to 2^24 − 1). */
export const VNI_MIN = 4096;
export const VNI_MAX = 2 ** 24 - 1;
/** Swarm's range for published ports chosen by the manager. */
export const DYNAMIC_PORT_MIN = 30000;
export const DYNAMIC_PORT_MAX = 32767;

/** The integers [min, max], handed out lowest first. */
export class NumberPool {
  private readonly bits: Bitset;
  /** No free number below min + hint. */
  private hint = 0;

  constructor(
    readonly min: number,
    readonly max: number,
  ) {
    this.bits = new Bitset(max - min + 1);
  }

  get inUse(): number {
    return this.bits.count;
  }

  has(n: number): boolean {
    return n >= this.min && n <= this.max && this.bits.has(n - this.min);
  }

  /** The lowest free number, or undefined when all are taken. */
  allocate(): number | undefined {
    const i = this.bits.nextClear(this.hint);
    if (i === undefined) return undefined;
    this.bits.set(i);
    this.hint = i + 1;
    return this.min + i;
  }

  /** Marks n as taken; false when outside the range or already taken. */
  reserve(n: number): boolean {
    return n >= this.min && n <= this.max && this.bits.set(n - this.min);
  }

  release(n: number): boolean {
    if (n < this.min || n > this.max || !this.bits.clear(n - this.min)) return false;
    this.hint = Math.min(this.hint, n - this.min);
    return true;
  }
}

/** VNIs for overlay networks. */
export class VniPool {
  private readonly pool = new NumberPool(VNI_MIN, VNI_MAX);

  /** The lowest free VNI; PoolExhaustedError when none is left. */
  allocate(): number {
    const n = this.pool.allocate();
    if (n === undefined)
      throw new PoolExhaustedError(
        `could not allocate a VXLAN ID: all ${VNI_MAX - VNI_MIN + 1} in use`,
        'vnis',
      );
    return n;
  }

  /** Marks a recorded VNI as taken; false when outside the range or taken. */
  reserve(vni: number): boolean {
    return this.pool.reserve(vni);
  }

  release(vni: number): void {
    this.pool.release(vni);
  }

  has(vni: number): boolean {
    return this.pool.has(vni);
  }
}

/** Who holds a published port. */
export interface PortOwner {
  readonly serviceId: string;
  readonly serviceName: string;
}

/** Protocols as Docker writes them (`tcp`, `udp`, `sctp`). */
export type Protocol = 'tcp' | 'udp' | 'sctp';

/** Published ingress ports, per protocol: which service holds each. */
export class PortPool {
  private readonly owners = new Map<string, PortOwner>();
  private readonly dynamic = new Map<Protocol, NumberPool>();

  /** The service holding the port, if any. */
  owner(protocol: Protocol, port: number): PortOwner | undefined {
    return this.owners.get(`${protocol}/${port}`);
  }

  /**
   * Holds a port the user gave. Holding it again for the same service is a no-op; another
   * service's port throws PortInUseError naming that service.
   */
  reserve(protocol: Protocol, port: number, owner: PortOwner): void {
    const key = `${protocol}/${port}`;
    const cur = this.owners.get(key);
    if (cur?.serviceId === owner.serviceId) return;
    if (cur) throw new PortInUseError(port, protocol, cur.serviceName, cur.serviceId);
    this.owners.set(key, owner);
    this.range(protocol).reserve(port);
  }

  /** The lowest free port in 30000–32767; PoolExhaustedError when none is left. */
  allocate(protocol: Protocol, owner: PortOwner): number {
    const port = this.range(protocol).allocate();
    if (port === undefined)
      throw new PoolExhaustedError(
        `could not allocate a published port for service ${owner.serviceName}: all ports ` +
          `${DYNAMIC_PORT_MIN}-${DYNAMIC_PORT_MAX}/${protocol} in use`,
        `ports/${protocol}`,
      );
    this.owners.set(`${protocol}/${port}`, owner);
    return port;
  }

  /** Frees a port if `serviceId` holds it. */
  release(protocol: Protocol, port: number, serviceId: string): void {
    const key = `${protocol}/${port}`;
    if (this.owners.get(key)?.serviceId !== serviceId) return;
    this.owners.delete(key);
    this.range(protocol).release(port);
  }

  private range(protocol: Protocol): NumberPool {
    let r = this.dynamic.get(protocol);
    if (!r) this.dynamic.set(protocol, (r = new NumberPool(DYNAMIC_PORT_MIN, DYNAMIC_PORT_MAX)));
    return r;
  }
}
