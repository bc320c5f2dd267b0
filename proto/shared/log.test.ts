import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, levelFromEnv, silentLogger } from './log.ts';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('logging', () => {
  const saved = process.env['SHOAL_LOG_LEVEL'];
  afterEach(() => {
    if (saved === undefined) delete process.env['SHOAL_LOG_LEVEL'];
    else process.env['SHOAL_LOG_LEVEL'] = saved;
  });

  it('writes JSON lines with the name, base fields, component and ISO time', () => {
    const out = capture();
    const log = createLogger({
      name: 'shoald',
      level: 'info',
      base: { nodeId: 'n1' },
      destination: out.stream,
    });
    log.child({ component: 'raft' }).info({ term: 3 }, 'became leader');
    log.debug('hidden');
    const [line, ...rest] = out.lines();
    expect(rest).toEqual([]);
    expect(line).toMatchObject({
      name: 'shoald',
      nodeId: 'n1',
      component: 'raft',
      term: 3,
      msg: 'became leader',
      level: 30,
    });
    expect(String(line?.['time'])).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('takes its level from SHOAL_LOG_LEVEL and ignores nonsense', () => {
    process.env['SHOAL_LOG_LEVEL'] = 'debug';
    expect(levelFromEnv()).toBe('debug');
    process.env['SHOAL_LOG_LEVEL'] = 'loud';
    expect(levelFromEnv('warn')).toBe('warn');
  });

  it('has a silent logger', () => {
    expect(silentLogger().isLevelEnabled('fatal')).toBe(false);
  });
});
