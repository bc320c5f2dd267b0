import dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceDns, type DnsNetwork } from './service-dns.js';

const NETS: DnsNetwork[] = [
  {
    networkId: 'net-a',
    services: [
      {
        name: 'Web',
        endpointMode: 'vip',
        virtualIp: '10.0.0.2/24',
        taskAddresses: ['10.0.0.5/24', '10.0.0.6/24'],
      },
      { name: 'db', endpointMode: 'dnsrr', taskAddresses: ['10.0.0.7/24', '10.0.0.8/24', '10.0.0.9/24'] },
    ],
  },
  {
    networkId: 'net-b',
    services: [{ name: 'cache', endpointMode: 'vip', virtualIp: '10.1.0.2/24', taskAddresses: [] }],
  },
];

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function udp(): Promise<dgram.Socket> {
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  cleanups.push(() => sock.close());
  return sock;
}

async function setup(networks: readonly string[], upstreams: string[] = [], timeoutMs = 300) {
  const server = await udp();
  const d = new ServiceDns({ networksForClient: () => networks, upstreams, upstreamTimeoutMs: timeoutMs });
  d.setRecords(NETS);
  d.serve(server);
  const r = new dns.promises.Resolver({ timeout: 1000, tries: 1 });
  r.setServers([`127.0.0.1:${server.address().port}`]);
  return { d, r, port: server.address().port };
}

describe('ServiceDns', () => {
  it('answers the VIP for a vip-mode service, case-insensitively, with TTL 600', async () => {
    const { r } = await setup(['net-a']);
    expect(await r.resolve4('WEB', { ttl: true })).toEqual([{ address: '10.0.0.2', ttl: 600 }]);
    expect((await r.resolve4('tasks.web')).sort()).toEqual(['10.0.0.5', '10.0.0.6']);
  });

  it('answers all task IPs for dnsrr, rotated per query', async () => {
    const { r } = await setup(['net-a']);
    const first = await r.resolve4('db');
    const second = await r.resolve4('db');
    expect([...first].sort()).toEqual(['10.0.0.7', '10.0.0.8', '10.0.0.9']);
    expect(second).not.toEqual(first);
  });

  it('scopes names to the client networks and merges several', async () => {
    const only = await setup(['net-a']);
    await expect(only.r.resolve4('cache')).rejects.toMatchObject({ code: 'ESERVFAIL' });
    const both = await setup(['net-a', 'net-b']);
    expect(await both.r.resolve4('cache')).toEqual(['10.1.0.2']);
    expect(await both.r.resolve4('web')).toEqual(['10.0.0.2']);
  });

  it('answers NOERROR with no records for AAAA of a known name', async () => {
    const { r } = await setup(['net-a']);
    await expect(r.resolve6('web')).rejects.toMatchObject({ code: 'ENODATA' });
  });

  it('forwards unknown names upstream and relays the answer', async () => {
    const upstream = await udp();
    const fake = new ServiceDns({ networksForClient: () => ['x'], upstreams: [] });
    fake.setRecords([
      {
        networkId: 'x',
        services: [
          { name: 'example.com', endpointMode: 'vip', virtualIp: '93.184.216.34/32', taskAddresses: [] },
        ],
      },
    ]);
    fake.serve(upstream);
    const { r } = await setup(['net-a'], [`127.0.0.1:${upstream.address().port}`]);
    expect(await r.resolve4('example.com')).toEqual(['93.184.216.34']);
  });

  it('answers SERVFAIL when the upstream does not answer in time', async () => {
    const silent = await udp();
    const { r } = await setup(['net-a'], [`127.0.0.1:${silent.address().port}`], 200);
    await expect(r.resolve4('nowhere.invalid')).rejects.toMatchObject({ code: 'ESERVFAIL' });
  });

  it('replaces records atomically', async () => {
    const { d, r } = await setup(['net-a']);
    d.setRecords([
      {
        networkId: 'net-a',
        services: [{ name: 'web', endpointMode: 'vip', virtualIp: '10.0.0.99/24', taskAddresses: [] }],
      },
    ]);
    expect(await r.resolve4('web')).toEqual(['10.0.0.99']);
    await expect(r.resolve4('db')).rejects.toMatchObject({ code: 'ESERVFAIL' });
  });

  it('answers over TCP with length-prefixed messages', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => server.close());
    const d = new ServiceDns({ networksForClient: () => ['net-a'], upstreams: [] });
    d.setRecords(NETS);
    d.serve(server);
    const q = Buffer.from('abcd0100000100000000000003776562000001' + '0001', 'hex');
    const framed = Buffer.concat([Buffer.from([0, q.length]), q]);
    const reply = await new Promise<Buffer>((resolve, reject) => {
      const sock = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1', () =>
        sock.write(framed),
      );
      sock.on('error', reject);
      sock.once('data', (b: Buffer) => {
        sock.destroy();
        resolve(b);
      });
    });
    expect(reply.readUInt16BE(0)).toBe(reply.length - 2);
    expect(reply.readUInt16BE(2)).toBe(0xabcd);
    expect([...reply.subarray(reply.length - 4)]).toEqual([10, 0, 0, 2]);
  });

  it('survives random bytes and still answers afterwards', async () => {
    const { d, r, port } = await setup(['net-a']);
    for (let i = 0; i < 2000; i++) {
      const junk = randomBytes(i % 64);
      if (i % 2 === 0 && junk.length >= 4) junk.writeUInt16BE(junk.readUInt16BE(2) & 0x7fff, 2);
      await d.resolve(junk, '127.0.0.1');
    }
    const client = await udp();
    for (let i = 0; i < 50; i++) client.send(randomBytes(i), port, '127.0.0.1');
    expect(await r.resolve4('web')).toEqual(['10.0.0.2']);
  });
});
