/**
 * bench/e2e/engine-start: the process engine alone, N `sleep 3600` tasks prepared and started at once
 * in a daemon-sized heap; prints wall time, the agent's CPU time and the worst event-loop stall.
 * Usage: tsx bench/e2e/engine-start.ts [N] [heapMB] [--concurrency C] (default: the engine's)
 */
import cp from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageStore } from '../../worker/images/store.ts';
import { ProcessEngine } from '../../worker/engines/process/engine.ts';
import type { Task } from '../../worker/executor/types.ts';

// Time spent inside spawn (synchronous: the fork of this process).
let spawnMs = 0;
const realSpawn = cp.spawn;
cp.spawn = ((...args: Parameters<typeof cp.spawn>) => {
  const t = performance.now();
  try {
    return realSpawn(...args);
  } finally {
    spawnMs += performance.now() - t;
  }
}) as typeof cp.spawn;
syncBuiltinESMExports();

const N = Number(process.argv[2] ?? 300);
const HEAP_MB = Number(process.argv[3] ?? 300);
const ballast: object[] = [];
for (let i = 0; i < HEAP_MB * 8000; i++) ballast.push({ i, s: `x${i}`, a: [i] });

const tmp = mkdtempSync(join(tmpdir(), 'shoald-kit-engine-'));
const ci = process.argv.indexOf('--concurrency');
const engine = new ProcessEngine({
  dataRoot: join(tmp, 'data'),
  images: new ImageStore(join(tmp, 'images')),
  ...(ci > 0 ? { startConcurrency: Number(process.argv[ci + 1]) } : {}),
});
const task = (i: number): Task =>
  ({
    id: `bench${i}`,
    spec: {
      containerSpec: {
        image: '',
        command: ['sleep', '3600'],
        args: [],
        env: [],
        dir: '',
        user: '',
        hostname: '',
        stopSignal: '',
      },
      resources: null,
    },
  }) as unknown as Task;

let worst = 0;
let last = performance.now();
const lag = setInterval(() => {
  const now = performance.now();
  worst = Math.max(worst, now - last - 10);
  last = now;
}, 10);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const controllers = Array.from({ length: N }, (_, i) => engine.controller(task(i)));
await Promise.all(
  controllers.map(async (c, i) => {
    const workDir = join(tmp, 'work', String(i));
    await c.prepare({ files: [], workDir });
    await c.start();
  }),
);
const wall = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
clearInterval(lag);
console.log(
  `${N} tasks, rss ${process.memoryUsage().rss >> 20} MB, concurrency ${ci > 0 ? process.argv[ci + 1] : 'default'}: ` +
    `${(wall / 1000).toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s cpu, worst loop stall ${worst.toFixed(0)} ms, ` +
    `in spawn ${(spawnMs / 1000).toFixed(2)} s`,
);
await Promise.all(controllers.map((c) => c.remove()));
rmSync(tmp, { recursive: true, force: true });
void ballast;
process.exit(0);
