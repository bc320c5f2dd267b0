import { describe, expect, it } from 'vitest';
import { parseBytes, parseDurationNs, parseNanoCpus } from './units.ts';
import { imageWithTag } from './convert/image.ts';

describe('units', () => {
  it.each([
    ['10s', 10e9],
    ['1m30s', 90e9],
    ['1.5h', 5400e9],
    ['100ms', 100e6],
    ['2us', 2000],
    ['0', 0],
    ['-1s', -1e9],
    ['1h2m3s4ms', 3723004e6],
  ])('duration %s → %d ns', (s, ns) => expect(parseDurationNs(s)).toBe(ns));

  it.each(['', '10', 's', '1d', '1.2.3s', '10 s'])('rejects duration %j', (s) =>
    expect(parseDurationNs(s)).toBeUndefined(),
  );

  it.each([
    ['256M', 268435456],
    ['64m', 67108864],
    ['1g', 1073741824],
    ['1GB', 1073741824],
    ['1.5GiB', 1610612736],
    ['512k', 524288],
    ['1024', 1024],
    ['100b', 100],
  ])('bytes %s → %d', (s, n) => expect(parseBytes(s)).toBe(n));

  it.each(['', 'lots', '1x', '-1M'])('rejects size %j', (s) => expect(parseBytes(s)).toBeUndefined());

  it.each([
    ['0.5', 500000000],
    ['0.25', 250000000],
    ['2', 2000000000],
    ['.1', 100000000],
    ['0.000000001', 1],
    [1.5, 1500000000],
  ] as const)('cpus %s → %d', (s, n) => expect(parseNanoCpus(s)).toBe(n));

  it.each(['', 'x', '0.0000000001', '1.2.3', '-1'])('rejects cpus %j', (s) =>
    expect(parseNanoCpus(s)).toBeUndefined(),
  );
});

describe('imageWithTag (what docker client sends after a failed digest lookup)', () => {
  it.each([
    ['busybox', 'busybox:latest'],
    ['nginx:alpine', 'nginx:alpine'],
    ['docker.io/library/redis', 'redis:latest'],
    ['docker.io/foo/bar:1', 'foo/bar:1'],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
    ['registry.example.com:5000/team/app:v2', 'registry.example.com:5000/team/app:v2'],
    ['alpine@sha256:' + 'a'.repeat(64), 'alpine@sha256:' + 'a'.repeat(64)],
    ['{{.Image}}', '{{.Image}}'],
    ['Upper/Case', 'Upper/Case'],
  ])('%s → %s', (input, expected) => expect(imageWithTag(input)).toBe(expected));
});
