import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogLine } from '../../executor/types.ts';
import { busyboxMissing } from '../../images/testkit.ts';
import { parseLine } from './logs.ts';
import { allLogs, engineKit, specTask, type EngineKit } from './testkit.ts';

describe('parseLine', () => {
  it('takes the time from the stamp, or the fallback for a line without one', () => {
    const fb = new Date(5);
    expect(parseLine('stdout', '1700000000.123456 hi there', fb)).toEqual({
      stream: 'stdout',
      time: new Date(1_700_000_000_123),
      line: 'hi there',
    });
    expect(parseLine('stderr', 'no stamp', fb)).toEqual({ stream: 'stderr', time: fb, line: 'no stamp' });
  });
});

const isRoot = process.getuid?.() === 0;
const skip = !isRoot ? 'not root' : await busyboxMissing();

describe.skipIf(skip !== undefined)('process engine logs (root)', () => {
  let kit: EngineKit;
  const CAP = 2000;
  beforeAll(async () => {
    kit = await engineKit({ logMaxBytes: CAP });
  });
  afterAll(async () => {
    await kit.close();
  });

  it('stamps each line with the time it was written, so streams interleave exactly', async () => {
    const before = Date.now();
    const c = await kit.run(
      specTask('stamps', {
        image: 'busybox',
        command: ['/bin/sh', '-c', 'echo out1; sleep 0.3; echo err1 >&2; sleep 0.3; printf out2'],
      }),
    );
    expect(await c.wait()).toEqual({ exitCode: 0 });
    const lines = await allLogs(c);
    // the engine gives stdout then stderr; by time they interleave as written
    const byTime = [...lines].sort((a, b) => a.time.getTime() - b.time.getTime());
    expect(byTime.map((l) => `${l.stream}:${l.line}`)).toEqual(['stdout:out1', 'stderr:err1', 'stdout:out2']);
    const [t1, t2, t3] = byTime.map((l) => l.time.getTime()) as [number, number, number];
    expect(t1).toBeGreaterThanOrEqual(before - 5);
    expect(t2 - t1).toBeGreaterThanOrEqual(250);
    expect(t3 - t2).toBeGreaterThanOrEqual(250);
  });

  it('caps each stream file and keeps one rotated file; a reader gets the newest lines in order', async () => {
    const c = await kit.run(
      specTask('rotate', {
        image: 'busybox',
        command: [
          '/bin/sh',
          '-c',
          'i=1; while [ $i -le 300 ]; do echo "line $i of the rotation test"; i=$((i+1)); done',
        ],
      }),
    );
    expect(await c.wait()).toEqual({ exitCode: 0 });
    const lines = (await allLogs(c)).filter((l) => l.stream === 'stdout').map((l) => l.line);
    expect(lines.length).toBeLessThan(300);
    expect(lines.length).toBeGreaterThan(CAP / 60);
    expect(lines.at(-1)).toBe('line 300 of the rotation test');
    const first = Number(/line (\d+)/.exec(lines[0] ?? '')?.[1]);
    expect(lines).toEqual(lines.map((_, i) => `line ${first + i} of the rotation test`));
    const work = join(kit.tmp, 'work');
    const dir = join(work, (await readdir(work)).find((d) => d.endsWith('-rotate')) ?? '');
    expect((await stat(join(dir, 'stdout.log'))).size).toBeLessThanOrEqual(CAP);
    expect((await stat(join(dir, 'stdout.log.1'))).size).toBeLessThanOrEqual(CAP);
  });

  it('follows a task across rotations without losing or repeating a line', async () => {
    const c = await kit.run(
      specTask('follow-rotate', {
        image: 'busybox',
        command: [
          '/bin/sh',
          '-c',
          'i=1; while [ $i -le 80 ]; do echo "follow line $i, padded to rotate"; echo "err $i" >&2; i=$((i+1)); sleep 0.01; done',
        ],
      }),
    );
    const seen: LogLine[] = [];
    for await (const l of c.logs({ follow: true })) seen.push(l);
    const out = seen.filter((l) => l.stream === 'stdout').map((l) => l.line);
    // more than the cap: the file rotated while we followed, and every line arrived once, in order
    expect(out).toEqual(Array.from({ length: 80 }, (_, i) => `follow line ${i + 1}, padded to rotate`));
    // times never go backwards within a stream
    const times = seen.filter((l) => l.stream === 'stderr').map((l) => l.time.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(seen.filter((l) => l.stream === 'stderr').at(-1)?.line).toBe('err 80');
  });
});
