/**
 * Test helpers: a busybox root filesystem built from Debian's busybox-static (this machine reaches no
 * image registry). Only tests import this file.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const run = promisify(execFile);
export const STATIC_BUSYBOX = '/bin/busybox';

/** Why busybox tests cannot run here, or undefined when /bin/busybox is a static busybox. */
export async function busyboxMissing(): Promise<string | undefined> {
  if (!existsSync(STATIC_BUSYBOX) && process.getuid?.() === 0) {
    // A fresh machine: install it (several test files may try at once; apt waits for its lock).
    const lock = ['-o', 'DPkg::Lock::Timeout=600'];
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    for (let attempt = 0; attempt < 5 && !existsSync(STATIC_BUSYBOX); attempt++) {
      try {
        await run('apt-get', [...lock, 'update'], { maxBuffer: 64 << 20, env });
        await run('apt-get', [...lock, 'install', '-y', 'busybox-static'], { maxBuffer: 64 << 20, env });
      } catch {
        await new Promise((r) => setTimeout(r, 5000));
      }
    }
  }
  if (!existsSync(STATIC_BUSYBOX)) return 'no /bin/busybox (apt-get install -y busybox-static)';
  const { stdout } = await run('file', ['-L', STATIC_BUSYBOX]).catch(() => ({ stdout: 'static' }));
  return stdout.includes('static') ? undefined : '/bin/busybox is not statically linked';
}

/**
 * Fills `dir` with a busybox root filesystem: /bin/busybox, one symlink per applet, /etc/passwd and
 * /etc/group with root and nobody, empty /proc /tmp /run, and `extra` files (path → content).
 */
export async function makeBusyboxRootfs(dir: string, extra: Record<string, string> = {}): Promise<void> {
  for (const d of ['bin', 'etc', 'proc', 'tmp', 'run', 'root'])
    await mkdir(join(dir, d), { recursive: true });
  await copyFile(STATIC_BUSYBOX, join(dir, 'bin/busybox'));
  const { stdout } = await run(STATIC_BUSYBOX, ['--list']);
  for (const applet of stdout.split('\n')) {
    if (applet === '' || applet === 'busybox') continue;
    await symlink('busybox', join(dir, 'bin', applet)).catch(() => undefined);
  }
  await writeFile(
    join(dir, 'etc/passwd'),
    'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n',
  );
  await writeFile(join(dir, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
  for (const [path, content] of Object.entries(extra)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
}

/** `tar c` of a directory's contents into `tarball`. */
export async function tarDir(dir: string, tarball: string): Promise<void> {
  await run('tar', ['-cf', tarball, '-C', dir, '.']);
}
