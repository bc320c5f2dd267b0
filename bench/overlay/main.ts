/**
 * `npm run bench -- overlay [--seconds 5] [--runs 3] [--pings 200]`: task-to-task throughput and latency
 * across two "hosts" (network namespaces on a private underlay, worker/network TestLab) over Shoal's
 * VXLAN overlay (OverlayDriver: sandbox, br0, vxlan0, a task namespace per host), beside the same between
 * the two hosts directly over the underlay, and over an encrypted overlay when the driver has one
 * (`setKeys`) — in one run, the cases alternated so drift hits all alike.
 *
 * Throughput: iperf3 (Debian's, installed on demand), one TCP stream, `-t seconds -O 1`, unpinned, the
 * receiver's bits/s; the median of `runs`. Latency: `ping -i 0.01`, the
 * median RTT in µs. Target: overlay ≥ 80% of the underlay's throughput (reported, never failed on).
 * Needs root and the shoal_netns addon. Everything is made under a random prefix and removed at the
 * end, also on SIGINT/SIGTERM.
 */
import { execFile } from 'node:child_process';
import { constants } from 'node:os';
import { promisify } from 'node:util';
import type { OverlayDriver } from '../../worker/network/driver.ts';
import { netnsAddonAvailable } from '../../worker/network/native.ts';
import { TestLab, hasIputilsPing, rootSkipReason } from '../../worker/network/testkit.ts';
import { ensureDebianPackage } from '../../worker/testing/apt.ts';
import { printResult } from '../result.ts';
import { iperfMbps, killChildren, median, rttUs, type MeasureOptions, type Path } from './measure.ts';
import { buildTopology, encryptionAvailable } from './topology.ts';

/** Throughput target: overlay / underlay. */
const TARGET_RATIO = 0.8;

interface Options extends MeasureOptions {
  readonly runs: number;
}

function parseOptions(argv: readonly string[]): Options {
  const option = (name: string, fallback: number): number => {
    const i = argv.indexOf(`--${name}`);
    const v = i >= 0 ? Number(argv[i + 1]) : fallback;
    if (!Number.isInteger(v) || v <= 0)
      throw new Error(`--${name} must be a positive integer, got ${argv[i + 1]}`);
    return v;
  };
  return Object.freeze({
    seconds: option('seconds', 5),
    runs: option('runs', 3),
    pings: option('pings', 200),
  });
}

/** Exits with a message when this machine cannot run the benchmark. */
async function checkPrerequisites(): Promise<void> {
  const why = rootSkipReason() ?? (netnsAddonAvailable() ? undefined : 'the shoal_netns addon is not built');
  if (why !== undefined) {
    console.error(`bench overlay needs root, iproute2 and the native addon (npm run build:native): ${why}`);
    process.exit(2);
  }
  const iperf3 = await ensureDebianPackage('iperf3', () => succeeds('iperf3', ['--version']));
  if (!iperf3 || !(await hasIputilsPing())) {
    console.error('bench overlay needs iperf3 and iputils-ping (apt-get install -y iperf3 iputils-ping)');
    process.exit(2);
  }
}

function succeeds(cmd: string, args: readonly string[]): Promise<boolean> {
  return promisify(execFile)(cmd, [...args]).then(
    () => true,
    () => false,
  );
}

/** Figures per case: every iperf3 run's Mbit/s and the median RTT. */
type Measured = Map<Path['name'], { mbps: number[]; rttUs: number }>;

async function measure(paths: readonly Path[], o: Options): Promise<Measured> {
  const out: Measured = new Map(paths.map((p) => [p.name, { mbps: [], rttUs: Number.NaN }]));
  for (const p of paths) await rttUs(p, { ...o, pings: 5 }); // ARP, caches, the encrypted TAP's first frames
  for (let r = 0; r < o.runs; r++)
    for (const p of paths) {
      const v = await iperfMbps(p, o);
      out.get(p.name)?.mbps.push(v);
      console.log(`run ${r + 1}/${o.runs} ${p.name.padEnd(9)} ${v.toFixed(0)} Mbit/s`);
    }
  for (const p of paths) {
    const rtt = await rttUs(p, o);
    const m = out.get(p.name);
    if (m !== undefined) m.rttUs = rtt;
    console.log(`${p.name.padEnd(9)} RTT median ${rtt.toFixed(0)} µs over ${o.pings} pings`);
  }
  return out;
}

function report(m: Measured, encrypted: boolean): void {
  const mbps = (name: Path['name']): number => median(m.get(name)?.mbps ?? []);
  const rtt = (name: Path['name']): number => Math.round(m.get(name)?.rttUs ?? Number.NaN);
  const ratio = mbps('overlay') / mbps('underlay');
  console.log(
    `overlay ${mbps('overlay').toFixed(0)} Mbit/s = ${(ratio * 100).toFixed(0)}% of the underlay's ` +
      `${mbps('underlay').toFixed(0)} Mbit/s: target >= ${TARGET_RATIO * 100}% ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'}`,
  );
  if (encrypted)
    console.log(
      `encrypted ${mbps('encrypted').toFixed(0)} Mbit/s (${((mbps('encrypted') / mbps('underlay')) * 100).toFixed(1)}% of the underlay)`,
    );
  else
    console.log('encrypted_mbps=unavailable: this build has no encrypted overlays (OverlayDriver.setKeys)');
  printResult('overlay', {
    overlay_mbps: Math.round(mbps('overlay')),
    underlay_mbps: Math.round(mbps('underlay')),
    encrypted_mbps: encrypted ? Math.round(mbps('encrypted')) : 'unavailable',
    overlay_rtt_us: rtt('overlay'),
    underlay_rtt_us: rtt('underlay'),
    encrypted_rtt_us: encrypted ? rtt('encrypted') : 'unavailable',
    ratio: ratio.toFixed(2),
  });
}

/** Set when a driver did not close: its TAP reader threads keep the event loop alive, so exit explicitly. */
let driverStuck = false;

/** How long a driver's close() may take before the namespaces are deleted anyway. */
const CLOSE_TIMEOUT_MS = 5000;

/**
 * Closes a driver, giving up after {@link CLOSE_TIMEOUT_MS}: an encrypted network's close waits for its
 * TAP reader thread, which never ends if the sandbox was deleted under it (seen when the namespaces were
 * removed by hand during a run). Deleting the namespaces must happen regardless.
 */
async function closeDriver(d: OverlayDriver): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((r) => (timer = setTimeout(() => r(true), CLOSE_TIMEOUT_MS)));
  const closed = d.close().then(
    () => false,
    () => false,
  );
  if (await Promise.race([closed, timedOut])) {
    console.error(`bench overlay: a driver did not close within ${CLOSE_TIMEOUT_MS} ms; exiting without it`);
    driverStuck = true;
  }
  clearTimeout(timer);
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  await checkPrerequisites();
  const encrypted = encryptionAvailable();
  if (!encrypted)
    console.error('encrypted overlays are not available in this build: encrypted_mbps=unavailable');

  const lab = new TestLab();
  const drivers: OverlayDriver[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanup = (): Promise<void> =>
    (cleaning ??= (async () => {
      killChildren();
      for (const d of drivers) await closeDriver(d);
      await lab.destroy();
      // a namespace whose `ip netns add` was in flight when a signal came lands after the first pass
      await new Promise((r) => setTimeout(r, 300));
      await lab.destroy();
      const left = lab.ownNetns();
      if (left.length > 0) console.error(`bench overlay: could not remove ${left.join(', ')}`);
    })());
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.once(sig, () => {
      console.error(`bench overlay: ${sig}, removing ${lab.prefix}-*`);
      void cleanup().finally(() => process.exit(128 + constants.signals[sig]));
    });

  let measured: Measured;
  try {
    const started = performance.now();
    const paths = await buildTopology(lab, drivers, encrypted);
    console.log(
      `lab ${lab.prefix}: ${paths.map((p) => `${p.name} ${p.client} -> ${p.server} ${p.serverIp}`).join('; ')} ` +
        `(built in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
    measured = await measure(paths, opts);
  } finally {
    await cleanup();
  }
  report(measured, encrypted);
}

await main();
if (driverStuck) process.exit(0);
