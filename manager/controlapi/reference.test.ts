import { describe, expect, it } from 'vitest';
import { parseReference } from './reference.ts';

const error = (ref: string): string | undefined => {
  const r = parseReference(ref);
  return 'error' in r ? r.error : undefined;
};

describe('parseReference (Docker reference grammar)', () => {
  it.each([
    'nginx',
    'nginx:1.27',
    'library/nginx:latest',
    'registry.example.com:5000/team/app:v1.2-rc_3',
    'localhost/app',
    '[::1]:5000/app',
    `busybox@sha256:${'a'.repeat(64)}`,
    `busybox:1@sha256:${'0'.repeat(64)}`,
    'a__b/c-d--e.f',
  ])('accepts %s', (ref) => {
    expect(error(ref)).toBeUndefined();
  });

  it('splits name, tag and digest', () => {
    expect(parseReference(`reg:5000/app:v2@sha256:${'b'.repeat(64)}`)).toEqual({
      name: 'reg:5000/app',
      tag: 'v2',
      digest: `sha256:${'b'.repeat(64)}`,
    });
  });

  it.each([
    ['', 'repository name must have at least one component'],
    ['Nginx', 'repository name must be lowercase'],
    ['team/MyApp:1', 'repository name must be lowercase'],
    ['nginx:', 'invalid reference format'],
    ['nginx:-bad', 'invalid reference format'],
    [`nginx:${'t'.repeat(129)}`, 'invalid reference format'],
    ['ngi nx', 'invalid reference format'],
    ['app/', 'invalid reference format'],
    ['a//b', 'invalid reference format'],
    ['-app', 'invalid reference format'],
    ['app@sha256:abc', 'invalid reference format'],
    [`app@sha256:${'a'.repeat(63)}`, 'invalid checksum digest format'],
    [`app@md5:${'a'.repeat(32)}`, 'unsupported digest algorithm "md5"'],
    [
      'a'.repeat(64),
      `invalid repository name (${'a'.repeat(64)}), cannot specify 64-byte hexadecimal strings`,
    ],
    [`${'a/'.repeat(128)}b`, 'repository name must not be more than 255 characters'],
  ])('refuses %j: %s', (ref, why) => {
    expect(error(ref)).toBe(why);
  });
});
