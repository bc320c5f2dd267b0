/**
 * What the engine reads of processes in /proc: start times (so a recycled pid is not mistaken for a
 * task's), liveness, and children (to find a task's workload below its wrapper).
 */
import { readdir, readFile } from 'node:fs/promises';

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot), or undefined for a gone/zombie pid. */
export async function startTimeOf(pid: number): Promise<number | undefined> {
  let stat: string;
  try {
    stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may contain spaces and parentheses: split after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
  const start = Number(fields[19]);
  return Number.isFinite(start) ? start : undefined;
}

/** True while `pid` runs and is still the process that started at `startTime`. */
export async function isAlive(pid: number, startTime: number): Promise<boolean> {
  return (await startTimeOf(pid)) === startTime;
}

/** The direct children of `pid`, oldest first. */
export async function childrenOf(pid: number): Promise<number[]> {
  try {
    const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8');
    return text
      .split(' ')
      .filter((s) => s.trim() !== '')
      .map(Number);
  } catch {
    // Kernels without CONFIG_PROC_CHILDREN: scan every process's PPid.
  }
  const out: number[] = [];
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const status = await readFile(`/proc/${entry}/status`, 'utf8').catch(() => '');
    if (new RegExp(`^PPid:\\s+${pid}$`, 'm').test(status)) out.push(Number(entry));
  }
  return out.sort((a, b) => a - b);
}

/** Follows the first child `depth` times from `pid`; undefined when a level is missing. */
export async function descendant(pid: number, depth: number): Promise<number | undefined> {
  let cur: number | undefined = pid;
  for (let i = 0; i < depth && cur !== undefined; i++) cur = (await childrenOf(cur))[0];
  return cur;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
