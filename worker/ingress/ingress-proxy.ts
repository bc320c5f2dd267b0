import dgram from 'node:dgram';
import net from 'node:net';
import { PublishPortError } from './errors.js';

export const DEFAULT_UDP_IDLE_TIMEOUT_MS = 30_000;

export interface Backend {
  readonly ip: string;
  readonly port: number;
}

/** One published port and where its traffic goes. */
export interface IngressRoute {
  readonly protocol: 'tcp' | 'udp';
  readonly publishedPort: number;
  /** Default 0.0.0.0. */
  readonly listenAddress?: string;
  readonly backends: readonly Backend[];
}

export type ConnectFn = (backend: Backend) => net.Socket;

export interface IngressProxyOptions {
  /** Opens a connection to a backend (default `net.connect`); lets the caller dial inside a namespace. */
  readonly connect?: ConnectFn;
  /** Makes the socket a UDP flow to a backend uses (default an unbound udp4/udp6 socket). */
  readonly udpSocket?: (backend: Backend) => dgram.Socket;
  readonly udpIdleTimeoutMs?: number;
  /** Told about ports that could not be bound; the proxy keeps serving the others. */
  readonly onError?: (err: PublishPortError) => void;
}

interface Listener {
  readonly key: string;
  /** The port actually bound (differs from the published one only when that is 0). */
  port: number;
  backends: readonly Backend[];
  next: number;
  close(): Promise<void>;
}

/** One UDP client (address:port) pinned to one backend through its own socket. */
interface UdpFlow {
  readonly sock: dgram.Socket;
  readonly backend: Backend;
  timer: NodeJS.Timeout;
}

const routeKey = (r: Pick<IngressRoute, 'protocol' | 'publishedPort' | 'listenAddress'>): string =>
  `${r.protocol}/${r.listenAddress ?? '0.0.0.0'}/${r.publishedPort}`;

/**
 * Routing-mesh proxy: one listener per published port, round-robin across backends. `setRoutes` is
 * declarative — listeners for routes that stay are kept (only their backend list is swapped), new ones
 * are opened and missing ones closed. A port that cannot be bound is reported, never fatal.
 */
export class IngressProxy {
  readonly #listeners = new Map<string, Listener>();
  readonly #connect: ConnectFn;
  readonly #udpSocket: (backend: Backend) => dgram.Socket;
  readonly #udpIdleTimeoutMs: number;
  readonly #onError: (err: PublishPortError) => void;

  constructor(opts: IngressProxyOptions = {}) {
    // allowHalfOpen so a backend's FIN does not also cut the client's remaining upload.
    this.#connect = opts.connect ?? ((b) => net.connect({ port: b.port, host: b.ip, allowHalfOpen: true }));
    this.#udpSocket = opts.udpSocket ?? ((b) => dgram.createSocket(b.ip.includes(':') ? 'udp6' : 'udp4'));
    this.#udpIdleTimeoutMs = opts.udpIdleTimeoutMs ?? DEFAULT_UDP_IDLE_TIMEOUT_MS;
    this.#onError = opts.onError ?? (() => undefined);
  }

  /**
   * Makes the listeners match `routes`. Resolves once new listeners are bound (or failed, reported via
   * `onError` and returned) and removed ones closed.
   */
  async setRoutes(routes: readonly IngressRoute[]): Promise<PublishPortError[]> {
    const wanted = new Map(routes.map((r) => [routeKey(r), r]));
    const closing: Array<Promise<void>> = [];
    for (const [key, l] of this.#listeners) {
      if (!wanted.has(key)) {
        this.#listeners.delete(key);
        closing.push(l.close());
      }
    }
    await Promise.all(closing);
    const errors: PublishPortError[] = [];
    await Promise.all(
      [...wanted].map(async ([key, route]) => {
        const existing = this.#listeners.get(key);
        if (existing !== undefined) {
          existing.backends = route.backends;
          return;
        }
        try {
          const l =
            route.protocol === 'tcp' ? await this.#openTcp(key, route) : await this.#openUdp(key, route);
          this.#listeners.set(key, l);
        } catch (e) {
          const err = new PublishPortError(route.protocol, route.publishedPort, e as Error);
          errors.push(err);
          this.#onError(err);
        }
      }),
    );
    return errors;
  }

  /** The bound port of a route (useful when publishing port 0 in tests). */
  boundPort(route: Pick<IngressRoute, 'protocol' | 'publishedPort' | 'listenAddress'>): number | undefined {
    return this.#listeners.get(routeKey(route))?.port;
  }

  /** Closes every listener and flow. */
  async close(): Promise<void> {
    const all = [...this.#listeners.values()];
    this.#listeners.clear();
    await Promise.all(all.map((l) => l.close()));
  }

  async #openTcp(key: string, route: IngressRoute): Promise<Listener> {
    const sockets = new Set<net.Socket>();
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true });
    const listener: Listener = {
      key,
      backends: route.backends,
      next: 0,
      port: 0,
      close: () =>
        new Promise<void>((resolve) => {
          for (const s of sockets) s.destroy();
          server.close(() => resolve());
        }),
    };
    server.on('connection', (client) => {
      sockets.add(client);
      client.on('close', () => sockets.delete(client));
      client.on('error', () => client.destroy());
      this.#dial(listener, client, 0, sockets);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(route.publishedPort, route.listenAddress ?? '0.0.0.0', () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', () => undefined);
    listener.port = (server.address() as net.AddressInfo).port;
    return listener;
  }

  /** Tries backends in round-robin order, moving on when one refuses; gives up after all fail. */
  #dial(l: Listener, client: net.Socket, attempt: number, sockets: Set<net.Socket>): void {
    const backends = l.backends;
    if (client.destroyed || attempt >= backends.length) {
      client.destroy();
      return;
    }
    const backend = backends[l.next++ % backends.length];
    if (backend === undefined) {
      client.destroy();
      return;
    }
    const upstream = this.#connect(backend);
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
      if (client.destroyed) {
        upstream.destroy();
        return;
      }
      pipeHalfClose(client, upstream);
      client.resume();
    });
    upstream.on('error', () => {
      upstream.destroy();
      if (!connected) this.#dial(l, client, attempt + 1, sockets);
      else client.destroy();
    });
  }

  async #openUdp(key: string, route: IngressRoute): Promise<Listener> {
    const sock = dgram.createSocket(route.listenAddress?.includes(':') === true ? 'udp6' : 'udp4');
    const flows = new Map<string, UdpFlow>();
    const listener: Listener = {
      key,
      backends: route.backends,
      next: 0,
      port: 0,
      close: () =>
        new Promise<void>((resolve) => {
          for (const f of flows.values()) closeFlow(f);
          flows.clear();
          sock.close(() => resolve());
        }),
    };
    const closeFlow = (f: UdpFlow): void => {
      clearTimeout(f.timer);
      f.sock.close();
    };
    sock.on('message', (msg, rinfo) => {
      const id = `${rinfo.address}:${rinfo.port}`;
      let flow = flows.get(id);
      if (flow === undefined) {
        const backend = listener.backends[listener.next++ % Math.max(1, listener.backends.length)];
        if (backend === undefined) return;
        const out = this.#udpSocket(backend);
        const created = { sock: out, backend, timer: setTimeout(() => undefined, 0) };
        flow = created;
        flows.set(id, created);
        out.on('error', () => undefined);
        out.on('message', (reply, from) => {
          if (from.address !== backend.ip || from.port !== backend.port) return;
          sock.send(reply, rinfo.port, rinfo.address, () => undefined);
          touch(created);
        });
      }
      flow.sock.send(msg, flow.backend.port, flow.backend.ip, () => undefined);
      touch(flow);
    });
    /** Restarts a flow's idle timer; an idle flow's socket is closed and forgotten. */
    const touch = (f: UdpFlow): void => {
      clearTimeout(f.timer);
      f.timer = setTimeout(() => {
        for (const [id, g] of flows) if (g === f) flows.delete(id);
        closeFlow(f);
      }, this.#udpIdleTimeoutMs);
    };
    sock.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      sock.once('error', reject);
      sock.bind(route.publishedPort, route.listenAddress ?? '0.0.0.0', () => {
        sock.off('error', reject);
        resolve();
      });
    });
    listener.port = sock.address().port;
    return listener;
  }
}

/** Pipes both ways with backpressure; an end on one side half-closes the other. */
function pipeHalfClose(a: net.Socket, b: net.Socket): void {
  a.pipe(b);
  b.pipe(a);
  const destroyBoth = (): void => {
    a.destroy();
    b.destroy();
  };
  a.on('error', destroyBoth);
  b.on('error', destroyBoth);
  a.on('close', () => b.destroy());
  b.on('close', () => a.destroy());
}
