/**
 * `npm run bench -- overlay [--seconds 5] [--runs 3] [--pings 200]`: task-to-task throughput and latency
 * across two "hosts" (network namespaces on a private underlay, worker/network TestLab) over Shoal's
 * VXLAN overlay (OverlayDriver: sandbox, br0, vxlan0, a task namespace per host), beside the same between
 * the two hosts directly over the underlay, and over an encrypted overlay — in one run, cases
 * alternated so drift hits all alike.
 *
 * Throughput: iperf3 (Debian's, installed on demand), one TCP stream, `-t seconds -O 1`, the receiver's
 * bits/s; the median of `runs`. Latency: `ping -i 0.01`, the median RTT in µs. Target: overlay ≥ 80% of
 * the underlay's throughput. Needs root and the shoal_netns addon. Everything is made under a random
 * prefix and removed at the end, also on SIGINT/SIGTERM.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { promisify } from 'node:util';
import { OverlayDriver } from '../../worker/network/driver.ts';
import { netnsAddonAvailable } from '../../worker/network/native.ts';
import type { OverlayNetwork } from '../../worker/network/plan.ts';
import { TestLab, hasIputilsPing, rootSkipReason, type TestHost } from '../../worker/network/testkit.ts';
import { ensureDebianPackage } from '../../worker/testing/apt.ts';
import { printResult } from '../result.ts';

const run = promisify(execFile);

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
}
const SECONDS = option('seconds', 5);
const RUNS = option('runs', 3);
const PINGS = option('pings', 200);
/** Client on CPU 0, server on CPU 1 (less scheduling noise between runs). */
const AFFINITY = cpus().length >= 2 ? ['-A', '0,1'] : [];

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

/** One way of reaching B from A: the namespaces the two ends run in and B's address there. */
interface Path {
  readonly name: 'underlay' | 'overlay' | 'encrypted';
  readonly client: string;
  readonly server: string;
  readonly serverIp: string;
}

async function iperf(p: Path): Promise<number> {
  const port = String(5201 + Math.floor(Math.random() * 1000));
  const server = spawn('ip', ['netns', 'exec', p.server, 'iperf3', '-s', '-1', '-p', port], {
    stdio: 'ignore',
  });
  try {
    let last: unknown;
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        const { stdout } = await run(
          'ip',
          [
            'netns',
            'exec',
            p.client,
            'iperf3',
            '-c',
            p.serverIp,
            '-p',
            port,
            '-t',
            String(SECONDS),
            '-O',
            '1',
            '-J',
          ],
          { timeout: (SECONDS + 20) * 1000, maxBuffer: 16 << 20 },
        );
        const j = JSON.parse(stdout) as { end?: { sum_received?: { bits_per_second?: number } } };
        const bps = j.end?.sum_received?.bits_per_second;
        if (bps === undefined) throw new Error(`iperf3 gave no result: ${stdout.slice(0, 300)}`);
        return bps / 1e6;
      } catch (err) {
        last = err;
        await new Promise((r) => setTimeout(r, 100)); // the server may not listen yet
      }
    }
    throw last instanceof Error ? last : new Error(String(last));
  } finally {
    server.kill('SIGKILL');
  }
}

async function rtt(p: Path): Promise<number> {
  const { stdout } = await run(
    'ip',
    ['netns', 'exec', p.client, 'ping', '-c', String(PINGS), '-i', '0.01', '-W', '1', p.serverIp],
    { timeout: 60_000 },
  );
  const times = [...stdout.matchAll(/time=([\d.]+) ms/g)].map((m) => Number(m[1]) * 1000);
  if (times.length < PINGS / 2) throw new Error(`ping ${p.name}: only ${times.length} replies of ${PINGS}`);
  return median(times);
}

async function main(): Promise<void> {
  const why = rootSkipReason() ?? (netnsAddonAvailable() ? undefined : 'the shoal_netns addon is not built');
  if (why !== undefined) {
    console.error(`bench overlay needs root and the native addon: ${why}`);
    process.exit(2);
  }
  if (!(await ensureDebianPackage('iperf3', () => has('iperf3'))) || !(await hasIputilsPing())) {
    console.error('bench overlay needs iperf3 and iputils-ping (apt-get install -y iperf3 iputils-ping)');
    process.exit(2);
  }

  const lab = new TestLab();
  const drivers: OverlayDriver[] = [];
  let cleaned = false;
  const cleanup = async (): Promise<void> => {
    if (cleaned) return;
    cleaned = true;
    for (const d of drivers) await d.close().catch(() => undefined);
    await lab.destroy();
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.once(sig, () => void cleanup().then(() => process.exit(130)));

  try {
    const hosts = await lab.createHosts(2);
    const [a, b] = hosts as [TestHost, TestHost];
    const vni = 4096 + (randomBytes(3).readUIntBE(0, 3) % 1_000_000);
    const plain: OverlayNetwork = { id: 'bench', vni, subnet: '10.88.0.0/24', gateway: '10.88.0.1' };
    const secure = {
      id: 'benchenc',
      vni: vni + 1,
      subnet: '10.89.0.0/24',
      gateway: '10.89.0.1',
      encrypted: true,
    };
    const keys = [1, 2, 3].map((lamportTime) => ({ key: randomBytes(16), lamportTime }));
    const canEncrypt =
      typeof (OverlayDriver.prototype as unknown as Record<string, unknown>)['setKeys'] === 'function';

    const paths: Path[] = [{ name: 'underlay', client: a.name, server: b.name, serverIp: b.vtep }];
    for (const [i, h] of hosts.entries()) {
      const d = new OverlayDriver({
        localVtep: h.vtep,
        hostNetnsPath: h.path,
        sandboxDir: '/run/netns',
        sandboxPrefix: `${h.name}-ov-`,
      });
      drivers.push(d);
      const nets: OverlayNetwork[] = [plain];
      if (canEncrypt) {
        await (d as unknown as { setKeys(k: typeof keys): Promise<unknown> }).setKeys(keys);
        nets.push(secure as OverlayNetwork);
      }
      for (const n of nets) {
        const ns = await lab.addNetns(`${n.id}${i + 1}`);
        await d.ensureNetwork(n);
        const ip = n.subnet.replace(/0\/24$/, String(11 + i));
        await d.attachTask(n.id, { taskId: `t${i + 1}`, netnsPath: ns.path, address: `${ip}/24` });
        await d.setPeers(n.id, [
          { ip: n.subnet.replace(/0\/24$/, '11'), vtep: a.vtep },
          { ip: n.subnet.replace(/0\/24$/, '12'), vtep: b.vtep },
        ]);
      }
    }
    paths.push({
      name: 'overlay',
      client: `${lab.prefix}-bench1`,
      server: `${lab.prefix}-bench2`,
      serverIp: '10.88.0.12',
    });
    if (canEncrypt)
      paths.push({
        name: 'encrypted',
        client: `${lab.prefix}-benchenc1`,
        server: `${lab.prefix}-benchenc2`,
        serverIp: '10.89.0.12',
      });
    else console.error('encrypted overlays are not available in this build: encrypted_mbps=0');

    const mbps = new Map<string, number[]>(paths.map((p) => [p.name, []]));
    const rtts = new Map<string, number>();
    for (const p of paths) await rtt(p); // warm ARP and caches
    for (let r = 0; r < RUNS; r++) {
      for (const p of paths) {
        const v = await iperf(p);
        mbps.get(p.name)?.push(v);
        console.log(`run ${r + 1}/${RUNS} ${p.name.padEnd(9)} ${v.toFixed(0)} Mbit/s`);
      }
    }
    for (const p of paths) {
      rtts.set(p.name, await rtt(p));
      console.log(`${p.name.padEnd(9)} RTT median ${rtts.get(p.name)?.toFixed(0)} µs over ${PINGS} pings`);
    }
    const m = (name: string): number => median(mbps.get(name) ?? [0]);
    const ratio = m('overlay') / m('underlay');
    console.log(
      `overlay ${m('overlay').toFixed(0)} Mbit/s = ${(ratio * 100).toFixed(0)}% of the underlay's ${m('underlay').toFixed(0)} Mbit/s: ` +
        `target >= 80% ${ratio >= 0.8 ? 'met' : 'NOT met'}`,
    );
    if (canEncrypt)
      console.log(
        `encrypted ${m('encrypted').toFixed(0)} Mbit/s (${((m('encrypted') / m('underlay')) * 100).toFixed(0)}% of the underlay)`,
      );
    await cleanup();
    printResult('overlay', {
      overlay_mbps: Math.round(m('overlay')),
      underlay_mbps: Math.round(m('underlay')),
      encrypted_mbps: canEncrypt ? Math.round(m('encrypted')) : 0,
      overlay_rtt_us: Math.round(rtts.get('overlay') ?? 0),
      underlay_rtt_us: Math.round(rtts.get('underlay') ?? 0),
      encrypted_rtt_us: Math.round(rtts.get('encrypted') ?? 0),
      ratio: Math.round(ratio * 100) / 100,
    });
  } finally {
    await cleanup();
  }
}

async function has(cmd: string): Promise<boolean> {
  return run('sh', ['-c', `command -v ${cmd}`]).then(
    () => true,
    () => false,
  );
}

await main();
