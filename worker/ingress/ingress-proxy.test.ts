import dgram from 'node:dgram';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { IngressProxy, type Backend } from './ingress-proxy.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A TCP backend that replies "<name>:<data>" and ends when the client ends. */
async function tcpBackend(name: string): Promise<Backend> {
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('end', () => s.end(`${name}:${Buffer.concat(chunks).toString()}`));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return { ip: '127.0.0.1', port: (server.address() as net.AddressInfo).port };
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Sends `body`, half-closes, and collects the whole reply. */
function tcpRequest(port: number, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const s = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => s.end(body));
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('end', () => resolve(Buffer.concat(chunks).toString()));
    s.on('error', reject);
  });
}

function proxy(opts: ConstructorParameters<typeof IngressProxy>[0] = {}): IngressProxy {
  const p = new IngressProxy(opts);
  cleanups.push(() => p.close());
  return p;
}

const tcpRoute = (backends: Backend[]) => ({
  protocol: 'tcp' as const,
  publishedPort: 0,
  listenAddress: '127.0.0.1',
  backends,
});

describe('IngressProxy TCP', () => {
  it('round-robins across backends with half-close', async () => {
    const p = proxy();
    await p.setRoutes([tcpRoute([await tcpBackend('a'), await tcpBackend('b')])]);
    const port = p.boundPort(tcpRoute([]));
    expect(port).toBeGreaterThan(0);
    const replies = [];
    for (let i = 0; i < 4; i++) replies.push(await tcpRequest(port ?? 0, `req${i}`));
    expect(replies).toEqual(['a:req0', 'b:req1', 'a:req2', 'b:req3']);
  });

  it('tries the next backend when one refuses', async () => {
    const p = proxy();
    const dead = { ip: '127.0.0.1', port: await freePort() };
    await p.setRoutes([tcpRoute([dead, await tcpBackend('live')])]);
    const port = p.boundPort(tcpRoute([])) ?? 0;
    expect(await tcpRequest(port, 'x')).toBe('live:x');
    expect(await tcpRequest(port, 'y')).toBe('live:y');
  });

  it('pipes large bodies with backpressure', async () => {
    const p = proxy();
    await p.setRoutes([tcpRoute([await tcpBackend('big')])]);
    const body = 'z'.repeat(8 * 1024 * 1024);
    const reply = await tcpRequest(p.boundPort(tcpRoute([])) ?? 0, body);
    expect(reply.length).toBe(body.length + 4);
  });

  it('uses the caller connect function', async () => {
    const seen: Backend[] = [];
    const p = proxy({
      connect: (b) => {
        seen.push(b);
        return net.connect({ port: b.port, host: b.ip, allowHalfOpen: true });
      },
    });
    const b = await tcpBackend('c');
    await p.setRoutes([tcpRoute([b])]);
    expect(await tcpRequest(p.boundPort(tcpRoute([])) ?? 0, 'q')).toBe('c:q');
    expect(seen).toEqual([b]);
  });

  it('adds and removes listeners without touching the others', async () => {
    const p = proxy();
    const [portA, portB] = [await freePort(), await freePort()];
    const a = await tcpBackend('a');
    const b = await tcpBackend('b');
    const routeA = {
      protocol: 'tcp' as const,
      publishedPort: portA,
      listenAddress: '127.0.0.1',
      backends: [a],
    };
    const routeB = {
      protocol: 'tcp' as const,
      publishedPort: portB,
      listenAddress: '127.0.0.1',
      backends: [b],
    };
    await p.setRoutes([routeA]);
    // A long-lived connection through route A must survive adding B and swapping A's backends.
    const held = net.connect({ port: portA, host: '127.0.0.1', allowHalfOpen: true });
    await new Promise((r) => held.once('connect', r));
    await p.setRoutes([{ ...routeA, backends: [a, b] }, routeB]);
    expect(await tcpRequest(portB, '1')).toBe('b:1');
    const heldReply = new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      held.on('data', (c: Buffer) => chunks.push(c));
      held.on('end', () => resolve(Buffer.concat(chunks).toString()));
    });
    held.end('still');
    expect(await heldReply).toBe('a:still');
    await p.setRoutes([routeB]);
    await expect(tcpRequest(portA, 'gone')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(await tcpRequest(portB, '2')).toBe('b:2');
  });

  it('reports EADDRINUSE naming the port and keeps serving the others', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => blocker.close(() => r())));
    const taken = (blocker.address() as net.AddressInfo).port;
    const reported: string[] = [];
    const p = proxy({ onError: (e) => reported.push(e.message) });
    const okPort = await freePort();
    const errors = await p.setRoutes([
      { protocol: 'tcp', publishedPort: taken, listenAddress: '127.0.0.1', backends: [] },
      {
        protocol: 'tcp',
        publishedPort: okPort,
        listenAddress: '127.0.0.1',
        backends: [await tcpBackend('ok')],
      },
    ]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ publishedPort: taken, protocol: 'tcp' });
    expect(reported[0]).toContain(String(taken));
    expect(reported[0]).toContain('EADDRINUSE');
    expect(await tcpRequest(okPort, 'k')).toBe('ok:k');
  });
});

describe('IngressProxy UDP', () => {
  async function udpBackend(name: string): Promise<Backend> {
    const s = dgram.createSocket('udp4');
    s.on('message', (m, r) => s.send(`${name}:${m.toString()}`, r.port, r.address));
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => s.close(() => r())));
    return { ip: '127.0.0.1', port: s.address().port };
  }

  async function udpClient(): Promise<{
    ask: (port: number, m: string) => Promise<string>;
    sock: dgram.Socket;
  }> {
    const sock = dgram.createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => sock.close(() => r())));
    const ask = (port: number, m: string): Promise<string> =>
      new Promise((resolve) => {
        sock.once('message', (reply) => resolve(reply.toString()));
        sock.send(m, port, '127.0.0.1');
      });
    return { ask, sock };
  }

  it('pins each client flow to one backend, round-robin across clients, and expires idle flows', async () => {
    const p = proxy({ udpIdleTimeoutMs: 200 });
    const route = {
      protocol: 'udp' as const,
      publishedPort: 0,
      listenAddress: '127.0.0.1',
      backends: [await udpBackend('a'), await udpBackend('b')],
    };
    await p.setRoutes([route]);
    const port = p.boundPort(route) ?? 0;
    const c1 = await udpClient();
    const c2 = await udpClient();
    expect(await c1.ask(port, 'x')).toBe('a:x');
    expect(await c1.ask(port, 'y')).toBe('a:y');
    expect(await c2.ask(port, 'z')).toBe('b:z');
    await new Promise((r) => setTimeout(r, 400)); // let the flows idle out (timer under test, not a race)
    expect(await c1.ask(port, 'w')).toBe('a:w'); // new flow, next in rotation
  });
});
