/**
 * The process engine's {@link TaskController}: one task's wrapper process, its files and cgroups.
 * Every step first reads the task's state file, so a controller made by a restarted agent carries on
 * where the previous one stopped (a started task is attached to, never started again).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from '../../../proto/shared/errors.ts';
import type { Logger } from '../../../proto/shared/log.ts';
import type {
  ExitStatus,
  LogLine,
  PrepareContext,
  Task,
  TaskController,
  TaskRuntimeStatus,
} from '../../executor/types.ts';
import type { ImageStore } from '../../images/store.ts';
import { EMPTY_IMAGE_CONFIG, taskArgv } from '../../images/config.ts';
import { privilegesOf } from './caps.ts';
import { createCgroups, removeCgroups, type CgroupSupport } from './cgroups.ts';
import type { Gate } from './limit.ts';
import { HealthMonitor } from './health.ts';
import { readLogs } from './logs.ts';
import { descendant, isAlive, sleep, startTimeOf } from './procfs.ts';
import { initScript, recorderScript, WORKLOAD_DEPTH, wrapperScript, type LogPlan } from './script.ts';
import { DEFAULT_LOG_MAX_BYTES, findPerl } from './stamp.ts';
import { readExitCode, readState, writeState, EXIT_FILE, type TaskState } from './state.ts';
import { resolveUser } from './user.ts';

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const POLL_MS = 100;

/** What the engine hands each controller. */
export interface ControllerDeps {
  readonly stateDir: string;
  readonly images: ImageStore;
  readonly isolate: boolean;
  readonly unshare: string;
  /** util-linux nsenter, for tasks with a network namespace of their own; undefined when missing. */
  readonly nsenter: string | undefined;
  readonly cgroups: CgroupSupport;
  readonly cgroupParent: string;
  readonly hiddenPaths: readonly string[];
  /** Bounds the prepares and starts in progress across the engine's tasks. */
  readonly gate: Gate;
  /** Cap of each log stream's file before it rotates (default {@link DEFAULT_LOG_MAX_BYTES}). */
  readonly logMaxBytes?: number;
  readonly log: Logger;
}

/** A stop signal as Docker accepts it (`SIGTERM`, `TERM`, `15`); SIGTERM when empty. */
export function parseSignal(s: string): NodeJS.Signals {
  const names = osConstants.signals as Record<string, number>;
  if (s === '') return 'SIGTERM';
  if (/^\d+$/.test(s)) {
    const found = Object.keys(names).find((k) => names[k] === Number(s));
    if (found) return found as NodeJS.Signals;
  } else {
    const name = s.toUpperCase().startsWith('SIG') ? s.toUpperCase() : `SIG${s.toUpperCase()}`;
    if (name in names) return name as NodeJS.Signals;
  }
  throw new InvalidArgumentError(`invalid stop signal ${JSON.stringify(s)}`, 'ContainerSpec.StopSignal');
}

export class ProcessController implements TaskController {
  private child: ChildProcess | undefined;
  private childExit: Promise<void> | undefined;
  private waiting: Promise<ExitStatus> | undefined;
  private health: HealthMonitor | undefined;

  constructor(
    private readonly task: Task,
    private readonly deps: ControllerDeps,
  ) {}

  private get spec(): NonNullable<NonNullable<Task['spec']>['containerSpec']> {
    const cs = this.task.spec?.containerSpec;
    if (!cs)
      throw new InvalidArgumentError(`task ${this.task.id} has no container spec`, 'Spec.ContainerSpec');
    return cs;
  }

  prepare(ctx: PrepareContext): Promise<void> {
    return this.deps.gate.run(() => this.prepareNow(ctx));
  }

  private async prepareNow(ctx: PrepareContext): Promise<void> {
    const existing = await readState(this.deps.stateDir);
    if (existing?.pid !== undefined) return;
    const cs = this.spec;
    const image = cs.image;
    const rootfs = image === '' ? undefined : await this.deps.images.get(image);
    const imageConfig = (rootfs ? await this.deps.images.config(image) : undefined) ?? EMPTY_IMAGE_CONFIG;
    const argv = taskArgv(cs.command, cs.args, imageConfig);
    if (argv.length === 0) {
      throw new InvalidArgumentError(
        `task ${this.task.id}: no command to run (ContainerSpec.Command and Args are empty${rootfs ? ` and image ${image} has no entrypoint or cmd` : ''})`,
        'ContainerSpec.Command',
      );
    }
    parseSignal(cs.stopSignal); // reject a bad stop signal now, not at shutdown
    const netnsPath = ctx.network?.netnsPath;
    if (netnsPath !== undefined && this.deps.nsenter === undefined)
      throw new Error(
        `task ${this.task.id}: nsenter (util-linux) is needed to run it in its network namespace`,
      );
    const note =
      image !== '' && rootfs === undefined
        ? `image ${image} is not imported: running on the host's filesystem`
        : !this.deps.isolate
          ? 'not root: running as a plain child process without namespaces or cgroups'
          : undefined;
    const root = this.deps.isolate ? (rootfs ?? '/') : '/';
    const ids = this.deps.isolate ? await resolveUser(cs.user, root) : undefined;
    const privileges = this.deps.isolate ? privilegesOf(cs) : undefined;
    const perl = findPerl();
    await mkdir(this.deps.stateDir, { recursive: true });
    await mkdir(ctx.workDir, { recursive: true });
    const limits = this.task.spec?.resources?.limits;
    const cgroups = await createCgroups(this.deps.cgroups, this.deps.cgroupParent, this.task.id, {
      ...(limits?.memoryBytes ? { memoryBytes: Number(limits.memoryBytes) } : {}),
      ...(limits?.nanoCpus ? { nanoCpus: Number(limits.nanoCpus) } : {}),
    });
    const plan = {
      isolate: this.deps.isolate,
      unshare: this.deps.unshare,
      cgroups,
      exitFile: join(this.deps.stateDir, EXIT_FILE),
      initFile: join(this.deps.stateDir, 'init.sh'),
      recorderFile: join(this.deps.stateDir, 'recorder.sh'),
      rootfs: root,
      hostname: cs.hostname !== '' ? cs.hostname : this.task.id.slice(0, 12),
      dir: cs.dir !== '' ? cs.dir : imageConfig.workingDir !== '' ? imageConfig.workingDir : '/',
      ...(ids ? { uid: ids.uid, gid: ids.gid } : {}),
      argv,
      files: ctx.files,
      stageDir: join(ctx.workDir, '.stage'),
      hiddenPaths: this.deps.hiddenPaths,
      ...(privileges ? { privileges } : {}),
      ...(perl !== undefined ? { logs: this.logPlan(perl, ctx.workDir) } : {}),
      ...(netnsPath !== undefined && this.deps.nsenter !== undefined
        ? { netns: { path: netnsPath, nsenter: this.deps.nsenter } }
        : {}),
    };
    await writeFile(join(this.deps.stateDir, 'wrapper.sh'), wrapperScript(plan), { mode: 0o700 });
    await writeFile(plan.initFile, initScript(plan), { mode: 0o700 });
    await writeFile(plan.recorderFile, recorderScript(plan), { mode: 0o700 });
    await writeFile(
      join(this.deps.stateDir, 'env.json'),
      JSON.stringify(this.environment([...imageConfig.env, ...cs.env], plan.hostname, ids?.home ?? '/root')),
    );
    await writeState(this.deps.stateDir, {
      taskId: this.task.id,
      workDir: ctx.workDir,
      cgroups,
      depth: WORKLOAD_DEPTH,
      ...(note !== undefined ? { note } : {}),
    });
  }

  private logPlan(perl: string, workDir: string): LogPlan {
    return {
      perl,
      stdoutPath: join(workDir, 'stdout.log'),
      stderrPath: join(workDir, 'stderr.log'),
      maxBytes: this.deps.logMaxBytes ?? DEFAULT_LOG_MAX_BYTES,
      fifoDir: this.deps.stateDir,
    };
  }

  private environment(env: readonly string[], hostname: string, home: string): Record<string, string> {
    const out: Record<string, string> = { PATH: DEFAULT_PATH, HOSTNAME: hostname, HOME: home };
    for (const kv of env) {
      const eq = kv.indexOf('=');
      if (eq > 0) out[kv.slice(0, eq)] = kv.slice(eq + 1);
    }
    return out;
  }

  private async state(): Promise<TaskState> {
    const s = await readState(this.deps.stateDir);
    if (!s) throw new InvalidArgumentError(`task ${this.task.id} is not prepared`, 'taskId');
    return s;
  }

  start(): Promise<void> {
    return this.deps.gate.run(() => this.startNow());
  }

  private async startNow(): Promise<void> {
    const s = await this.state();
    if (s.pid !== undefined) return; // started before (maybe by a previous agent): never twice
    const env = JSON.parse(await readFile(join(this.deps.stateDir, 'env.json'), 'utf8')) as Record<
      string,
      string
    >;
    const out = await open(join(s.workDir, 'stdout.log'), 'a');
    const err = await open(join(s.workDir, 'stderr.log'), 'a');
    try {
      const child = spawn('/bin/sh', [join(this.deps.stateDir, 'wrapper.sh')], {
        detached: true,
        stdio: ['ignore', out.fd, err.fd],
        env,
        cwd: '/',
      });
      this.child = child;
      this.childExit = new Promise((resolve) => child.once('exit', () => resolve()));
      child.unref();
      const pid = child.pid;
      if (pid === undefined) throw new Error(`task ${this.task.id}: could not start /bin/sh`);
      const startTime = (await startTimeOf(pid)) ?? -1;
      await writeState(this.deps.stateDir, { ...s, pid, startTime });
      this.deps.log.debug({ taskId: this.task.id, pid }, 'task started');
    } finally {
      await out.close();
      await err.close();
    }
  }

  private async alive(s: TaskState): Promise<boolean> {
    return s.pid !== undefined && s.startTime !== undefined && (await isAlive(s.pid, s.startTime));
  }

  wait(): Promise<ExitStatus> {
    this.waiting ??= this.waitOnce();
    return this.waiting;
  }

  private async waitOnce(): Promise<ExitStatus> {
    let s = await this.state();
    while (s.pid === undefined) {
      await sleep(POLL_MS);
      s = await this.state();
    }
    if (this.childExit) await this.childExit;
    else while (await this.alive(s)) await sleep(POLL_MS);
    const code = await readExitCode(this.deps.stateDir);
    if (code !== undefined) return { exitCode: code };
    const c = this.child;
    if (c?.signalCode) return { exitCode: 128 + (osConstants.signals[c.signalCode] ?? 0) };
    if (typeof c?.exitCode === 'number') return { exitCode: c.exitCode };
    return { exitCode: 255, error: `task ${this.task.id}: wrapper ended without recording an exit code` };
  }

  /** The workload's pid (the one that gets signals), or undefined when it is not running. */
  private async workloadPid(s: TaskState): Promise<number | undefined> {
    if (!(await this.alive(s)) || s.pid === undefined) return undefined;
    return descendant(s.pid, s.depth);
  }

  private async signal(s: TaskState, sig: NodeJS.Signals): Promise<void> {
    const pid = await this.workloadPid(s);
    if (pid === undefined) return;
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
    if (sig === 'SIGKILL' && !this.deps.isolate && s.pid !== undefined) {
      try {
        process.kill(-s.pid, 'SIGKILL'); // the wrapper leads its own process group
      } catch {
        // already gone
      }
    }
  }

  private async stopped(s: TaskState, withinMs: number): Promise<boolean> {
    const until = Date.now() + withinMs;
    while (await this.alive(s)) {
      if (Date.now() >= until) return false;
      await sleep(Math.min(POLL_MS, Math.max(1, until - Date.now())));
    }
    return true;
  }

  async shutdown(graceMs: number): Promise<void> {
    const s = await this.state();
    if (!(await this.alive(s))) return;
    await this.signal(s, parseSignal(this.spec.stopSignal));
    if (await this.stopped(s, graceMs)) return;
    await this.terminate();
  }

  async terminate(): Promise<void> {
    const s = await this.state();
    for (let i = 0; i < 3 && (await this.alive(s)); i++) {
      await this.signal(s, 'SIGKILL');
      if (await this.stopped(s, 2000)) return;
    }
  }

  async remove(): Promise<void> {
    this.health?.stop();
    const s = await readState(this.deps.stateDir);
    if (!s) return;
    if (await this.alive(s)) await this.terminate();
    await removeCgroups(s.cgroups);
    await rm(s.workDir, { recursive: true, force: true });
    await rm(this.deps.stateDir, { recursive: true, force: true });
  }

  async inspect(): Promise<TaskRuntimeStatus> {
    const s = await readState(this.deps.stateDir);
    const running = s !== undefined && (await this.alive(s));
    const health = running && s ? this.healthOf(s) : undefined;
    if (!running) this.health?.stop();
    return {
      running,
      ...(running && s?.pid !== undefined ? { pid: s.pid, runtimeId: String(s.pid) } : {}),
      ...(health !== undefined ? { health } : {}),
      ...(s?.note !== undefined ? { note: s.note } : {}),
    };
  }

  /** The healthcheck's state, its monitor started on the first look at a running task (or an adopted one). */
  private healthOf(s: TaskState): TaskRuntimeStatus['health'] {
    this.health ??= HealthMonitor.start(
      this.task.spec?.containerSpec?.healthcheck,
      () => this.workloadPid(s),
      this.deps.isolate,
    );
    return this.health?.status;
  }

  async *logs(o: { follow?: boolean; signal?: AbortSignal }): AsyncIterable<LogLine> {
    const s = await this.state();
    yield* readLogs(
      {
        stdoutPath: join(s.workDir, 'stdout.log'),
        stderrPath: join(s.workDir, 'stderr.log'),
        running: async () => this.alive((await readState(this.deps.stateDir)) ?? s),
      },
      o,
    );
  }
}
