/**
 * The embedded process engine: runs each task's command as a process on this host. As root a task
 * gets its own pid, mount, uts and ipc namespaces, cgroup limits for memory and CPU (where the kernel
 * has them), read-only secrets at their targets, and a chroot into its image's rootfs when the image
 * is imported (else the host's filesystem, said in `inspect().note`). Without root, tasks are plain
 * child processes. State per task lives under `<dataRoot>/process-engine/<taskId>/` so a restarted
 * agent adopts running tasks (see controller.ts).
 */
import { execFileSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from '../../../proto/shared/errors.ts';
import { silentLogger, type Logger } from '../../../proto/shared/log.ts';
import type { Engine, Task, TaskController } from '../../executor/types.ts';
import type { ImageStore } from '../../images/store.ts';
import { describeCgroups, detectCgroups, type CgroupSupport } from './cgroups.ts';
import { ProcessController } from './controller.ts';
import { Gate } from './limit.ts';

export interface ProcessEngineOptions {
  /** The agent's data root; the engine owns `<dataRoot>/process-engine/`. */
  readonly dataRoot: string;
  readonly images: ImageStore;
  readonly log?: Logger;
  /** Name of the parent cgroup of every task's cgroup (default `shoal`). */
  readonly cgroupParent?: string;
  /**
   * Host directories no task may see (the node's secrets root, the agent's data): each task's mount
   * namespace gets an empty tmpfs over them. Matters for tasks on the host's filesystem.
   */
  readonly hiddenPaths?: readonly string[];
  /** How many tasks may be prepared or started at once (default {@link DEFAULT_START_CONCURRENCY}). */
  readonly startConcurrency?: number;
  /**
   * Cap of each task's stdout and stderr file, in bytes: past it the file is rotated to `<file>.1`
   * (one rotated file kept). Default `DEFAULT_LOG_MAX_BYTES` of stamp.ts (10 MiB).
   */
  readonly logMaxBytes?: number;
}

/**
 * Task prepares and starts in progress at once. Each start forks the daemon; a few at a time keep the
 * event loop answering heartbeats and raft while hundreds of tasks arrive together.
 */
export const DEFAULT_START_CONCURRENCY = 4;

const SAFE_TASK_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

function findBinary(name: 'unshare' | 'nsenter'): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export class ProcessEngine implements Engine {
  readonly name = 'process';
  /** Tasks start inside the namespace the agent plumbed (`nsenter --net`, script.ts). */
  readonly netns = 'enter';
  private readonly root: string;
  private readonly isolate: boolean;
  private readonly why: string;
  private readonly unshare: string;
  private readonly nsenter: string | undefined;
  private readonly cgroups: CgroupSupport;
  private readonly log: Logger;
  private readonly gate: Gate;

  constructor(private readonly options: ProcessEngineOptions) {
    this.root = join(options.dataRoot, 'process-engine');
    this.log = (options.log ?? silentLogger()).child({ component: 'process-engine' });
    const unshare = findBinary('unshare');
    this.nsenter = findBinary('nsenter');
    const root = process.getuid?.() === 0;
    this.isolate = root && unshare !== undefined;
    this.why = !root ? 'not root' : unshare === undefined ? 'no unshare binary (util-linux)' : '';
    this.unshare = unshare ?? 'unshare';
    this.cgroups = this.isolate ? detectCgroups() : { kind: 'none', why: this.why };
    this.gate = new Gate(options.startConcurrency ?? DEFAULT_START_CONCURRENCY);
  }

  /**
   * A controller for `task`. For a task this engine already started (even by an earlier agent on the
   * same data root) the controller attaches to the running process.
   * @throws InvalidArgumentError when the task ID cannot name a directory.
   */
  controller(task: Task): TaskController {
    if (!SAFE_TASK_ID.test(task.id))
      throw new InvalidArgumentError(`invalid task ID ${JSON.stringify(task.id)}`, 'ID');
    return new ProcessController(task, {
      stateDir: join(this.root, task.id),
      images: this.options.images,
      isolate: this.isolate,
      unshare: this.unshare,
      nsenter: this.nsenter,
      cgroups: this.cgroups,
      cgroupParent: this.options.cgroupParent ?? 'shoal',
      hiddenPaths: this.options.hiddenPaths ?? [],
      gate: this.gate,
      ...(this.options.logMaxBytes !== undefined ? { logMaxBytes: this.options.logMaxBytes } : {}),
      log: this.log,
    });
  }

  async list(): Promise<string[]> {
    const entries = await readdir(this.root, { withFileTypes: true }).catch(() => []);
    return entries.filter((e) => e.isDirectory()).map((e) => e.name);
  }

  describe(): Promise<Record<string, string>> {
    return Promise.resolve({
      engine: 'process',
      isolation: this.isolate
        ? 'namespaces: pid, mount, uts, ipc (unshare); chroot into imported images'
        : `none (${this.why}): tasks run as plain child processes`,
      cgroups: describeCgroups(this.cgroups),
      images: this.options.images.root,
      dataRoot: this.root,
    });
  }
}
