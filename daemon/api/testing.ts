/**
 * Backends for the API's tests. {@link testSwarm} is real: a one-manager swarm from `Manager.init`
 * (raft, CA, the leader's control plane) with fake agents that joined with the worker token, so tasks
 * are scheduled, dispatched and reach RUNNING. {@link idleBackend} is a node that is not an active
 * manager (inactive, worker, locked), recording the lifecycle calls it gets.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { joinSwarm } from '../../ca/client.ts';
import { CertificateDir } from '../../ca/keyfile.ts';
import { CLUSTER_CHANNEL_OPTIONS, NodeTlsCredentials } from '../../ca/tls.ts';
import { defaultClusterSpec } from '../../manager/controlapi/defaults.ts';
import { controlPlane, controlServices } from '../../manager/controlplane.ts';
import { FakeAgent } from '../../manager/dispatcher/fake-agent.ts';
import { Manager } from '../../manager/manager.ts';
import type { LogMessage__Output } from '../../proto/gen/shoal/api/LogMessage.ts';
import type { SubscribeLogsRequest } from '../../proto/gen/shoal/api/SubscribeLogsRequest.ts';
import type { SwarmInitRequest__Output } from '../../proto/gen/shoal/api/SwarmInitRequest.ts';
import type { SwarmJoinRequest__Output } from '../../proto/gen/shoal/api/SwarmJoinRequest.ts';
import { UnauthenticatedError, UnavailableError } from '../../proto/shared/errors.ts';
import type { DaemonBackend, HostInfo, LocalNodeState } from '../backend.ts';
import { NOT_A_MANAGER } from './common.ts';

/** A loopback port nobody listens on (for the manager's gRPC address). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/** Waits until `cond` holds (polling every 25 ms); fails naming `what` after `timeoutMs`. */
export async function eventually(
  cond: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const HOST: HostInfo = {
  hostname: 'shoal-test',
  os: 'linux',
  arch: 'amd64',
  kernelVersion: '6.1.0-test',
  operatingSystem: 'Test Linux',
  ncpu: 2,
  memTotal: 4 * 2 ** 30,
  engine: 'process',
  engineNotes: ['not running as root: no namespaces or cgroups'],
  dataRoot: '/var/lib/shoal-test',
};

/** A source of log messages for `GET …/logs` (the test decides what the "cluster" logged). */
export type LogSource = (req: SubscribeLogsRequest, signal: AbortSignal) => AsyncIterable<LogMessage__Output>;

async function* noLogs(req: SubscribeLogsRequest, signal: AbortSignal): AsyncIterable<LogMessage__Output> {
  if (!req.options?.follow || signal.aborted) return;
  await new Promise((r) => signal.addEventListener('abort', r, { once: true }));
  yield* [];
}

/** A one-manager swarm with agents, and the DaemonBackend of its manager. */
export interface TestSwarm {
  readonly backend: DaemonBackend;
  readonly manager: Manager;
  readonly agents: readonly FakeAgent[];
  /** What `backend.logs()` yields (default: nothing; with follow, nothing until aborted). */
  logs: LogSource;
  stop(): Promise<void>;
}

async function addAgent(m: Manager, root: string, name: string): Promise<FakeAgent> {
  const dir = new CertificateDir(join(root, name, 'certificates'));
  const joined = await joinSwarm({ addr: m.addr, token: m.ca.state.joinTokens.worker, dir });
  const creds = new NodeTlsCredentials(
    { rootPem: joined.rootPem, certPem: joined.certPem, keyPem: joined.keyPem },
    joined.identity.clusterId,
  );
  const agent = new FakeAgent({
    addr: m.addr,
    credentials: creds.client(),
    channelOptions: CLUSTER_CHANNEL_OPTIONS,
    description: {
      hostname: name,
      platform: { os: 'linux', architecture: 'x86_64' },
      resources: { nanoCpus: 4e9, memoryBytes: 8 * 2 ** 30, generic: [] },
      engine: { engineVersion: 'fake', labels: {}, plugins: [] },
      tlsInfo: null,
      csiInfo: [],
    } as never,
  });
  const nodeId = joined.identity.nodeId;
  await eventually(() => m.store.get('node', nodeId)?.status?.state === 'STATE_READY', `agent ${name} READY`);
  return agent;
}

/** The manager runs no agent here: drained, it gets no tasks (they would never start). */
async function drain(m: Manager): Promise<void> {
  const control = m.control;
  if (!control) throw new Error('the manager has no control API');
  await eventually(async () => {
    const node = m.store.get('node', m.nodeId);
    if (!node?.spec) return false;
    const spec = { ...node.spec, availability: 'AVAILABILITY_DRAIN' as const };
    return control
      .updateNode({ nodeId: node.id, nodeVersion: node.version, spec })
      .then(() => true)
      .catch(() => false); // out of sequence while the dispatcher writes the node: retry
  }, 'draining the manager');
}

/** Starts a real one-manager swarm with `agents` fake agents (default 1). Call `stop()` when done. */
export async function testSwarm(o: { agents?: number; unlockKey?: string } = {}): Promise<TestSwarm> {
  const root = mkdtempSync(join(tmpdir(), 'shoal-api-'));
  const manager = await Manager.init({
    dataRoot: join(root, 'manager'),
    addr: `127.0.0.1:${await freePort()}`,
    tickMs: 50,
    leader: controlPlane({ heartbeatPeriodMs: 500 }),
    control: controlServices,
  });
  await eventually(() => manager.leading, 'the control plane on the manager');
  await drain(manager);
  const agents: FakeAgent[] = [];
  for (let i = 0; i < (o.agents ?? 1); i++) agents.push(await addAgent(manager, root, `agent-${i}`));
  const unlockKey = o.unlockKey ?? 'SWMKEY-1-testtesttesttesttesttesttesttesttesttest';
  const swarm: TestSwarm = {
    manager,
    agents,
    logs: noLogs,
    backend: {
      swarm: () => ({
        nodeId: manager.nodeId,
        nodeAddr: '127.0.0.1',
        localNodeState: 'active',
        controlAvailable: true,
        error: '',
        remoteManagers: manager.managers(),
      }),
      host: () => HOST,
      control: () => manager.control,
      store: () => manager.store,
      raftMetrics: () => {
        const s = manager.raft.status();
        return {
          term: Number(s.term),
          isLeader: s.role === 'leader',
          leaderId: s.lead === null ? null : String(s.lead),
          commitIndex: Number(s.commit),
          appliedIndex: s.applied,
          members: s.members.length,
        };
      },
      init: () =>
        Promise.reject(
          new UnavailableError(
            'This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.',
          ),
        ),
      join: () =>
        Promise.reject(
          new UnavailableError(
            'This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.',
          ),
        ),
      leave: () => Promise.resolve(),
      unlock: (key) =>
        key === unlockKey
          ? Promise.resolve()
          : Promise.reject(new UnauthenticatedError('swarm could not be unlocked: invalid key provided')),
      unlockKey: () => Promise.resolve(unlockKey),
      logs: (req, signal) => swarm.logs(req, signal),
      defaultClusterSpec: () => defaultClusterSpec(),
    },
    stop: async () => {
      for (const a of agents) await a.stop();
      await manager.stop().catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    },
  };
  return swarm;
}

/** What an {@link idleBackend} was asked to do. */
export interface IdleCalls {
  init?: SwarmInitRequest__Output;
  join?: SwarmJoinRequest__Output;
  leave?: boolean;
}

/** A node with no control API: inactive (default), a worker (`active` + not manager) or locked. */
export function idleBackend(state: LocalNodeState = 'inactive', calls: IdleCalls = {}): DaemonBackend {
  const worker = state === 'active';
  return {
    swarm: () => ({
      nodeId: worker ? 'workernodeid0000000000000' : '',
      nodeAddr: worker ? '127.0.0.1' : '',
      localNodeState: state,
      controlAvailable: false,
      error: '',
      remoteManagers: [],
    }),
    host: () => HOST,
    control: () => undefined,
    store: () => undefined,
    raftMetrics: () => undefined,
    init: (req) => {
      calls.init = req;
      return Promise.resolve('newnodeid0000000000000000');
    },
    join: (req) => {
      calls.join = req;
      return Promise.resolve();
    },
    leave: (force) => {
      calls.leave = force;
      return Promise.resolve();
    },
    unlock: () =>
      Promise.reject(new UnauthenticatedError('swarm could not be unlocked: invalid key provided')),
    unlockKey: () => Promise.reject(new UnavailableError(NOT_A_MANAGER)),
    logs: noLogs,
    defaultClusterSpec: () => defaultClusterSpec(),
  };
}
