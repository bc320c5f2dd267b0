/**
 * The two shell scripts that start a task. `wrapper.sh` runs on the host (its pid is the one the engine
 * records): it joins the task's cgroups, runs the task, and writes the exit code to a file so an agent
 * that restarted meanwhile still learns how the task ended. As root it starts `init.sh` through
 * `unshare` in new pid, mount, uts and ipc namespaces; `init.sh` sets the hostname, mounts /proc,
 * secrets and configs (read-only), hides every other task's secrets, then execs the workload (chrooted
 * into the image's rootfs when there is one) as pid 1 of the namespace.
 */
import { dirname, join, posix } from 'node:path';
import type { SecretFile } from '../../executor/types.ts';
import { withNeeded } from './caps.ts';
import { STAMPER } from './stamp.ts';

/** Quotes one word for /bin/sh. */
export function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface ScriptPlan {
  readonly isolate: boolean;
  readonly unshare: string;
  readonly cgroups: readonly string[];
  readonly exitFile: string;
  readonly initFile: string;
  readonly recorderFile: string;
  /** The rootfs to chroot into, or `/` for the host's filesystem. */
  readonly rootfs: string;
  readonly hostname: string;
  readonly dir: string;
  readonly uid?: number;
  readonly gid?: number;
  readonly argv: readonly string[];
  readonly files: readonly SecretFile[];
  /** A directory of the task's own (workDir) for staging its secret files. */
  readonly stageDir: string;
  /** Host directories hidden from the task (an empty tmpfs over each), after its own files are staged. */
  readonly hiddenPaths?: readonly string[];
  /** Least privilege (caps.ts), applied with util-linux setpriv; absent: the workload keeps every capability. */
  readonly privileges?: Privileges;
  /** The log recorder (stamp.ts); absent: the task writes straight to the files the engine opened. */
  readonly logs?: LogPlan;
  /** The task's own network namespace (PrepareContext.network), entered before anything else. */
  readonly netns?: { readonly path: string; readonly nsenter: string };
}

/** Where wrapper.sh sends the task's stdout and stderr through the recorder. */
export interface LogPlan {
  readonly perl: string;
  readonly stdoutPath: string;
  readonly stderrPath: string;
  readonly maxBytes: number;
  /** Directory for the two FIFOs (the task's state dir). */
  readonly fifoDir: string;
}

/** What setpriv applies right before the workload's exec. */
export interface Privileges {
  readonly setpriv: string;
  /** setpriv's `--bounding-set` argument (caps.ts `boundingSet`). */
  readonly bounding: string;
  readonly noNewPrivs: boolean;
}

/**
 * How many levels below the wrapper's pid the workload runs: the wrapper (after exec'ing into unshare
 * when isolating) runs init.sh as a child, which execs the workload (pid 1 of the new pid namespace).
 */
export const WORKLOAD_DEPTH = 1;

/** The host-side script, started by the engine: joins cgroups, enters namespaces, records the exit code. */
export function wrapperScript(p: ScriptPlan): string {
  const lines = ['#!/bin/sh', ...recordLogs(p.logs)];
  for (const cg of p.cgroups) lines.push(`echo $$ > ${q(join(cg, 'cgroup.procs'))}`);
  // nsenter execs (no fork): the wrapper's pid stays the recorded one, now in the task's network.
  const net = p.netns ? `${q(p.netns.nsenter)} --net=${q(p.netns.path)} ` : '';
  if (p.isolate) {
    // unshare without --fork: this process enters the new mount/uts/ipc namespaces and its first child
    // is pid 1 of the new pid namespace. (util-linux 2.38's --fork reports a SIGKILLed child as exit 1.)
    lines.push(
      `exec ${net}${q(p.unshare)} --pid --mount --uts --ipc --propagation private /bin/sh ${q(p.recorderFile)}`,
    );
  } else if (p.netns) {
    lines.push(`exec ${net}/bin/sh ${q(p.recorderFile)}`);
  } else {
    lines.push(...recorderLines(p));
  }
  return lines.join('\n') + '\n';
}

/**
 * Starts one recorder per stream, reading a FIFO, before the task joins its cgroups (so the recorders
 * are not counted against its limits), and points this shell's stdout and stderr at the FIFOs.
 */
function recordLogs(l: LogPlan | undefined): string[] {
  if (!l) return [];
  const out = [];
  const fifos: string[] = [];
  for (const [name, path] of [
    ['stdout', l.stdoutPath],
    ['stderr', l.stderrPath],
  ] as const) {
    const fifo = join(l.fifoDir, `${name}.pipe`);
    fifos.push(fifo);
    out.push(
      `rm -f ${q(fifo)} ${q(`${path}.done`)}; mkfifo -m 0600 ${q(fifo)}`,
      // in a subshell that exits at once: the recorder is no child of ours (the workload is our only one)
      `(${q(l.perl)} -e ${q(STAMPER)} ${q(path)} ${l.maxBytes} < ${q(fifo)} > /dev/null 2>&1 &)`,
    );
  }
  out.push(`exec > ${q(fifos[0] ?? '')} 2> ${q(fifos[1] ?? '')}`);
  return out;
}

/** Runs init.sh as a child and writes its exit code (128+signal when killed) where the engine reads it. */
export function recorderScript(p: ScriptPlan): string {
  return ['#!/bin/sh', ...recorderLines(p)].join('\n') + '\n';
}

function recorderLines(p: ScriptPlan): string[] {
  return [
    `/bin/sh ${q(p.initFile)}`,
    'code=$?',
    // Builtins only: once pid 1 of the namespace is gone this process can fork no more children there.
    `echo $code > ${q(p.exitFile)}`,
    'exit $code',
  ];
}

/** sed program printing the mount point of every nsfs mount in /proc/self/mountinfo. */
const NSFS_MOUNTS = 's/^[^ ]* [^ ]* [^ ]* [^ ]* \\([^ ]*\\) .* - nsfs .*/\\1/p';

export function initScript(p: ScriptPlan): string {
  if (!p.isolate) {
    return `#!/bin/sh\ncd ${q(p.dir)} || exit 126\nexec ${p.argv.map(q).join(' ')}\n`;
  }
  const root = p.rootfs;
  const inRoot = (target: string): string => (root === '/' ? target : join(root, target));
  const lines = [
    '#!/bin/sh',
    'set -e',
    // The workload's PATH is restored for the final exec; the setup uses the host's tools.
    'shoal_path="$PATH"',
    'PATH=/usr/sbin:/usr/bin:/sbin:/bin',
    'mount -t proc proc /proc',
    // Detach the namespace files this mount namespace copied from the host (`ip netns`, the agent's task
    // and sandbox namespaces): a copy would keep those namespaces alive after the agent deletes them.
    // The task's own network namespace was entered before (nsenter), it needs no file.
    `for m in $(sed -n ${q(NSFS_MOUNTS)} /proc/self/mountinfo); do umount -l "$m" 2>/dev/null || true; done`,
    `echo ${q(p.hostname)} > /proc/sys/kernel/hostname`,
  ];
  if (p.files.length > 0) {
    lines.push(
      `mkdir -p ${q(p.stageDir)}`,
      `mount -t tmpfs -o size=64k,mode=0700 shoal-stage ${q(p.stageDir)}`,
    );
    p.files.forEach((f, i) => {
      const staged = join(p.stageDir, String(i));
      lines.push(`: > ${q(staged)}`, `mount --bind ${q(f.hostPath)} ${q(staged)}`);
    });
  }
  // Every task's secrets live under one host directory: hide all of it (ours are staged), and whatever
  // else the node keeps from its tasks — whether or not this task has files of its own.
  const hide = new Set([...p.files.map((f) => dirname(dirname(f.hostPath))), ...(p.hiddenPaths ?? [])]);
  for (const hidden of hide) {
    lines.push(
      `if [ -d ${q(hidden)} ]; then mount -t tmpfs -o size=4k,mode=0755 shoal-hidden ${q(hidden)}; fi`,
    );
  }
  if (root !== '/') lines.push(...chrootMounts(inRoot));
  if (p.files.some((f) => f.target.startsWith('/run/secrets/'))) {
    const rs = inRoot('/run/secrets');
    lines.push(`mkdir -p ${q(rs)}`, `mount -t tmpfs -o size=1m,mode=0755 shoal-secrets ${q(rs)}`);
  }
  p.files.forEach((f, i) => {
    const target = inRoot(posix.normalize(f.target));
    lines.push(
      `mkdir -p ${q(dirname(target))}`,
      `[ -e ${q(target)} ] || : > ${q(target)}`,
      `mount --bind ${q(join(p.stageDir, String(i)))} ${q(target)}`,
      `mount -o remount,bind,ro ${q(target)}`,
    );
  });
  if (p.files.length > 0) lines.push(`umount -l ${q(p.stageDir)}`);
  lines.push('PATH="$shoal_path"');
  lines.push(...workloadExec(p));
  return lines.join('\n') + '\n';
}

/**
 * The workload's exec. With privileges on the host's filesystem, setpriv alone sets the bounding set,
 * user and no_new_privs. In a chroot, setpriv runs first (its binary is on the host) and `unshare
 * --root` after it, so the bounding set keeps what the chroot and the user change need (sys_chroot,
 * setuid, setgid) even when the spec drops them.
 */
function workloadExec(p: ScriptPlan): string[] {
  const argv = p.argv.map(q).join(' ');
  const ids = p.uid !== undefined ? ` --setgid ${p.gid ?? 0} --setuid ${p.uid}` : '';
  const launch = `${q(p.unshare)} --root=${q(p.rootfs)} --wd=${q(p.dir)}${ids} -- ${argv}`;
  const pv = p.privileges;
  if (!pv) return [`exec ${launch}`];
  const nnp = pv.noNewPrivs ? ' --no-new-privs' : '';
  const base = `${q(pv.setpriv)} --inh-caps=-all${nnp}`;
  if (p.rootfs === '/') {
    const user = p.uid !== undefined ? ` --regid ${p.gid ?? 0} --reuid ${p.uid} --clear-groups` : '';
    return [`cd ${q(p.dir)} || exit 126`, `exec ${base} --bounding-set=${pv.bounding}${user} -- ${argv}`];
  }
  const needed = ['sys_chroot', ...(p.uid !== undefined ? ['setuid', 'setgid'] : [])];
  return [`exec ${base} --bounding-set=${withNeeded(pv.bounding, needed)} -- ${launch}`];
}

const DEVICES = ['null', 'zero', 'full', 'random', 'urandom', 'tty'];

/** /proc of the new pid namespace, and a small /dev (tmpfs with the usual devices bound from the host). */
function chrootMounts(inRoot: (p: string) => string): string[] {
  const dev = inRoot('/dev');
  const out = [
    `mkdir -p ${q(inRoot('/proc'))} ${q(dev)}`,
    `mount -t proc proc ${q(inRoot('/proc'))}`,
    `mount -t tmpfs -o size=64k,mode=0755 shoal-dev ${q(dev)}`,
    `mkdir -p ${q(join(dev, 'shm'))}`,
    `mount -t tmpfs -o size=64m,mode=1777 shoal-shm ${q(join(dev, 'shm'))}`,
  ];
  for (const d of DEVICES) {
    out.push(
      `if [ -e /dev/${d} ]; then : > ${q(join(dev, d))}; mount --bind /dev/${d} ${q(join(dev, d))}; fi`,
    );
  }
  out.push(`ln -s /proc/self/fd ${q(join(dev, 'fd'))}`);
  return out;
}
