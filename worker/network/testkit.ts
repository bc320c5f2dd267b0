/**
 * Test-only helpers: "hosts" as network namespaces joined by veths to a private underlay bridge in a
 * namespace of its own. Every name carries a random per-run prefix; `destroy()` removes exactly the
 * namespaces with that prefix (and so every interface inside them) and nothing else.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { ensureDebianPackage } from '../testing/apt.ts';

const run = promisify(execFile);

/** Runs a command; resolves with stdout. */
export async function sh(cmd: string, args: readonly string[]): Promise<string> {
  return (await run(cmd, [...args], { timeout: 10_000 })).stdout;
}

/** Runs a command; resolves with its exit status instead of throwing. */
export async function status(cmd: string, args: readonly string[]): Promise<number> {
  try {
    await run(cmd, [...args], { timeout: 10_000 });
    return 0;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'number' ? code : 1;
  }
}

/** `ip -json …` inside namespace `ns` (or the test's own namespace), parsed. */
export async function ipJson<T = Record<string, unknown>[]>(
  ns: string | undefined,
  args: readonly string[],
): Promise<T> {
  const out = await sh('ip', [...(ns !== undefined ? ['-n', ns] : []), '-json', ...args]);
  return JSON.parse(out.trim() === '' ? '[]' : out) as T;
}

function which(bin: string): boolean {
  return ['/usr/sbin', '/usr/bin', '/sbin', '/bin'].some((d) => existsSync(`${d}/${bin}`));
}

/** Why the root-only tests cannot run here, or undefined when they can. */
export function rootSkipReason(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root';
  if (!which('ip')) return 'no `ip` (iproute2) binary';
  return undefined;
}

/**
 * True when iputils ping (with `-M do`) is installed (busybox ping lacks it); as root it is installed
 * from Debian (iputils-ping) when missing, so on a machine of this kind the ping checks always run.
 */
export async function hasIputilsPing(): Promise<boolean> {
  return ensureDebianPackage('iputils-ping', async () => {
    if (!which('ping')) return false;
    return (await status('ping', ['-M', 'do', '-c', '1', '-W', '1', '127.0.0.1'])) !== 2;
  });
}

export interface TestHost {
  /** Namespace name (under /run/netns). */
  readonly name: string;
  readonly path: string;
  /** Underlay address. */
  readonly vtep: string;
}

/** A private underlay with `count` host namespaces on 172.30.0.0/24. */
export class TestLab {
  readonly prefix = `nt${randomBytes(3).toString('hex')}`;
  readonly hosts: TestHost[] = [];
  private readonly underlay = `${this.prefix}-ul`;

  async addNetns(suffix: string): Promise<{ name: string; path: string }> {
    const name = `${this.prefix}-${suffix}`;
    await sh('ip', ['netns', 'add', name]);
    await sh('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
    return { name, path: `/run/netns/${name}` };
  }

  async createHosts(count: number): Promise<TestHost[]> {
    await this.addNetns('ul');
    await sh('ip', ['-n', this.underlay, 'link', 'add', 'ulbr', 'type', 'bridge']);
    await sh('ip', ['-n', this.underlay, 'link', 'set', 'ulbr', 'up']);
    for (let i = 1; i <= count; i++) {
      const h = await this.addNetns(`h${i}`);
      const vtep = `172.30.0.${10 + i}`;
      await sh('ip', [
        '-n',
        this.underlay,
        'link',
        'add',
        `u${i}`,
        'type',
        'veth',
        'peer',
        'name',
        'ul0',
        'netns',
        h.name,
      ]);
      await sh('ip', ['-n', this.underlay, 'link', 'set', `u${i}`, 'master', 'ulbr', 'up']);
      await sh('ip', ['-n', h.name, 'addr', 'add', `${vtep}/24`, 'dev', 'ul0']);
      await sh('ip', ['-n', h.name, 'link', 'set', 'ul0', 'up']);
      this.hosts.push({ ...h, vtep });
    }
    return this.hosts;
  }

  /** Names of the namespaces of this run still present. */
  ownNetns(): string[] {
    try {
      return readdirSync('/run/netns').filter((n) => n.startsWith(`${this.prefix}-`));
    } catch {
      return [];
    }
  }

  /** Deletes every namespace of this run (sandboxes included: they share the prefix). */
  async destroy(): Promise<void> {
    for (const n of this.ownNetns()) await status('ip', ['netns', 'del', n]);
  }
}
