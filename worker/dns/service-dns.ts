import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import type net from 'node:net';
import dnsPacket, { type DecodedPacket, type Question } from 'dns-packet';

/** Docker's embedded DNS answers with a 600 s TTL; we match it so clients cache alike. */
export const DEFAULT_TTL_SECONDS = 600;
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 2_000;

/** One service as seen on one network (mirrors proto ServiceView). Addresses are "ip/prefix". */
export interface DnsService {
  readonly name: string;
  readonly endpointMode: 'vip' | 'dnsrr';
  readonly virtualIp?: string;
  readonly taskAddresses: readonly string[];
}

/** One network's services (mirrors proto NetworkView). */
export interface DnsNetwork {
  readonly networkId: string;
  readonly services: readonly DnsService[];
}

export interface ServiceDnsOptions {
  /** Maps a client's source IP to the network ids whose names it may resolve. */
  readonly networksForClient: (sourceIp: string) => readonly string[];
  /** Upstream resolvers as "ip" or "ip:port"; default: nameservers of /etc/resolv.conf. */
  readonly upstreams?: readonly string[];
  readonly upstreamTimeoutMs?: number;
  readonly ttlSeconds?: number;
}

interface Upstream {
  readonly host: string;
  readonly port: number;
}

interface Entry {
  /** IPs answered for the bare service name. */
  readonly serviceIps: readonly string[];
  readonly rotate: boolean;
  /** IPs answered for tasks.<service>. */
  readonly taskIps: readonly string[];
}

/** Per network: lower-cased query name → answer. */
type Table = ReadonlyMap<string, ReadonlyMap<string, Entry>>;

/** RFC 1035 response codes; dns-packet takes the code as the low four bits of `flags`. */
const RCODE_NOERROR = 0;
const RCODE_FORMERR = 1;
const RCODE_SERVFAIL = 2;

/** A standard query with exactly one question: the only kind the resolver answers itself. */
interface Query {
  readonly id: number;
  /** The client's RD bit, echoed in the reply as RFC 1035 asks. */
  readonly recursionDesired: boolean;
  /** The question as sent (the name's case kept), echoed in the reply. */
  readonly question: Question;
  /** The question's name, lower-cased, for lookups. */
  readonly name: string;
}

/**
 * Embedded resolver for service discovery on overlay networks. `setRecords` swaps the whole view at
 * once, so a query never sees half an update. Names unknown to every network the client may see are
 * relayed verbatim to the upstream resolvers; if none answers in time the client gets SERVFAIL.
 * Never throws on hostile packets.
 */
export class ServiceDns {
  #table: Table = new Map();
  readonly #opts: Required<Omit<ServiceDnsOptions, 'upstreams'>>;
  readonly #upstreams: readonly Upstream[];
  #rotation = 0;
  readonly #closers: Array<() => void> = [];

  constructor(opts: ServiceDnsOptions) {
    this.#opts = {
      networksForClient: opts.networksForClient,
      upstreamTimeoutMs: opts.upstreamTimeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS,
      ttlSeconds: opts.ttlSeconds ?? DEFAULT_TTL_SECONDS,
    };
    this.#upstreams = (opts.upstreams ?? readResolvConf()).map(parseUpstream);
  }

  /** Replaces every network's records atomically. */
  setRecords(networks: readonly DnsNetwork[]): void {
    const table = new Map<string, Map<string, Entry>>();
    for (const net of networks) {
      const names = new Map<string, Entry>();
      for (const svc of net.services) {
        const taskIps = svc.taskAddresses.map(stripPrefix);
        const vip =
          svc.virtualIp === undefined || svc.virtualIp === '' ? undefined : stripPrefix(svc.virtualIp);
        const vipMode = svc.endpointMode === 'vip' && vip !== undefined;
        const name = svc.name.toLowerCase();
        names.set(name, { serviceIps: vipMode ? [vip] : taskIps, rotate: !vipMode, taskIps });
        names.set(`tasks.${name}`, { serviceIps: taskIps, rotate: false, taskIps });
      }
      table.set(net.networkId, names);
    }
    this.#table = table;
  }

  /** Answers queries arriving on `server` (a bound UDP socket or a listening/listenable TCP server). */
  serve(server: dgram.Socket | net.Server): void {
    if (server instanceof dgram.Socket) {
      const onMessage = (msg: Buffer, rinfo: dgram.RemoteInfo): void => {
        void this.resolve(msg, rinfo.address).then((reply) => {
          if (reply === undefined) return;
          try {
            server.send(reply, rinfo.port, rinfo.address, () => undefined);
          } catch {
            // the caller closed the socket while the answer was in flight
          }
        });
      };
      server.on('message', onMessage);
      this.#closers.push(() => server.off('message', onMessage));
    } else {
      const onConnection = (sock: net.Socket): void => this.#serveTcp(sock);
      server.on('connection', onConnection);
      this.#closers.push(() => server.off('connection', onConnection));
    }
  }

  /** Stops answering on every served socket; the caller owns and closes the sockets. */
  stop(): void {
    for (const close of this.#closers.splice(0)) close();
  }

  /** Computes the reply to one raw query from `sourceIp`; `undefined` means drop it. */
  async resolve(msg: Buffer, sourceIp: string): Promise<Buffer | undefined> {
    try {
      const q = parseQuery(msg);
      if (q === undefined) return buildHeaderOnlyError(msg, RCODE_FORMERR);
      const entry = this.#lookup(q.name, sourceIp);
      if (entry === undefined) return await this.#forward(msg, q);
      if (q.question.type !== 'A') {
        // AAAA and other types for a known name: the name exists but has no such records.
        return buildResponse(q, RCODE_NOERROR, [], this.#opts.ttlSeconds);
      }
      return buildResponse(q, RCODE_NOERROR, this.#ips(entry), this.#opts.ttlSeconds);
    } catch {
      return undefined;
    }
  }

  #lookup(name: string, sourceIp: string): Entry | undefined {
    let found: { serviceIps: string[]; taskIps: string[]; rotate: boolean } | undefined;
    for (const networkId of this.#opts.networksForClient(sourceIp)) {
      const entry = this.#table.get(networkId)?.get(name);
      if (entry === undefined) continue;
      found ??= { serviceIps: [], taskIps: [], rotate: false };
      found.serviceIps.push(...entry.serviceIps);
      found.taskIps.push(...entry.taskIps);
      found.rotate ||= entry.rotate;
    }
    return found;
  }

  #ips(entry: Entry): string[] {
    const ips = [...new Set(entry.serviceIps)];
    if (!entry.rotate || ips.length < 2) return ips;
    const shift = this.#rotation++ % ips.length;
    return [...ips.slice(shift), ...ips.slice(0, shift)];
  }

  async #forward(msg: Buffer, q: Query): Promise<Buffer> {
    for (const upstream of this.#upstreams) {
      const reply = await queryUpstream(msg, upstream, this.#opts.upstreamTimeoutMs);
      // Relayed verbatim, not decoded: only its ID (the first two bytes) must match the query's.
      if (reply !== undefined && reply.length >= 2 && reply.readUInt16BE(0) === q.id) return reply;
    }
    return buildResponse(q, RCODE_SERVFAIL, [], 0);
  }

  #serveTcp(sock: net.Socket): void {
    let buf = Buffer.alloc(0);
    sock.on('error', () => sock.destroy());
    sock.setTimeout(10_000, () => sock.destroy());
    sock.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2) {
        const len = buf.readUInt16BE(0);
        if (buf.length < 2 + len) break;
        const msg = buf.subarray(2, 2 + len);
        buf = buf.subarray(2 + len);
        void this.resolve(msg, sock.remoteAddress ?? '').then((reply) => {
          if (reply === undefined || sock.destroyed) return;
          const lenBuf = Buffer.alloc(2);
          lenBuf.writeUInt16BE(reply.length, 0);
          sock.write(Buffer.concat([lenBuf, reply]));
        });
      }
    });
  }
}

/** dns-packet's decoded header also carries the opcode, which its type declarations leave out. */
type DecodedQuery = DecodedPacket & { readonly opcode?: string };

/**
 * The query in `msg`; undefined when it is malformed (dns-packet throws, caught here), a response,
 * not a standard query, or does not ask exactly one question.
 */
function parseQuery(msg: Buffer): Query | undefined {
  let packet: DecodedQuery;
  try {
    packet = dnsPacket.decode(msg);
  } catch {
    return undefined;
  }
  const question = packet.questions?.length === 1 ? packet.questions[0] : undefined;
  if (packet.type !== 'query' || packet.opcode !== 'QUERY' || question === undefined) return undefined;
  return {
    id: packet.id ?? 0,
    recursionDesired: packet.flag_rd,
    question,
    name: question.name.toLowerCase(),
  };
}

/** An authoritative reply echoing the question, with an A record per address in `ipv4s`. */
function buildResponse(q: Query, rcode: number, ipv4s: readonly string[], ttlSeconds: number): Buffer {
  return dnsPacket.encode({
    id: q.id,
    type: 'response',
    flags:
      dnsPacket.AUTHORITATIVE_ANSWER |
      (q.recursionDesired ? dnsPacket.RECURSION_DESIRED : 0) |
      dnsPacket.RECURSION_AVAILABLE |
      rcode,
    questions: [q.question],
    answers: ipv4s.map((ip) => ({
      type: 'A',
      class: 'IN',
      name: q.question.name,
      ttl: ttlSeconds,
      data: ip,
    })),
  });
}

/**
 * A bare error reply (header only) to a message whose question could not be read; undefined, so the
 * message is dropped, when it is shorter than a header or is itself a response.
 */
function buildHeaderOnlyError(msg: Buffer, rcode: number): Buffer | undefined {
  if (msg.length < 12) return undefined;
  // The header alone: its first four bytes (ID, flags) with the section counts zeroed, so dns-packet
  // reads nothing past it.
  const header = dnsPacket.decode(Buffer.concat([msg.subarray(0, 4), Buffer.alloc(8)]));
  if (header.type !== 'query') return undefined;
  return dnsPacket.encode({
    id: header.id ?? 0,
    type: 'response',
    flags: (header.flag_rd ? dnsPacket.RECURSION_DESIRED : 0) | rcode,
  });
}

function queryUpstream(msg: Buffer, upstream: Upstream, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket(upstream.host.includes(':') ? 'udp6' : 'udp4');
    const done = (reply: Buffer | undefined): void => {
      clearTimeout(timer);
      sock.close();
      resolve(reply);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    sock.on('error', () => done(undefined));
    sock.on('message', (reply) => done(reply));
    sock.send(msg, upstream.port, upstream.host, (err) => {
      if (err) done(undefined);
    });
  });
}

function stripPrefix(addr: string): string {
  const slash = addr.indexOf('/');
  return slash === -1 ? addr : addr.slice(0, slash);
}

function parseUpstream(s: string): Upstream {
  const m = /^(\d+\.\d+\.\d+\.\d+)(?::(\d+))?$/.exec(s);
  if (m !== null) return { host: m[1] ?? s, port: m[2] === undefined ? 53 : Number(m[2]) };
  const v6 = /^\[(.+)\]:(\d+)$/.exec(s);
  if (v6 !== null) return { host: v6[1] ?? s, port: Number(v6[2]) };
  return { host: s, port: 53 };
}

/** Nameservers listed in /etc/resolv.conf; empty if it cannot be read. */
export function readResolvConf(path = '/etc/resolv.conf'): string[] {
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .map((l) => /^\s*nameserver\s+(\S+)/.exec(l)?.[1])
      .filter((s): s is string => s !== undefined);
  } catch {
    return [];
  }
}
