import { afterEach, describe, expect, it } from 'vitest';
import { INFO, SELF, WORKER, node } from '../testing/fixtures.ts';
import { fakeDaemon, run, type FakeDaemon } from '../testing/server.ts';

let daemon: FakeDaemon | undefined;
afterEach(async () => {
  await daemon?.close();
  daemon = undefined;
});

describe('shoal node', () => {
  it('ls marks self, sorts by hostname, and lays out as docker', async () => {
    daemon = await fakeDaemon({
      'GET /nodes': { json: [node(WORKER, 'worker1', false), node(SELF, 'fakehost', true)] },
      'GET /info': { json: INFO },
    });
    const r = await run(daemon, ['node', 'ls']);
    expect(r.out).toBe(
      'ID                            HOSTNAME   STATUS    AVAILABILITY   MANAGER STATUS   ENGINE VERSION\n' +
        'cqfcz35eqpiez44xushu0jvrl *   fakehost   Ready     Active         Leader           28.2.2\n' +
        'eomp06ihbetqix14yemadpeum     worker1    Ready     Active                          28.2.2\n',
    );
    expect(daemon.lines()).toEqual(['GET /v1.47/nodes', 'GET /v1.47/info']);
    expect((await run(daemon, ['node', 'ls', '-q'])).out).toBe(`${SELF}\n${WORKER}\n`);
    expect((await run(daemon, ['node', 'ls', '--format', '{{.Hostname}}: {{.Self}}'])).out).toBe(
      'fakehost: true\nworker1: false\n',
    );
    await run(daemon, ['node', 'ls', '--filter', 'role=manager']);
    expect(daemon.lines().at(-2)).toBe('GET /v1.47/nodes?filters={"role":{"manager":true}}');
  });

  it('inspect --pretty self prints what docker prints', async () => {
    daemon = await fakeDaemon({
      'GET /info': { json: INFO },
      [`GET /nodes/${SELF}`]: { json: node(SELF, 'fakehost', true) },
    });
    const r = await run(daemon, ['node', 'inspect', '--pretty', 'self']);
    expect(r.out).toBe(`ID:			${SELF}
Hostname:              	fakehost
Joined at:             	2026-11-22 11:47:10.723482 +0000 utc
Status:
 State:			Ready
 Availability:         	Active
 Address:		127.0.0.1
Manager Status:
 Address:		127.0.0.1:2377
 Raft Status:		Reachable
 Leader:		Yes
Platform:
 Operating System:	linux
 Architecture:		x86_64
Resources:
 CPUs:			4
 Memory:		7.451GiB
Plugins:
 Network:		overlay
Engine Version:		28.2.2
TLS Info:
 TrustRoot:
-----BEGIN CERTIFICATE-----
MIIBazCCARCgAwIBAgIUFAKEFAKEFAKE
-----END CERTIFICATE-----

 Issuer Subject:	MBMxETAPBgNVBAMTCHN3YXJtLWNh
 Issuer Public Key:	MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE
`);
    expect(daemon.lines()).toEqual(['GET /v1.47/info', `GET /v1.47/nodes/${SELF}`]);
    expect((await run(daemon, ['node', 'inspect', '--format', '{{.Description.Hostname}}', SELF])).out).toBe(
      'fakehost\n',
    );
    const json = JSON.parse((await run(daemon, ['node', 'inspect', SELF])).out) as { ID: string }[];
    expect(json[0]?.ID).toBe(SELF);
  });

  it('update, promote and demote post the full spec with the version', async () => {
    daemon = await fakeDaemon({
      'GET /nodes/worker1': { json: node(WORKER, 'worker1', false, 13) },
      [`POST /nodes/${WORKER}/update`]: { json: null },
    });
    const r = await run(daemon, [
      'node',
      'update',
      '--availability',
      'drain',
      '--label-add',
      'a=b',
      'worker1',
    ]);
    expect(r.out).toBe('worker1\n');
    expect(daemon.lines()).toEqual([
      'GET /v1.47/nodes/worker1',
      `POST /v1.47/nodes/${WORKER}/update?version=13`,
    ]);
    expect(daemon.requests[2]?.body).toEqual({ Labels: { a: 'b' }, Role: 'worker', Availability: 'drain' });
    expect((await run(daemon, ['node', 'promote', 'worker1'])).out).toBe(
      'Node worker1 promoted to a manager in the swarm.\n',
    );
    expect(daemon.requests.at(-1)?.body).toMatchObject({ Role: 'manager' });
    expect((await run(daemon, ['node', 'demote', 'worker1'])).out).toBe(
      'Node worker1 is already a worker.\n',
    );
  });

  it('rm and rm -f', async () => {
    daemon = await fakeDaemon({
      'DELETE /nodes/worker1': {
        status: 400,
        json: {
          message:
            "rpc error: code = FailedPrecondition desc = node worker1 is not down and can't be removed",
        },
      },
      'DELETE /nodes/worker1?force=1': { json: null },
    });
    const r = await run(daemon, ['node', 'rm', 'worker1']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('Error response from daemon: rpc error: code = FailedPrecondition');
    expect((await run(daemon, ['node', 'rm', '-f', 'worker1'])).out).toBe('worker1\n');
  });

  it('ps self prints the empty task table', async () => {
    daemon = await fakeDaemon({
      'GET /info': { json: INFO },
      [`GET /nodes/${SELF}`]: { json: node(SELF, 'fakehost', true) },
      'GET /tasks': { json: [] },
    });
    const r = await run(daemon, ['node', 'ps', 'self']);
    expect(r.out).toBe(
      'ID        NAME      IMAGE     NODE      DESIRED STATE   CURRENT STATE   ERROR     PORTS\n',
    );
    expect(daemon.lines()).toEqual([
      'GET /v1.47/info',
      `GET /v1.47/nodes/${SELF}`,
      `GET /v1.47/tasks?filters={"node":{"${SELF}":true}}`,
    ]);
  });

  it('refuses bad values before any request', async () => {
    daemon = await fakeDaemon();
    expect(await run(daemon, ['node', 'update', '--availability', 'sleepy', 'worker1'])).toEqual({
      code: 1,
      out: '',
      err: 'invalid argument "sleepy" for "--availability" flag: must be one of "active", "pause", "drain"\nSee \'shoal node update --help\'.\n',
    });
    expect((await run(daemon, ['node', 'update', '--role', 'king', 'w'])).code).toBe(1);
    expect((await run(daemon, ['node', 'rm'])).err).toContain("missing required argument 'node'");
    expect(daemon.requests).toEqual([]);
  });
});
