/**
 * Secrets and configs for a task, on a tmpfs of its own: `<root>/<task id>` (mode 0700) is a fresh
 * tmpfs mount holding one file per reference, with the reference's uid, gid and mode (a task that
 * references none gets neither tmpfs nor directory). Engines mount the files read-only at their
 * targets (/run/secrets/<name> for secrets). The bytes never touch a disk; `release` unmounts and
 * removes the directory when the task ends. Without root there is no tmpfs: a 0700 directory is used
 * and `describe()` says so.
 */
import { execFile } from 'node:child_process';
import { chmod, chown, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { promisify } from 'node:util';
import type { Config__Output } from '../../proto/gen/shoal/api/Config.ts';
import type { Secret__Output } from '../../proto/gen/shoal/api/Secret.ts';
import { FailedPreconditionError, InvalidArgumentError } from '../../proto/shared/errors.ts';
import type { Logger } from '../../proto/shared/log.ts';
import { silentLogger } from '../../proto/shared/log.ts';
import type { SecretFile, Task } from '../executor/types.ts';

const run = promisify(execFile);
const TMPFS_SIZE = '4m';

export interface SecretMountsOptions {
  /** e.g. `<data root>/secrets`; one subdirectory (a tmpfs) per task. */
  readonly root: string;
  readonly log?: Logger;
}

const isRoot = (): boolean => process.getuid?.() === 0;

function unescapeMountPath(p: string): string {
  return p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** Mount points and their filesystem types, from /proc/self/mountinfo. */
async function mounts(): Promise<{ path: string; fstype: string }[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [left = '', right = ''] = l.split(' - ');
      return { path: unescapeMountPath(left.split(' ')[4] ?? ''), fstype: right.split(' ')[0] ?? '' };
    });
}

function numberOr(v: string | undefined, def: number, what: string): number {
  if (v === undefined || v === '') return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`${what}: ${JSON.stringify(v)} is not a numeric ID`);
  return n;
}

export class SecretMounts {
  private readonly log: Logger;

  constructor(private readonly o: SecretMountsOptions) {
    this.log = (o.log ?? silentLogger()).child({ component: 'secrets' });
  }

  /** True when `path` is itself a tmpfs mount point. */
  async isTmpfs(path: string): Promise<boolean> {
    return (await mounts()).some((m) => m.path === path && m.fstype === 'tmpfs');
  }

  async describe(): Promise<Record<string, string>> {
    return await Promise.resolve({
      secrets: isRoot() ? 'tmpfs per task' : 'NOT on tmpfs (not root): a 0700 directory per task',
    });
  }

  private dirOf(taskId: string): string {
    if (!/^[A-Za-z0-9_-]+$/.test(taskId))
      throw new InvalidArgumentError(`task ID ${JSON.stringify(taskId)} is not valid`);
    return join(this.o.root, taskId);
  }

  /** Writes the task's secrets and configs to its private tmpfs; returns them for the engine. */
  async materialise(
    task: Task,
    secrets: ReadonlyMap<string, Secret__Output>,
    configs: ReadonlyMap<string, Config__Output>,
  ): Promise<SecretFile[]> {
    const spec = task.spec?.containerSpec;
    const wanted: { data: Buffer; target: string; uid: number; gid: number; mode: number }[] = [];
    for (const ref of spec?.secrets ?? []) {
      const s = secrets.get(ref.secretId);
      if (!s)
        throw new FailedPreconditionError(
          `secret ${ref.secretName || ref.secretId} was not assigned to this node`,
        );
      const name = ref.file?.name || ref.secretName;
      wanted.push({
        data: Buffer.from(s.spec?.data ?? Buffer.alloc(0)),
        target: name.startsWith('/') ? name : posix.join('/run/secrets', name),
        uid: numberOr(ref.file?.uid, 0, 'secret uid'),
        gid: numberOr(ref.file?.gid, 0, 'secret gid'),
        mode: ref.file?.mode || 0o444,
      });
    }
    for (const ref of spec?.configs ?? []) {
      if (!ref.file) continue; // runtime configs (credential specs) are not files
      const c = configs.get(ref.configId);
      if (!c)
        throw new FailedPreconditionError(
          `config ${ref.configName || ref.configId} was not assigned to this node`,
        );
      const name = ref.file.name || ref.configName;
      wanted.push({
        data: Buffer.from(c.spec?.data ?? Buffer.alloc(0)),
        target: name.startsWith('/') ? name : `/${name}`,
        uid: numberOr(ref.file.uid, 0, 'config uid'),
        gid: numberOr(ref.file.gid, 0, 'config gid'),
        mode: ref.file.mode || 0o444,
      });
    }
    const dir = this.dirOf(task.id);
    await this.release(task.id);
    // Nothing to hold: no tmpfs, no directory. A mount per task costs a `mount` process at start, an
    // entry every new mount namespace copies (so O(tasks) per task start) and an unmount at the end.
    if (wanted.length === 0) return [];
    await mkdir(dir, { recursive: true, mode: 0o700 });
    try {
      if (isRoot())
        await run('mount', [
          '-t',
          'tmpfs',
          '-o',
          `size=${TMPFS_SIZE},mode=0700,nosuid,nodev,noexec`,
          'tmpfs',
          dir,
        ]);
      await chmod(dir, 0o700);
      const out: SecretFile[] = [];
      for (const [i, w] of wanted.entries()) {
        // the host file name is an index: a target name can never choose a host path
        const hostPath = join(dir, `f${i}`);
        await writeFile(hostPath, w.data, { mode: 0o600 });
        if (isRoot()) await chown(hostPath, w.uid, w.gid);
        await chmod(hostPath, w.mode);
        out.push({ hostPath, target: w.target, uid: w.uid, gid: w.gid, mode: w.mode });
      }
      return out;
    } catch (err) {
      await this.release(task.id).catch(() => undefined);
      throw err;
    }
  }

  /** Unmounts the task's tmpfs and removes its directory; nothing to do when absent. */
  async release(taskId: string): Promise<void> {
    const dir = this.dirOf(taskId);
    // A mount point is a directory: without one there is nothing to unmount (and no need to read
    // /proc/self/mountinfo, which grows with every mount on the host).
    const exists = await stat(dir).then(
      () => true,
      () => false,
    );
    if (!exists) return;
    while (await this.isTmpfs(dir)) {
      try {
        await run('umount', [dir]);
      } catch {
        await run('umount', ['-l', dir]);
      }
    }
    await rm(dir, { recursive: true, force: true });
  }

  /** After an agent restart: releases every task directory whose task is not in `keep`. */
  async reconcile(keep: ReadonlySet<string>): Promise<void> {
    let names: string[] = [];
    try {
      names = await readdir(this.o.root);
    } catch {
      return;
    }
    for (const n of names) {
      if (keep.has(n) || !/^[A-Za-z0-9_-]+$/.test(n)) continue;
      this.log.info({ taskId: n }, 'releasing secrets of a task this node no longer runs');
      await this.release(n);
    }
  }
}
