/**
 * Ping, version, info and the swarm itself (init, join, leave, update, unlock, unlock key), as the
 * docker CLI calls them (docker-api.md, "Versions and ping" and "Swarm").
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';
import { toDockerAs, type DockerKinds } from '../../proto/docker/kinds.ts';
import type { DockerObject } from '../../proto/docker/convert.ts';
import { DOCKER_API_VERSION, SHOAL_VERSION } from '../../proto/version.ts';
import type { DaemonBackend } from '../backend.ts';
import { body, bool, controlOf, version } from './common.ts';
import { HttpError, json } from './reply.ts';
import { MIN_API_VERSION } from './server.ts';

type Cluster = DockerKinds['Cluster'];

function swarmHeader(backend: DaemonBackend): string {
  const s = backend.swarm();
  if (s.localNodeState !== 'active') return s.localNodeState;
  return s.controlAvailable ? 'active/manager' : 'active/worker';
}

function ping(backend: DaemonBackend, reply: FastifyReply, head: boolean): FastifyReply {
  reply
    .header('Docker-Experimental', 'false')
    .header('Cache-Control', 'no-cache, no-store, must-revalidate')
    .header('Pragma', 'no-cache')
    .header('Swarm', swarmHeader(backend));
  if (head)
    return reply
      .code(200)
      .header('content-length', 0)
      .header('content-type', 'text/plain; charset=utf-8')
      .send();
  return reply.code(200).header('content-type', 'text/plain; charset=utf-8').send('OK');
}

/** The cluster object this manager holds (the one swarm). */
async function cluster(backend: DaemonBackend): Promise<Cluster> {
  const { clusters } = await controlOf(backend).listClusters({ filters: null });
  const c = clusters[0];
  if (!c) throw new HttpError(503, 'the swarm has no cluster object yet; try again');
  return c as Cluster;
}

async function info(backend: DaemonBackend): Promise<DockerObject> {
  const s = backend.swarm();
  const h = backend.host();
  const swarm: DockerObject = {
    NodeID: s.nodeId,
    NodeAddr: s.nodeAddr,
    LocalNodeState: s.localNodeState,
    ControlAvailable: s.controlAvailable,
    Error: s.error,
    RemoteManagers:
      s.remoteManagers.length > 0 ? s.remoteManagers.map((m) => ({ NodeID: m.nodeId, Addr: m.addr })) : null,
  };
  if (s.controlAvailable) {
    try {
      const control = controlOf(backend);
      const { nodes } = await control.listNodes({ filters: null });
      swarm['Nodes'] = nodes.length;
      swarm['Managers'] = nodes.filter((n) => n.spec?.role === 'NODE_ROLE_MANAGER').length;
      const c = toDockerAs('Cluster', await cluster(backend));
      delete c['JoinTokens'];
      swarm['Cluster'] = c;
    } catch {
      // no quorum: report what is local
    }
  }
  return {
    ID: s.nodeId,
    Containers: 0,
    ContainersRunning: 0,
    ContainersPaused: 0,
    ContainersStopped: 0,
    Images: 0,
    Driver: h.engine,
    DriverStatus: h.engineNotes.map((n) => {
      const i = n.indexOf(': ');
      return i < 0 ? [n, ''] : [n.slice(0, i), n.slice(i + 2)];
    }),
    Plugins: { Volume: ['local'], Network: ['overlay'], Authorization: null, Log: ['json-file'] },
    MemoryLimit: true,
    SwapLimit: false,
    CpuCfsPeriod: true,
    CpuCfsQuota: true,
    CPUShares: true,
    CPUSet: true,
    PidsLimit: true,
    IPv4Forwarding: true,
    BridgeNfIptables: true,
    BridgeNfIp6tables: true,
    Debug: false,
    NFd: 0,
    NGoroutines: 0,
    SystemTime: new Date().toISOString(),
    LoggingDriver: 'json-file',
    CgroupDriver: 'cgroupfs',
    CgroupVersion: '2',
    NEventsListener: 0,
    KernelVersion: h.kernelVersion,
    OperatingSystem: h.operatingSystem,
    OSVersion: '',
    OSType: 'linux',
    Architecture: h.arch,
    IndexServerAddress: '',
    RegistryConfig: null,
    NCPU: h.ncpu,
    MemTotal: h.memTotal,
    GenericResources: null,
    DockerRootDir: h.dataRoot,
    HttpProxy: '',
    HttpsProxy: '',
    NoProxy: '',
    Name: h.hostname,
    Labels: [],
    ExperimentalBuild: false,
    ServerVersion: SHOAL_VERSION,
    Runtimes: { [h.engine]: { path: h.engine } },
    DefaultRuntime: h.engine,
    Swarm: swarm,
    LiveRestoreEnabled: false,
    Isolation: '',
    InitBinary: '',
    ContainerdCommit: { ID: 'shoal', Expected: 'shoal' },
    RuncCommit: { ID: 'shoal', Expected: 'shoal' },
    InitCommit: { ID: 'shoal', Expected: 'shoal' },
    SecurityOptions: [],
    Warnings: null,
    Shoal: { Engine: h.engine, EngineNotes: [...h.engineNotes] },
  };
}

function versionJson(backend: DaemonBackend): DockerObject {
  const h = backend.host();
  const details = {
    ApiVersion: DOCKER_API_VERSION,
    MinAPIVersion: MIN_API_VERSION,
    Os: 'linux',
    Arch: goArch(),
    KernelVersion: h.kernelVersion,
    Engine: h.engine,
  };
  return {
    Platform: { Name: `Shoal ${SHOAL_VERSION}` },
    Components: [{ Name: 'Engine', Version: SHOAL_VERSION, Details: details }],
    Version: SHOAL_VERSION,
    ApiVersion: DOCKER_API_VERSION,
    MinAPIVersion: MIN_API_VERSION,
    GitCommit: 'shoal',
    GoVersion: `node${process.versions.node}`,
    Os: 'linux',
    Arch: goArch(),
    KernelVersion: h.kernelVersion,
    BuildTime: '2026-01-01T00:00:00.000000000+00:00',
  };
}

function goArch(): string {
  return process.arch === 'x64' ? 'amd64' : process.arch;
}

export function systemPlugin(backend: DaemonBackend): FastifyPluginAsync {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/_ping', (_req, reply) => ping(backend, reply, false));
    app.head('/_ping', (_req, reply) => ping(backend, reply, true));
    app.get('/version', (_req, reply) => json(reply, 200, versionJson(backend)));
    app.get('/info', async (_req, reply) => json(reply, 200, await info(backend)));

    app.get('/swarm', async (_req, reply) => json(reply, 200, toDockerAs('Cluster', await cluster(backend))));
    app.post('/swarm/init', async (req, reply) => {
      const r = body('SwarmInitRequest', req.body ?? {});
      return json(reply, 200, await backend.init(r));
    });
    app.post('/swarm/join', async (req, reply) => {
      await backend.join(body('SwarmJoinRequest', req.body));
      return reply.code(200).header('content-length', 0).send();
    });
    app.post('/swarm/leave', async (req, reply) => {
      await backend.leave(bool(req.query, 'force'));
      return reply.code(200).header('content-length', 0).send();
    });
    app.post('/swarm/unlock', async (req, reply) => {
      const r = body('SwarmUnlockRequest', req.body);
      if (!r.unlockKey) throw new HttpError(400, 'UnlockKey: an unlock key is required');
      await backend.unlock(r.unlockKey);
      return reply.code(200).header('content-length', 0).send();
    });
    app.get('/swarm/unlockkey', async (_req, reply) => {
      controlOf(backend);
      return json(reply, 200, { UnlockKey: await backend.unlockKey() });
    });
    app.post('/swarm/update', async (req, reply) => {
      const spec = body('ClusterSpec', req.body);
      const c = await cluster(backend);
      await controlOf(backend).updateCluster({
        clusterId: c.id,
        clusterVersion: version(req.query),
        spec,
        rotateWorkerToken: bool(req.query, 'rotateWorkerToken'),
        rotateManagerToken: bool(req.query, 'rotateManagerToken'),
        rotateManagerUnlockKey: bool(req.query, 'rotateManagerUnlockKey'),
      });
      return reply.code(200).header('content-length', 0).send();
    });
  };
}
