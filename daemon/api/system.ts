/**
 * `/_ping`, `/version`, `/info` and `/distribution` (docker-api.md, "Versions and ping"): what every
 * docker command reads before it does anything.
 */
import { release } from 'node:os';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { toDockerAs } from '../../proto/docker/kinds.ts';
import { DOCKER_API_VERSION, DOCKER_MIN_API_VERSION, SHOAL_VERSION } from '../../proto/version.ts';
import type { DaemonBackend, SwarmLocalInfo } from '../backend.ts';
import { json } from './common.ts';

/** Docker's `Swarm` ping header: `inactive`, `active/manager`, `active/worker`, `locked`, … */
export function swarmHeader(s: SwarmLocalInfo): string {
  if (s.localNodeState !== 'active') return s.localNodeState;
  return s.controlAvailable ? 'active/manager' : 'active/worker';
}

function ping(backend: DaemonBackend, reply: FastifyReply, withBody: boolean): FastifyReply {
  reply.code(200).headers({
    'Docker-Experimental': 'false',
    'Cache-Control': 'no-cache, no-store, must-revalidate',
    Pragma: 'no-cache',
    Swarm: swarmHeader(backend.swarm()),
    'Content-Type': 'text/plain; charset=utf-8',
  });
  if (withBody) return reply.send('OK');
  return reply.header('Content-Length', '0').send('');
}

/** `GET /version`. */
export function versionBody(backend: DaemonBackend): Record<string, unknown> {
  const h = backend.host();
  const details = {
    ApiVersion: DOCKER_API_VERSION,
    MinAPIVersion: DOCKER_MIN_API_VERSION,
    GitCommit: '',
    GoVersion: `node ${process.version}`,
    Os: h.os,
    Arch: h.arch,
    KernelVersion: h.kernelVersion,
    BuildTime: '',
  };
  return {
    Platform: { Name: `Shoal ${SHOAL_VERSION}` },
    Components: [{ Name: 'Engine', Version: SHOAL_VERSION, Details: { ...details, Engine: h.engine } }],
    Version: SHOAL_VERSION,
    ...details,
  };
}

async function clusterInfo(backend: DaemonBackend): Promise<Record<string, unknown>> {
  const control = backend.control();
  if (!control) return {};
  try {
    const [{ clusters }, { nodes }] = await Promise.all([control.listClusters({}), control.listNodes({})]);
    const cluster = clusters[0];
    const out: Record<string, unknown> = {
      Nodes: nodes.length,
      Managers: nodes.filter((n) => n.spec?.role === 'NODE_ROLE_MANAGER').length,
    };
    if (cluster) {
      const c = toDockerAs('Cluster', { ...cluster, joinTokens: null });
      delete c['JoinTokens'];
      out['Cluster'] = c;
    }
    return out;
  } catch {
    // No leader right now: /info still answers (docker info shows what it can).
    return {};
  }
}

/** `GET /info`'s `Swarm` section. */
export async function swarmInfo(backend: DaemonBackend): Promise<Record<string, unknown>> {
  const s = backend.swarm();
  return {
    NodeID: s.nodeId,
    NodeAddr: s.nodeAddr,
    LocalNodeState: s.localNodeState,
    ControlAvailable: s.controlAvailable,
    Error: s.error,
    RemoteManagers: s.remoteManagers.length
      ? s.remoteManagers.map((m) => ({ NodeID: m.nodeId, Addr: m.addr }))
      : null,
    Nodes: 0,
    Managers: 0,
    ...(await clusterInfo(backend)),
  };
}

/** `GET /info`: Docker's system info with the swarm section; images and containers are not Shoal's. */
export async function infoBody(backend: DaemonBackend): Promise<Record<string, unknown>> {
  const h = backend.host();
  const swarm = await swarmInfo(backend);
  return {
    ID: backend.swarm().nodeId,
    Containers: 0,
    ContainersRunning: 0,
    ContainersPaused: 0,
    ContainersStopped: 0,
    Images: 0,
    Driver: h.engine,
    DriverStatus: [],
    Plugins: { Volume: [], Network: ['overlay'], Authorization: null, Log: [] },
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
    OomKillDisable: false,
    NGoroutines: 0,
    SystemTime: new Date().toISOString(),
    LoggingDriver: 'json-file',
    CgroupDriver: 'cgroupfs',
    CgroupVersion: '2',
    NEventsListener: 0,
    KernelVersion: h.kernelVersion || release(),
    OperatingSystem: h.operatingSystem,
    OSVersion: '',
    OSType: 'linux',
    Architecture: h.arch,
    IndexServerAddress: 'https://index.docker.io/v1/',
    RegistryConfig: { InsecureRegistryCIDRs: [], IndexConfigs: {}, Mirrors: [] },
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
    Runtimes: {},
    DefaultRuntime: h.engine,
    Swarm: swarm,
    LiveRestoreEnabled: false,
    Isolation: '',
    InitBinary: '',
    ContainerdCommit: { ID: '' },
    RuncCommit: { ID: '' },
    InitCommit: { ID: '' },
    SecurityOptions: [],
    Warnings: null,
    // Shoal's own section: the engine running tasks and what it can do here (`shoal info` prints it).
    Shoal: { Version: SHOAL_VERSION, Engine: h.engine, EngineNotes: [...h.engineNotes] },
  };
}

/** The system routes. */
export function systemPlugin(backend: DaemonBackend): FastifyPluginAsync {
  return (app) => {
    app.get('/_ping', (_req, reply) => ping(backend, reply, true));
    app.head('/_ping', (_req, reply) => ping(backend, reply, false));
    app.get('/version', (_req, reply) => json(reply, 200, versionBody(backend)));
    app.get('/info', async (_req, reply) => json(reply, 200, await infoBody(backend)));
    // No registry is consulted: the CLI warns that the image digest was not pinned and goes on.
    app.get('/distribution/*', (req, reply) =>
      json(reply, 404, {
        message: `no such image: ${(req.params as { '*': string })['*'].replace(/\/json$/, '')}: images are not resolved in registries by Shoal`,
      }),
    );
    return Promise.resolve();
  };
}
