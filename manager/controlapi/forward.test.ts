import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import type { ControlClient } from '../../proto/gen/shoal/api/Control.ts';
import { grpcServices } from '../../proto/load.ts';
import {
  AlreadyExistsError,
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
  UnavailableError,
} from '../../proto/shared/errors.ts';
import { MemoryStore } from '../store/memory.ts';
import { ControlApi } from './controlapi.ts';
import { forwardingControl, type LeaderView } from './rpc.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function serve(register: (s: grpc.Server) => void): Promise<string> {
  const server = new grpc.Server();
  register(server);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  cleanups.push(() => new Promise<void>((resolve) => server.tryShutdown(() => resolve())));
  return `127.0.0.1:${port}`;
}

function client(addr: string): ControlClient {
  const c = new (grpcServices().shoal.api.Control)(addr, grpc.credentials.createInsecure());
  cleanups.push(() => c.close());
  return c;
}

async function refused(p: Promise<unknown>): Promise<Error> {
  const r = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(r instanceof Error)) throw new Error('expected the call to fail');
  return r;
}

/** A leader and a follower, each serving Control; the follower forwards to the leader over loopback. */
async function twoManagers(): Promise<{
  leaderStore: MemoryStore;
  followerStore: MemoryStore;
  viaFollower: ControlClient;
  view: { current: LeaderView };
}> {
  const leaderStore = MemoryStore.local();
  const followerStore = MemoryStore.local();
  const leaderApi = forwardingControl({
    local: new ControlApi({ store: leaderStore }),
    leader: () => ({ isLeader: true }),
  });
  const leaderAddr = await serve((s) => leaderApi.register(s));
  const view: { current: LeaderView } = { current: { isLeader: false, client: client(leaderAddr) } };
  const followerApi = forwardingControl({
    local: new ControlApi({ store: followerStore }),
    leader: () => view.current,
  });
  const followerAddr = await serve((s) => followerApi.register(s));
  return { leaderStore, followerStore, viaFollower: client(followerAddr), view };
}

function call<Req, Res>(
  c: ControlClient,
  rpc: 'CreateService' | 'GetService' | 'CreateSecret' | 'RemoveNode' | 'ListServices',
  req: Req,
): Promise<Res> {
  const methods = c as unknown as Record<
    string,
    (r: Req, cb: (e: grpc.ServiceError | null, res?: Res) => void) => void
  >;
  return new Promise((resolve, reject) =>
    methods[rpc]?.(req, (e, res) => (e ? reject(e) : resolve(res as Res))),
  );
}

describe('forwarding to the leader', () => {
  it('answers from the leader: writes land in the leader store, reads come back', async () => {
    const { leaderStore, followerStore, viaFollower } = await twoManagers();
    const created = await call<unknown, { service: { id: string; spec: { name: string } } }>(
      viaFollower,
      'CreateService',
      {
        spec: { name: 'web', taskTemplate: { containerSpec: { image: 'nginx' } } },
      },
    );
    expect(created.service.spec.name).toBe('web');
    expect(leaderStore.get('service', created.service.id)).toBeDefined();
    expect(followerStore.count('service')).toBe(0);
    const got = await call<unknown, { service: { id: string } }>(viaFollower, 'GetService', {
      serviceId: 'web',
    });
    expect(got.service.id).toBe(created.service.id);
  });

  it('returns the leader errors unchanged (class and message), and never secret data', async () => {
    const leaderStore = MemoryStore.local();
    const leaderApi = new ControlApi({ store: leaderStore });
    const addr = await serve((s) => leaderApi.register(s));
    const follower = forwardingControl({
      local: new ControlApi({ store: MemoryStore.local() }),
      leader: () => ({ isLeader: false, client: client(addr) }),
    });
    const spec = { name: 'web', taskTemplate: { containerSpec: { image: 'nginx' } } };
    await follower.createService({ spec });
    const dup = await refused(follower.createService({ spec }));
    expect(dup).toBeInstanceOf(AlreadyExistsError);
    expect(dup.message).toBe('name conflicts with an existing object: service web already exists');
    const bad = await refused(
      follower.createService({
        spec: { ...spec, name: 'x', taskTemplate: { containerSpec: { image: 'Bad' } } },
      }),
    );
    expect(bad).toBeInstanceOf(InvalidArgumentError);
    expect(bad.message).toMatch(
      /^Spec\.TaskTemplate\.ContainerSpec\.Image: "Bad" is not a valid repository\/tag/,
    );
    const missing = await refused(follower.getService({ serviceId: 'nope' }));
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing.message).toBe('service nope not found');
    const noPrev = await refused(
      follower.updateService({
        serviceId: 'web',
        serviceVersion: leaderStore.find('service')[0]?.version ?? null,
        rollback: 'previous',
      }),
    );
    expect(noPrev).toBeInstanceOf(FailedPreconditionError);
    expect(noPrev.message).toBe('service web does not have a previous spec');
    const secret = await follower.createSecret({ spec: { name: 's', data: Buffer.from('top') } });
    expect(secret.secret?.spec?.data.length).toBe(0);
    expect(leaderStore.find('secret')[0]?.spec?.data.toString()).toBe('top');
  });

  it('answers locally while leading, and fails Unavailable with no known leader', async () => {
    const store = MemoryStore.local();
    const view: { current: LeaderView } = { current: { isLeader: true } };
    const api = forwardingControl({ local: new ControlApi({ store }), leader: () => view.current });
    await api.createNetwork({ spec: { name: 'n' } });
    expect(store.count('network')).toBe(1);
    view.current = { isLeader: false };
    const e = await refused(api.listNetworks({}));
    expect(e).toBeInstanceOf(UnavailableError);
    expect(e.message).toMatch(/no leader is known/);
  });
});
