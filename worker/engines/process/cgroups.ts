/**
 * Per-task cgroups for memory and CPU limits. cgroup v2 (unified, `/sys/fs/cgroup/cgroup.controllers`):
 * `<parent>/<task>` with memory.max and cpu.max. cgroup v1: `memory/<parent>/<task>` with
 * memory.limit_in_bytes and `cpu/<parent>/<task>` with cpu.cfs_quota_us. A task's wrapper writes its own
 * pid into each `cgroup.procs` before it starts the workload, so nothing escapes the limits.
 */
import { existsSync } from 'node:fs';
import { mkdir, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sleep } from './procfs.ts';

export type CgroupSupport =
  | { readonly kind: 'v2'; readonly root: string }
  | { readonly kind: 'v1'; readonly memory?: string; readonly cpu?: string }
  | { readonly kind: 'none'; readonly why: string };

export interface Limits {
  readonly memoryBytes?: number;
  readonly nanoCpus?: number;
}

const CPU_PERIOD_US = 100_000;

/** What this kernel offers, read once at engine start. */
export function detectCgroups(root = '/sys/fs/cgroup'): CgroupSupport {
  if (process.getuid?.() !== 0) return { kind: 'none', why: 'not root' };
  if (existsSync(join(root, 'cgroup.controllers'))) return { kind: 'v2', root };
  const memory = existsSync(join(root, 'memory/memory.limit_in_bytes')) ? join(root, 'memory') : undefined;
  const cpu = existsSync(join(root, 'cpu/cpu.cfs_quota_us')) ? join(root, 'cpu') : undefined;
  if (memory === undefined && cpu === undefined)
    return { kind: 'none', why: `no cgroup controllers under ${root}` };
  return { kind: 'v1', ...(memory ? { memory } : {}), ...(cpu ? { cpu } : {}) };
}

/** One line for `describe()`. */
export function describeCgroups(c: CgroupSupport): string {
  switch (c.kind) {
    case 'v2':
      return `v2 at ${c.root}: memory.max, cpu.max`;
    case 'v1':
      return `v1: ${[c.memory ? 'memory' : '', c.cpu ? 'cpu' : ''].filter(Boolean).join(', ')}`;
    case 'none':
      return `not used: ${c.why}`;
  }
}

/**
 * Creates the task's cgroups and writes its limits.
 * @returns the cgroup directories made (the wrapper joins each; `removeCgroups` deletes them).
 */
export async function createCgroups(
  c: CgroupSupport,
  parent: string,
  taskId: string,
  limits: Limits,
): Promise<string[]> {
  switch (c.kind) {
    case 'none':
      return [];
    case 'v2': {
      await writeFile(join(c.root, 'cgroup.subtree_control'), '+memory +cpu').catch(() => undefined);
      await mkdir(join(c.root, parent), { recursive: true });
      await writeFile(join(c.root, parent, 'cgroup.subtree_control'), '+memory +cpu').catch(() => undefined);
      const dir = join(c.root, parent, taskId);
      await mkdir(dir, { recursive: true });
      if (limits.memoryBytes) await writeFile(join(dir, 'memory.max'), String(limits.memoryBytes));
      if (limits.nanoCpus)
        await writeFile(join(dir, 'cpu.max'), `${quotaUs(limits.nanoCpus)} ${CPU_PERIOD_US}`);
      return [dir];
    }
    case 'v1': {
      const dirs: string[] = [];
      if (c.memory) {
        const dir = join(c.memory, parent, taskId);
        await mkdir(dir, { recursive: true });
        if (limits.memoryBytes)
          await writeFile(join(dir, 'memory.limit_in_bytes'), String(limits.memoryBytes));
        dirs.push(dir);
      }
      if (c.cpu) {
        const dir = join(c.cpu, parent, taskId);
        await mkdir(dir, { recursive: true });
        if (limits.nanoCpus) {
          await writeFile(join(dir, 'cpu.cfs_period_us'), String(CPU_PERIOD_US));
          await writeFile(join(dir, 'cpu.cfs_quota_us'), String(quotaUs(limits.nanoCpus)));
        }
        dirs.push(dir);
      }
      return dirs;
    }
  }
}

function quotaUs(nanoCpus: number): number {
  return Math.max(1000, Math.round((nanoCpus * CPU_PERIOD_US) / 1e9));
}

/** Deletes cgroup directories once their processes are gone (retries for up to ~2 s). */
export async function removeCgroups(dirs: readonly string[]): Promise<void> {
  for (const dir of dirs) {
    for (let i = 0; i < 20 && existsSync(dir); i++) {
      try {
        await rmdir(dir);
      } catch {
        await sleep(100);
      }
    }
  }
}
