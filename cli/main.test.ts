import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SHOAL_VERSION } from '../proto/version.ts';
import { main } from './main.ts';
import { fakeDaemon, run } from './testing/server.ts';

describe('shoal', () => {
  it('prints its version and the commands that exist when run bare', async () => {
    let out = '';
    expect(await main([], { out: (s) => (out += s), err: () => {} })).toBe(0);
    expect(out).toContain(`Shoal version ${SHOAL_VERSION}`);
    for (const group of [
      'swarm',
      'node',
      'service',
      'secret',
      'config',
      'network',
      'info',
      'version',
      'events',
      'image',
    ]) {
      expect(out).toMatch(new RegExp(`Commands:\\n(?:[\\s\\S]*\\n)?  ${group}\\b`));
    }
  });

  it('shows version information', async () => {
    const daemon = await fakeDaemon({
      'GET /version': { json: { Version: SHOAL_VERSION, ApiVersion: '1.47' } },
    });
    const r = await run(daemon, ['version']);
    await daemon.close();
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Version:      ${SHOAL_VERSION}`);
    expect(r.out).toContain('API version:  1.47');
  });

  it('fails on an unknown flag with a message and a non-zero exit', async () => {
    let err = '';
    expect(await main(['--frobnicate'], { out: () => {}, err: (s) => (err += s) })).not.toBe(0);
    expect(err).toContain("unknown option '--frobnicate'");
  });

  it('fails on an unknown command', async () => {
    const r = await run(undefined, ['frobnicate']);
    expect(r.code).toBe(1);
    expect(r.err).toContain("unknown command 'frobnicate'");
  });

  it('takes the host from SHOAL_HOST, and -H over it', async () => {
    const daemon = await fakeDaemon({ 'GET /info': { json: { Swarm: { LocalNodeState: 'inactive' } } } });
    const viaEnv = await run(undefined, ['info'], { deps: { env: { SHOAL_HOST: daemon.host } } });
    expect(viaEnv.out).toContain(' Swarm: inactive\n');
    const viaFlag = await run(daemon, ['info'], {
      deps: { env: { SHOAL_HOST: 'unix:///nonexistent.sock' } },
    });
    await daemon.close();
    expect(viaFlag.code).toBe(0);
    expect((await run(undefined, ['-H', 'ftp://x', 'info'])).err).toContain('invalid host "ftp://x"');
  });

  it('runs as a program through its bin shim', () => {
    const bin = fileURLToPath(new URL('./bin/shoal.js', import.meta.url));
    expect(execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' }).trim()).toBe(
      `Shoal version ${SHOAL_VERSION}`,
    );
  });
});
