/**
 * The `shoal` CLI end to end: the real binary against real shoald processes (a manager and a worker,
 * embedded process engine). Output and exit codes as a user sees them.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxMissing, makeBusyboxRootfs, tarDir } from '../worker/images/testkit.ts';
import { eventually } from './harness.ts';
import { SHOAL_BIN, ShoaldKit, type DaemonHandle } from './shoald-kit.ts';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const reason =
  process.getuid?.() !== 0
    ? 'needs root (namespaces, tmpfs secrets)'
    : await busyboxMissing().catch((e: unknown) => String(e));
if (reason) console.warn(`shoal CLI cluster test skipped: ${reason}`);

describe.skipIf(reason !== undefined)('shoal against a live cluster', () => {
  const work = mkdtempSync(join(tmpdir(), 'shoal-cli-e2e-'));
  const kit = new ShoaldKit({ root: join(work, 'nodes') });
  let m: DaemonHandle, w: DaemonHandle;

  const shoal = (node: DaemonHandle, args: readonly string[]): Promise<Run> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        [SHOAL_BIN, ...args],
        { cwd: work, env: { ...process.env, SHOAL_HOST: `unix://${node.socket}` }, timeout: 120_000 },
        (err, stdout, stderr) =>
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
      );
    });
  const ok = async (node: DaemonHandle, args: readonly string[]): Promise<string> => {
    const r = await shoal(node, args);
    expect(r.code, `shoal ${args.join(' ')}\n${r.stdout}\n${r.stderr}\n${kit.describe()}`).toBe(0);
    return r.stdout;
  };

  beforeAll(async () => {
    [m, w] = (await Promise.all(['m', 'w'].map((n) => kit.add(n)))) as [DaemonHandle, DaemonHandle];
    writeFileSync(join(work, 'pw.txt'), 'hunter2');
  }, 120_000);
  afterAll(async () => {
    await kit.destroy();
    rmSync(work, { recursive: true, force: true });
  }, 120_000);

  it('swarm init and join', async () => {
    const init = await ok(m, ['swarm', 'init', '--advertise-addr', m.addr, '--listen-addr', m.addr]);
    expect(init).toMatch(/^Swarm initialized: current node \([a-z0-9]{25}\) is now a manager\./);
    const token = (await ok(m, ['swarm', 'join-token', '-q', 'worker'])).trim();
    const join = await ok(w, [
      'swarm',
      'join',
      '--token',
      token,
      '--advertise-addr',
      w.addr,
      '--listen-addr',
      w.addr,
      m.addr,
    ]);
    expect(join.trim()).toBe('This node joined a swarm as a worker.');
    await eventually(
      async () => (await ok(m, ['node', 'ls'])).split('\n').filter((l) => l.includes('Ready')).length === 2,
      'two ready nodes',
      () => kit.describe(),
      30_000,
    );
    expect(await ok(m, ['node', 'ls'])).toMatch(/\*\s+m\s+Ready\s+Active\s+Leader/);
  }, 60_000);

  it('service create shows progress until converged; ls, ps, scale, update, rollback, logs, rm', async () => {
    const created = await ok(m, [
      'service',
      'create',
      '--name',
      'web',
      '--replicas',
      '2',
      'hostfs',
      'sh',
      '-c',
      'echo hi from $HOSTNAME; exec sleep 1000',
    ]);
    expect(created).toMatch(/overall progress: 2 out of 2 tasks/);
    expect(created).toMatch(/verify: Service (web |[a-z0-9]{25} )?converged/);
    expect(await ok(m, ['service', 'ls'])).toMatch(/web\s+replicated\s+2\/2\s+hostfs:latest/);
    expect(await ok(m, ['service', 'ps', 'web'])).toMatch(/web\.1\s+hostfs:latest\s+\S+\s+Running\s+Running/);
    expect((await ok(m, ['service', 'scale', 'web=3'])).split('\n')[0]).toBe('web scaled to 3');
    expect(await ok(m, ['service', 'ls', '--format', '{{.Name}} {{.Replicas}}'])).toBe('web 3/3\n');
    await ok(m, ['service', 'update', '-d', '--env-add', 'X=1', 'web']);
    expect(
      await ok(m, ['service', 'inspect', '--format', '{{.Spec.TaskTemplate.ContainerSpec.Env}}', 'web']),
    ).toBe('[X=1]\n');
    await ok(m, ['service', 'rollback', '-d', 'web']);
    expect(
      await ok(m, ['service', 'inspect', '--format', '{{len .Spec.TaskTemplate.ContainerSpec.Env}}', 'web']),
    ).toBe('0\n');
    await eventually(
      async () => /web\.\d\.[a-z0-9]{12}@\S+\s+\| hi from/.test(await ok(m, ['service', 'logs', 'web'])),
      'a log line',
      () => kit.describe(),
      30_000,
    );
    expect((await ok(m, ['service', 'rm', 'web'])).trim()).toBe('web');
  }, 180_000);

  it('secrets never come back out; the worker refuses manager commands', async () => {
    expect((await ok(m, ['secret', 'create', 'pw', 'pw.txt'])).trim()).toMatch(/^[a-z0-9]{25}$/);
    expect(await ok(m, ['secret', 'inspect', 'pw'])).not.toContain('aHVudGVyMg');
    const refused = await shoal(w, ['service', 'ls']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Error response from daemon: This node is not a swarm manager.');
    const info = await ok(w, ['info']);
    expect(info).toMatch(/Is Manager: false/);
    // As root the process engine isolates tasks, and `shoal info` says how.
    expect(info).toMatch(
      / Engine: process\n {2}engine: process\n {2}isolation: namespaces: pid, mount, uts, ipc/,
    );
  }, 60_000);

  it('shoal image import: a service runs chrooted in the imported image with its CMD', async () => {
    const rootfs = join(work, 'rootfs');
    // with its newline: like Docker, a partial last line shows only once the task's stream ends
    await makeBusyboxRootfs(rootfs, { 'etc/flavour': 'imported\n' });
    await tarDir(rootfs, join(work, 'bb.tar'));
    for (const n of [m, w]) {
      const out = await ok(n, [
        'image',
        'import',
        '-c',
        'CMD ["sh", "-c", "cat /etc/flavour; exec sleep 1000"]',
        'bb',
        'bb.tar',
      ]);
      expect(out.trim()).toBe('bb:latest');
      expect(await ok(n, ['image', 'ls'])).toMatch(/bb:latest/);
    }
    const bad = await shoal(m, ['image', 'import', '-c', 'EXPOSE 80', 'bb', 'bb.tar']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('only CMD, ENTRYPOINT, ENV and WORKDIR are supported');
    await ok(m, ['service', 'create', '--name', 'img', '--replicas', '2', '--no-resolve-image', 'bb']);
    await eventually(
      async () => ((await ok(m, ['service', 'logs', 'img'])).match(/\| imported$/gm) ?? []).length === 2,
      'both tasks printing the file only the image has',
      () => kit.describe(),
      30_000,
    );
    await ok(m, ['service', 'rm', 'img']);
  }, 120_000);

  it('a bad flag or value fails before any request, naming it', async () => {
    for (const [args, msg] of [
      [['service', 'create', '--replicas', '-1', 'x'], '--replicas'],
      [['service', 'create', '--update-order', 'sideways', 'x'], '--update-order'],
      [['service', 'create', '--limit-memory', '12qq', 'x'], '--limit-memory'],
      [['node', 'ls', '--nope'], '--nope'],
    ] as const) {
      const r = await shoal(m, [...args]);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr, args.join(' ')).toContain(msg);
    }
    expect(await ok(m, ['service', 'ls', '-q'])).toBe('');
  }, 60_000);
});
