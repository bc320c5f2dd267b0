/**
 * bench/e2e: the whole path a user waits on, from `service create` to every replica running.
 *
 *  (a) process engine: three shoald managers on loopback; `POST /services/create` with 100 replicas of
 *      `sleep`, timed until the API lists 100 tasks RUNNING (create100_s); then scaled to 1,000,
 *      timed until 1,000 run (scale1000_tasks_per_s = 900 new tasks / seconds).
 *  (b) docker engine, next to Docker's own swarm mode on the same private dockerd with the same
 *      busybox image: Docker Swarm (`docker swarm init`, `docker service create --replicas N`) timed
 *      until N containers run (docker_swarm_s); then the same service through one shoald with
 *      `--engine docker` (shoal_docker_s). One after the other, the engine emptied in between.
 *
 * Usage: npm run bench -- e2e [--replicas 100] [--scale 1000] [--docker-replicas 100] [--skip-docker]
 *        [--skip-process]
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { api, ShoaldKit, type DaemonHandle } from '../../cluster-tests/shoald-kit.ts';
import {
  ensureDockerInstalled,
  importBusybox,
  startDockerd,
  type PrivateDockerd,
} from '../../worker/engines/docker/testkit.ts';
import { printResult } from '../result.ts';

const run = promisify(execFile);
const argValue = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const REPLICAS = argValue('--replicas', 100);
const SCALE = argValue('--scale', 1000);
const DOCKER_REPLICAS = argValue('--docker-replicas', 100);
const SKIP_DOCKER = process.argv.includes('--skip-docker');
const SKIP_PROCESS = process.argv.includes('--skip-process');
/**
 * `--poll-ms`: how often the API is asked for the running count (default 50). Each ask lists every task
 * of the service on m1 (the leader), so at 1,000 tasks the bench's own polling costs the leader CPU.
 */
const POLL_MS = argValue('--poll-ms', 50);
/** `--progress`: print the running count every second while waiting (to stderr), to see the rate curve. */
const PROGRESS = process.argv.includes('--progress');
/** SHOAL_BENCH_KEEP_LOGS=<dir>: copy each shoald's log there before the kit is destroyed. */
const KEEP_LOGS = process.env['SHOAL_BENCH_KEEP_LOGS'];

interface TaskJson {
  Status: { State: string };
  DesiredState: string;
}
interface ServiceJson {
  ID: string;
  Version: { Index: number };
  Spec: { Mode: { Replicated?: { Replicas: number } } } & Record<string, unknown>;
}

async function runningTasks(n: DaemonHandle, service: string): Promise<number> {
  const filters = encodeURIComponent(JSON.stringify({ service: { [service]: true } }));
  const r = await api(n.socket, 'GET', `/v1.47/tasks?filters=${filters}`);
  if (r.status === 503) return -1; // a leader election under load: ask again
  if (r.status !== 200) throw new Error(`GET /tasks: ${r.status} ${r.body}`);
  return r.json<TaskJson[]>().filter((t) => t.Status.State === 'running').length;
}

async function waitFor(what: string, cond: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** With --progress: the running count and the rate over the last second, until stopped. */
function progress(n: DaemonHandle, service: string): () => void {
  if (!PROGRESS) return () => undefined;
  const t0 = performance.now();
  let last = 0;
  const timer = setInterval(() => {
    void runningTasks(n, service).then(
      (c) => {
        const s = ((performance.now() - t0) / 1000).toFixed(0);
        process.stderr.write(`  ${s} s: ${c} running (+${c - last})\n`);
        if (c >= 0) last = c;
      },
      () => undefined,
    );
  }, 1000);
  return () => clearInterval(timer);
}

function serviceSpec(name: string, replicas: number, image: string): Record<string, unknown> {
  return {
    Name: name,
    TaskTemplate: {
      ContainerSpec: { Image: image, Command: ['sleep', '3600'] },
      RestartPolicy: { Condition: 'none' },
    },
    Mode: { Replicated: { Replicas: replicas } },
  };
}

/** Creates a service and resolves with the seconds until `replicas` tasks run. */
async function timeCreate(n: DaemonHandle, name: string, replicas: number, image: string): Promise<number> {
  const t0 = performance.now();
  const r = await api(n.socket, 'POST', '/v1.47/services/create', serviceSpec(name, replicas, image));
  if (r.status !== 201) throw new Error(`service create: ${r.status} ${r.body}`);
  await waitFor(`${replicas} running`, async () => (await runningTasks(n, name)) >= replicas, 600_000);
  return (performance.now() - t0) / 1000;
}

async function processEngine(): Promise<{ create100: number; scaleRate: number }> {
  const kit = new ShoaldKit({ engine: 'process', tickMs: 'default' });
  try {
    const [m1, m2, m3] = await Promise.all(['b1', 'b2', 'b3'].map((x) => kit.add(x)));
    if (!m1 || !m2 || !m3) throw new Error('three daemons');
    const init = await api(m1.socket, 'POST', '/v1.47/swarm/init', {
      ListenAddr: m1.addr,
      AdvertiseAddr: m1.addr,
    });
    if (init.status !== 200) throw new Error(`init: ${init.body}`);
    const token = (await api(m1.socket, 'GET', '/v1.47/swarm')).json<{ JoinTokens: { Manager: string } }>()
      .JoinTokens.Manager;
    for (const m of [m2, m3]) {
      const j = await api(m.socket, 'POST', '/v1.47/swarm/join', {
        ListenAddr: m.addr,
        AdvertiseAddr: m.addr,
        RemoteAddrs: [m1.addr],
        JoinToken: token,
      });
      if (j.status !== 200) throw new Error(`join: ${j.body}`);
    }
    await waitFor(
      'three ready nodes',
      async () =>
        (await api(m1.socket, 'GET', '/v1.47/nodes'))
          .json<{ Status: { State: string } }[]>()
          .filter((x) => x.Status.State === 'ready').length === 3,
      60_000,
    );
    const create100 = await timeCreate(m1, 'bench', REPLICAS, 'host-sleep');
    console.log(`process engine: ${REPLICAS} replicas running ${create100.toFixed(2)} s after create`);
    const svc = (await api(m1.socket, 'GET', '/v1.47/services/bench')).json<ServiceJson>();
    const t0 = performance.now();
    const up = await api(m1.socket, 'POST', `/v1.47/services/${svc.ID}/update?version=${svc.Version.Index}`, {
      ...svc.Spec,
      Mode: { Replicated: { Replicas: SCALE } },
    });
    if (up.status !== 200) throw new Error(`scale: ${up.body}`);
    const stopProgress = progress(m1, 'bench');
    await waitFor(
      `${SCALE} running`,
      async () => (await runningTasks(m1, 'bench')) >= SCALE,
      900_000,
    ).finally(stopProgress);
    const s = (performance.now() - t0) / 1000;
    const scaleRate = (SCALE - REPLICAS) / s;
    // e.g. SIGUSR2 for a profiler preloaded with NODE_OPTIONS=--require to write what it has.
    const signal = process.env['SHOAL_BENCH_SIGNAL_AFTER_SCALE'] as NodeJS.Signals | undefined;
    if (signal) for (const m of [m1, m2, m3]) m.proc?.kill(signal);
    console.log(
      `process engine: ${REPLICAS} -> ${SCALE} in ${s.toFixed(2)} s (${scaleRate.toFixed(0)} tasks/s)`,
    );
    await api(m1.socket, 'DELETE', '/v1.47/services/bench');
    await waitFor('tasks gone', async () => (await runningTasks(m1, 'bench')) === 0, 300_000).catch(
      () => undefined,
    );
    return { create100, scaleRate };
  } finally {
    if (KEEP_LOGS) {
      mkdirSync(KEEP_LOGS, { recursive: true });
      for (const x of ['b1', 'b2', 'b3'])
        copyFileSync(join(kit.root, `${x}.log`), join(KEEP_LOGS, `${x}.log`));
    }
    await kit.destroy();
  }
}

async function runningContainers(docker: Docker): Promise<number> {
  return (await docker.listContainers({ filters: { status: ['running'] } })).length;
}

async function emptyEngine(docker: Docker): Promise<void> {
  for (const c of await docker.listContainers({ all: true }))
    await docker
      .getContainer(c.Id)
      .remove({ force: true })
      .catch(() => undefined);
}

async function dockerSwarm(d: PrivateDockerd, docker: Docker): Promise<number> {
  const cli = (args: string[]): Promise<{ stdout: string }> =>
    run('docker', ['-H', `unix://${d.socket}`, ...args], { maxBuffer: 16 << 20 });
  await cli(['swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', '127.0.0.1:0']).catch(
    async () => cli(['swarm', 'init', '--advertise-addr', '127.0.0.1']),
  );
  try {
    const t0 = performance.now();
    await cli([
      'service',
      'create',
      '-d',
      '--name',
      'bench',
      '--replicas',
      String(DOCKER_REPLICAS),
      '--restart-condition',
      'none',
      '--no-resolve-image',
      'busybox:latest',
      'sleep',
      '3600',
    ]);
    await waitFor(
      'docker swarm replicas',
      async () => (await runningContainers(docker)) >= DOCKER_REPLICAS,
      900_000,
    );
    const s = (performance.now() - t0) / 1000;
    await cli(['service', 'rm', 'bench']);
    await waitFor('swarm containers gone', async () => (await runningContainers(docker)) === 0, 300_000);
    return s;
  } finally {
    await cli(['swarm', 'leave', '--force']).catch(() => undefined);
    await emptyEngine(docker);
  }
}

async function shoalOnDocker(d: PrivateDockerd): Promise<number> {
  const kit = new ShoaldKit({ engine: 'docker', dockerHost: `unix://${d.socket}`, tickMs: 'default' });
  try {
    const m = await kit.add('d1');
    const init = await api(m.socket, 'POST', '/v1.47/swarm/init', {
      ListenAddr: m.addr,
      AdvertiseAddr: m.addr,
    });
    if (init.status !== 200) throw new Error(`init: ${init.body}`);
    await waitFor(
      'the node ready',
      async () =>
        (await api(m.socket, 'GET', '/v1.47/nodes')).json<{ Status: { State: string } }[]>()[0]?.Status
          .State === 'ready',
      60_000,
    );
    return await timeCreate(m, 'bench', DOCKER_REPLICAS, 'busybox:latest');
  } finally {
    await kit.destroy();
  }
}

async function main(): Promise<void> {
  const { create100, scaleRate } = SKIP_PROCESS ? { create100: NaN, scaleRate: NaN } : await processEngine();
  let dockerSwarmS = NaN;
  let shoalDockerS = NaN;
  const why = SKIP_DOCKER ? '--skip-docker' : await ensureDockerInstalled();
  if (why) console.log(`docker part skipped: ${why}`);
  else {
    const d = await startDockerd();
    try {
      const docker = new Docker({ socketPath: d.socket });
      await importBusybox(docker, 'busybox:latest');
      dockerSwarmS = await dockerSwarm(d, docker);
      console.log(
        `docker swarm: ${DOCKER_REPLICAS} replicas running ${dockerSwarmS.toFixed(2)} s after create`,
      );
      shoalDockerS = await shoalOnDocker(d);
      console.log(
        `shoal on docker: ${DOCKER_REPLICAS} replicas running ${shoalDockerS.toFixed(2)} s after create`,
      );
      await emptyEngine(docker);
    } finally {
      await d.stop();
    }
  }
  printResult('e2e', {
    create100_s: Number.isNaN(create100) ? 'skipped' : Number(create100.toFixed(2)),
    scale1000_tasks_per_s: Number.isNaN(scaleRate) ? 'skipped' : Math.round(scaleRate),
    docker_swarm_s: Number.isNaN(dockerSwarmS) ? 'skipped' : Number(dockerSwarmS.toFixed(2)),
    shoal_docker_s: Number.isNaN(shoalDockerS) ? 'skipped' : Number(shoalDockerS.toFixed(2)),
  });
}

await main();
