/**
 * The docker engine: runs each task as a container of a Docker Engine reached over its unix socket.
 * A task's container is found by its name (`<service>.<slot|node>.<task id>`), so a controller made
 * after an agent restart adopts the container already there instead of creating a second one.
 * Shoal never pulls: the image must already be on the engine.
 */
import { rm } from 'node:fs/promises';
import Docker from 'dockerode';
import { NotFoundError, UnavailableError } from '../../../proto/shared/errors.ts';
import { silentLogger, type Logger } from '../../../proto/shared/log.ts';
import type {
  Engine,
  ExitStatus,
  LogLine,
  PrepareContext,
  Task,
  TaskController,
  TaskNetwork,
  TaskRuntimeStatus,
} from '../../executor/types.ts';
import { decodeLogs } from './logs.ts';
import { LABELS, containerName, createOptions, imageOf } from './spec.ts';

/** Options of {@link DockerEngine}. */
export interface DockerEngineOptions {
  /** The engine's API socket, e.g. `/var/run/docker.sock`. */
  readonly socketPath: string;
  readonly log?: Logger;
}

/** The HTTP status of a dockerode error, if it carries one. */
function statusOf(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** Runs `op`, treating the listed HTTP statuses (e.g. 404 "no such container") as done. */
async function tolerating(statuses: readonly number[], op: () => Promise<unknown>): Promise<void> {
  try {
    await op();
  } catch (err) {
    if (!statuses.includes(statusOf(err) ?? 0)) throw err;
  }
}

const HEALTH = new Set(['starting', 'healthy', 'unhealthy'] as const);

/** The {@link TaskController} of one task on a Docker Engine. */
class DockerTaskController implements TaskController {
  private readonly name: string;
  private workDir: string | undefined;
  private network: TaskNetwork | undefined;

  constructor(
    private readonly docker: Docker,
    private readonly task: Task,
    private readonly log: Logger,
  ) {
    this.name = containerName(task);
  }

  private get container(): Docker.Container {
    return this.docker.getContainer(this.name);
  }

  async prepare(ctx: PrepareContext): Promise<void> {
    this.workDir = ctx.workDir;
    this.network = ctx.network;
    try {
      const existing = await this.container.inspect();
      this.log.info({ container: existing.Id }, 'adopted existing container');
      return;
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
    }
    const image = imageOf(this.task);
    try {
      await this.docker.getImage(image).inspect();
    } catch (err) {
      if (statusOf(err) === 404) {
        throw new NotFoundError(`image ${image} not found on the docker engine (Shoal never pulls images)`);
      }
      throw err;
    }
    try {
      const c = await this.docker.createContainer(createOptions(this.task, ctx.files));
      this.log.info({ container: c.id }, 'container created');
    } catch (err) {
      // Another prepare (after a crash) may have won the race; its container is ours.
      if (statusOf(err) !== 409) throw err;
    }
  }

  async start(): Promise<void> {
    // 304: already started (a repeated call after a crash).
    await tolerating([304], () => this.container.start());
    if (this.network) await this.plumb(this.network);
  }

  /**
   * Overlays: the container was created with `NetworkMode: none`; now that it runs, the agent plumbs
   * the task's interfaces into its namespace (TaskNetwork.adopt). A container that cannot be plumbed
   * is killed, so the task fails instead of running unreachable.
   */
  private async plumb(network: TaskNetwork): Promise<void> {
    const info = await this.container.inspect();
    // Already exited (a short job): nothing to plumb, wait() reports how it ended.
    if (!info.State.Running || info.State.Pid <= 0) return;
    try {
      await network.adopt(`/proc/${info.State.Pid}/ns/net`);
    } catch (err) {
      await this.terminate().catch(() => undefined);
      throw new Error(
        `task ${this.task.id}: attaching the container to its overlay networks: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
  }

  async wait(): Promise<ExitStatus> {
    try {
      const r = (await this.container.wait()) as { StatusCode: number; Error?: { Message?: string } | null };
      const info = await this.container.inspect().catch(() => undefined);
      const error =
        r.Error?.Message || (info?.State.OOMKilled ? 'OOM killed' : info?.State.Error) || undefined;
      return error ? { exitCode: r.StatusCode, error } : { exitCode: r.StatusCode };
    } catch (err) {
      if (statusOf(err) === 404) return { exitCode: -1, error: `container ${this.name} not found` };
      throw new UnavailableError(`waiting for container ${this.name}: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }

  async shutdown(graceMs: number): Promise<void> {
    // Docker sends the container's StopSignal, then SIGKILL after t seconds. 304: not running.
    await tolerating([304, 404], () => this.container.stop({ t: Math.max(0, Math.ceil(graceMs / 1000)) }));
  }

  async terminate(): Promise<void> {
    // 409: not running; 404: gone.
    await tolerating([404, 409], () => this.container.kill({ signal: 'SIGKILL' }));
  }

  async remove(): Promise<void> {
    // 409: removal already in progress.
    await tolerating([404, 409], () => this.container.remove({ force: true }));
    if (this.workDir) await rm(this.workDir, { recursive: true, force: true });
  }

  async inspect(): Promise<TaskRuntimeStatus> {
    let info: Docker.ContainerInspectInfo;
    try {
      info = await this.container.inspect();
    } catch (err) {
      if (statusOf(err) === 404) return { running: false };
      throw err;
    }
    const s = info.State;
    const health = s.Health?.Status;
    return {
      runtimeId: info.Id,
      running: s.Running,
      ...(s.Running && s.Pid > 0 ? { pid: s.Pid } : {}),
      ...(health && HEALTH.has(health as 'healthy') ? { health: health as 'healthy' } : {}),
    };
  }

  async *logs(o: { follow?: boolean; signal?: AbortSignal }): AsyncIterable<LogLine> {
    const tty = this.task.spec?.containerSpec?.tty ?? false;
    const base = { stdout: true, stderr: true, timestamps: true };
    if (!o.follow) {
      const body = await this.container.logs({ ...base, follow: false });
      yield* decodeLogs([body], !tty);
      return;
    }
    const stream = await this.container.logs({
      ...base,
      follow: true,
      ...(o.signal ? { abortSignal: o.signal } : {}),
    });
    const onAbort = (): void => {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      yield* decodeLogs(stream as AsyncIterable<Buffer>, !tty);
    } catch (err) {
      if (!o.signal?.aborted) throw err;
    } finally {
      o.signal?.removeEventListener('abort', onAbort);
      onAbort();
    }
  }
}

/** {@link Engine} over the Docker Engine API (dockerode). */
export class DockerEngine implements Engine {
  readonly name = 'docker';
  /** Containers make their own namespace (`none`); the controller hands it to the agent after start. */
  readonly netns = 'adopt';
  private readonly docker: Docker;
  private readonly log: Logger;

  constructor(private readonly options: DockerEngineOptions) {
    this.docker = new Docker({ socketPath: options.socketPath });
    this.log = (options.log ?? silentLogger()).child({ component: 'engine-docker' });
  }

  controller(task: Task): TaskController {
    return new DockerTaskController(this.docker, task, this.log.child({ taskId: task.id }));
  }

  /** Task IDs of every container carrying Swarm's task label, running or not. */
  async list(): Promise<string[]> {
    const containers = await this.docker.listContainers({
      all: true,
      filters: { label: [LABELS.taskId] },
    });
    return [...new Set(containers.map((c) => c.Labels[LABELS.taskId]).filter((id): id is string => !!id))];
  }

  async describe(): Promise<Record<string, string>> {
    try {
      const v = await this.docker.version();
      return {
        engine: 'docker',
        socket: this.options.socketPath,
        version: v.Version,
        apiVersion: v.ApiVersion,
        os: v.Os,
        arch: v.Arch,
      };
    } catch (err) {
      return { engine: 'docker', socket: this.options.socketPath, error: (err as Error).message };
    }
  }
}
