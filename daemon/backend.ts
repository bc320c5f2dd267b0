/**
 * What the HTTP API needs from the node it runs on. `daemon/node.ts` implements it for shoald; the API
 * (daemon/api/) knows nothing else of the node. Requests and answers are proto objects (proto/gen);
 * the API converts them to and from Docker's JSON with proto/docker.
 */
import type { ClusterSpec__Output } from '../proto/gen/shoal/api/ClusterSpec.ts';
import type { SwarmInitRequest__Output } from '../proto/gen/shoal/api/SwarmInitRequest.ts';
import type { SwarmJoinRequest__Output } from '../proto/gen/shoal/api/SwarmJoinRequest.ts';
import type { ControlService } from '../manager/controlapi/rpc.ts';
import type { MemoryStore } from '../manager/store/memory.ts';
import type { LogMessage__Output } from '../proto/gen/shoal/api/LogMessage.ts';
import type { SubscribeLogsRequest } from '../proto/gen/shoal/api/SubscribeLogsRequest.ts';

/** Docker's `Swarm.LocalNodeState`. */
export type LocalNodeState = 'inactive' | 'pending' | 'active' | 'error' | 'locked';

export interface SwarmLocalInfo {
  readonly nodeId: string;
  /** This node's address (advertise address, without the port). */
  readonly nodeAddr: string;
  readonly localNodeState: LocalNodeState;
  /** True on a manager whose control API is available (Docker's `ControlAvailable`). */
  readonly controlAvailable: boolean;
  /** A message when localNodeState is 'error'. */
  readonly error: string;
  /** Known managers, `host:port`. */
  readonly remoteManagers: readonly { readonly nodeId: string; readonly addr: string }[];
}

/** The host and its engine, for `GET /info` and `GET /version`. */
export interface HostInfo {
  readonly hostname: string;
  readonly os: string;
  /** Go's names: amd64, arm64. */
  readonly arch: string;
  readonly kernelVersion: string;
  readonly operatingSystem: string;
  readonly ncpu: number;
  readonly memTotal: number;
  /** 'process' or 'docker'. */
  readonly engine: string;
  /** Engine details for `shoal info` (e.g. "running as root: namespaces and cgroups" or why not). */
  readonly engineNotes: readonly string[];
  readonly dataRoot: string;
}

/** Raft figures for /metrics (managers only). */
export interface RaftMetrics {
  readonly term: number;
  readonly isLeader: boolean;
  readonly leaderId: string | null;
  readonly commitIndex: number;
  readonly appliedIndex: number;
  readonly members: number;
}

export interface DaemonBackend {
  /** This node's swarm state. */
  swarm(): SwarmLocalInfo;
  host(): HostInfo;
  /**
   * The control API, present on an active manager (it forwards to the leader when following).
   * Undefined on workers, inactive and locked nodes: the API answers with Docker's 503 messages.
   */
  control(): ControlService | undefined;
  /** The local manager's replicated store (for `GET /events`), on an active manager only. */
  store(): MemoryStore | undefined;
  raftMetrics(): RaftMetrics | undefined;

  /** `swarm init`: resolves with this node's ID. 503 "already part of a swarm" when it is. */
  init(req: SwarmInitRequest__Output): Promise<string>;
  join(req: SwarmJoinRequest__Output): Promise<void>;
  /** `swarm leave [--force]`. */
  leave(force: boolean): Promise<void>;
  /** `swarm unlock`: InvalidUnlockKeyError (401) on a wrong key. */
  unlock(unlockKey: string): Promise<void>;
  /** `GET /swarm/unlockkey` (managers only). */
  unlockKey(): Promise<string>;
  /**
   * Service and task logs (manager only): the lines so far (`options.tail` from the end, negative = all,
   * from `options.since`) and, with `options.follow`, new lines until `signal` aborts. Gathered from every
   * node running a selected task through the log broker.
   */
  logs(req: SubscribeLogsRequest, signal: AbortSignal): AsyncIterable<LogMessage__Output>;
  /** Defaults a new swarm's spec starts from (what `swarm init` merges non-zero fields over). */
  defaultClusterSpec(): ClusterSpec__Output;
}
