import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SHOAL_VERSION } from '../proto/version.ts';
import { main } from './main.ts';

describe('shoal', () => {
  it('prints its version and the commands that exist when run bare', async () => {
    let out = '';
    expect(await main([], { out: (s) => (out += s), err: () => {} })).toBe(0);
    expect(out).toContain(`Shoal version ${SHOAL_VERSION}`);
    expect(out).toMatch(/Commands:\n\s+version/);
  });

  it('shows version information', async () => {
    let out = '';
    expect(await main(['version'], { out: (s) => (out += s), err: () => {} })).toBe(0);
    expect(out).toContain(`Version:      ${SHOAL_VERSION}`);
    expect(out).toContain('API version:  1.47');
  });

  it('fails on an unknown flag with a message and a non-zero exit', async () => {
    let err = '';
    expect(await main(['--frobnicate'], { out: () => {}, err: (s) => (err += s) })).not.toBe(0);
    expect(err).toContain("unknown option '--frobnicate'");
  });

  it('runs as a program through its bin shim', () => {
    const bin = fileURLToPath(new URL('./bin/shoal.js', import.meta.url));
    expect(execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' }).trim()).toBe(
      `Shoal version ${SHOAL_VERSION}`,
    );
  });
});
