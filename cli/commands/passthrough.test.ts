import { afterEach, describe, expect, it } from 'vitest';
import { WEB } from '../testing/fixtures.ts';
import { fakeDaemon, run, type FakeDaemon } from '../testing/server.ts';

let daemon: FakeDaemon | undefined;
afterEach(async () => {
  await daemon?.close();
  daemon = undefined;
});

describe('command-line shape', () => {
  it('passes options after the image to the command', async () => {
    daemon = await fakeDaemon({ 'POST /services/create': { status: 201, json: { ID: WEB } } });
    const r = await run(daemon, [
      'service',
      'create',
      '-d',
      '--no-resolve-image',
      'busybox',
      'sh',
      '-c',
      'echo hi',
    ]);
    expect(r.code).toBe(0);
    expect(daemon.requests.at(-1)?.body).toMatchObject({
      TaskTemplate: { ContainerSpec: { Image: 'busybox:latest', Args: ['sh', '-c', 'echo hi'] } },
    });
  });

  it('prints help for a bare group and exits 0; an unknown subcommand exits 1', async () => {
    const r = await run(undefined, ['service']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: shoal service');
    const bad = await run(undefined, ['service', 'frob']);
    expect(bad.code).toBe(1);
    expect(bad.err).toBe(`unknown command 'frob' for "shoal service"\nSee 'shoal service --help'.\n`);
  });
});
