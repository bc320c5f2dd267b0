/**
 * Test helpers for the docker engine: a private dockerd that touches nothing of the host's Docker
 * (own data root, exec root, pid file and socket), and a busybox image imported from busybox-static,
 * since this machine reaches no image registry. Only tests import this file.
 */
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm, mkdir, copyFile, symlink, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';

const run = promisify(execFile);

/** A dockerd started by {@link startDockerd}. */
export interface PrivateDockerd {
  /** Path of its API socket (pass as `socketPath` to dockerode or DockerEngine). */
  readonly socket: string;
  /** Kills it (and the containerd it started), unmounts what is left under its roots, removes its dirs. */
  stop(): Promise<void>;
}

const STATIC_BUSYBOX = '/bin/busybox';

async function isInstalled(pkg: string): Promise<boolean> {
  try {
    const { stdout } = await run('dpkg-query', ['-W', '-f=${Status}', pkg]);
    return stdout.includes('install ok installed');
  } catch {
    return false;
  }
}

async function hasCommand(name: string): Promise<boolean> {
  try {
    await run('sh', ['-c', `command -v ${name}`]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Installs docker.io and busybox-static when missing (root only; idempotent).
 * @returns undefined when dockerd and a static busybox are ready, else why the caller should skip.
 */
export async function ensureDockerInstalled(): Promise<string | undefined> {
  const ready = async (): Promise<boolean> =>
    (await hasCommand('dockerd')) && (await isInstalled('busybox-static'));
  if (await ready()) return undefined;
  if (process.getuid?.() !== 0) return 'dockerd or busybox-static missing and not root: cannot install them';
  // Two test files may get here at once on a fresh machine: wait for apt's locks and retry.
  const lock = ['-o', 'DPkg::Lock::Timeout=600'];
  let lastErr: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      if (await ready()) return undefined;
      await run('apt-get', [...lock, 'update'], { maxBuffer: 64 << 20 });
      await run('apt-get', [...lock, 'install', '-y', 'docker.io', 'busybox-static'], {
        maxBuffer: 64 << 20,
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
      lastErr = undefined;
      break;
    } catch (err) {
      lastErr = err;
      await new Promise((r) => setTimeout(r, 5000));
    }
  }
  if (lastErr !== undefined)
    return `apt-get install docker.io busybox-static failed: ${(lastErr as Error).message}`;
  return (await ready()) ? undefined : 'docker.io installed but dockerd still not found';
}

async function ping(socket: string): Promise<boolean> {
  const http = await import('node:http');
  return new Promise((resolve) => {
    const req = http.request({ socketPath: socket, path: '/_ping', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

/** Lazily unmounts every mount point under `dir`, deepest first (overlay layers, netns, shm). */
async function unmountUnder(dir: string): Promise<void> {
  const mounts = await readFile('/proc/self/mounts', 'utf8');
  const points = mounts
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((p) => p.startsWith(dir + '/'))
    .sort((a, b) => b.length - a.length);
  for (const p of points) await run('umount', ['-l', p]).catch(() => undefined);
}

/**
 * Starts a dockerd of its own in a fresh temp dir and resolves once `/_ping` answers (or rejects after
 * `timeoutMs`, with the end of its log, having cleaned up). dockerd starts its own containerd under the
 * exec root, so nothing of the host's Docker is used or needed. No bridge and no iptables: tasks run
 * with network `none`.
 */
export async function startDockerd(timeoutMs = 30_000): Promise<PrivateDockerd> {
  const root = await mkdtemp(join(tmpdir(), 'shoal-dockerd-'));
  const socket = join(root, 'docker.sock');
  const logPath = join(root, 'dockerd.log');
  const { openSync, closeSync } = await import('node:fs');
  const logFd = openSync(logPath, 'a');
  const child = spawn(
    'dockerd',
    [
      `--data-root=${join(root, 'data')}`,
      `--exec-root=${join(root, 'exec')}`,
      `--pidfile=${join(root, 'dockerd.pid')}`,
      `--host=unix://${socket}`,
      '--iptables=false',
      '--ip-masq=false',
      '--bridge=none',
    ],
    { stdio: ['ignore', logFd, logFd] },
  );
  closeSync(logFd);
  let exited = false;
  const exitedP = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
    child.once('error', () => {
      exited = true;
      resolve();
    });
  });

  const stop = async (): Promise<void> => {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exitedP;
      clearTimeout(timer);
    }
    await unmountUnder(root);
    await rm(root, { recursive: true, force: true }).catch(async () => {
      await unmountUnder(root);
      await rm(root, { recursive: true, force: true });
    });
  };

  const deadline = Date.now() + timeoutMs;
  while (!(await ping(socket))) {
    if (exited || Date.now() > deadline) {
      const log = await readFile(logPath, 'utf8').catch(() => '');
      await stop();
      throw new Error(`dockerd did not answer /_ping within ${timeoutMs} ms:\n${log.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { socket, stop };
}

/**
 * Imports a busybox image named `name` (`repo:tag`) into `docker`: a root filesystem holding the static
 * busybox at /bin/busybox with a symlink per applet, plus /tmp, /etc and /run. The image has no CMD, so
 * tasks must give a command.
 */
export async function importBusybox(docker: Docker, name: string): Promise<void> {
  if (!existsSync(STATIC_BUSYBOX)) throw new Error(`${STATIC_BUSYBOX} missing: install busybox-static`);
  const dir = await mkdtemp(join(tmpdir(), 'shoal-busybox-'));
  try {
    for (const d of ['bin', 'tmp', 'etc', 'run', 'proc', 'sys', 'dev']) await mkdir(join(dir, d));
    await copyFile(STATIC_BUSYBOX, join(dir, 'bin', 'busybox'));
    const { stdout } = await run(STATIC_BUSYBOX, ['--list']);
    for (const applet of stdout.split('\n').filter((a) => a && a !== 'busybox')) {
      await symlink('busybox', join(dir, 'bin', applet));
    }
    const colon = name.lastIndexOf(':');
    const [repo, tag] =
      colon > name.lastIndexOf('/') ? [name.slice(0, colon), name.slice(colon + 1)] : [name, 'latest'];
    const tar = spawn('tar', ['-C', dir, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const out = await docker.importImage(tar.stdout, { repo, tag });
    const body = await new Promise<string>((resolve, reject) => {
      let text = '';
      out.on('data', (c: Buffer) => (text += c.toString()));
      out.on('end', () => resolve(text));
      out.on('error', reject);
    });
    if (body.includes('"error"')) throw new Error(`import of ${name} failed: ${body}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
