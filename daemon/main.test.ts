import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SHOAL_VERSION } from '../proto/version.ts';
import { DEFAULT_SOCKET, main, type DaemonOptions } from './main.ts';

/** Parses shoald's argv without starting anything: the options it would run with, or its error. */
async function parse(argv: string[]): Promise<{ code: number; opts?: DaemonOptions; err: string }> {
  let opts: DaemonOptions | undefined;
  let err = '';
  const code = await main(argv, { out: () => {}, err: (s) => (err += s) }, (o) => {
    opts = o;
    return Promise.resolve(0);
  });
  return { code, err, ...(opts ? { opts } : {}) };
}

describe('shoald flags', () => {
  it('runs with the documented defaults', async () => {
    const { code, opts } = await parse(['--data-root', '/tmp/x']);
    expect(code).toBe(0);
    expect(opts).toMatchObject({
      dataRoot: '/tmp/x',
      hosts: [DEFAULT_SOCKET],
      listenAddr: '0.0.0.0:2377',
      engine: 'process',
    });
  });

  it('takes -H more than once, unix and tcp, and a listen address without a port', async () => {
    const { opts } = await parse([
      '-H',
      'unix:///tmp/s.sock',
      'tcp://127.0.0.1:2375',
      '--listen-addr',
      '127.0.0.1',
      '--engine',
      'docker',
    ]);
    expect(opts?.hosts).toEqual(['unix:///tmp/s.sock', 'tcp://127.0.0.1:2375']);
    expect(opts?.listenAddr).toBe('127.0.0.1:2377');
    expect(opts?.engine).toBe('docker');
  });

  it('refuses bad values before starting anything, naming the flag', async () => {
    for (const [argv, msg] of [
      [['--nope'], "unknown option '--nope'"],
      [['--engine', 'vm'], "argument 'vm' is invalid"],
      [['-H', 'http://x'], 'invalid -H "http://x"'],
      [['-H', 'tcp://nohost'], 'use tcp://HOST:PORT'],
      [['--tick-ms', '-5'], '--tick-ms must be a positive integer'],
      [['--listen-addr', 'a b'], 'invalid address "a b"'],
    ] as const) {
      const r = await parse([...argv]);
      expect(r.code, argv.join(' ')).not.toBe(0);
      expect(r.opts, argv.join(' ')).toBeUndefined();
      expect(r.err, argv.join(' ')).toContain(msg);
    }
  });

  it('runs as a program through its bin shim', () => {
    const bin = fileURLToPath(new URL('./bin/shoald.js', import.meta.url));
    expect(execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' })).toContain(
      `shoald version ${SHOAL_VERSION}`,
    );
  });
});
