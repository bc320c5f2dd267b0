/**
 * A handle on one network namespace: a netlink socket opened inside it (through the shoal_netns
 * addon) plus an fd on the namespace itself, for moving links into it.
 *
 * Every method takes interface NAMES. The handle resolves a name to an index on its own socket, so
 * the index is looked up and used in the same namespace and never leaves this file. Sending an index
 * from one namespace on a socket in another would make the kernel act on whatever unrelated interface
 * has that index there; IFLA_TARGET_NETNSID is never sent for the same reason.
 *
 * Idempotence: EEXIST on an add and ENOENT/ENODEV/EADDRNOTAVAIL on a delete count as done. Neighbour,
 * FDB and route adds use CREATE|REPLACE, so they converge instead of failing on a stale entry.
 */
import { closeSync, openSync } from 'node:fs';
import netlink from 'netlink';
import type { RtNetlinkSocket, rt, ifla as IflaTypes, StreamData } from 'netlink';
import { ipBytes, ipString, macBytes, macString, parseCidr } from './addr.ts';
import { NetlinkError, errnoOf } from './errors.ts';
import { netnsAddon } from './native.ts';

const { AttrStream, FlagsNew, ifla, createRtNetlink } = netlink;
const AF_INET = 2;
const AF_BRIDGE = 7;
const RT_TABLE_MAIN = 254;
const REQUEST_TIMEOUT_MS = 5_000;
const CREATE_EXCL = FlagsNew.CREATE | FlagsNew.EXCL;
const CREATE_REPLACE = FlagsNew.CREATE | FlagsNew.REPLACE;
const GONE = new Set(['ENOENT', 'ENODEV', 'EADDRNOTAVAIL', 'ESRCH']);

/** A link as read back; no index, on purpose. */
export interface LinkInfo {
  readonly name: string;
  /** IFLA_INFO_KIND (`bridge`, `vxlan`, `veth`), absent for loopback and physical devices. */
  readonly kind?: string;
  /** Name of the master (bridge) in the same namespace. */
  readonly master?: string;
  readonly mtu: number;
  readonly up: boolean;
  readonly mac?: string;
  readonly vxlan?: VxlanInfo;
}

export interface VxlanInfo {
  readonly vni: number;
  readonly port: number;
  readonly learning: boolean;
  readonly proxy: boolean;
}

export interface VxlanOptions {
  readonly vni: number;
  /** UDP destination (and listening) port. */
  readonly port: number;
  readonly mtu: number;
  readonly learning: boolean;
  readonly proxy: boolean;
  /**
   * Create the device directly in that namespace. Its UDP socket still lives in THIS handle's
   * namespace (the one the request is sent from), which is what the sandbox layout wants.
   */
  readonly netns?: NetNs;
}

export interface VethOptions {
  readonly peerName: string;
  /** Create the peer end directly in that namespace (no temporary name in this one). */
  readonly peerNs?: NetNs;
  readonly mtu?: number;
  readonly mac?: string;
  readonly peerMac?: string;
}

export interface AddressEntry {
  readonly ifname: string;
  /** `a.b.c.d/n` */
  readonly cidr: string;
}

export interface RouteEntry {
  /** `default` or `a.b.c.d/n` */
  readonly dst: string;
  readonly via?: string;
  readonly dev?: string;
}

export interface NeighborEntry {
  readonly ifname: string;
  readonly ip: string;
  readonly mac: string;
  readonly permanent: boolean;
}

export interface FdbEntry {
  readonly ifname: string;
  readonly mac: string;
  /** Remote VTEP. */
  readonly dst: string;
}

/** Concatenates the netlink package's attribute stream output into one Buffer. */
function toBuffer(data: StreamData): Buffer {
  const out = new AttrStream();
  out.emit(data);
  return Buffer.concat(out.bufs);
}

function linkInfoAttr(kind: string, data?: StreamData): Buffer {
  return toBuffer(ifla.formatInfo(data === undefined ? { kind } : { kind, data: toBuffer(data) }));
}

/** Handle on one network namespace. Close it when done: it pins the namespace while open. */
export class NetNs {
  private closed = false;

  private constructor(
    /** The namespace file this handle was opened from. */
    readonly path: string,
    private readonly sock: RtNetlinkSocket,
    private readonly nsFd: number,
  ) {}

  /**
   * Opens a handle on the namespace at `path` (`/run/netns/x`, `/proc/<pid>/ns/net`).
   * @throws NetlinkError (code ENOENT, EPERM, …) or NativeAddonMissingError
   */
  static open(path: string): Promise<NetNs> {
    const addon = netnsAddon();
    let nsFd: number;
    try {
      nsFd = openSync(path, 'r');
    } catch (err) {
      return Promise.reject(new NetlinkError(errnoOf(err), 'open namespace', path, path, { cause: err }));
    }
    try {
      const sock = addon.callIn(path, () => createRtNetlink());
      return Promise.resolve(new NetNs(path, sock, nsFd));
    } catch (err) {
      closeSync(nsFd);
      return Promise.reject(
        new NetlinkError(errnoOf(err), 'open netlink socket', path, path, { cause: err }),
      );
    }
  }

  /** Closes the socket and the namespace fd. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sock.socket.close();
    closeSync(this.nsFd);
  }

  // ---- plumbing -------------------------------------------------------------------------------

  private async call<T>(op: string, target: string, fn: (o: { timeout: number }) => Promise<T>): Promise<T> {
    if (this.closed) throw new NetlinkError('EBADF', op, target, this.path);
    try {
      return await fn({ timeout: REQUEST_TIMEOUT_MS });
    } catch (err) {
      throw new NetlinkError(errnoOf(err), op, target, this.path, { cause: err });
    }
  }

  private async ignoring(codes: ReadonlySet<string>, p: Promise<unknown>): Promise<void> {
    try {
      await p;
    } catch (err) {
      if (err instanceof NetlinkError && codes.has(err.code)) return;
      throw err;
    }
  }

  /** Index of `name` in THIS namespace, looked up on this handle's socket. Never export it. */
  private async index(name: string, op: string): Promise<number> {
    const msgs = await this.call(op, name, (o) => this.sock.getLink({}, { ifname: name }, o));
    const index = msgs[0]?.data.index;
    if (index === undefined) throw new NetlinkError('ENODEV', op, name, this.path);
    return index;
  }

  private newLink(op: string, name: string, attrs: IflaTypes.LinkAttrs): Promise<void> {
    return this.ignoring(
      new Set(['EEXIST']),
      this.call(op, name, (o) =>
        this.sock.newLink({}, { ifname: name, ...attrs }, { ...o, flags: CREATE_EXCL }),
      ),
    );
  }

  private async setLink(
    op: string,
    name: string,
    data: rt.Link,
    attrs: IflaTypes.LinkAttrs = {},
  ): Promise<void> {
    const index = await this.index(name, op);
    await this.call(op, name, (o) => this.sock.setLink({ ...data, index }, attrs, o));
  }

  // ---- links ----------------------------------------------------------------------------------

  /** Every link in the namespace. */
  async listLinks(): Promise<LinkInfo[]> {
    const msgs = await this.call('listLinks', '*', (o) => this.sock.getLinks({}, {}, o));
    const names = new Map(msgs.map((m) => [m.data.index, m.attrs.ifname]));
    return msgs.map((m) => toLinkInfo(m, names));
  }

  /** One link by name, or undefined. */
  async getLink(name: string): Promise<LinkInfo | undefined> {
    return (await this.listLinks()).find((l) => l.name === name);
  }

  /** Adds a bridge. */
  addBridge(name: string, opts: { mtu: number }): Promise<void> {
    return this.newLink('addBridge', name, { mtu: opts.mtu, linkinfo: linkInfoAttr('bridge') });
  }

  /** Adds a VXLAN device (no default remote: peers come as FDB entries). */
  addVxlan(name: string, opts: VxlanOptions): Promise<void> {
    const data = ifla.formatVxlan({
      id: opts.vni,
      port: netlink.putU16be(opts.port),
      learning: opts.learning ? 1 : 0,
      proxy: opts.proxy ? 1 : 0,
    });
    return this.newLink('addVxlan', name, {
      mtu: opts.mtu,
      linkinfo: linkInfoAttr('vxlan', data),
      ...(opts.netns !== undefined ? { netNsFd: opts.netns.nsFd } : {}),
    });
  }

  /** Adds a veth pair; the peer may be created directly in another namespace. */
  addVeth(name: string, opts: VethOptions): Promise<void> {
    const peerAttrs: IflaTypes.LinkAttrs = {
      ifname: opts.peerName,
      ...(opts.mtu !== undefined ? { mtu: opts.mtu } : {}),
      ...(opts.peerMac !== undefined ? { address: macBytes(opts.peerMac) } : {}),
      ...(opts.peerNs !== undefined ? { netNsFd: opts.peerNs.nsFd } : {}),
    };
    const peer = Buffer.concat([netlink.rt.formatLink({}), toBuffer(ifla.formatLinkAttrs(peerAttrs))]);
    return this.newLink('addVeth', name, {
      ...(opts.mtu !== undefined ? { mtu: opts.mtu } : {}),
      ...(opts.mac !== undefined ? { address: macBytes(opts.mac) } : {}),
      linkinfo: linkInfoAttr('veth', ifla.formatVethInfo({ peer })),
    });
  }

  /** Enslaves `name` to the bridge `master` (both in this namespace). */
  async setMaster(name: string, master: string): Promise<void> {
    const masterIndex = await this.index(master, 'setMaster');
    await this.setLink('setMaster', name, {}, { master: masterIndex });
  }

  /** Sets the link administratively up. */
  up(name: string): Promise<void> {
    return this.setLink('up', name, { flags: { up: true }, change: { up: true } });
  }

  /** Sets the link administratively down. */
  down(name: string): Promise<void> {
    return this.setLink('down', name, { flags: {}, change: { up: true } });
  }

  setMtu(name: string, mtu: number): Promise<void> {
    return this.setLink('setMtu', name, {}, { mtu });
  }

  /** Moves the link into `other` (IFLA_NET_NS_FD), renaming it there when `newName` is given. */
  moveTo(name: string, other: NetNs, opts: { newName?: string } = {}): Promise<void> {
    const attrs: IflaTypes.LinkAttrs = { netNsFd: other.nsFd };
    return this.setLink(
      'moveTo',
      name,
      {},
      opts.newName !== undefined ? { ...attrs, ifname: opts.newName } : attrs,
    );
  }

  /** Deletes the link (a veth takes its peer with it). Missing is fine. */
  async delLink(name: string): Promise<void> {
    try {
      const index = await this.index(name, 'delLink');
      await this.call('delLink', name, (o) => this.sock.delLink({ index }, {}, o));
    } catch (err) {
      if (err instanceof NetlinkError && GONE.has(err.code)) return;
      throw err;
    }
  }

  // ---- addresses and routes -------------------------------------------------------------------

  /** Adds `a.b.c.d/n` to the link. Already present is fine. */
  async addAddress(name: string, cidr: string): Promise<void> {
    const { ip, prefix } = parseCidr(cidr);
    const index = await this.index(name, 'addAddress');
    const addr = ipBytes(ip);
    await this.ignoring(
      new Set(['EEXIST']),
      this.call('addAddress', `${cidr} on ${name}`, (o) =>
        this.sock.newAddress(
          { family: AF_INET, prefixlen: prefix, index },
          { local: addr, address: addr },
          { ...o, flags: CREATE_EXCL },
        ),
      ),
    );
  }

  async delAddress(name: string, cidr: string): Promise<void> {
    const { ip, prefix } = parseCidr(cidr);
    try {
      const index = await this.index(name, 'delAddress');
      const addr = ipBytes(ip);
      await this.call('delAddress', `${cidr} on ${name}`, (o) =>
        this.sock.delAddress(
          { family: AF_INET, prefixlen: prefix, index },
          { local: addr, address: addr },
          o,
        ),
      );
    } catch (err) {
      if (err instanceof NetlinkError && GONE.has(err.code)) return;
      throw err;
    }
  }

  /** IPv4 addresses, optionally of one link. */
  async listAddresses(name?: string): Promise<AddressEntry[]> {
    const names = await this.linkNames();
    const msgs = await this.call('listAddresses', name ?? '*', (o) =>
      this.sock.getAddresses({ family: AF_INET }, {}, o),
    );
    return msgs
      .filter((m) => m.data.family === AF_INET && m.attrs.local !== undefined)
      .map((m) => ({
        ifname: names.get(m.data.index ?? -1) ?? '?',
        cidr: `${ipString(m.attrs.local ?? Buffer.alloc(4))}/${m.data.prefixlen ?? 32}`,
      }))
      .filter((a) => name === undefined || a.ifname === name);
  }

  /** Adds (or replaces) a route in the main table; `default` or a CIDR, via a gateway or on a link. */
  async addRoute(route: { dst: string; via?: string; dev?: string }): Promise<void> {
    const dst = route.dst === 'default' ? undefined : parseCidr(route.dst);
    const oif = route.dev !== undefined ? await this.index(route.dev, 'addRoute') : undefined;
    await this.call('addRoute', `${route.dst}${route.via !== undefined ? ` via ${route.via}` : ''}`, (o) =>
      this.sock.newRoute(
        {
          family: AF_INET,
          dstLen: dst?.prefix ?? 0,
          table: RT_TABLE_MAIN,
          protocol: 'BOOT',
          scope: route.via !== undefined ? 'UNIVERSE' : 'LINK',
          type: 'UNICAST',
        },
        {
          ...(dst !== undefined ? { dst: ipBytes(dst.ip) } : {}),
          ...(route.via !== undefined ? { gateway: ipBytes(route.via) } : {}),
          ...(oif !== undefined ? { oif } : {}),
        },
        { ...o, flags: CREATE_REPLACE },
      ),
    );
  }

  /** IPv4 routes of the main table. */
  async listRoutes(): Promise<RouteEntry[]> {
    const names = await this.linkNames();
    const msgs = await this.call('listRoutes', '*', (o) => this.sock.getRoutes({ family: AF_INET }, {}, o));
    return msgs
      .filter((m) => (m.attrs.table ?? m.data.table) === RT_TABLE_MAIN)
      .map((m) => ({
        dst: m.attrs.dst !== undefined ? `${ipString(m.attrs.dst)}/${m.data.dstLen ?? 32}` : 'default',
        ...(m.attrs.gateway !== undefined ? { via: ipString(m.attrs.gateway) } : {}),
        ...(m.attrs.oif !== undefined ? { dev: names.get(m.attrs.oif) ?? '?' } : {}),
      }));
  }

  // ---- neighbours and FDB ---------------------------------------------------------------------

  /** Adds or replaces a permanent ARP entry `ip → mac` on the link. */
  async addNeighbor(name: string, ip: string, mac: string): Promise<void> {
    const ifindex = await this.index(name, 'addNeighbor');
    await this.call('addNeighbor', `${ip} on ${name}`, (o) =>
      this.sock.newNeighbor(
        { family: AF_INET, ifindex, state: { permanent: true } },
        { dst: ipBytes(ip), lladdr: macBytes(mac) },
        { ...o, flags: CREATE_REPLACE },
      ),
    );
  }

  async delNeighbor(name: string, ip: string): Promise<void> {
    try {
      const ifindex = await this.index(name, 'delNeighbor');
      await this.call('delNeighbor', `${ip} on ${name}`, (o) =>
        this.sock.delNeighbor({ family: AF_INET, ifindex }, { dst: ipBytes(ip) }, o),
      );
    } catch (err) {
      if (err instanceof NetlinkError && GONE.has(err.code)) return;
      throw err;
    }
  }

  /** IPv4 neighbour entries, optionally of one link. */
  async listNeighbors(name?: string): Promise<NeighborEntry[]> {
    const names = await this.linkNames();
    const msgs = await this.call('listNeighbors', name ?? '*', (o) =>
      this.sock.getNeighbors({ family: AF_INET }, {}, o),
    );
    return msgs
      .filter((m) => m.data.family === AF_INET && m.attrs.dst !== undefined && m.attrs.lladdr !== undefined)
      .map((m) => ({
        ifname: names.get(m.data.ifindex ?? -1) ?? '?',
        ip: ipString(m.attrs.dst ?? Buffer.alloc(4)),
        mac: macString(m.attrs.lladdr ?? Buffer.alloc(6)),
        permanent: m.data.state?.permanent === true,
      }))
      .filter((n) => name === undefined || n.ifname === name);
  }

  /** Adds or replaces a permanent FDB entry on the device itself (`self`): `mac → dst` VTEP. */
  async addFdb(name: string, mac: string, dst: string): Promise<void> {
    const ifindex = await this.index(name, 'addFdb');
    await this.call('addFdb', `${mac} dst ${dst} on ${name}`, (o) =>
      this.sock.newNeighbor(
        { family: AF_BRIDGE, ifindex, state: { permanent: true }, flags: { self: true } },
        { lladdr: macBytes(mac), dst: ipBytes(dst) },
        { ...o, flags: CREATE_REPLACE },
      ),
    );
  }

  async delFdb(name: string, mac: string, dst: string): Promise<void> {
    try {
      const ifindex = await this.index(name, 'delFdb');
      await this.call('delFdb', `${mac} dst ${dst} on ${name}`, (o) =>
        this.sock.delNeighbor(
          { family: AF_BRIDGE, ifindex, flags: { self: true } },
          { lladdr: macBytes(mac), dst: ipBytes(dst) },
          o,
        ),
      );
    } catch (err) {
      if (err instanceof NetlinkError && GONE.has(err.code)) return;
      throw err;
    }
  }

  /** FDB entries the device itself holds (`self`) that point at a remote VTEP. */
  async listFdb(name?: string): Promise<FdbEntry[]> {
    const names = await this.linkNames();
    const msgs = await this.call('listFdb', name ?? '*', (o) =>
      this.sock.getNeighbors({ family: AF_BRIDGE }, {}, o),
    );
    return msgs
      .filter((m) => m.data.flags?.self === true && m.attrs.dst !== undefined && m.attrs.lladdr !== undefined)
      .map((m) => ({
        ifname: names.get(m.data.ifindex ?? -1) ?? '?',
        mac: macString(m.attrs.lladdr ?? Buffer.alloc(6)),
        dst: ipString(m.attrs.dst ?? Buffer.alloc(4)),
      }))
      .filter((f) => name === undefined || f.ifname === name);
  }

  private async linkNames(): Promise<Map<number, string>> {
    const msgs = await this.call('listLinks', '*', (o) => this.sock.getLinks({}, {}, o));
    return new Map(
      msgs.flatMap((m) =>
        m.data.index !== undefined && m.attrs.ifname !== undefined ? [[m.data.index, m.attrs.ifname]] : [],
      ),
    );
  }
}

function toLinkInfo(m: rt.LinkMessage, names: Map<number | undefined, string | undefined>): LinkInfo {
  const info = m.attrs.linkinfo !== undefined ? ifla.parseInfo(m.attrs.linkinfo) : undefined;
  const master = m.attrs.master !== undefined ? names.get(m.attrs.master) : undefined;
  let vxlan: VxlanInfo | undefined;
  if (info?.kind === 'vxlan' && info.data !== undefined) {
    const v = ifla.parseVxlan(info.data);
    vxlan = {
      vni: v.id ?? 0,
      port: v.port !== undefined ? netlink.getU16be(v.port) : 0,
      learning: v.learning === 1,
      proxy: v.proxy === 1,
    };
  }
  return {
    name: m.attrs.ifname ?? '?',
    mtu: m.attrs.mtu ?? 0,
    up: m.data.flags?.up === true,
    ...(info?.kind !== undefined ? { kind: info.kind } : {}),
    ...(master !== undefined ? { master } : {}),
    ...(m.attrs.address !== undefined ? { mac: macString(m.attrs.address) } : {}),
    ...(vxlan !== undefined ? { vxlan } : {}),
  };
}
