/**
 * `npm run sim -- --seeds N [--nodes 3|5] [--from S]` runs N seeds and prints seeds per minute and a
 * replay command for every failure; `npm run sim -- --seed S [--nodes 3|5] [--verbose]` replays one.
 */
import { parseArgs } from 'node:util';
import { runSeed, type SeedResult } from './run.ts';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '100' },
    seed: { type: 'string' },
    from: { type: 'string', default: '1' },
    nodes: { type: 'string', default: '3' },
    verbose: { type: 'boolean', default: false },
  },
});

const nodes = Number(values.nodes);
if (nodes !== 3 && nodes !== 5) {
  console.error(`--nodes must be 3 or 5, got ${values.nodes}`);
  process.exit(2);
}

function report(r: SeedResult, verbose: boolean): void {
  if (r.ok) {
    if (verbose)
      console.log(
        `seed ${r.seed}: ok, ${r.ticks} ticks, ${r.ops} client ops, ${r.committed} entries, trace ${r.traceHash}`,
      );
    return;
  }
  console.log(`seed ${r.seed} FAILED (trace ${r.traceHash}); replay: ${r.replay}`);
  if (verbose) console.log(r.error);
  else console.log((r.error ?? '').split('\n')[0]);
}

if (values.seed !== undefined) {
  const r = runSeed({ seed: Number(values.seed), nodes });
  report(r, true);
  process.exitCode = r.ok ? 0 : 1;
} else {
  const count = Number(values.seeds);
  const from = Number(values.from);
  const start = performance.now();
  const failures: SeedResult[] = [];
  for (let seed = from; seed < from + count; seed++) {
    const r = runSeed({ seed, nodes });
    if (!r.ok) {
      failures.push(r);
      report(r, values.verbose);
    }
  }
  const minutes = (performance.now() - start) / 60_000;
  console.log(
    `${count} seeds (${nodes} nodes) in ${(minutes * 60).toFixed(1)} s: ${Math.round(count / minutes)} seeds/minute, ${failures.length} failed`,
  );
  for (const f of failures) console.log(`  ${f.replay}`);
  process.exitCode = failures.length === 0 ? 0 : 1;
}
