/**
 * The service mesh of one node: what makes services reachable by name and by port, built from the
 * dispatcher's network views (SessionMessage.networks) and the tasks this node runs in namespaces of
 * their own (network.ts).
 *
 * - Service discovery: every such task gets Docker's embedded resolver at 127.0.0.11:53 (UDP and TCP)
 *   inside its own namespace — the sockets are made there by the shoal_netns addon and served by this
 *   process (worker/dns ServiceDns) — and a resolv.conf naming it, mounted at /etc/resolv.conf. A task
 *   resolves the services of the networks it is on; other names are forwarded to the node's resolvers.
 * - Virtual IPs: in each task's namespace a nat table (iptables-restore, replaced whole) DNATs every
 *   VIP of its networks to the service's RUNNING task addresses at random, so new connections (and
 *   pings) spread over running, healthy tasks only; connections already open keep their backend.
 * - Routing mesh: the node's ingress endpoint is a namespace of its own (`ingress-sbox`, like Docker's)
 *   on the ingress network with the address the allocator gave the node; an {@link IngressProxy} in the
 *   node's namespace listens on every ingress-mode published port and dials the service's tasks from
 *   the ingress endpoint (sockets made inside it), round-robin with failover.
 * - Host-mode ports: a second proxy listens on the published port only on nodes running a task of the
 *   service and dials that task inside its own namespace.
 *
 * Nothing here throws at the agent: failures are logged and retried at the next change.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import dgram from 'node:dgram';
import net from 'node:net';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { NetworkView__Output as NetworkView } from '../../proto/gen/shoal/api/NetworkView.ts';
import type { PortConfig__Output as PortConfig } from '../../proto/gen/shoal/api/PortConfig.ts';
import type { Logger } from '../../proto/shared/log.ts';
import { ServiceDns, readResolvConf, type DnsNetwork } from '../dns/index.ts';
import type { SecretFile } from '../executor/types.ts';
import { IngressProxy, type Backend, type IngressRoute } from '../ingress/index.ts';
import type { OverlayNetwork } from '../network/plan.ts';

/** Docker's embedded DNS address inside every container. */
export const EMBEDDED_DNS_IP = '127.0.0.11';
/** The name of the node's ingress endpoint namespace (beside the task namespaces). */
export const INGRESS_SBOX = 'ingress-sbox';

/** How long after a failure the node's ingress endpoint is tried again. */
export const INGRESS_RETRY_MS = 30_000;

/** Makes sockets inside a namespace (the addon's socketIn). */
export type SocketMaker = (nsPath: string, type: 'tcp' | 'udp', ip: string, port: number) => number;
/** Replaces the nat table of a namespace with `rules` (iptables-restore input). */
export type NatWriter = (nsPath: string, rules: string) => Promise<void>;

/** The node's ingress endpoint, as the network hook plumbs it. */
export interface IngressEndpoint {
  /** Makes sure the endpoint namespace exists and is on `network` with `address` ("ip/prefix"). */
  ensure(network: OverlayNetwork, address: string): Promise<string>;
  /** Removes it (the node left the ingress network). */
  remove(): Promise<void>;
}

export interface ServiceMeshOptions {
  /** Where resolv.conf files of tasks are written (`<dir>/<task>/resolv.conf`). */
  readonly dnsDir: string;
  readonly sockets: SocketMaker;
  readonly nat: NatWriter;
  readonly ingress: IngressEndpoint;
  /** The OverlayNetwork of a view (the data plane's settings applied). */
  readonly overlayOf: (view: NetworkView) => OverlayNetwork | undefined;
  /** Resolvers unknown names are forwarded to; default the node's /etc/resolv.conf. */
  readonly upstreams?: readonly string[];
  /** The address published ports listen on (default all). */
  readonly listenAddress?: string;
  readonly log: Logger;
}

/** A local task in a namespace of its own. */
export interface MeshTask {
  readonly taskId: string;
  readonly serviceId: string;
  readonly netnsPath: string;
  /** Network ID → the task's IP there. */
  readonly addresses: ReadonlyMap<string, string>;
}

interface LocalTask extends MeshTask {
  readonly dns: ServiceDns;
  readonly udp: dgram.Socket;
  readonly tcp: net.Server;
  /** The nat rules last written (skip identical rewrites). */
  nat: string | undefined;
}

const stripPrefix = (cidr: string): string => cidr.split('/')[0] ?? cidr;
const isHost = (p: PortConfig): boolean => p.publishMode === 'PUBLISH_MODE_HOST';
const protocolOf = (p: PortConfig): 'tcp' | 'udp' | undefined =>
  p.protocol === 'PROTOCOL_UDP' ? 'udp' : p.protocol === 'PROTOCOL_SCTP' ? undefined : 'tcp';

/** The resolv.conf of a task: the embedded resolver, with the node's search domains and options. */
export function resolvConfText(hostResolvConf: string): string {
  const keep = hostResolvConf
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^(search|domain|options)\s/.test(l));
  return ['# written by shoald: the embedded DNS server', `nameserver ${EMBEDDED_DNS_IP}`, ...keep, ''].join(
    '\n',
  );
}

/**
 * The nat table of a task's namespace: each VIP of the task's networks spread over its running tasks
 * (`statistic random` with probabilities 1/n, 1/(n−1), …, 1 so every backend is equally likely).
 */
export function vipRules(views: readonly NetworkView[], networkIds: ReadonlySet<string>): string {
  const lines = ['*nat', ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]'];
  lines.push(':POSTROUTING ACCEPT [0:0]');
  const seen = new Set<string>();
  for (const v of views) {
    if (v.ingress || !networkIds.has(v.networkId)) continue;
    for (const s of v.services) {
      if (s.endpointMode === 'dnsrr' || s.virtualIp === '') continue;
      const vip = stripPrefix(s.virtualIp);
      if (seen.has(vip)) continue;
      seen.add(vip);
      const backends = [...new Set(s.taskAddresses.map(stripPrefix))];
      backends.forEach((ip, i) => {
        const left = backends.length - i;
        const pick = left > 1 ? ` -m statistic --mode random --probability ${(1 / left).toFixed(8)}` : '';
        lines.push(`-A OUTPUT -d ${vip}/32${pick} -j DNAT --to-destination ${ip}`);
      });
    }
  }
  lines.push('COMMIT', '');
  return lines.join('\n');
}

/** The ingress routes of the routing mesh: every ingress-mode port of every service on ingress. */
export function ingressRoutes(views: readonly NetworkView[], listenAddress?: string): IngressRoute[] {
  const routes = new Map<string, IngressRoute>();
  for (const v of views) {
    if (!v.ingress) continue;
    for (const s of v.services) {
      const backends = [...new Set(s.taskAddresses.map(stripPrefix))];
      for (const p of s.ports) {
        const protocol = protocolOf(p);
        if (isHost(p) || protocol === undefined || p.publishedPort === 0) continue;
        const key = `${protocol}/${p.publishedPort}`;
        if (routes.has(key)) continue;
        routes.set(key, {
          protocol,
          publishedPort: p.publishedPort,
          ...(listenAddress !== undefined ? { listenAddress } : {}),
          backends: backends.map((ip) => ({ ip, port: p.targetPort })),
        });
      }
    }
  }
  return [...routes.values()];
}

/** See the file comment. Calls are serialised. */
export class ServiceMesh {
  private views: readonly NetworkView[] = [];
  private readonly tasks = new Map<string, LocalTask>();
  private readonly ingressProxy: IngressProxy;
  private readonly hostProxy: IngressProxy;
  /** The ingress endpoint namespace, once made. */
  private ingressNs: string | undefined;
  /** Which task each host-mode backend lives in (its namespace is dialled). */
  private readonly hostBackends = new Map<string, string>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly upstreams: readonly string[];
  private closed = false;
  /** The last ingress endpoint that could not be made, and when. */
  private ingressFailure: { key: string; at: number } | undefined;

  constructor(private readonly o: ServiceMeshOptions) {
    this.upstreams = o.upstreams ?? readResolvConf();
    const onError = (err: Error): void => this.o.log.warn({ err: err.message }, 'publishing a port');
    this.ingressProxy = new IngressProxy({
      connect: (b) => this.dial(this.ingressNs, b),
      udpSocket: () => this.udpIn(this.ingressNs),
      onError,
    });
    this.hostProxy = new IngressProxy({
      connect: (b) => this.dial(this.hostBackends.get(`${b.ip}:${b.port}`), b),
      udpSocket: (b) => this.udpIn(this.hostBackends.get(`${b.ip}:${b.port}`)),
      onError,
    });
  }

  /** The resolv.conf to mount at /etc/resolv.conf in a task with a namespace of its own. */
  async resolvConf(taskId: string): Promise<SecretFile> {
    const dir = join(this.o.dnsDir, taskId);
    await mkdir(dir, { recursive: true, mode: 0o755 });
    const hostPath = join(dir, 'resolv.conf');
    const host = await readFile('/etc/resolv.conf', 'utf8').catch(() => '');
    await writeFile(hostPath, resolvConfText(host), { mode: 0o644 });
    return { hostPath, target: '/etc/resolv.conf', uid: 0, gid: 0, mode: 0o644 };
  }

  /** The dispatcher's network views (the whole picture, from a SessionMessage). */
  setViews(views: readonly NetworkView[]): Promise<void> {
    return this.serial(async () => {
      this.views = views;
      await this.apply();
    });
  }

  /** A local task's namespace is plumbed: serve DNS in it, program its VIPs, publish host ports. */
  taskUp(t: MeshTask): Promise<void> {
    return this.serial(async () => {
      if (this.closed) return;
      await this.closeTask(t.taskId);
      const dns = new ServiceDns({
        networksForClient: () => [...t.addresses.keys()],
        upstreams: this.upstreams,
      });
      dns.setRecords(this.dnsNetworks());
      const udp = dgram.createSocket('udp4');
      const tcp = net.createServer();
      udp.on('error', (err) => this.o.log.warn({ err, taskId: t.taskId }, 'embedded DNS (udp)'));
      tcp.on('error', (err) => this.o.log.warn({ err, taskId: t.taskId }, 'embedded DNS (tcp)'));
      try {
        const ufd = this.o.sockets(t.netnsPath, 'udp', EMBEDDED_DNS_IP, 53);
        await new Promise<void>((resolve) => udp.bind({ fd: ufd }, resolve));
        const tfd = this.o.sockets(t.netnsPath, 'tcp', EMBEDDED_DNS_IP, 53);
        await new Promise<void>((resolve, reject) => {
          tcp.once('error', reject);
          tcp.listen({ fd: tfd }, () => {
            tcp.off('error', reject);
            resolve();
          });
        });
      } catch (err) {
        this.o.log.error({ err, taskId: t.taskId }, 'cannot serve DNS in the task namespace');
        udp.close();
        tcp.close();
        return;
      }
      dns.serve(udp);
      dns.serve(tcp);
      this.tasks.set(t.taskId, { ...t, dns, udp, tcp, nat: undefined });
      this.o.log.debug({ taskId: t.taskId }, 'embedded DNS serving');
      await this.apply();
    });
  }

  /** A local task's namespace is going away: stop its DNS, forget its ports. */
  taskDown(taskId: string): Promise<void> {
    return this.serial(async () => {
      const had = this.tasks.has(taskId);
      await this.closeTask(taskId);
      await rm(join(this.o.dnsDir, taskId), { recursive: true, force: true });
      if (had) await this.apply();
    });
  }

  /** Stops serving (the agent is stopping): DNS sockets and published ports close. */
  close(): Promise<void> {
    return this.serial(async () => {
      this.closed = true;
      for (const id of [...this.tasks.keys()]) await this.closeTask(id);
      await this.ingressProxy.close();
      await this.hostProxy.close();
    });
  }

  // ---- internals ----

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch((err: unknown) => this.o.log.error({ err }, 'service mesh'));
    return next;
  }

  private async closeTask(taskId: string): Promise<void> {
    const t = this.tasks.get(taskId);
    if (t === undefined) return;
    this.tasks.delete(taskId);
    t.dns.stop();
    t.udp.close();
    await new Promise<void>((resolve) => t.tcp.close(() => resolve()));
  }

  private dnsNetworks(): DnsNetwork[] {
    // The ingress network carries the routing mesh only: no names on it, as with Docker.
    return this.views
      .filter((v) => !v.ingress)
      .map((v) => ({
        networkId: v.networkId,
        services: v.services.map((s) => ({
          name: s.name,
          endpointMode: s.endpointMode === 'dnsrr' ? 'dnsrr' : 'vip',
          ...(s.virtualIp !== '' ? { virtualIp: s.virtualIp } : {}),
          taskAddresses: s.taskAddresses,
        })),
      }));
  }

  /** Brings DNS records, VIP rules, the ingress endpoint and both proxies in line with the views. */
  private async apply(): Promise<void> {
    if (this.closed) return;
    const records = this.dnsNetworks();
    for (const t of this.tasks.values()) {
      t.dns.setRecords(records);
      const rules = vipRules(this.views, new Set(t.addresses.keys()));
      if (rules === t.nat) continue;
      try {
        await this.o.nat(t.netnsPath, rules);
        t.nat = rules;
      } catch (err) {
        this.o.log.warn({ err, taskId: t.taskId }, 'programming virtual IPs');
      }
    }
    await this.applyIngress();
    await this.applyHostPorts();
  }

  private async applyIngress(): Promise<void> {
    const view = this.views.find((v) => v.ingress);
    const routes = ingressRoutes(this.views, this.o.listenAddress);
    const overlay = view !== undefined ? this.o.overlayOf(view) : undefined;
    if (view === undefined || overlay === undefined || view.nodeAddress === '' || routes.length === 0) {
      await this.ingressProxy.setRoutes([]);
      if (this.ingressNs !== undefined && (view === undefined || routes.length === 0)) {
        this.ingressNs = undefined;
        await this.o.ingress.remove().catch((err: unknown) => this.o.log.warn({ err }, 'ingress endpoint'));
      }
      return;
    }
    // after a failure, the same endpoint is tried again only after a while (not on every message)
    const key = `${overlay.id}/${view.nodeAddress}`;
    const failed = this.ingressFailure;
    if (failed !== undefined && failed.key === key && Date.now() - failed.at < INGRESS_RETRY_MS) {
      await this.ingressProxy.setRoutes([]);
      return;
    }
    try {
      this.ingressNs = await this.o.ingress.ensure(overlay, view.nodeAddress);
      this.ingressFailure = undefined;
    } catch (err) {
      this.ingressNs = undefined;
      this.ingressFailure = { key, at: Date.now() };
      this.o.log.error(
        { err, retryInMs: INGRESS_RETRY_MS },
        'cannot make the node ingress endpoint: published ports are not served',
      );
      await this.ingressProxy.setRoutes([]);
      return;
    }
    await this.ingressProxy.setRoutes(routes);
  }

  private async applyHostPorts(): Promise<void> {
    const routes: IngressRoute[] = [];
    this.hostBackends.clear();
    const taken = new Set<string>();
    for (const t of this.tasks.values()) {
      for (const v of this.views) {
        const ip = t.addresses.get(v.networkId);
        const svc = v.services.find((s) => s.serviceId === t.serviceId);
        if (ip === undefined || svc === undefined) continue;
        for (const p of svc.ports) {
          const protocol = protocolOf(p);
          if (!isHost(p) || protocol === undefined || p.publishedPort === 0) continue;
          const key = `${protocol}/${p.publishedPort}`;
          if (taken.has(key)) continue; // one task per port per node, as with Docker
          taken.add(key);
          this.hostBackends.set(`${ip}:${p.targetPort}`, t.netnsPath);
          routes.push({
            protocol,
            publishedPort: p.publishedPort,
            ...(this.o.listenAddress !== undefined ? { listenAddress: this.o.listenAddress } : {}),
            backends: [{ ip, port: p.targetPort }],
          });
        }
      }
    }
    await this.hostProxy.setRoutes(routes);
  }

  /** A TCP connection to `b` made inside the namespace `nsPath`. */
  private dial(nsPath: string | undefined, b: Backend): net.Socket {
    if (nsPath === undefined) {
      const s = new net.Socket();
      process.nextTick(() => s.destroy(new Error('no namespace to dial from')));
      return s;
    }
    try {
      const fd = this.o.sockets(nsPath, 'tcp', '0.0.0.0', 0);
      const s = new net.Socket({ fd, readable: true, writable: true, allowHalfOpen: true });
      return s.connect(b.port, b.ip);
    } catch (err) {
      const s = new net.Socket();
      process.nextTick(() => s.destroy(err as Error));
      return s;
    }
  }

  /** A UDP socket inside the namespace `nsPath` (unbound ones fail their sends). */
  private udpIn(nsPath: string | undefined): dgram.Socket {
    const s = dgram.createSocket('udp4');
    if (nsPath === undefined) return s;
    try {
      s.bind({ fd: this.o.sockets(nsPath, 'udp', '0.0.0.0', 0) });
    } catch (err) {
      this.o.log.warn({ err }, 'a UDP socket in a namespace');
    }
    return s;
  }
}

/** The real {@link NatWriter}: `iptables-restore` run inside the namespace. */
export function iptablesNat(nsenter = 'nsenter', iptablesRestore = 'iptables-restore'): NatWriter {
  return (nsPath, rules) =>
    new Promise((resolve, reject) => {
      const child = execFile(
        nsenter,
        [`--net=${nsPath}`, iptablesRestore, '--wait', '5'],
        { timeout: 15_000 },
        (err, _out, stderr) =>
          err
            ? reject(new Error(`iptables-restore in ${nsPath}: ${stderr.trim() || err.message}`))
            : resolve(),
      );
      // nsenter fails at once when the namespace went away: its closed stdin must not crash shoald
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(rules);
    });
}
