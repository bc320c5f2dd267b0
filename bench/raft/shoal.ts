/**
 * The Shoal side of bench/raft: three raft members as separate processes on loopback (raft/node/serve.ts),
 * each with its LevelDB log in a temp dir, driven over HTTP with keep-alive. Writes go to the member
 * believed to lead; a 421 names the leader, a refused connection means the member is down.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePorts } from './etcd.ts';
import type { FailoverTarget } from './failover.ts';

export interface ShoalBenchTarget extends FailoverTarget {
  start(): Promise<void>;
  stop(): Promise<void>;
}

interface Member {
  readonly id: string;
  readonly raft: string;
  readonly httpPort: number;
  readonly dir: string;
  proc: ChildProcess | undefined;
}

const SERVE = fileURLToPath(new URL('../../raft/node/serve.ts', import.meta.url));
const PUT_DEADLINE_MS = 5_000;

interface HttpReply {
  status: number;
  text: string;
}

export function createShoalBenchTarget(options: { tickMs?: number } = {}): ShoalBenchTarget {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const key = randomBytes(32).toString('hex');
  const root = mkdtempSync(join(tmpdir(), 'shoal-bench-raft-'));
  let members: Member[] = [];
  let leader: Member | undefined;
  let killed: Member | undefined;

  function call(m: Member, method: string, path: string, body?: Uint8Array): Promise<HttpReply> {
    return new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: m.httpPort, method, path, agent, timeout: PUT_DEADLINE_MS },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
          );
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end(body);
    });
  }

  function spawnMember(m: Member, list: readonly Member[]): Promise<void> {
    const proc = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        SERVE,
        '--id',
        m.id,
        '--raft',
        m.raft,
        '--http',
        `127.0.0.1:${m.httpPort}`,
        '--data',
        m.dir,
        '--members',
        list.map((x) => `${x.id}=${x.raft}`).join(','),
        '--tick-ms',
        String(options.tickMs ?? 100),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, SHOAL_RAFT_KEY: key } },
    );
    m.proc = proc;
    return new Promise((resolve, reject) => {
      let out = '';
      proc.stdout?.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('READY')) resolve();
      });
      proc.on('exit', (code) => reject(new Error(`member ${m.id} exited (${String(code)}) before READY`)));
    });
  }

  async function status(
    m: Member,
  ): Promise<{ role: string; lead: string | null; commit: number; applied: number } | undefined> {
    try {
      const r = await call(m, 'GET', '/status');
      return r.status === 200
        ? (JSON.parse(r.text) as { role: string; lead: string | null; commit: number; applied: number })
        : undefined;
    } catch {
      return undefined;
    }
  }

  async function findLeader(exclude?: Member): Promise<Member | undefined> {
    for (const m of members) {
      if (m === exclude || !m.proc) continue;
      const st = await status(m);
      if (st?.role === 'leader') return m;
    }
    return undefined;
  }

  async function put(k: string, value: Uint8Array): Promise<void> {
    const deadline = performance.now() + PUT_DEADLINE_MS;
    let target = leader ?? members.find((m) => m.proc);
    while (performance.now() < deadline) {
      if (!target) throw new Error('no live member');
      try {
        const r = await call(target, 'POST', `/put?key=${encodeURIComponent(k)}`, value);
        if (r.status === 200) {
          leader = target;
          return;
        }
        if (r.status === 421) {
          target = members.find((m) => m.id === r.text && m.proc) ?? target;
          continue;
        }
      } catch {
        // refused or reset: the member is down; try another
        const alive = members.filter((m) => m.proc && m !== target);
        target = alive[Math.floor(Math.random() * alive.length)];
      }
      await sleep(5);
      if (leader === undefined || leader === killed) target = (await findLeader(killed)) ?? target;
    }
    throw new Error(`put ${k}: not committed within ${PUT_DEADLINE_MS} ms`);
  }

  return {
    async start() {
      const ports = await freePorts(6);
      members = [0, 1, 2].map((i) => ({
        id: String(i + 1),
        raft: `127.0.0.1:${ports[2 * i] ?? 0}`,
        httpPort: ports[2 * i + 1] ?? 0,
        dir: join(root, `m${i + 1}`),
        proc: undefined,
      }));
      await Promise.all(members.map((m) => spawnMember(m, members)));
      const deadline = performance.now() + 15_000;
      while (!(leader = await findLeader())) {
        if (performance.now() > deadline) throw new Error('no leader within 15 s');
        await sleep(20);
      }
    },
    put,
    async killLeader() {
      const victim = leader ?? (await findLeader());
      if (!victim?.proc) throw new Error('no leader to kill');
      const killedAt = performance.now();
      victim.proc.kill('SIGKILL');
      victim.proc.removeAllListeners('exit');
      victim.proc = undefined;
      killed = victim;
      leader = undefined;
      return { killedAt };
    },
    async waitLeader() {
      for (;;) {
        const m = await findLeader(killed);
        if (m) {
          leader = m;
          return performance.now();
        }
        await sleep(10);
      }
    },
    async restartKilled() {
      const m = killed;
      if (!m) return;
      await spawnMember(m, members);
      killed = undefined;
      const lead = leader ?? (await findLeader());
      const target = lead ? await status(lead) : undefined;
      for (;;) {
        const st = await status(m);
        if (st && st.lead !== null && st.applied >= (target?.commit ?? 0)) return;
        await sleep(20);
      }
    },
    stop() {
      for (const m of members) {
        m.proc?.removeAllListeners('exit');
        m.proc?.kill('SIGKILL');
        m.proc = undefined;
      }
      agent.destroy();
      rmSync(root, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}
