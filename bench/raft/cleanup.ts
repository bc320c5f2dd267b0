/**
 * Process-wide cleanup for benchmarks that start child processes: whatever registers here is run on
 * normal exit, on an uncaught exception / unhandled rejection (both end in 'exit'), and on SIGINT/SIGTERM.
 *
 * On 'exit' only the synchronous part of a cleanup runs (Node does not wait for promises there), so
 * anything that must not outlive the benchmark — child processes, temp dirs — should be torn down
 * synchronously (ChildProcess.kill, rmSync). On a signal, asynchronous cleanups get up to 5 s.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export type Cleanup = () => void | Promise<void>;

const cleanups = new Set<Cleanup>();
let installed = false;

async function runAll(): Promise<void> {
  const all = [...cleanups].reverse();
  cleanups.clear();
  await Promise.allSettled(all.map(async (fn) => fn()));
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', () => {
    for (const fn of [...cleanups].reverse()) {
      try {
        const r = fn();
        if (r instanceof Promise) r.catch(() => undefined);
      } catch {
        // best effort: keep cleaning up the rest
      }
    }
    cleanups.clear();
  });
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: cleaning up`);
      void Promise.race([runAll(), sleep(5000)]).finally(() => process.exit(code));
    });
  }
}

/** Registers `fn`; returns a function that unregisters it (call it after a normal, explicit teardown). */
export function onCleanup(fn: Cleanup): () => void {
  install();
  cleanups.add(fn);
  return () => {
    cleanups.delete(fn);
  };
}
