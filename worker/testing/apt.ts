/**
 * Test helper: installs a Debian package a root-only test needs when the machine lacks it, as the
 * busybox and docker test kits do (a fresh CI machine of this kind has apt and Debian's mirror, and
 * nothing else). Only tests import this file.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Runs `present` and, when it says no and we are root, `apt-get install -y pkg` (with `update` first
 * and apt's lock waited for: several test files may ask at once). Returns `present()` afterwards.
 */
export async function ensureDebianPackage(pkg: string, present: () => Promise<boolean>): Promise<boolean> {
  if (await present()) return true;
  if (process.getuid?.() !== 0) return false;
  const lock = ['-o', 'DPkg::Lock::Timeout=600'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (let attempt = 0; attempt < 3 && !(await present()); attempt++) {
    try {
      await run('apt-get', [...lock, 'update'], { maxBuffer: 64 << 20, env });
      await run('apt-get', [...lock, 'install', '-y', pkg], { maxBuffer: 64 << 20, env });
    } catch {
      await new Promise((r) => setTimeout(r, 5000));
    }
  }
  return present();
}
