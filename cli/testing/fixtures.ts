/** Objects shaped like the stand-in server's answers in docker-cli-28-trace.txt. */
import type { Node, Service, Swarm, SwarmSpec, Task } from '../types.ts';

export const SELF = 'cqfcz35eqpiez44xushu0jvrl';
export const WORKER = 'eomp06ihbetqix14yemadpeum';
export const WEB = '1qp5euurzqncazrqy3z3rp6sz';
export const WEB2 = 'ezcbi9d84o4ptbmt3ob3vlkqr';
export const NOW = '2026-11-22T11:47:20Z';
export const CERT =
  '-----BEGIN CERTIFICATE-----\nMIIBazCCARCgAwIBAgIUFAKEFAKEFAKE\n-----END CERTIFICATE-----\n';

/** The cluster spec after init (what `swarm update` sends back). */
export const SWARM_SPEC: SwarmSpec = {
  Name: 'default',
  Labels: null,
  Orchestration: { TaskHistoryRetentionLimit: 5 },
  Raft: {
    SnapshotInterval: 10000,
    KeepOldSnapshots: 0,
    LogEntriesForSlowFollowers: 500,
    ElectionTick: 10,
    HeartbeatTick: 1,
  },
  Dispatcher: { HeartbeatPeriod: 5000000000 },
  CAConfig: { NodeCertExpiry: 7776000000000000 },
  TaskDefaults: {},
  EncryptionConfig: { AutoLockManagers: false },
};

export function swarm(index = 11, spec: SwarmSpec = SWARM_SPEC): Swarm {
  return {
    ID: 's33fwobx94lctezfelt20bjjr',
    Version: { Index: index },
    CreatedAt: '2026-11-22T11:47:10.723482Z',
    Spec: structuredClone(spec),
    TLSInfo: {
      TrustRoot: CERT,
      CertIssuerSubject: 'MBMxETAPBgNVBAMTCHN3YXJtLWNh',
      CertIssuerPublicKey: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE',
    },
    RootRotationInProgress: false,
    DefaultAddrPool: ['10.0.0.0/8'],
    SubnetSize: 24,
    DataPathPort: 4789,
    JoinTokens: {
      Worker: 'SWMTKN-1-riebwmuod9yt19gfjpy2p48s0a4ltv1dw3c4zgzsbfw1z9mm4a-y6niw9urie3lfbosge50mozii',
      Manager: 'SWMTKN-1-riebwmuod9yt19gfjpy2p48s0a4ltv1dw3c4zgzsbfw1z9mm4a-ffalu07n7griuy9u7mkkz7vu0',
    },
  };
}

export function node(id: string, hostname: string, manager: boolean, index = 13): Node {
  return {
    ID: id,
    Version: { Index: index },
    CreatedAt: '2026-11-22T11:47:10.723482Z',
    Spec: { Labels: {}, Role: manager ? 'manager' : 'worker', Availability: 'active' },
    Description: {
      Hostname: hostname,
      Platform: { Architecture: 'x86_64', OS: 'linux' },
      Resources: { NanoCPUs: 4e9, MemoryBytes: 8000000000 },
      Engine: { EngineVersion: '28.2.2', Plugins: [{ Type: 'Network', Name: 'overlay' }] },
      TLSInfo: swarm().TLSInfo ?? {},
    },
    Status: { State: 'ready', Addr: '127.0.0.1' },
    ...(manager
      ? { ManagerStatus: { Leader: true, Reachability: 'reachable', Addr: '127.0.0.1:2377' } }
      : {}),
  };
}

export const INFO = {
  ID: 'FAKE:ID',
  Name: 'fakehost',
  NCPU: 4,
  MemTotal: 8000000000,
  Swarm: {
    NodeID: SELF,
    NodeAddr: '127.0.0.1',
    LocalNodeState: 'active',
    ControlAvailable: true,
    Error: '',
    RemoteManagers: [{ NodeID: SELF, Addr: '127.0.0.1:2377' }],
    Nodes: 2,
    Managers: 1,
    Cluster: swarm(15, {
      ...SWARM_SPEC,
      CAConfig: { NodeCertExpiry: 172800000000000 },
      EncryptionConfig: { AutoLockManagers: true },
    }),
  },
};

export const WEB_SPEC = {
  Name: 'web',
  Labels: {},
  TaskTemplate: {
    ContainerSpec: { Image: 'nginx:alpine', Init: false, DNSConfig: {} },
    Resources: { Limits: {}, Reservations: {} },
    Placement: {},
    ForceUpdate: 0,
  },
  Mode: { Replicated: { Replicas: 2 } },
  EndpointSpec: {
    Mode: 'vip',
    Ports: [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress' }],
  },
};

export function web(index = 20, extra: Partial<Service> = {}): Service {
  return {
    ID: WEB,
    Version: { Index: index },
    CreatedAt: '2026-11-22T11:47:12Z',
    UpdatedAt: '2026-11-22T11:47:12Z',
    Spec: structuredClone(WEB_SPEC),
    Endpoint: { Ports: [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress' }] },
    ServiceStatus: { RunningTasks: 2, DesiredTasks: 2 },
    ...extra,
  };
}

export function task(id: string, slot: number, state = 'running', timestamp = '2026-11-22T11:47:14Z'): Task {
  return {
    ID: id,
    Version: { Index: 30 },
    CreatedAt: '2026-11-22T11:47:12Z',
    ServiceID: WEB,
    Slot: slot,
    NodeID: SELF,
    DesiredState: 'running',
    Spec: { ContainerSpec: { Image: 'nginx:alpine' } },
    Status: { Timestamp: timestamp, State: state, Message: state },
  };
}
