/**
 * Test helpers for the process engine's real-engine tests: a task from a partial container spec, and an
 * engine on a temporary data root with a busybox image imported (removed, with every task, by `close`).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogLine, Task, TaskController } from '../../executor/types.ts';
import { ImageStore } from '../../images/store.ts';
import { makeBusyboxRootfs, tarDir } from '../../images/testkit.ts';
import { ProcessEngine, type ProcessEngineOptions } from './engine.ts';

/** A task with an ID ending in `name`, and every container spec field at its proto default. */
export function specTask(name: string, cs: Record<string, unknown>): Task {
  const containerSpec = {
    image: '',
    labels: {},
    command: [],
    args: [],
    env: [],
    dir: '',
    user: '',
    hostname: '',
    stopSignal: '',
    mounts: [],
    secrets: [],
    configs: [],
    capabilityAdd: [],
    capabilityDrop: [],
    privileges: null,
    healthcheck: null,
    ...cs,
  };
  const id = `t${randomBytes(5).toString('hex')}-${name}`;
  return { id, name: '', labels: {}, spec: { containerSpec, resources: null } } as unknown as Task;
}

/** Every log line of a task so far. */
export async function allLogs(c: TaskController): Promise<LogLine[]> {
  const out: LogLine[] = [];
  for await (const l of c.logs({})) out.push(l);
  return out;
}

/** A process engine with `busybox` imported, and `run` to prepare and start a task on it. */
export interface EngineKit {
  readonly engine: ProcessEngine;
  readonly tmp: string;
  run(task: Task): Promise<TaskController>;
  /** Removes every task run and the temporary directory. */
  close(): Promise<void>;
}

export async function engineKit(o: Partial<ProcessEngineOptions> = {}): Promise<EngineKit> {
  const tmp = await mkdtemp(join(tmpdir(), 'shoal-pe-kit-'));
  const images = new ImageStore(join(tmp, 'images'));
  await makeBusyboxRootfs(join(tmp, 'bb'), {});
  await tarDir(join(tmp, 'bb'), join(tmp, 'bb.tar'));
  await images.import('busybox', join(tmp, 'bb.tar'));
  const engine = new ProcessEngine({
    dataRoot: join(tmp, 'data'),
    images,
    cgroupParent: `shoal-kit-${process.pid}`,
    ...o,
  });
  const made: TaskController[] = [];
  return {
    engine,
    tmp,
    async run(task) {
      const c = engine.controller(task);
      made.push(c);
      await c.prepare({ files: [], workDir: join(tmp, 'work', task.id) });
      await c.start();
      return c;
    },
    async close() {
      for (const c of made) await c.remove().catch(() => undefined);
      await rm(tmp, { recursive: true, force: true });
      // the parent cgroups of the kit's tasks (empty now)
      for (const ctl of ['', 'cpu', 'memory'])
        await rmdir(join('/sys/fs/cgroup', ctl, `shoal-kit-${process.pid}`)).catch(() => undefined);
    },
  };
}
