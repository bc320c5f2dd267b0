/**
 * The docker engine against a real, private dockerd (started once for the file: it takes seconds) and
 * a busybox image imported from busybox-static. Skipped, with the reason printed, when dockerd cannot
 * be installed (not root).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LogLine, SecretFile, Task, TaskController } from '../../executor/types.ts';
import { DockerEngine } from './engine.ts';
import { LogDecoder } from './logs.ts';
import { ensureDockerInstalled, importBusybox, startDockerd, type PrivateDockerd } from './testkit.ts';

const IMAGE = 'shoal-busybox:test';
const skipReason = await ensureDockerInstalled();
if (skipReason) console.log(`docker engine tests skipped: ${skipReason}`);

let seq = 0;
type ContainerSpec = NonNullable<NonNullable<Task['spec']>['containerSpec']>;

/** A task as the manager would assign it; `c` overrides container spec fields. */
function makeTask(c: Partial<ContainerSpec>, memoryBytes = 0): Task {
  seq += 1;
  const id = `task${Date.now().toString(36)}${seq}`;
  const containerSpec: ContainerSpec = {
    image: IMAGE,
    labels: {},
    command: [],
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
    ...c,
  };
  return {
    id,
    name: `web.${seq}.${id}`,
    serviceId: 'svc1',
    slot: seq,
    nodeId: 'node1',
    labels: {},
    spec: {
      containerSpec,
      resources:
        memoryBytes > 0
          ? { limits: { memoryBytes, nanoCpus: 0, genericResources: [] }, reservations: null }
          : null,
    },
  } as unknown as Task;
}

async function collect(it: AsyncIterable<LogLine>): Promise<LogLine[]> {
  const out: LogLine[] = [];
  for await (const l of it) out.push(l);
  return out;
}

async function eventually<T>(
  what: string,
  probe: () => Promise<T>,
  ok: (v: T) => boolean,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T = await probe();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(last)} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
    last = await probe();
  }
  return last;
}

describe('LogDecoder', () => {
  it('splits multiplexed frames into timestamped stdout and stderr lines, across chunk borders', () => {
    const frame = (stream: number, text: string): Buffer => {
      const body = Buffer.from(text);
      const head = Buffer.alloc(8);
      head[0] = stream;
      head.writeUInt32BE(body.length, 4);
      return Buffer.concat([head, body]);
    };
    const all = Buffer.concat([
      frame(1, '2026-01-02T03:04:05.123456789Z hello\n'),
      frame(2, '2026-01-02T03:04:06.000000001Z oops\n'),
    ]);
    const d = new LogDecoder(true);
    const lines = [...d.push(all.subarray(0, 11)), ...d.push(all.subarray(11)), ...d.end()];
    expect(lines).toEqual([
      { stream: 'stdout', time: new Date('2026-01-02T03:04:05.123Z'), line: 'hello' },
      { stream: 'stderr', time: new Date('2026-01-02T03:04:06.000Z'), line: 'oops' },
    ]);
  });
});

describe.skipIf(skipReason !== undefined)('DockerEngine on a private dockerd', () => {
  let dockerd: PrivateDockerd | undefined;
  let docker: Docker;
  let engine: DockerEngine;
  let scratch: string;
  const controllers: TaskController[] = [];

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'shoal-docker-test-'));
    dockerd = await startDockerd();
    docker = new Docker({ socketPath: dockerd.socket });
    await importBusybox(docker, IMAGE);
    engine = new DockerEngine({ socketPath: dockerd.socket });
  }, 120_000);

  afterEach(async () => {
    for (const c of controllers.splice(0)) await c.remove().catch(() => undefined);
  });

  afterAll(async () => {
    if (dockerd) {
      const left = await docker.listContainers({ all: true }).catch(() => []);
      for (const c of left)
        await docker
          .getContainer(c.Id)
          .remove({ force: true })
          .catch(() => undefined);
      await dockerd.stop();
    }
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }, 60_000);

  async function prepared(task: Task, files: SecretFile[] = []): Promise<TaskController> {
    const c = engine.controller(task);
    controllers.push(c);
    await c.prepare({ files, workDir: await mkdtemp(join(scratch, 'work-')) });
    return c;
  }

  async function runToExit(task: Task): Promise<{ exitCode: number; out: string[] }> {
    const c = await prepared(task);
    await c.start();
    const { exitCode } = await c.wait();
    const out = (await collect(c.logs({}))).map((l) => `${l.stream}:${l.line}`);
    return { exitCode, out };
  }

  it('runs busybox with args, env and hostname; exit codes 0 and 3 come back from wait', async () => {
    const ok = await runToExit(
      makeTask({
        command: ['sh', '-c'],
        args: ['echo "$GREETING from $(hostname)"; echo to-err >&2; exit 0'],
        env: ['GREETING=hello'],
        hostname: 'box1',
      }),
    );
    expect(ok.exitCode).toBe(0);
    // the two streams are separate pipes: their relative order is not defined
    expect([...ok.out].sort()).toEqual(['stderr:to-err', 'stdout:hello from box1']);
    const failed = await runToExit(makeTask({ command: ['sh', '-c', 'exit 3'] }));
    expect(failed.exitCode).toBe(3);
  });

  it('labels the container exactly as Swarm does, with restart policy no, network none and the memory limit', async () => {
    const task = makeTask({ command: ['sleep', '30'], labels: { team: 'blue' } }, 64 * 1024 * 1024);
    const c = await prepared(task);
    await c.start();
    const status = await c.inspect();
    expect(status.running).toBe(true);
    expect(status.pid).toBeGreaterThan(0);
    const info = await docker.getContainer(status.runtimeId ?? 'none').inspect();
    expect(info.Name).toBe(`/${task.name}`);
    expect(info.Config.Labels).toEqual({
      team: 'blue',
      'com.docker.swarm.task': '',
      'com.docker.swarm.task.id': task.id,
      'com.docker.swarm.task.name': task.name,
      'com.docker.swarm.node.id': 'node1',
      'com.docker.swarm.service.id': 'svc1',
      'com.docker.swarm.service.name': 'web',
    });
    expect(info.HostConfig.RestartPolicy?.Name).toBe('no');
    expect(info.HostConfig.NetworkMode).toBe('none');
    expect(info.HostConfig.Memory).toBe(64 * 1024 * 1024);
    // The limit is what the workload sees in its cgroup.
    const seen = await runToExit(
      makeTask(
        {
          command: [
            'sh',
            '-c',
            'cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max',
          ],
        },
        64 * 1024 * 1024,
      ),
    );
    expect(seen.out).toEqual([`stdout:${64 * 1024 * 1024}`]);
  });

  it('shutdown sends the stop signal, and SIGKILLs after the grace period when it is ignored', async () => {
    const polite = await prepared(
      makeTask({
        command: ['sh', '-c', 'trap "exit 7" USR1; while true; do sleep 0.1; done'],
        stopSignal: 'SIGUSR1',
      }),
    );
    await polite.start();
    await eventually(
      'polite running',
      () => polite.inspect(),
      (s) => s.running,
    );
    let t0 = Date.now();
    await polite.shutdown(10_000);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect((await polite.wait()).exitCode).toBe(7);

    // sh as PID 1 without a trap ignores SIGTERM: only the SIGKILL after the grace period stops it.
    const stubborn = await prepared(makeTask({ command: ['sh', '-c', 'while true; do sleep 0.1; done'] }));
    await stubborn.start();
    t0 = Date.now();
    await stubborn.shutdown(1_000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect((await stubborn.wait()).exitCode).toBe(137);
    expect((await stubborn.inspect()).running).toBe(false);
  });

  it('reports health from a CMD-SHELL healthcheck: healthy for exit 0, unhealthy for exit 1', async () => {
    const check = (code: number): Partial<ContainerSpec> => ({
      command: ['sleep', '60'],
      healthcheck: {
        test: ['CMD-SHELL', `exit ${code}`],
        interval: 200e6,
        timeout: 1e9,
        startPeriod: 0,
        startInterval: 0,
        retries: 1,
      },
    });
    const good = await prepared(makeTask(check(0)));
    const bad = await prepared(makeTask(check(1)));
    await good.start();
    await bad.start();
    await eventually(
      'good healthy',
      () => good.inspect(),
      (s) => s.health === 'healthy',
    );
    await eventually(
      'bad unhealthy',
      () => bad.inspect(),
      (s) => s.health === 'unhealthy',
    );
  });

  it('mounts a secret file read-only at its target', async () => {
    const hostPath = join(scratch, 'secret-x');
    await writeFile(hostPath, 's3cret\n');
    const c = await prepared(
      makeTask({
        command: [
          'sh',
          '-c',
          'cat /run/secrets/x; echo changed > /run/secrets/x && echo WRITABLE || echo READONLY',
        ],
      }),
      [{ hostPath, target: '/run/secrets/x', uid: 0, gid: 0, mode: 0o444 }],
    );
    await c.start();
    await c.wait();
    const lines = (await collect(c.logs({}))).filter((l) => l.stream === 'stdout').map((l) => l.line);
    expect(lines).toEqual(['s3cret', 'READONLY']);
  });

  it('follows logs as they come until the workload exits', async () => {
    const c = await prepared(makeTask({ command: ['sh', '-c', 'echo one; sleep 0.5; echo two'] }));
    await c.start();
    const lines = await collect(c.logs({ follow: true }));
    expect(lines.map((l) => l.line)).toEqual(['one', 'two']);
    expect(lines[1]!.time.getTime() - lines[0]!.time.getTime()).toBeGreaterThanOrEqual(400);
  });

  it('a new engine instance lists the running task and adopts its container instead of creating another', async () => {
    const task = makeTask({ command: ['sleep', '60'] });
    const first = await prepared(task);
    await first.start();
    const before = await first.inspect();

    const restarted = new DockerEngine({ socketPath: dockerd!.socket });
    expect(await restarted.list()).toContain(task.id);
    const adopted = restarted.controller(task);
    controllers.push(adopted);
    await adopted.prepare({ files: [], workDir: await mkdtemp(join(scratch, 'work-')) });
    await adopted.start();
    const mine = await docker.listContainers({
      all: true,
      filters: { label: [`com.docker.swarm.task.id=${task.id}`] },
    });
    expect(mine).toHaveLength(1);
    expect(await adopted.inspect()).toMatchObject({
      running: true,
      runtimeId: before.runtimeId,
      pid: before.pid,
    });

    await adopted.terminate();
    expect((await adopted.wait()).exitCode).toBe(137);
    await adopted.remove();
    await adopted.remove();
    expect(await restarted.list()).not.toContain(task.id);
  });

  it('fails prepare with a message naming a missing image, and never pulls it', async () => {
    const c = engine.controller(makeTask({ image: 'no-such-image:1.0', command: ['true'] }));
    controllers.push(c);
    await expect(c.prepare({ files: [], workDir: scratch })).rejects.toThrow(/no-such-image:1\.0/);
    expect(await docker.listImages({ filters: { reference: ['no-such-image'] } })).toEqual([]);
  });

  it('describes the engine with its version', async () => {
    const d = await engine.describe();
    expect(d['engine']).toBe('docker');
    expect(d['version']).toMatch(/^\d+\.\d+/);
  });
});
