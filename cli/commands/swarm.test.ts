import { afterEach, describe, expect, it } from 'vitest';
import { CERT, INFO, SELF, SWARM_SPEC, node, swarm } from '../testing/fixtures.ts';
import { fakeDaemon, run, type FakeDaemon } from '../testing/server.ts';

let daemon: FakeDaemon | undefined;
afterEach(async () => {
  await daemon?.close();
  daemon = undefined;
});

const JOIN_WORKER =
  'To add a worker to this swarm, run the following command:\n\n    shoal swarm join --token SWMTKN-1-riebwmuod9yt19gfjpy2p48s0a4ltv1dw3c4zgzsbfw1z9mm4a-y6niw9urie3lfbosge50mozii 127.0.0.1:2377\n\n';

describe('shoal swarm', () => {
  it('init sends the body docker sends and prints the join command', async () => {
    daemon = await fakeDaemon({
      'POST /swarm/init': { json: SELF },
      [`GET /nodes/${SELF}`]: { json: node(SELF, 'fakehost', true) },
      'GET /swarm': { json: swarm() },
    });
    const r = await run(daemon, ['swarm', 'init', '--advertise-addr', '127.0.0.1']);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toBe(
      `Swarm initialized: current node (${SELF}) is now a manager.\n\n${JOIN_WORKER}` +
        "To add a manager to this swarm, run 'shoal swarm join-token manager' and follow the instructions.\n\n",
    );
    expect(daemon.lines()).toEqual([
      'POST /v1.47/swarm/init',
      `GET /v1.47/nodes/${SELF}`,
      'GET /v1.47/swarm',
    ]);
    expect(daemon.requests[0]?.method).toBe('HEAD');
    expect(daemon.requests[1]?.body).toEqual({
      ListenAddr: '0.0.0.0:2377',
      AdvertiseAddr: '127.0.0.1',
      DataPathAddr: '',
      DataPathPort: 0,
      ForceNewCluster: false,
      Spec: {
        Labels: null,
        Orchestration: {},
        Raft: { ElectionTick: 0, HeartbeatTick: 0 },
        Dispatcher: {},
        CAConfig: {},
        TaskDefaults: {},
        EncryptionConfig: { AutoLockManagers: false },
      },
      AutoLockManagers: false,
      Availability: '',
      DefaultAddrPool: [],
      SubnetSize: 24,
    });
  });

  it('init --autolock --cert-expiry puts them in the spec and prints the unlock key', async () => {
    daemon = await fakeDaemon({
      'POST /swarm/init': { json: SELF },
      [`GET /nodes/${SELF}`]: { json: node(SELF, 'fakehost', true) },
      'GET /swarm': { json: swarm() },
      'GET /swarm/unlockkey': { json: { UnlockKey: 'SWMKEY-1-abc' } },
    });
    const r = await run(daemon, [
      'swarm',
      'init',
      '--autolock',
      '--cert-expiry',
      '48h',
      '--task-history-limit',
      '3',
    ]);
    expect(r.code).toBe(0);
    const body = daemon.requests[1]?.body as { Spec: Record<string, unknown>; AutoLockManagers: boolean };
    expect(body.Spec.CAConfig).toEqual({ NodeCertExpiry: 172800000000000 });
    expect(body.Spec.Orchestration).toEqual({ TaskHistoryRetentionLimit: 3 });
    expect(body.AutoLockManagers).toBe(true);
    expect(r.out).toContain('    SWMKEY-1-abc\n\nRemember to store this key');
  });

  it('join-token worker reads the swarm, info, node, swarm', async () => {
    daemon = await fakeDaemon({
      'GET /swarm': { json: swarm() },
      'GET /info': { json: INFO },
      [`GET /nodes/${SELF}`]: { json: node(SELF, 'fakehost', true) },
    });
    const r = await run(daemon, ['swarm', 'join-token', 'worker']);
    expect(r.out).toBe(JOIN_WORKER);
    expect(daemon.lines()).toEqual([
      'GET /v1.47/swarm',
      'GET /v1.47/info',
      `GET /v1.47/nodes/${SELF}`,
      'GET /v1.47/swarm',
    ]);
  });

  it('join-token --rotate -q manager posts the spec back with the version and prints the token', async () => {
    daemon = await fakeDaemon({ 'GET /swarm': { json: swarm(11) }, 'POST /swarm/update': { json: null } });
    const r = await run(daemon, ['swarm', 'join-token', '--rotate', '-q', 'manager']);
    expect(r.out).toBe(`${swarm().JoinTokens?.Manager}\n`);
    expect(daemon.lines()).toEqual([
      'GET /v1.47/swarm',
      'POST /v1.47/swarm/update?rotateManagerToken=true&rotateManagerUnlockKey=false&rotateWorkerToken=false&version=11',
      'GET /v1.47/swarm',
    ]);
    expect(daemon.requests[2]?.body).toEqual(SWARM_SPEC);
  });

  it('update --autolock --cert-expiry 48h prints the unlock key', async () => {
    daemon = await fakeDaemon({
      'GET /swarm': { json: swarm(14) },
      'POST /swarm/update': { json: null },
      'GET /swarm/unlockkey': { json: { UnlockKey: 'SWMKEY-1-ns9ov7nz6avz64f8mrg3y6mb9sryvry8vfjpfof8q01' } },
    });
    const r = await run(daemon, ['swarm', 'update', '--autolock', '--cert-expiry', '48h']);
    expect(r.out).toBe(
      'Swarm updated.\nTo unlock a swarm manager after it restarts, run the `shoal swarm unlock`\ncommand and provide the following key:\n\n    SWMKEY-1-ns9ov7nz6avz64f8mrg3y6mb9sryvry8vfjpfof8q01\n\nRemember to store this key in a password manager, since without it you\nwill not be able to restart the manager.\n',
    );
    expect(daemon.lines()[1]).toBe(
      'POST /v1.47/swarm/update?rotateManagerToken=false&rotateManagerUnlockKey=false&rotateWorkerToken=false&version=14',
    );
    expect(daemon.requests[2]?.body).toEqual({
      ...SWARM_SPEC,
      CAConfig: { NodeCertExpiry: 172800000000000 },
      EncryptionConfig: { AutoLockManagers: true },
    });
  });

  it('unlock-key --rotate', async () => {
    const locked = { ...SWARM_SPEC, EncryptionConfig: { AutoLockManagers: true } };
    daemon = await fakeDaemon({
      'GET /swarm': { json: swarm(15, locked) },
      'POST /swarm/update': { json: null },
      'GET /swarm/unlockkey': { json: { UnlockKey: 'SWMKEY-1-new' } },
    });
    const r = await run(daemon, ['swarm', 'unlock-key', '--rotate']);
    expect(r.out).toMatch(/^Successfully rotated manager unlock key.\nTo unlock a swarm manager/);
    expect(daemon.lines()[1]).toContain('rotateManagerUnlockKey=true');
    expect((await run(daemon, ['swarm', 'unlock-key', '-q'])).out).toBe('SWMKEY-1-new\n');
  });

  it('ca prints the trust root', async () => {
    daemon = await fakeDaemon({ 'GET /swarm': { json: swarm() } });
    expect((await run(daemon, ['swarm', 'ca'])).out).toBe(CERT);
  });

  it('ca --rotate bumps ForceRotate and waits for every node', async () => {
    let polls = 0;
    daemon = await fakeDaemon({
      'GET /swarm': () => ({ json: { ...swarm(), RootRotationInProgress: polls++ < 2 } }),
      'POST /swarm/update': { json: null },
      'GET /nodes': { json: [node(SELF, 'fakehost', true)] },
    });
    const r = await run(daemon, ['swarm', 'ca', '--rotate']);
    expect(r.code).toBe(0);
    expect((daemon.requests.find((q) => q.method === 'POST')?.body as typeof SWARM_SPEC).CAConfig).toEqual({
      NodeCertExpiry: 7776000000000000,
      ForceRotate: 1,
    });
    expect(r.out.endsWith(CERT)).toBe(true);
  });

  it('leave prints the daemon error and exits 1; --force leaves', async () => {
    const msg =
      'You are attempting to leave the swarm on a node that is participating as a manager. Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message.';
    daemon = await fakeDaemon({
      'POST /swarm/leave': { status: 503, json: { message: msg } },
      'POST /swarm/leave?force=1': { json: null },
    });
    expect(await run(daemon, ['swarm', 'leave'])).toEqual({
      code: 1,
      out: '',
      err: `Error response from daemon: ${msg}\n`,
    });
    expect(await run(daemon, ['swarm', 'leave', '--force'])).toEqual({
      code: 0,
      out: 'Node left the swarm.\n',
      err: '',
    });
  });

  it('join sends the remote address and token, then reads info', async () => {
    daemon = await fakeDaemon({
      'POST /swarm/join': { json: null },
      'GET /info': { json: { Swarm: { ControlAvailable: false } } },
    });
    const r = await run(daemon, ['swarm', 'join', '--token', 'SWMTKN-1-abc-xyzW', '10.0.0.1:2377']);
    expect(r.out).toBe('This node joined a swarm as a worker.\n');
    expect(daemon.requests[1]?.body).toEqual({
      ListenAddr: '0.0.0.0:2377',
      AdvertiseAddr: '',
      DataPathAddr: '',
      RemoteAddrs: ['10.0.0.1:2377'],
      JoinToken: 'SWMTKN-1-abc-xyzW',
      Availability: '',
    });
  });

  it('unlock reads the key from stdin', async () => {
    daemon = await fakeDaemon({
      'GET /info': { json: { Swarm: { LocalNodeState: 'locked' } } },
      'POST /swarm/unlock': {
        status: 401,
        json: { message: 'swarm could not be unlocked: invalid key provided' },
      },
    });
    const r = await run(daemon, ['swarm', 'unlock'], { stdin: 'SWMKEY-1-wrong\n' });
    expect(r).toEqual({
      code: 1,
      out: '',
      err: 'Error response from daemon: swarm could not be unlocked: invalid key provided\n',
    });
    expect(daemon.requests.at(-1)?.body).toEqual({ UnlockKey: 'SWMKEY-1-wrong' });
  });

  it('refuses bad flag values before sending anything', async () => {
    daemon = await fakeDaemon();
    for (const argv of [
      ['swarm', 'init', '--cert-expiry', 'forever'],
      ['swarm', 'init', '--availability', 'maybe'],
      ['swarm', 'init', '--data-path-port', '80'],
      ['swarm', 'update', '--dispatcher-heartbeat', '5'],
      ['swarm', 'update', '--task-history-limit', 'x'],
      ['swarm', 'join-token', 'admin'],
      ['swarm', 'join'],
    ]) {
      const r = await run(daemon, argv);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.err, argv.join(' ')).not.toBe('');
    }
    expect((await run(daemon, ['swarm', 'init', '--cert-expiry', 'forever'])).err).toBe(
      'invalid argument "forever" for "--cert-expiry" flag: time: invalid duration "forever"\nSee \'shoal swarm init --help\'.\n',
    );
    expect(daemon.requests).toEqual([]);
  });
});
