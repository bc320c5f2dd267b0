import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SHOAL_VERSION } from '../proto/version.ts';
import { main } from './main.ts';

describe('shoald', () => {
  it('prints its version and help when run bare', async () => {
    let out = '';
    expect(await main([], { out: (s) => (out += s), err: () => {} })).toBe(0);
    expect(out).toContain(`shoald version ${SHOAL_VERSION}`);
    expect(out).toContain('Usage: shoald');
  });

  it('fails on an unknown flag with a message and a non-zero exit', async () => {
    let err = '';
    expect(await main(['--nope'], { out: () => {}, err: (s) => (err += s) })).not.toBe(0);
    expect(err).toContain("unknown option '--nope'");
  });

  it('runs as a program through its bin shim', () => {
    const bin = fileURLToPath(new URL('./bin/shoald.js', import.meta.url));
    expect(execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' })).toContain(
      `shoald version ${SHOAL_VERSION}`,
    );
  });
});
