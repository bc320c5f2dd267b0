/**
 * bench/engines: how fast each engine starts tasks through Shoal's real executor path — one
 * `TaskRunner` (worker/executor/statemachine.ts) per task driving the engine's controller, exactly as
 * the agent does once an assignment arrives (the dispatcher session itself is not in the loop) — timed
 * from the runners' creation until all of them reported RUNNING.
 *
 *  process: 100 `sleep` tasks chrooted into an imported busybox rootfs (namespaces, cgroups, caps,
 *      log recorders: everything a task gets as root), the engine's own start concurrency.
 *  docker: 100 busybox containers on a private dockerd (worker/engines/docker/testkit.ts), all at once;
 *      and in the same run, the peer: the same 100 containers (same create request, spec.ts
 *      `createOptions`) created and started straight through the Engine API (dockerode) with the same
 *      parallelism (all at once: the engine's own limit). Target: docker_shoal_s <= 1.2 x docker_raw_s.
 *
 * Usage: npm run bench -- engines [--tasks 100]   (needs root, busybox-static and docker.io)
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { TaskRunner } from '../../worker/executor/statemachine.ts';
import type { Engine, Task } from '../../worker/executor/types.ts';
import { DockerEngine } from '../../worker/engines/docker/engine.ts';
import { createOptions } from '../../worker/engines/docker/spec.ts';
import { ensureDockerInstalled, importBusybox, startDockerd } from '../../worker/engines/docker/testkit.ts';
import { ProcessEngine } from '../../worker/engines/process/engine.ts';
import { ImageStore } from '../../worker/images/store.ts';
import { busyboxMissing, makeBusyboxRootfs, tarDir } from '../../worker/images/testkit.ts';
import { printResult } from '../result.ts';

const argValue = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const TASKS = argValue('--tasks', 100);
const DOCKER_IMAGE = 'shoal-bench-busybox:latest';

/** A task as the manager assigns it: service `bench<run>`, slot i, `sleep 1000`, 100 ms stop grace. */
function benchTask(run: string, slot: number, image: string): Task {
  const id = `b${run}${slot}x${randomBytes(4).toString('hex')}`;
  const containerSpec = {
    image,
    labels: {},
    command: ['sleep', '1000'],
    args: [],
    hostname: '',
    env: [],
    dir: '',
    user: '',
    groups: [],
    privileges: null,
    tty: false,
    openStdin: false,
    readOnly: false,
    mounts: [],
    stopSignal: '',
    stopGracePeriod: 100_000_000,
    healthcheck: null,
    hosts: [],
    dnsConfig: null,
    secrets: [],
    configs: [],
    isolation: '',
    sysctls: {},
    capabilityAdd: [],
    capabilityDrop: [],
    ulimits: [],
    oomScoreAdj: 0,
  };
  return {
    id,
    name: `bench${run}.${slot}.${id}`,
    serviceId: `bench${run}`,
    nodeId: 'benchnode',
    slot,
    labels: {},
    desiredState: 'TASK_STATE_RUNNING',
    spec: { containerSpec, resources: null },
  } as unknown as Task;
}

/**
 * Starts `tasks` through one TaskRunner each; resolves with the seconds until all are RUNNING (throws
 * if one fails), then removes them all (not timed).
 */
async function viaRunners(engine: Engine, tasks: readonly Task[], workRoot: string): Promise<number> {
  let running = 0;
  let failure: string | undefined;
  let done: () => void = () => undefined;
  const all = new Promise<void>((r) => (done = r));
  const t0 = performance.now();
  const runners = tasks.map(
    (task) =>
      new TaskRunner({
        task,
        controller: engine.controller(task),
        onStatus: (s) => {
          if (s.state === 'TASK_STATE_RUNNING' && ++running === tasks.length) done();
          if (s.state === 'TASK_STATE_FAILED' || s.state === 'TASK_STATE_REJECTED') {
            failure ??= `${task.id}: ${s.err}`;
            done();
          }
        },
        prepareContext: (t) => Promise.resolve({ files: [], workDir: join(workRoot, t.id) }),
      }),
  );
  await all;
  const seconds = (performance.now() - t0) / 1000;
  await Promise.all(runners.map((r) => r.remove()));
  if (failure !== undefined) throw new Error(`a task did not start: ${failure}`);
  return seconds;
}

async function processEngine(): Promise<number> {
  const tmp = await mkdtemp(join(tmpdir(), 'shoal-bench-engines-'));
  const cgroupParent = `shoal-bench-${process.pid}`;
  try {
    const images = new ImageStore(join(tmp, 'images'));
    await makeBusyboxRootfs(join(tmp, 'bb'));
    await tarDir(join(tmp, 'bb'), join(tmp, 'bb.tar'));
    await images.import('busybox', join(tmp, 'bb.tar'));
    const engine = new ProcessEngine({ dataRoot: join(tmp, 'data'), images, cgroupParent });
    await viaRunners(engine, [benchTask('pw', 1, 'busybox')], join(tmp, 'work')); // warm-up
    const tasks = Array.from({ length: TASKS }, (_, i) => benchTask('p', i + 1, 'busybox'));
    const s = await viaRunners(engine, tasks, join(tmp, 'work'));
    console.log(`process: ${TASKS} tasks RUNNING in ${s.toFixed(3)} s (${(TASKS / s).toFixed(1)} tasks/s)`);
    return s;
  } finally {
    await rm(tmp, { recursive: true, force: true });
    for (const ctl of ['', 'cpu', 'memory'])
      await rmdir(join('/sys/fs/cgroup', ctl, cgroupParent)).catch(() => undefined);
  }
}

/** The same containers, created and started straight through the Engine API, all at once. */
async function dockerRaw(docker: Docker, tasks: readonly Task[]): Promise<number> {
  const t0 = performance.now();
  const ids = await Promise.all(
    tasks.map(async (t) => {
      const c = await docker.createContainer(createOptions(t, []));
      await c.start();
      return c.id;
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  await Promise.all(ids.map((id) => docker.getContainer(id).remove({ force: true })));
  return seconds;
}

async function dockerEngine(): Promise<{ raw: number; shoal: number }> {
  const dockerd = await startDockerd();
  const tmp = await mkdtemp(join(tmpdir(), 'shoal-bench-docker-'));
  try {
    const docker = new Docker({ socketPath: dockerd.socket });
    await importBusybox(docker, DOCKER_IMAGE);
    const engine = new DockerEngine({ socketPath: dockerd.socket });
    const tasksOf = (run: string): Task[] =>
      Array.from({ length: TASKS }, (_, i) => benchTask(run, i + 1, DOCKER_IMAGE));
    await dockerRaw(docker, tasksOf('w').slice(0, 5)); // warm-up
    const raw = await dockerRaw(docker, tasksOf('r'));
    console.log(`docker raw (dockerode): ${TASKS} containers started in ${raw.toFixed(3)} s`);
    const shoal = await viaRunners(engine, tasksOf('s'), join(tmp, 'work'));
    console.log(
      `docker via Shoal: ${TASKS} tasks RUNNING in ${shoal.toFixed(3)} s (${(shoal / raw).toFixed(2)}x raw)`,
    );
    return { raw, shoal };
  } finally {
    await dockerd.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

if (process.getuid?.() !== 0) throw new Error('bench/engines needs root (namespaces, cgroups, dockerd)');
const missing = (await busyboxMissing()) ?? (await ensureDockerInstalled());
if (missing !== undefined) throw new Error(`bench/engines cannot run: ${missing}`);
const processS = await processEngine();
const docker = await dockerEngine();
printResult('engines', {
  process_tasks_per_s: TASKS / processS,
  docker_tasks_per_s: TASKS / docker.shoal,
  docker_raw_s: docker.raw,
  docker_shoal_s: docker.shoal,
});
