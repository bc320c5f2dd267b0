/**
 * The Docker Engine API JSON shapes the CLI reads, only the fields it uses (docker-api.md). Specs
 * are kept as open records because the CLI sends back the whole spec it read, fields it does not
 * know included.
 */

/** An open JSON object. */
export type Json = Record<string, unknown>;

/** `Version: {Index}` on every object. */
export interface Versioned {
  readonly ID: string;
  readonly Version?: { readonly Index: number };
  readonly CreatedAt?: string;
  readonly UpdatedAt?: string;
}

/** A service spec, as much as the CLI reads or edits. */
export interface ServiceSpec extends Json {
  Name?: string;
  Labels?: Record<string, string>;
  TaskTemplate?: TaskSpec;
  Mode?: {
    Replicated?: { Replicas?: number };
    Global?: Json;
    ReplicatedJob?: { MaxConcurrent?: number; TotalCompletions?: number };
    GlobalJob?: Json;
  };
  UpdateConfig?: UpdateConfig;
  RollbackConfig?: UpdateConfig;
  EndpointSpec?: { Mode?: string; Ports?: PortConfigJson[] };
}

/** Update or rollback settings. */
export interface UpdateConfig extends Json {
  Parallelism?: number;
  Delay?: number;
  FailureAction?: string;
  Monitor?: number;
  MaxFailureRatio?: number;
  Order?: string;
}

/** A task template. */
export interface TaskSpec extends Json {
  ContainerSpec?: ContainerSpec;
  Resources?: { Limits?: Resources; Reservations?: Resources };
  RestartPolicy?: { Condition?: string; Delay?: number; MaxAttempts?: number; Window?: number };
  Placement?: {
    Constraints?: string[];
    Preferences?: { Spread: { SpreadDescriptor: string } }[];
    MaxReplicas?: number;
  };
  Networks?: { Target: string; Aliases?: string[] }[];
  ForceUpdate?: number;
}

/** Resource limits or reservations. */
export interface Resources extends Json {
  NanoCPUs?: number;
  MemoryBytes?: number;
}

/** A container spec. */
export interface ContainerSpec extends Json {
  Image?: string;
  Labels?: Record<string, string>;
  Command?: string[];
  Args?: string[];
  Hostname?: string;
  Env?: string[];
  Dir?: string;
  User?: string;
  Mounts?: Json[];
  StopGracePeriod?: number;
  StopSignal?: string;
  Healthcheck?: Json;
  Init?: boolean;
  Secrets?: Json[];
  Configs?: Json[];
}

/** A port as the API carries it. */
export interface PortConfigJson {
  readonly Protocol?: string;
  readonly TargetPort?: number;
  readonly PublishedPort?: number;
  readonly PublishMode?: string;
}

/** `GET /services/{id}`. */
export interface Service extends Versioned {
  readonly Spec: ServiceSpec;
  readonly PreviousSpec?: ServiceSpec;
  readonly Endpoint?: { readonly Ports?: readonly PortConfigJson[] };
  readonly UpdateStatus?: { readonly State?: string; readonly Message?: string };
  readonly ServiceStatus?: { readonly RunningTasks?: number; readonly DesiredTasks?: number };
}

/** `GET /tasks`. */
export interface Task extends Versioned {
  readonly ServiceID: string;
  readonly Slot?: number;
  readonly NodeID?: string;
  readonly DesiredState: string;
  readonly Spec?: TaskSpec;
  readonly Status: {
    readonly Timestamp?: string;
    readonly State: string;
    readonly Message?: string;
    readonly Err?: string;
    readonly PortStatus?: { readonly Ports?: readonly PortConfigJson[] };
  };
}

/** `GET /nodes`. */
export interface Node extends Versioned {
  readonly Spec: { Labels?: Record<string, string>; Role?: string; Availability?: string; Name?: string };
  readonly Description?: {
    readonly Hostname?: string;
    readonly Platform?: { readonly Architecture?: string; readonly OS?: string };
    readonly Resources?: { readonly NanoCPUs?: number; readonly MemoryBytes?: number };
    readonly Engine?: {
      readonly EngineVersion?: string;
      readonly Labels?: Record<string, string>;
      readonly Plugins?: readonly { readonly Type: string; readonly Name: string }[];
    };
    readonly TLSInfo?: TlsInfo;
  };
  readonly Status?: { readonly State?: string; readonly Addr?: string; readonly Message?: string };
  readonly ManagerStatus?: {
    readonly Leader?: boolean;
    readonly Reachability?: string;
    readonly Addr?: string;
  };
}

/** TLS information of a node or the cluster. */
export interface TlsInfo {
  readonly TrustRoot?: string;
  readonly CertIssuerSubject?: string;
  readonly CertIssuerPublicKey?: string;
}

/** `GET /swarm`. */
export interface Swarm extends Versioned {
  readonly Spec: SwarmSpec;
  readonly TLSInfo?: TlsInfo;
  readonly RootRotationInProgress?: boolean;
  readonly DefaultAddrPool?: readonly string[];
  readonly SubnetSize?: number;
  readonly DataPathPort?: number;
  readonly JoinTokens?: { readonly Worker: string; readonly Manager: string };
}

/** The cluster spec `POST /swarm/update` replaces. */
export interface SwarmSpec extends Json {
  Orchestration?: { TaskHistoryRetentionLimit?: number };
  Raft?: {
    SnapshotInterval?: number;
    KeepOldSnapshots?: number;
    LogEntriesForSlowFollowers?: number;
    ElectionTick?: number;
    HeartbeatTick?: number;
  };
  Dispatcher?: { HeartbeatPeriod?: number };
  CAConfig?: { NodeCertExpiry?: number; ForceRotate?: number; ExternalCAs?: unknown[] };
  EncryptionConfig?: { AutoLockManagers?: boolean };
}

/** `GET /info`, the parts the CLI prints. */
export interface Info extends Json {
  readonly Swarm?: {
    readonly NodeID?: string;
    readonly NodeAddr?: string;
    readonly LocalNodeState?: string;
    readonly ControlAvailable?: boolean;
    readonly Error?: string;
    readonly RemoteManagers?: readonly { readonly NodeID: string; readonly Addr: string }[] | null;
    readonly Nodes?: number;
    readonly Managers?: number;
    readonly Cluster?: Swarm;
  };
}

/** A secret or config. */
export interface SecretOrConfig extends Versioned {
  readonly Spec: { Name: string; Labels?: Record<string, string>; Data?: string; Driver?: { Name?: string } };
}

/** A network. */
export interface Network extends Json {
  readonly Id: string;
  readonly Name: string;
  readonly Driver?: string;
  readonly Scope?: string;
}
