/**
 * Every run of the host harness has a prefix (`sh` + 6 hex digits) that names all it creates: network
 * namespaces `<prefix>-ul` (the underlay) and `<prefix>-m1`, `<prefix>-w1`, …, and a root folder whose
 * name ends in the prefix (data roots, tmpfs mounts, logs). A record per run in {@link REGISTRY_DIR}
 * says who owns it; the sweeper removes runs whose owner died (a crashed test) and namespaces with our
 * naming and no record, and never touches anything else. Runs made by `npm run cluster -- up` are
 * `persistent`: only `down` removes them.
 */
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import type { Dirent } from 'node:fs';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { sweep as sweepTasks } from '../shoald-kit.ts';
import { isAlive, listNetns, netnsInode, pidsInNetns, procStat, signal, tryRun, mountsUnder } from './sys.ts';

/** One record per run; /run is a tmpfs, emptied on reboot like the namespaces themselves. */
export const REGISTRY_DIR = '/run/shoal-hosts';

const PREFIX_RE = /^sh[0-9a-f]{6}$/;
const NS_RE = /^(sh[0-9a-f]{6})-(ul|[mws]\d+)$/; // s<n>: spare hosts (spare.ts)

export interface RunRecord {
  readonly prefix: string;
  /** The run's folder (its basename ends with the prefix). */
  readonly root: string;
  /** The third octet of the underlay 10.250.X.0/24. */
  readonly subnetOctet: number;
  readonly ownerPid: number;
  readonly ownerStart: number;
  readonly persistent: boolean;
}

/** A fresh prefix no namespace or record uses yet. */
export function newPrefix(): string {
  for (;;) {
    const p = `sh${randomBytes(3).toString('hex')}`;
    if (!listNetns().some((n) => n.startsWith(p + '-')) && !readRecords().some((r) => r.prefix === p))
      return p;
  }
}

export function readRecords(): RunRecord[] {
  let names: string[];
  try {
    names = readdirSync(REGISTRY_DIR);
  } catch {
    return [];
  }
  const out: RunRecord[] = [];
  for (const n of names) {
    if (!n.endsWith('.json') || !PREFIX_RE.test(n.slice(0, -5))) continue;
    try {
      out.push(JSON.parse(readFileSync(join(REGISTRY_DIR, n), 'utf8')) as RunRecord);
    } catch {
      // half-written: its owner is still creating it
    }
  }
  return out;
}

/** Records the run before anything of it exists, so a crash at any point leaves it sweepable. */
export function register(r: Omit<RunRecord, 'ownerPid' | 'ownerStart'>): RunRecord {
  if (!PREFIX_RE.test(r.prefix)) throw new Error(`invalid harness prefix "${r.prefix}"`);
  if (!basename(r.root).endsWith(r.prefix))
    throw new Error(`the run's folder must end with its prefix (got "${r.root}")`);
  const rec: RunRecord = {
    ...r,
    ownerPid: process.pid,
    ownerStart: procStat(process.pid)?.startTime ?? 0,
  };
  mkdirSync(REGISTRY_DIR, { recursive: true });
  writeFileSync(join(REGISTRY_DIR, `${r.prefix}.json`), JSON.stringify(rec, null, 2));
  return rec;
}

/** The run's namespaces that exist now. */
export function namespacesOf(prefix: string): string[] {
  return listNetns().filter((n) => NS_RE.exec(n)?.[1] === prefix);
}

/**
 * Removes everything of one run: SIGKILLs every process in its namespaces (daemons and their tasks)
 * and every task working under its folder, unmounts what is mounted there, deletes the namespaces
 * (their veths and bridge go with them), the folder and the record.
 */
export function sweepRun(prefix: string, root?: string): void {
  if (!PREFIX_RE.test(prefix)) throw new Error(`refusing to sweep "${prefix}": not a harness prefix`);
  const nss = namespacesOf(prefix);
  const inodes = new Set(nss.map(netnsInode).filter((i): i is number => i !== undefined));
  for (let round = 0; round < 20; round++) {
    const pids = pidsInNetns(inodes).filter((p) => p !== process.pid);
    if (pids.length === 0) break;
    for (const p of pids) signal(p, 'SIGKILL');
    const until = Date.now() + 50;
    while (Date.now() < until && pidsInNetns(inodes).some((p) => isAlive(p)));
  }
  if (root && basename(root).endsWith(prefix)) {
    const cgroups = taskCgroups(root);
    sweepTasks(root);
    removeCgroups(cgroups);
    for (const m of mountsUnder(root)) tryRun('umount', ['-l', m]);
    rmSync(root, { recursive: true, force: true });
  }
  for (const ns of nss) tryRun('ip', ['netns', 'del', ns]);
  rmSync(join(REGISTRY_DIR, `${prefix}.json`), { force: true });
}

/**
 * The cgroup folders the process engine made for the run's tasks, as their `state.json` files record
 * them (a SIGKILLed daemon never removes them itself).
 */
export function taskCgroups(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory() && e.name !== 'rootfs') walk(p);
      else if (e.isFile() && e.name === 'state.json') {
        try {
          const st = JSON.parse(readFileSync(p, 'utf8')) as { taskId?: unknown; cgroups?: unknown };
          if (!Array.isArray(st.cgroups)) continue;
          for (const cg of st.cgroups)
            if (typeof cg === 'string' && cg.startsWith('/sys/fs/cgroup/') && basename(cg) === st.taskId)
              out.push(cg);
        } catch {
          // not a task state file
        }
      }
    }
  };
  walk(root);
  return out;
}

/** rmdir()s cgroup folders once their (killed) processes have left them; gives up after ~1 s. */
export function removeCgroups(dirs: readonly string[]): void {
  let left = dirs.filter((d) => existsSync(d));
  for (let round = 0; round < 20 && left.length > 0; round++) {
    left = left.filter((d) => {
      try {
        rmdirSync(d);
        return false;
      } catch {
        return existsSync(d);
      }
    });
    if (left.length > 0) spawnSync('sleep', ['0.05']);
  }
}

/** The owner of a record is gone (so the run is left over from a crash). */
export function isStale(r: RunRecord): boolean {
  return !r.persistent && !isAlive(r.ownerPid, r.ownerStart);
}

/**
 * Sweeps left-overs of earlier runs: records whose owner died (not persistent ones), and namespaces
 * with the harness's naming that no record claims. Returns the prefixes swept.
 */
export function sweepStale(): string[] {
  const records = readRecords();
  const swept: string[] = [];
  for (const r of records.filter(isStale)) {
    sweepRun(r.prefix, r.root);
    swept.push(r.prefix);
  }
  const claimed = new Set(records.map((r) => r.prefix));
  const orphans = new Set(
    listNetns()
      .map((n) => NS_RE.exec(n)?.[1])
      .filter((p): p is string => p !== undefined && !claimed.has(p)),
  );
  for (const p of orphans) {
    sweepRun(p);
    swept.push(p);
  }
  return swept;
}
