/**
 * The contract between the agent and a local engine. The agent owns one {@link TaskController} per task
 * and drives it through the shared state machine (statemachine.ts); an engine only knows how to
 * prepare, start, wait for, stop and remove the work of one task.
 *
 * Engines: `worker/engines/process` (embedded, needs nothing installed) and `worker/engines/docker`
 * (Docker Engine API over its unix socket). Secrets and configs are materialised by
 * `worker/secrets` before `prepare` and handed to the engine as {@link SecretFile}s.
 */
import type { Task__Output } from '../../proto/gen/shoal/api/Task.ts';

export type Task = Task__Output;

/** A secret or config file for a task, already written by worker/secrets to the task's tmpfs. */
export interface SecretFile {
  /** Absolute path of the file on the host (inside the task's private tmpfs). */
  readonly hostPath: string;
  /** Where the task sees it: /run/secrets/<target> for secrets, the config's target path for configs. */
  readonly target: string;
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
}

/** What the engine needs besides the task itself. */
export interface PrepareContext {
  /** Secrets and configs the task references, materialised on tmpfs (mounted read-only by the engine). */
  readonly files: readonly SecretFile[];
  /** A private scratch directory for this task (removed by `remove`). */
  readonly workDir: string;
  /**
   * Set when the task is attached to overlay networks and the node can plumb them (worker/agent
   * network.ts); absent: the task uses the host's network, as before.
   */
  readonly network?: TaskNetwork;
  /**
   * Things the status message should say about how the task runs (e.g. "overlay networking
   * unavailable: …"); the state machine appends them to the RUNNING message.
   */
  readonly notes?: readonly string[];
}

/**
 * A task's own network namespace, owned by the agent (it creates it, plumbs the overlays into it and
 * deletes it after `remove`). How an engine puts its workload there depends on {@link Engine.netns}:
 *
 * - `enter` (process engine): the namespace exists and is plumbed before `prepare` (eth0, eth1, … with
 *   the task's addresses); the engine starts the workload inside `netnsPath` (`nsenter --net=…`), and
 *   runs healthcheck probes there too.
 * - `adopt` (docker engine): the engine makes the workload's namespace itself (`NetworkMode: none`);
 *   right after `start` it calls {@link adopt} with `/proc/<pid>/ns/net`; the agent bind-mounts that
 *   namespace at `netnsPath` and plumbs the interfaces into it. Until `adopt` resolves the workload has
 *   loopback only.
 */
export interface TaskNetwork {
  /** The task's namespace file (a bind mount, like `ip netns add`), under the agent's data dir. */
  readonly netnsPath: string;
  /** For `adopt` engines: the started workload's namespace is `workloadNetns`; plumb it. Idempotent. */
  adopt(workloadNetns: string): Promise<void>;
}

/** How a task's work ended. */
export interface ExitStatus {
  /** Process exit code; 128+signal when killed by a signal. */
  readonly exitCode: number;
  /** Set when the engine, not the workload, failed (e.g. the image is missing). */
  readonly error?: string;
}

/** What `inspect` reports. */
export interface TaskRuntimeStatus {
  /** Process ID (process engine) or container ID (docker engine), when running. */
  readonly runtimeId?: string;
  readonly pid?: number;
  readonly running: boolean;
  /** Docker healthcheck state, when the task has one. */
  readonly health?: 'starting' | 'healthy' | 'unhealthy';
  /** A note for the task's status message (e.g. "no image imported: running on the host's filesystem"). */
  readonly note?: string;
}

export interface LogLine {
  readonly stream: 'stdout' | 'stderr';
  readonly time: Date;
  readonly line: string;
}

/**
 * The work of one task on one engine. Every method may be called again after a crash of the agent
 * (the engine must find what it already did from the task ID and not do it twice).
 */
export interface TaskController {
  /** Creates everything the task needs without starting it (container created, rootfs ready, mounts). */
  prepare(ctx: PrepareContext): Promise<void>;
  /** Starts the workload. */
  start(): Promise<void>;
  /** Resolves when the workload exits. */
  wait(): Promise<ExitStatus>;
  /** Stop signal, then SIGKILL after `graceMs`; resolves once stopped. */
  shutdown(graceMs: number): Promise<void>;
  /** SIGKILL now. */
  terminate(): Promise<void>;
  /** Removes everything `prepare` made (container, mounts, work dir). Safe to call twice. */
  remove(): Promise<void>;
  inspect(): Promise<TaskRuntimeStatus>;
  /** Log lines so far and, with `follow`, as they come (ends when the workload exits or the signal aborts). */
  logs(o: { follow?: boolean; signal?: AbortSignal }): AsyncIterable<LogLine>;
}

/** An engine: makes controllers, and lists what it already runs (to adopt work after an agent restart). */
export interface Engine {
  readonly name: 'process' | 'docker';
  /**
   * How workloads join the namespace of {@link TaskNetwork}: `enter` (default) — started inside the
   * plumbed `netnsPath`; `adopt` — the engine reports the started workload's own namespace.
   */
  readonly netns?: 'enter' | 'adopt';
  controller(task: Task): TaskController;
  /** IDs of tasks this engine has work for (running or not yet removed). */
  list(): Promise<string[]>;
  /** What `shoal info` shows: e.g. whether namespaces and cgroups are used, or why not. */
  describe(): Promise<Record<string, string>>;
}
