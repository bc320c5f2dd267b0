/**
 * The encrypted overlay's data path, in shoald (this kernel has no ESP, WireGuard or MACsec, so the
 * kernel cannot do what Docker's IPsec does): per encrypted network a TAP device `tap0` in the network's
 * sandbox takes vxlan0's place as br0's port to the other hosts. Frames the bridge sends to it are read
 * here, sealed (codec.ts) and sent in UDP to the VTEP of the peer owning the destination MAC; datagrams
 * from other VTEPs are opened and written back into the TAP. ARP requests for known peers are answered
 * locally from the peer table (vxlan0's `proxy`); other broadcasts go nowhere, as with plain overlays
 * (no flooding). Nothing is ever sent in clear: without keys, frames are dropped (and counted).
 *
 * One UDP socket per node, bound in the host (VTEP) namespace on the data path port + 1 (the kernel's
 * VXLAN sockets hold the data path port itself); the VNI in each datagram picks the network.
 *
 * Reading a TAP blocks, so each network's TAP is read by a thread of the native addon (`readFrames`),
 * never libuv's small shared pool; deleting the device (teardown, or {@link SecureTransport.close})
 * ends it. A TAP lives only as long as its file
 * descriptor: after a restart the driver makes it again.
 */
import dgram from 'node:dgram';
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Logger } from '../../../proto/shared/log.ts';
import { netnsAddon } from '../native.ts';
import { NetNs } from '../netns.ts';
import { KeyRing, arpReply, destinationMac, isGroupAddressed, open, seal, type OverlayKey } from './codec.ts';

export const TAP = 'tap0';
/** The encrypted transport's UDP port is the data path port plus this. */
export const SECURE_PORT_OFFSET = 1;

export interface SecureTransportOptions {
  /** The namespace holding this node's VTEP address (the UDP socket binds there). */
  readonly hostNetnsPath: string;
  readonly port: number;
  readonly log?: Logger;
}

/** Where frames for a peer's MAC go, and which IP it answers ARP for. */
export interface SecurePeer {
  readonly ip: string;
  readonly mac: string;
  readonly vtep: string;
}

/** Counters, for logs and tests. */
export interface SecureStats {
  sealed: number;
  opened: number;
  arpAnswered: number;
  droppedNoKey: number;
  droppedBadPacket: number;
  droppedUnknownKey: number;
  droppedUnknownNetwork: number;
  droppedUnknownDestination: number;
}

interface Net {
  readonly networkId: string;
  readonly vni: number;
  readonly sandboxPath: string;
  /**
   * An fd on the sandbox namespace, so tap0 can be deleted (and its reader ended) even when the
   * namespace file was removed behind our back: the TAP keeps the namespace alive, unreachable by path.
   */
  readonly nsFd: number;
  readonly fd: number;
  /** Resolves when the read loop has stopped (the TAP went away or the fd was closed). */
  ended: Promise<void>;
  done: boolean;
  byMac: Map<string, string>;
  byIp: Map<string, string>;
  vteps: string[];
}

export class SecureTransport {
  private readonly ring = new KeyRing();
  private readonly nets = new Map<string, Net>();
  private readonly byVni = new Map<number, Net>();
  private sock: dgram.Socket | undefined;
  private warnedNoKey = false;
  readonly stats: SecureStats = {
    sealed: 0,
    opened: 0,
    arpAnswered: 0,
    droppedNoKey: 0,
    droppedBadPacket: 0,
    droppedUnknownKey: 0,
    droppedUnknownNetwork: 0,
    droppedUnknownDestination: 0,
  };

  constructor(private readonly o: SecureTransportOptions) {}

  get port(): number {
    return this.o.port;
  }

  /** The swarm's overlay keys (previous, current, next); the list replaces the last one. */
  setKeys(keys: readonly OverlayKey[]): void {
    this.ring.set(keys);
    if (this.ring.size > 0) this.warnedNoKey = false;
  }

  /** The networks with a data path here (live or ending). */
  networkIds(): string[] {
    return [...this.nets.keys()];
  }

  /** True when the network has a live TAP here. */
  has(networkId: string): boolean {
    const n = this.nets.get(networkId);
    return n !== undefined && !n.done;
  }

  /**
   * Makes sure the network has a live TAP `tap0` in `sandboxPath` with a reader. Resolves to true when
   * it made one (the caller then plugs it into br0).
   */
  async ensureTap(networkId: string, vni: number, sandboxPath: string): Promise<boolean> {
    const have = this.nets.get(networkId);
    if (have !== undefined && !have.done && have.vni === vni && have.sandboxPath === sandboxPath)
      return false;
    if (have !== undefined) await this.removeNetwork(networkId);
    await this.socket();
    // a TAP left from an earlier process is gone with its fd; one from this process was removed above
    const nsFd = openSync(sandboxPath, 'r');
    let fd: number;
    try {
      fd = netnsAddon().tapIn(sandboxPath, TAP);
    } catch (err) {
      closeSync(nsFd);
      throw err;
    }
    const n: Net = {
      networkId,
      vni,
      sandboxPath,
      nsFd,
      fd,
      ended: Promise.resolve(),
      done: false,
      byMac: have?.byMac ?? new Map<string, string>(),
      byIp: have?.byIp ?? new Map<string, string>(),
      vteps: have?.vteps ?? [],
    };
    n.ended = this.readLoop(n);
    this.nets.set(networkId, n);
    this.byVni.set(vni, n);
    return true;
  }

  /** The network's remote peers (IP → MAC and VTEP), replacing the last list. */
  setPeers(networkId: string, peers: readonly SecurePeer[]): void {
    const n = this.nets.get(networkId);
    if (n === undefined) return;
    n.byMac = new Map(peers.map((p) => [p.mac.toLowerCase(), p.vtep]));
    n.byIp = new Map(peers.map((p) => [p.ip, p.mac.toLowerCase()]));
    n.vteps = [...new Set(peers.map((p) => p.vtep))];
  }

  /** Stops the network's data path: deletes its TAP if still there, waits for the reader, closes the fd. */
  async removeNetwork(networkId: string): Promise<void> {
    const n = this.nets.get(networkId);
    if (n === undefined) return;
    this.nets.delete(networkId);
    if (this.byVni.get(n.vni) === n) this.byVni.delete(n.vni);
    if (!n.done) await this.deleteTap(n);
    await n.ended;
    for (const fd of [n.fd, n.nsFd]) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    }
    if (this.nets.size === 0) this.closeSocket();
  }

  /** Stops every network's data path and the socket. */
  async close(): Promise<void> {
    for (const id of [...this.nets.keys()]) await this.removeNetwork(id);
    this.closeSocket();
  }

  // ---- internals ----

  private async deleteTap(n: Net): Promise<void> {
    let ns: NetNs | undefined;
    try {
      ns = await NetNs.open(`/proc/${process.pid}/fd/${n.nsFd}`);
      await ns.delLink(TAP);
    } catch (err) {
      this.o.log?.warn({ err, networkId: n.networkId }, 'encrypted overlay: removing tap0');
    } finally {
      ns?.close();
    }
  }

  private socket(): Promise<dgram.Socket> {
    if (this.sock !== undefined) return Promise.resolve(this.sock);
    const fd = netnsAddon().socketIn(this.o.hostNetnsPath, 'udp', '0.0.0.0', this.o.port);
    const sock = dgram.createSocket('udp4');
    this.sock = sock;
    sock.on('message', (msg) => this.receive(msg));
    sock.on('error', (err) => this.o.log?.warn({ err }, 'encrypted overlay socket'));
    return new Promise((resolve) => sock.bind({ fd }, () => resolve(sock)));
  }

  private closeSocket(): void {
    const s = this.sock;
    this.sock = undefined;
    try {
      s?.close();
    } catch {
      // closed already
    }
  }

  private readLoop(n: Net): Promise<void> {
    return new Promise<void>((resolve) => {
      netnsAddon().readFrames(n.fd, (frame, errno) => {
        if (frame !== null) {
          this.transmit(n, frame);
          return;
        }
        n.done = true;
        if (this.nets.get(n.networkId) === n)
          this.o.log?.info({ networkId: n.networkId, errno }, 'encrypted overlay: tap0 closed');
        resolve();
      });
    });
  }

  /** A frame from the local bridge: answer ARP for peers, or seal it to the peer's VTEP. */
  private transmit(n: Net, frame: Buffer): void {
    if (frame.length < 14) return;
    if (isGroupAddressed(frame)) {
      const reply = arpReply(frame, (ip) => n.byIp.get(ip));
      if (reply !== undefined) {
        this.writeTap(n, reply);
        this.stats.arpAnswered++;
      }
      return;
    }
    const vtep = n.byMac.get(destinationMac(frame));
    if (vtep === undefined) {
      this.stats.droppedUnknownDestination++;
      return;
    }
    const sealed = seal(frame, n.vni, this.ring);
    if (sealed === undefined) {
      this.stats.droppedNoKey++;
      if (!this.warnedNoKey) {
        this.warnedNoKey = true;
        this.o.log?.warn({ networkId: n.networkId }, 'encrypted overlay: no keys yet, dropping traffic');
      }
      return;
    }
    this.stats.sealed++;
    this.sock?.send(sealed, this.o.port, vtep);
  }

  private receive(msg: Buffer): void {
    const r = open(msg, this.ring);
    if (!r.ok) {
      if (r.why === 'key') this.stats.droppedUnknownKey++;
      else this.stats.droppedBadPacket++;
      return;
    }
    const n = this.byVni.get(r.vni);
    if (n === undefined || n.done) {
      this.stats.droppedUnknownNetwork++;
      return;
    }
    this.stats.opened++;
    this.writeTap(n, r.frame);
  }

  private writeTap(n: Net, frame: Buffer): void {
    try {
      writeSync(n.fd, frame);
    } catch {
      // the TAP is going away
    }
  }
}
