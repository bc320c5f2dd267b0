import { describe, expect, it } from 'vitest';
import type { LogMessage } from '../../proto/gen/shoal/api/LogMessage.ts';
import type { Engine, LogLine, Task, TaskController } from '../executor/types.ts';
import { applyTail, lineFilter, readTask, toMessage } from './log-reader.ts';

const task = { id: 't1', serviceId: 's1', nodeId: 'n1' } as Task;
const at = (s: number): Date => new Date(s * 1000);

/** An engine whose only task has `lines`; `grow` lines appear on the first follow pass. */
function engine(lines: LogLine[], grow: LogLine[] = []): Engine {
  const ctl = {
    async *logs(o: { follow?: boolean }): AsyncIterable<LogLine> {
      await Promise.resolve();
      if (o.follow) lines.push(...grow.splice(0));
      yield* [...lines];
    },
  } as unknown as TaskController;
  return {
    name: 'process',
    controller: () => ctl,
    list: () => Promise.resolve([]),
    describe: () => Promise.resolve({}),
  };
}

async function read(
  e: Engine,
  o: Parameters<typeof lineFilter>[0],
  follow = false,
  ms = 0,
): Promise<string[]> {
  const out: LogMessage[] = [];
  const ac = new AbortController();
  if (follow) setTimeout(() => ac.abort(), ms);
  await readTask({
    engine: e,
    task,
    filter: lineFilter(o),
    follow,
    late: false,
    signal: ac.signal,
    present: () => true,
    emit: (m) => out.push(m),
    passPauseMs: 10,
  });
  return out.map((m) => `${m.stream as string}:${Buffer.from(m.data as Buffer).toString()}`);
}

const opts = (o: Record<string, unknown>): Parameters<typeof lineFilter>[0] => ({
  streams: [],
  follow: false,
  tail: -1,
  since: null,
  ...o,
});

describe('reading a task log for a subscription', () => {
  const lines = (): LogLine[] => [
    { stream: 'stdout', time: at(10), line: 'a' },
    { stream: 'stdout', time: at(30), line: 'c' },
    { stream: 'stderr', time: at(20), line: 'b' },
  ];

  it('gives every line, ordered by time, with context, timestamp and stream', async () => {
    expect(await read(engine(lines()), null)).toEqual([
      'STREAM_STDOUT:a',
      'STREAM_STDERR:b',
      'STREAM_STDOUT:c',
    ]);
    expect(toMessage(task, { stream: 'stderr', time: new Date(1500), line: 'x' })).toMatchObject({
      context: { serviceId: 's1', nodeId: 'n1', taskId: 't1' },
      timestamp: { seconds: 1, nanos: 500_000_000 },
      stream: 'STREAM_STDERR',
    });
  });

  it('applies tail, since and streams (filters first, then the tail)', async () => {
    expect(await read(engine(lines()), opts({ tail: 1 }))).toEqual(['STREAM_STDOUT:c']);
    expect(await read(engine(lines()), opts({ tail: 0 }))).toEqual([]);
    expect(await read(engine(lines()), opts({ since: { seconds: 15, nanos: 0 } }))).toEqual([
      'STREAM_STDERR:b',
      'STREAM_STDOUT:c',
    ]);
    expect(await read(engine(lines()), opts({ streams: ['STREAM_STDOUT'], tail: 1 }))).toEqual([
      'STREAM_STDOUT:c',
    ]);
    expect(applyTail([1, 2, 3], 5)).toEqual([1, 2, 3]);
  });

  it('with follow, sends new lines once, skipping what it already read', async () => {
    const e = engine(lines(), [{ stream: 'stdout', time: at(40), line: 'd' }]);
    expect(await read(e, opts({ follow: true, tail: 1 }), true, 100)).toEqual([
      'STREAM_STDOUT:c',
      'STREAM_STDOUT:d',
    ]);
  });
});
