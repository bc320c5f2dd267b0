/**
 * Test helper run by nonroot.test.ts under an unprivileged uid: drives one task through the process
 * engine and prints, as one JSON line, what the engine says of itself and what the task saw.
 * Usage: node --import tsx nonroot-run.ts <dir owned by the uid>
 */
import { join } from 'node:path';
import type { Task } from '../../executor/types.ts';
import { ImageStore } from '../../images/store.ts';
import { ProcessEngine } from './engine.ts';

const dir = process.argv[2] ?? '';
const engine = new ProcessEngine({ dataRoot: dir, images: new ImageStore(join(dir, 'images')) });
const task = {
  id: 'nonroot-task',
  spec: {
    containerSpec: {
      image: '',
      command: ['/bin/sh', '-c', 'echo uid=$(id -u)'],
      args: [],
      env: [],
      dir: '',
      user: '',
      hostname: '',
      stopSignal: '',
    },
    resources: null,
  },
} as unknown as Task;
// The engine's own timers are unref'd (a daemon's event loop is never empty): keep this one alive.
const keepAlive = setInterval(() => undefined, 1000);
const c = engine.controller(task);
await c.prepare({ files: [], workDir: join(dir, 'work') });
await c.start();
const exit = await c.wait();
const lines: string[] = [];
for await (const l of c.logs({})) lines.push(l.line);
const status = await c.inspect();
await c.remove();
console.log(JSON.stringify({ describe: await engine.describe(), exit, lines, status }));
clearInterval(keepAlive);
