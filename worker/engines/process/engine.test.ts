import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecretFile, Task, TaskController } from '../../executor/types.ts';
import { ImageStore } from '../../images/store.ts';
import { busyboxMissing, makeBusyboxRootfs, tarDir } from '../../images/testkit.ts';
import { ProcessEngine } from './engine.ts';
import { isAlive, startTimeOf } from './procfs.ts';

const isRoot = process.getuid?.() === 0;
const missing = await busyboxMissing();
const skip = !isRoot ? 'not root: namespaces, chroot and cgroups need root' : missing;
if (skip) console.log(`skipping process engine tests: ${skip}`);

interface SpecIn {
  image?: string;
  command?: string[];
  args?: string[];
  env?: string[];
  dir?: string;
  user?: string;
  hostname?: string;
  stopSignal?: string;
}

function makeTask(name: string, cs: SpecIn, limits?: { memoryBytes?: number; nanoCpus?: number }): Task {
  const containerSpec = {
    image: '',
    command: [],
    args: [],
    env: [],
    dir: '',
    user: '',
    hostname: '',
    stopSignal: '',
    ...cs,
  };
  const id = `t${randomBytes(5).toString('hex')}-${name}`;
  return { id, spec: { containerSpec, resources: limits ? { limits } : null } } as unknown as Task;
}

async function lines(c: TaskController): Promise<string[]> {
  const out: string[] = [];
  for await (const l of c.logs({})) out.push(l.line);
  return out;
}

async function eventually(what: string, cond: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(skip !== undefined)('ProcessEngine (root)', () => {
  let tmp: string;
  let engine: ProcessEngine;
  let images: ImageStore;
  const made: TaskController[] = [];

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'shoal-process-engine-test-'));
    images = new ImageStore(join(tmp, 'images'));
    const src = join(tmp, 'bb');
    await makeBusyboxRootfs(src, { 'etc/only-in-image': 'image file\n' });
    await tarDir(src, join(tmp, 'bb.tar'));
    await images.import('busybox', join(tmp, 'bb.tar'));
    await writeFile(join(tmp, 'host-only'), 'host file\n');
    engine = new ProcessEngine({ dataRoot: join(tmp, 'data'), images });
  });

  afterAll(async () => {
    for (const c of made) await c.remove().catch(() => undefined);
    await rm(tmp, { recursive: true, force: true });
  });

  async function run(task: Task, files: SecretFile[] = []): Promise<TaskController> {
    const c = engine.controller(task);
    made.push(c);
    await c.prepare({ files, workDir: join(tmp, 'work', task.id) });
    await c.start();
    return c;
  }

  it('describes namespaces and cgroups', async () => {
    const d = await engine.describe();
    expect(d['isolation']).toMatch(/namespaces: pid, mount, uts, ipc/);
    expect(d['cgroups']).toMatch(/^v[12]|not used/);
  });

  it('runs a busybox task with args, env, dir and hostname as pid 1 of its own namespace', async () => {
    const c = await run(
      makeTask('env', {
        image: 'busybox',
        args: ['/bin/sh', '-c', 'hostname; echo "$FOO"; pwd; echo "pid $$"; ls -d /proc/[0-9]* | wc -l'],
        env: ['FOO=bar baz'],
        dir: '/etc',
        hostname: 'web-1',
      }),
    );
    expect(await c.wait()).toEqual({ exitCode: 0 });
    const out = await lines(c);
    expect(out.slice(0, 4)).toEqual(['web-1', 'bar baz', '/etc', 'pid 1']);
    // sh itself and ls (wc runs in the same pipeline): only this task's few processes
    expect(Number(out[4]?.trim())).toBeLessThanOrEqual(3);
  });

  it('reports exit codes 0 and 3, and stderr', async () => {
    const ok = await run(makeTask('ok', { image: 'busybox', command: ['true'] }));
    const three = await run(
      makeTask('three', { image: 'busybox', command: ['/bin/sh', '-c', 'echo oops >&2; exit 3'] }),
    );
    expect(await ok.wait()).toEqual({ exitCode: 0 });
    expect(await three.wait()).toEqual({ exitCode: 3 });
    const logs: { stream: string; line: string }[] = [];
    for await (const l of three.logs({})) logs.push({ stream: l.stream, line: l.line });
    expect(logs).toEqual([{ stream: 'stderr', line: 'oops' }]);
  });

  it('fails clearly when there is no command', async () => {
    const c = engine.controller(makeTask('nocmd', { image: 'busybox' }));
    await expect(c.prepare({ files: [], workDir: join(tmp, 'work', 'nocmd') })).rejects.toThrow(
      /no command to run/,
    );
  });

  it('sets memory and CPU limits in the task cgroup', async () => {
    const d = await engine.describe();
    if (!d['cgroups']?.startsWith('v1')) {
      console.log(`skipping cgroup limit check: cgroups ${d['cgroups']}`);
      return;
    }
    const task = makeTask(
      'mem',
      { image: 'busybox', command: ['sleep', '30'] },
      {
        memoryBytes: 64 * 1024 * 1024,
        nanoCpus: 500_000_000,
      },
    );
    const c = await run(task);
    const mem = `/sys/fs/cgroup/memory/shoal/${task.id}`;
    expect((await readFile(join(mem, 'memory.limit_in_bytes'), 'utf8')).trim()).toBe(
      String(64 * 1024 * 1024),
    );
    expect((await readFile(`/sys/fs/cgroup/cpu/shoal/${task.id}/cpu.cfs_quota_us`, 'utf8')).trim()).toBe(
      '50000',
    );
    const pid = (await c.inspect()).pid;
    // The wrapper joins the cgroup before it starts the workload, which inherits it.
    await eventually('task in its cgroup', async () =>
      (await readFile(join(mem, 'cgroup.procs'), 'utf8')).split('\n').includes(String(pid)),
    );
    const procs = (await readFile(join(mem, 'cgroup.procs'), 'utf8')).split('\n').filter(Boolean);
    expect(procs.length).toBeGreaterThanOrEqual(2); // wrapper and `sleep`
    await c.terminate();
    expect(await c.wait()).toEqual({ exitCode: 137 });
    await c.remove();
    expect(existsSync(mem)).toBe(false);
  });

  it('stops with the stop signal when trapped, with SIGKILL after the grace period when not', async () => {
    const loop = 'echo ready; while true; do sleep 0.1; done';
    const trapped = await run(
      makeTask('trap', {
        image: 'busybox',
        command: ['/bin/sh', '-c', `trap 'echo got TERM; exit 0' TERM; ${loop}`],
      }),
    );
    const stubborn = await run(makeTask('stubborn', { image: 'busybox', command: ['/bin/sh', '-c', loop] }));
    await eventually(
      'both ready',
      async () => (await lines(trapped)).includes('ready') && (await lines(stubborn)).includes('ready'),
    );
    let t0 = Date.now();
    await trapped.shutdown(10_000);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(await trapped.wait()).toEqual({ exitCode: 0 });
    expect(await lines(trapped)).toContain('got TERM');
    t0 = Date.now();
    await stubborn.shutdown(500);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(450);
    expect(await stubborn.wait()).toEqual({ exitCode: 137 });
    expect((await stubborn.inspect()).running).toBe(false);
  });

  it('chroots into an imported image: image files visible, host files not', async () => {
    const hostOnly = join(tmp, 'host-only');
    const c = await run(
      makeTask('chroot', {
        image: 'busybox:latest',
        command: [
          '/bin/sh',
          '-c',
          `cat /etc/only-in-image; cat ${hostOnly} 2>/dev/null || echo no host file`,
        ],
      }),
    );
    expect(await c.wait()).toEqual({ exitCode: 0 });
    expect(await lines(c)).toEqual(['image file', 'no host file']);
    expect((await c.inspect()).note).toBeUndefined();
  });

  it("runs an image that is not imported on the host's filesystem, and says so", async () => {
    const c = await run(
      makeTask('host', { image: 'nothere:1', command: ['/bin/sh', '-c', `cat ${join(tmp, 'host-only')}`] }),
    );
    expect(await c.wait()).toEqual({ exitCode: 0 });
    expect(await lines(c)).toEqual(['host file']);
    expect((await c.inspect()).note).toBe(
      "image nothere:1 is not imported: running on the host's filesystem",
    );
  });

  it('mounts a secret read-only at its target; other tasks cannot see it', async () => {
    const secrets = join(tmp, 'secrets');
    const mk = async (taskId: string, content: string): Promise<SecretFile> => {
      const dir = join(secrets, taskId);
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'pw'), content, { mode: 0o400 });
      return { hostPath: join(dir, 'pw'), target: '/run/secrets/pw', uid: 0, gid: 0, mode: 0o400 };
    };
    const a = makeTask('seca', {
      command: [
        '/bin/sh',
        '-c',
        `cat /run/secrets/pw; echo x 2>/dev/null > /run/secrets/pw || echo read-only; ls -A ${secrets} | wc -l`,
      ],
    });
    const b = makeTask('secb', { image: 'busybox', command: ['/bin/sh', '-c', 'cat /run/secrets/pw'] });
    const aFile = await mk(a.id, 'alpha-secret\n');
    const bFile = await mk(b.id, 'beta-secret\n');
    const ca = await run(a, [aFile]);
    const cb = await run(b, [bFile]);
    const c = await run(
      makeTask('secc', { command: ['/bin/sh', '-c', `cat ${aFile.hostPath} 2>/dev/null || echo hidden`] }),
      [await mk('c-owner', 'gamma\n')],
    );
    expect(await ca.wait()).toEqual({ exitCode: 0 });
    expect(await lines(ca)).toEqual(['alpha-secret', 'read-only', '0']);
    expect(await readFile(aFile.hostPath, 'utf8')).toBe('alpha-secret\n');
    expect(await cb.wait()).toEqual({ exitCode: 0 });
    expect(await lines(cb)).toEqual(['beta-secret']);
    expect(await c.wait()).toEqual({ exitCode: 0 });
    expect(await lines(c)).toEqual(['hidden']);
  });

  it('runs as the user the spec names, resolved in the image', async () => {
    const byName = await run(makeTask('user', { image: 'busybox', user: 'nobody', command: ['id'] }));
    const byIds = await run(makeTask('uid', { image: 'busybox', user: '1234:65534', command: ['id', '-u'] }));
    expect(await byName.wait()).toEqual({ exitCode: 0 });
    expect((await lines(byName))[0]).toMatch(/^uid=65534\(nobody\) gid=65534\(nogroup\)/);
    expect(await byIds.wait()).toEqual({ exitCode: 0 });
    expect(await lines(byIds)).toEqual(['1234']);
    const unknown = engine.controller(
      makeTask('nouser', { image: 'busybox', user: 'ghost', command: ['id'] }),
    );
    await expect(unknown.prepare({ files: [], workDir: join(tmp, 'work', 'nouser') })).rejects.toThrow(
      /"ghost"/,
    );
  });

  it('follows logs as they are written and ends when the task exits', async () => {
    const c = await run(
      makeTask('follow', {
        image: 'busybox',
        command: ['/bin/sh', '-c', 'for i in 1 2 3; do echo line $i; sleep 0.2; done'],
      }),
    );
    const seen: string[] = [];
    for await (const l of c.logs({ follow: true })) seen.push(l.line);
    expect(seen).toEqual(['line 1', 'line 2', 'line 3']);
    expect((await c.inspect()).running).toBe(false);
  });

  it('adopts a running task after an agent restart instead of starting it again', async () => {
    const task = makeTask('adopt', {
      image: 'busybox',
      command: ['/bin/sh', '-c', 'echo started; sleep 30'],
    });
    const first = await run(task);
    await eventually('started', async () => (await lines(first)).includes('started'));
    const pid = (await first.inspect()).pid ?? 0;
    const startTime = (await startTimeOf(pid)) ?? -1;

    const restarted = new ProcessEngine({ dataRoot: join(tmp, 'data'), images });
    expect(await restarted.list()).toContain(task.id);
    const again = restarted.controller(task);
    made.push(again);
    await again.prepare({ files: [], workDir: join(tmp, 'work', task.id) });
    await again.start();
    const st = await again.inspect();
    expect(st).toMatchObject({ running: true, pid });
    await new Promise((r) => setTimeout(r, 300));
    expect((await lines(again)).filter((l) => l === 'started')).toHaveLength(1);

    await again.shutdown(300);
    expect(await again.wait()).toEqual({ exitCode: 137 });
    expect(await isAlive(pid, startTime)).toBe(false);
    await again.remove();
    expect(await restarted.list()).not.toContain(task.id);
  });
});
