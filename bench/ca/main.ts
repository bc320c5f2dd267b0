/**
 * bench/ca: what the built-in CA costs.
 *   - certs_per_s: node certificates signed per second from ready CSRs (CSR parse and signature check
 *     included), one core.
 *   - join_ms: a worker's whole join on a live 3-manager swarm (raft over mutual TLS, LevelDB): fetch the
 *     root, check it against the token, key + CSR, issuance committed through raft, certificate fetched,
 *     files written. p50 and p99 over `--joins` joins.
 *   - rotation_ms: a root rotation on that swarm (3 managers + all joined workers, batches of 10) from
 *     `swarm ca --rotate` until the new root is the only root.
 * Options: --sign-ms 3000 --joins 30
 */
import { startRootRotation } from '../../ca/admin.ts';
import { createCsr, generateKeyPair, RootCA } from '../../ca/pki.ts';
import { SecureCluster } from '../../cluster-tests/secure-kit.ts';
import { printResult } from '../result.ts';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : def;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name}: want a positive number`);
  return v;
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

async function signing(ms: number): Promise<number> {
  const { ca } = await RootCA.create();
  const csrs: string[] = [];
  for (let i = 0; i < 64; i++) csrs.push(await createCsr(await generateKeyPair()));
  const id = { nodeId: 'a'.repeat(25), clusterId: 'b'.repeat(25), role: 'worker' as const };
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < ms) {
    await ca.issue(csrs[n % csrs.length] ?? '', id);
    n++;
  }
  const rate = n / ((performance.now() - start) / 1000);
  console.log(`signing: ${n} certificates, ${rate.toFixed(0)}/s`);
  return rate;
}

async function swarm(joins: number): Promise<{ p50: number; p99: number; rotationMs: number }> {
  const cluster = new SecureCluster({ tickMs: 100, pollMs: 200, rotationBatch: 10 });
  try {
    const first = await cluster.init();
    await cluster.joinManager(first.store.state.joinTokens.manager);
    await cluster.joinManager(first.store.state.joinTokens.manager);
    const times: number[] = [];
    for (let i = 0; i < joins; i++) {
      const via = cluster.managers[i % cluster.managers.length];
      const t0 = performance.now();
      await cluster.joinWorker(first.store.state.joinTokens.worker, via);
      times.push(performance.now() - t0);
    }
    const p50 = pct(times, 50);
    const p99 = pct(times, 99);
    console.log(`join: ${joins} workers, p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
    const leader = await cluster.waitLeader();
    const t0 = performance.now();
    await startRootRotation(leader.store);
    while (leader.store.state.rotation !== null) await new Promise((r) => setTimeout(r, 20));
    const rotationMs = performance.now() - t0;
    console.log(
      `root rotation: ${cluster.managers.length + cluster.workers.length} nodes in ${rotationMs.toFixed(0)} ms`,
    );
    return { p50, p99, rotationMs };
  } finally {
    await cluster.destroy();
  }
}

const certsPerS = await signing(arg('sign-ms', 3000));
const { p50, p99, rotationMs } = await swarm(arg('joins', 30));
printResult('ca', {
  certs_per_s: Math.round(certsPerS),
  join_p50_ms: p50,
  join_p99_ms: p99,
  rotation_ms: Math.round(rotationMs),
});
process.exit(0);
