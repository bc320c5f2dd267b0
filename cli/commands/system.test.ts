import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { INFO } from '../testing/fixtures.ts';
import { fakeDaemon, run, type FakeDaemon } from '../testing/server.ts';
import { formatEvent } from './system.ts';

let daemon: FakeDaemon | undefined;
afterEach(async () => {
  await daemon?.close();
  daemon = undefined;
});

describe('shoal info, version, events', () => {
  it('info prints the swarm section as docker', async () => {
    daemon = await fakeDaemon({ 'GET /info': { json: INFO } });
    const r = await run(daemon, ['info']);
    expect(r.out).toContain(` Swarm: active
  NodeID: cqfcz35eqpiez44xushu0jvrl
  Is Manager: true
  ClusterID: s33fwobx94lctezfelt20bjjr
  Managers: 1
  Nodes: 2
  Default Address Pool: 10.0.0.0/8  
  SubnetSize: 24
  Data Path Port: 4789
  Orchestration:
   Task History Retention Limit: 5
  Raft:
   Snapshot Interval: 10000
   Number of Old Snapshots to Retain: 0
   Heartbeat Tick: 1
   Election Tick: 10
  Dispatcher:
   Heartbeat Period: 5 seconds
  CA Configuration:
   Expiry Duration: 2 days
   Force Rotate: 0
  Autolock Managers: true
  Root Rotation In Progress: false
  Node Address: 127.0.0.1
  Manager Addresses:
   127.0.0.1:2377
 CPUs: 4
 Total Memory: 7.451GiB
 Name: fakehost
`);
    expect(daemon.lines()).toEqual(['GET /v1.47/info']);
    expect((await run(daemon, ['info', '--format', '{{.Swarm.NodeID}}'])).out).toBe(
      'cqfcz35eqpiez44xushu0jvrl\n',
    );
  });

  it('version prints client and server', async () => {
    daemon = await fakeDaemon({
      'GET /version': {
        json: {
          Platform: { Name: 'Shoal' },
          Version: '0.1.0',
          ApiVersion: '1.47',
          MinAPIVersion: '1.24',
          Os: 'linux',
          Arch: 'amd64',
        },
      },
    });
    const r = await run(daemon, ['version']);
    expect(r.out).toContain('Client: Shoal\n Version:      ');
    expect(r.out).toContain(
      'Server: Shoal\n Engine:\n  Version:          0.1.0\n  API version:      1.47 (minimum version 1.24)',
    );
    expect((await run(daemon, ['version', '--format', '{{.Server.ApiVersion}}'])).out).toBe('1.47\n');
  });

  it('version without a daemon prints the client and the connection error', async () => {
    const r = await run(undefined, ['-H', 'unix:///nonexistent/shoal.sock', 'version']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('Client: Shoal');
    expect(r.err).toBe(
      'Cannot connect to the Shoal daemon at unix:///nonexistent/shoal.sock. Is shoald running?\n',
    );
  });

  it('events streams lines in docker format, with filters and times', async () => {
    const ev = {
      Type: 'service',
      Action: 'create',
      Actor: { ID: 'abc', Attributes: { name: 'web', image: 'x' } },
      time: 1795261630,
      timeNano: 1795261630723482000,
    };
    daemon = await fakeDaemon({
      'GET /events': { raw: Buffer.from(`${JSON.stringify(ev)}\n${JSON.stringify(ev)}\n`) },
    });
    const r = await run(daemon, [
      'events',
      '--since',
      '1795261600',
      '--until',
      '10m',
      '--filter',
      'type=service',
    ]);
    expect(r.out.split('\n')).toHaveLength(3);
    expect(r.out).toMatch(
      /^2026-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z service create abc \(image=x, name=web\)\n/,
    );
    expect(daemon.lines()[0]).toMatch(
      /^GET \/v1\.47\/events\?filters=\{"type":\{"service":true\}\}&since=1795261600&until=\d+\.\d{9}$/,
    );
    expect(formatEvent(ev, '{{.Type}}/{{.Action}}')).toBe('service/create\n');
  });
});

describe('shoal image (embedded engine)', () => {
  it('import posts the tarball unversioned as application/x-tar and prints the name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shoal-img-'));
    const tar = join(dir, 'root.tar');
    writeFileSync(tar, Buffer.from('fake tar bytes'));
    daemon = await fakeDaemon({ 'POST /shoal/images/import': { json: { Name: 'alpine' } } });
    const r = await run(daemon, ['image', 'import', 'alpine', tar]);
    rmSync(dir, { recursive: true, force: true });
    expect(r).toEqual({ code: 0, out: 'alpine\n', err: '' });
    const req = daemon.requests[1];
    expect(`${req?.method} ${req?.url}`).toBe('POST /shoal/images/import?name=alpine');
    expect(req?.contentType).toBe('application/x-tar');
    expect(req?.raw.toString()).toBe('fake tar bytes');
  });

  it('ls lists images', async () => {
    daemon = await fakeDaemon({
      'GET /shoal/images': {
        json: [
          { Name: 'busybox', ID: 'sha256:0123456789abcdef', Size: 1536, CreatedAt: '2026-11-22T11:47:14Z' },
        ],
      },
    });
    expect((await run(daemon, ['image', 'ls'])).out).toBe(
      'NAME      IMAGE ID       SIZE      CREATED\nbusybox   0123456789ab   1.5KiB    6 seconds ago\n',
    );
    expect((await run(daemon, ['image', 'ls', '-q'])).out).toBe('busybox\n');
    expect(daemon.lines()[0]).toBe('GET /shoal/images');
  });
});
