/**
 * The peer side of bench/raft: a real etcd cluster (Debian's etcd-server, `/usr/bin/etcd`) of separate
 * processes on loopback, driven through the etcd3 npm client from the same Node harness as Shoal.
 *
 * Members get free 127.0.0.1 ports, fresh data dirs under os.tmpdir(), and etcd's default timing
 * (heartbeat 100 ms, election 1000 ms). Every process started here is SIGKILLed and every dir removed on
 * `stop()`, on process exit, and on SIGINT/SIGTERM (see cleanup.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Etcd3, type IOptions } from 'etcd3';
import { onCleanup } from './cleanup.ts';
import type { FailoverTarget } from './failover.ts';
import type { Put } from './load.ts';

export const ETCD_BIN = process.env['ETCD_BIN'] ?? '/usr/bin/etcd';

export interface EtcdClusterOptions {
  members: number;
  /** Milliseconds; etcd's default 100. */
  heartbeatMs?: number;
  /** Milliseconds; etcd's default 1000. */
  electionMs?: number;
  /** How long start() waits for a healthy cluster; default 30 000. */
  startTimeoutMs?: number;
}

export interface EtcdCluster {
  /** Client URLs, `http://127.0.0.1:<port>`, one per member. */
  readonly endpoints: readonly string[];
  /** The data dir of every member (under one temp dir). */
  readonly dataDirs: readonly string[];
  /**
   * A new etcd3 client over all endpoints (it spreads calls over the members at random; followers
   * forward writes to the leader), with the library's default retry and circuit breaker. Closed by stop().
   */
  client(): Etcd3;
  /**
   * Like client(), but with neither retries nor circuit breakers, so every failure surfaces at once —
   * for timing failover, where the library's 5 s breaker would otherwise be what is measured.
   */
  rawClient(): Etcd3;
  /** A client of member i alone (no retries, no breaker). */
  memberClient(i: number): Etcd3;
  /** Whether member i's process is running. */
  alive(i: number): boolean;
  /** Index of the member that reports itself leader, or -1 when none does right now. */
  leaderIndex(): Promise<number>;
  /** SIGKILLs member i and resolves once the process is gone. */
  kill(i: number): Promise<void>;
  /** Starts member i again on its old ports and data dir; resolves once it has caught up with the leader. */
  restart(i: number): Promise<void>;
  /** SIGKILLs every member, closes clients, removes the data dirs. Idempotent. */
  stop(): Promise<void>;
}

/** A runLoad put that writes through `client`; `timeoutMs` sets a gRPC deadline per put. */
export function etcdPut(client: Etcd3, options: { timeoutMs?: number } = {}): Put {
  const { timeoutMs } = options;
  return async (key, value) => {
    const buf = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    const b = client.put(key).value(buf);
    if (timeoutMs !== undefined) b.options({ deadline: Date.now() + timeoutMs });
    await b.exec();
  };
}

type Policy = NonNullable<NonNullable<IOptions['faultHandling']>['global']>;

/** A cockatiel policy that just calls through: no retry, no circuit breaker. */
const passthrough = {
  execute: <T>(fn: (context: { signal: AbortSignal }) => PromiseLike<T> | T): Promise<T> =>
    Promise.resolve().then(() => fn({ signal: new AbortController().signal })),
} as unknown as Policy;

const noFaultHandling: NonNullable<IOptions['faultHandling']> = {
  global: passthrough,
  host: () => passthrough,
};

export async function freePorts(n: number): Promise<number[]> {
  // Hold all n listeners at once so the ports are distinct, then release them for etcd.
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const s = createServer();
          s.once('error', reject);
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

interface Member {
  name: string;
  clientUrl: string;
  peerUrl: string;
  dataDir: string;
  proc: ChildProcess | undefined;
  exited: Promise<void>;
  /** Last lines etcd wrote to stderr, for error messages. */
  log: string[];
  /** etcd's member ID (decimal string as the client returns it), known once started. */
  id: string;
  client: Etcd3 | undefined;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export async function startEtcdCluster(options: EtcdClusterOptions): Promise<EtcdCluster> {
  // A free port can be taken by someone else between freePorts() and etcd's bind; try again then.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(options);
    } catch (err) {
      lastError = err;
      if (!/address already in use/i.test(errorText(err))) break;
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

async function startOnce(options: EtcdClusterOptions): Promise<EtcdCluster> {
  const n = options.members;
  const heartbeatMs = options.heartbeatMs ?? 100;
  const electionMs = options.electionMs ?? 1000;
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const root = mkdtempSync(join(tmpdir(), 'shoal-bench-etcd-'));
  const token = `bench-${process.pid}-${Date.now()}`;
  const clients = new Set<Etcd3>();
  let stopped = false;

  const ports = await freePorts(2 * n);
  const members: Member[] = Array.from({ length: n }, (_, i) => ({
    name: `m${i}`,
    clientUrl: `http://127.0.0.1:${ports[2 * i]}`,
    peerUrl: `http://127.0.0.1:${ports[2 * i + 1]}`,
    dataDir: join(root, `m${i}`),
    proc: undefined,
    exited: Promise.resolve(),
    log: [],
    id: '',
    client: undefined,
  }));
  const initialCluster = members.map((m) => `${m.name}=${m.peerUrl}`).join(',');

  const member = (i: number): Member => {
    const m = members[i];
    if (m === undefined) throw new Error(`etcd cluster: no member ${i}`);
    return m;
  };

  const killAllSync = (): void => {
    for (const m of members) m.proc?.kill('SIGKILL');
    for (const c of clients) c.close();
    clients.clear();
    rmSync(root, { recursive: true, force: true });
  };
  const unregister = onCleanup(killAllSync);

  const launch = (m: Member, state: 'new' | 'existing'): void => {
    const proc = spawn(
      ETCD_BIN,
      [
        `--name=${m.name}`,
        `--data-dir=${m.dataDir}`,
        `--listen-client-urls=${m.clientUrl}`,
        `--advertise-client-urls=${m.clientUrl}`,
        `--listen-peer-urls=${m.peerUrl}`,
        `--initial-advertise-peer-urls=${m.peerUrl}`,
        `--initial-cluster=${initialCluster}`,
        `--initial-cluster-state=${state}`,
        `--initial-cluster-token=${token}`,
        `--heartbeat-interval=${heartbeatMs}`,
        `--election-timeout=${electionMs}`,
        '--logger=zap',
        '--log-level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    m.log = [];
    proc.stderr?.setEncoding('utf8');
    proc.stderr?.on('data', (chunk: string) => {
      m.log.push(...chunk.split('\n').filter((l) => l !== ''));
      if (m.log.length > 40) m.log.splice(0, m.log.length - 40);
    });
    m.proc = proc;
    m.exited = new Promise((resolve) => {
      proc.once('exit', () => {
        if (m.proc === proc) m.proc = undefined;
        resolve();
      });
      proc.once('error', (err) => {
        m.log.push(`spawn ${ETCD_BIN}: ${err.message}`);
        if (m.proc === proc) m.proc = undefined;
        resolve();
      });
    });
  };

  const newClient = (hosts: string[], raw: boolean): Etcd3 => {
    const c = new Etcd3(raw ? { hosts, faultHandling: noFaultHandling } : { hosts });
    clients.add(c);
    return c;
  };

  const memberClient = (i: number): Etcd3 => {
    const m = member(i);
    m.client ??= newClient([m.clientUrl], true);
    return m.client;
  };

  const status = (i: number, timeoutMs = 500) =>
    memberClient(i).maintenance.status({ deadline: Date.now() + timeoutMs });

  /** Throws (with etcd's last log lines) when a member that should be running has exited. */
  const checkRunning = (indices: readonly number[]): void => {
    for (const i of indices) {
      const m = member(i);
      if (m.proc === undefined)
        throw new Error(`etcd member ${m.name} exited:\n  ${m.log.slice(-10).join('\n  ') || '(no output)'}`);
    }
  };

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    for (const m of members) m.proc?.kill('SIGKILL');
    await Promise.all(members.map((m) => m.exited));
    killAllSync();
    unregister();
  };

  const leaderIndex = async (): Promise<number> => {
    const found = await Promise.all(
      members.map(async (m, i) => {
        if (m.proc === undefined) return false;
        try {
          const s = await status(i);
          return s.leader !== '0' && s.leader === s.header.member_id;
        } catch {
          return false;
        }
      }),
    );
    return found.indexOf(true);
  };

  try {
    members.forEach((m) => launch(m, 'new'));
    const all = members.map((_, i) => i);
    const deadline = performance.now() + startTimeoutMs;
    const probe = newClient(
      members.map((m) => m.clientUrl),
      true,
    );
    let lastError = 'none';
    for (;;) {
      checkRunning(all);
      try {
        await probe
          .put('bench-health')
          .value('ok')
          .options({ deadline: Date.now() + 1000 })
          .exec();
        // Every member must answer too, and tell us its ID.
        const ids = await Promise.all(all.map(async (i) => (await status(i)).header.member_id));
        ids.forEach((id, i) => (member(i).id = id));
        break;
      } catch (err) {
        lastError = errorText(err);
      }
      if (performance.now() > deadline)
        throw new Error(`etcd cluster not healthy after ${startTimeoutMs} ms (last error: ${lastError})`);
      await sleep(50);
    }
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    endpoints: members.map((m) => m.clientUrl),
    dataDirs: members.map((m) => m.dataDir),
    client: () =>
      newClient(
        members.map((m) => m.clientUrl),
        false,
      ),
    rawClient: () =>
      newClient(
        members.map((m) => m.clientUrl),
        true,
      ),
    memberClient,
    alive: (i) => member(i).proc !== undefined,
    leaderIndex,
    kill: async (i) => {
      const m = member(i);
      m.proc?.kill('SIGKILL');
      await m.exited;
    },
    restart: async (i) => {
      const m = member(i);
      if (m.proc !== undefined) throw new Error(`etcd member ${m.name} is still running`);
      launch(m, 'existing');
      const deadline = performance.now() + startTimeoutMs;
      let lastError = 'none';
      for (;;) {
        checkRunning([i]);
        try {
          // Caught up: it knows a leader and has applied everything the leader had committed.
          const mine = await status(i);
          if (mine.leader !== '0') {
            const li = members.findIndex((x) => x.id === mine.leader);
            const target = li >= 0 && li !== i ? await status(li) : undefined;
            if (target === undefined || BigInt(mine.raftAppliedIndex) >= BigInt(target.raftIndex)) return;
            lastError = `applied ${mine.raftAppliedIndex} < leader's ${target.raftIndex}`;
          } else {
            lastError = 'no leader known yet';
          }
        } catch (err) {
          lastError = errorText(err);
        }
        if (performance.now() > deadline)
          throw new Error(
            `etcd member ${m.name} did not rejoin in ${startTimeoutMs} ms (last: ${lastError})`,
          );
        await sleep(20);
      }
    },
    stop,
  };
}

/** The failover loop's view of an etcd cluster: SIGKILL the leader, watch the survivors elect another. */
export function etcdFailoverTarget(
  cluster: EtcdCluster,
  options: { putTimeoutMs?: number } = {},
): FailoverTarget {
  const raw = cluster.rawClient();
  let killed: number | undefined;
  return {
    put: etcdPut(raw, { timeoutMs: options.putTimeoutMs ?? 2000 }),
    killLeader: async () => {
      let i = await cluster.leaderIndex();
      for (let tries = 0; i < 0 && tries < 500; tries++) {
        await sleep(10);
        i = await cluster.leaderIndex();
      }
      if (i < 0) throw new Error('etcd: no leader to kill');
      killed = i;
      const killedAt = performance.now();
      await cluster.kill(i);
      return { killedAt };
    },
    waitLeader: async () => {
      const survivors = cluster.endpoints.map((_, i) => i).filter((i) => i !== killed && cluster.alive(i));
      const deadline = performance.now() + 60_000;
      while (performance.now() < deadline) {
        const seen = await Promise.all(
          survivors.map(async (i) => {
            try {
              const s = await cluster.memberClient(i).maintenance.status({ deadline: Date.now() + 250 });
              return s.leader !== '0' && s.leader === s.header.member_id;
            } catch {
              return false;
            }
          }),
        );
        if (seen.includes(true)) return performance.now();
        await sleep(5);
      }
      throw new Error('etcd: no new leader within 60 s');
    },
    restartKilled: async () => {
      if (killed === undefined) return;
      const i = killed;
      killed = undefined;
      await cluster.restart(i);
    },
  };
}
