/**
 * The README's first line: `shoal cluster up` starts three shoald processes on loopback, joins them
 * into one swarm and deploys the demo stack, whose service answers HTTP; `shoal cluster down` stops
 * everything and leaves nothing behind.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, freePort } from './harness.ts';
import { SHOAL_BIN, sweep } from './shoald-kit.ts';

const run = promisify(execFile);
const shoal = async (...args: string[]): Promise<string> =>
  (await run(process.execPath, [SHOAL_BIN, ...args], { timeout: 120_000 })).stdout;

function fetchText(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/', timeout: 2000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

describe('shoal cluster up|down', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'shoal-local-')), 'cluster');
  afterAll(async () => {
    await shoal('cluster', 'down', '--dir', dir).catch(() => undefined);
    sweep(join(dir, '..'));
    rmSync(join(dir, '..'), { recursive: true, force: true });
  }, 120_000);

  it('starts a three-manager swarm with a demo service answering HTTP, then removes it all', async () => {
    const port = await freePort();
    const out = await shoal('cluster', 'up', '--dir', dir, '--demo-port', String(port));
    expect(out).toContain('Local Shoal cluster is up: manager1');
    expect(out).toContain(`curl http://127.0.0.1:${port}/`);
    const host = `unix://${join(dir, 'manager1', 'shoal.sock')}`;
    expect(out).toContain(`export SHOAL_HOST=${host}`);
    expect(out).toContain('Creating service demo_web');
    // The demo came through `stack deploy`: it is a stack, with the stack's labels.
    expect(await shoal('-H', host, 'stack', 'ls')).toMatch(/^demo\s+1\s*$/m);
    const labels = await shoal(
      '-H',
      host,
      'service',
      'inspect',
      '--format',
      '{{json .Spec.Labels}}',
      'demo_web',
    );
    expect(JSON.parse(labels)).toEqual({
      'com.docker.stack.image': 'host',
      'com.docker.stack.namespace': 'demo',
    });
    const nodes = await shoal('-H', host, 'node', 'ls');
    expect(nodes.split('\n').filter((l) => /manager\d\s+Ready/.test(l))).toHaveLength(3);
    let answer = '';
    await eventually(
      async () => {
        answer = await fetchText(port).catch(() => '');
        return answer.startsWith('hello from Shoal task demo_web.1');
      },
      'the demo service to answer HTTP',
      () => answer,
      30_000,
    );
    expect(await shoal('cluster', 'status', '--dir', dir)).toMatch(/manager3\s+pid \d+.*active \(manager\)/);
    const down = await shoal('cluster', 'down', '--dir', dir);
    expect(down).toContain('Local cluster removed');
    expect(existsSync(dir)).toBe(false);
    await expect(fetchText(port)).rejects.toThrow();
  }, 180_000);
});
