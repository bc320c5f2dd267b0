import { describe, expect, it } from 'vitest';
import { mergeDocuments } from './merge.ts';

describe('mergeDocuments', () => {
  it('replaces command, entrypoint and healthcheck.test but merges the rest of healthcheck', () => {
    const base = {
      services: {
        a: { command: ['a', 'b'], entrypoint: 'sh', healthcheck: { test: ['CMD', 'x'], interval: '5s' } },
      },
    };
    const over = {
      services: { a: { command: ['c'], entrypoint: ['bash'], healthcheck: { test: ['CMD', 'y'] } } },
    };
    expect(mergeDocuments(base, over)).toEqual({
      services: {
        a: { command: ['c'], entrypoint: ['bash'], healthcheck: { test: ['CMD', 'y'], interval: '5s' } },
      },
    });
  });

  it('merges secrets and configs by target (source when no target), extra_hosts by host', () => {
    const base = {
      services: {
        a: {
          secrets: [{ source: 'x' }, { source: 'y', target: '/t' }],
          configs: [{ source: 'c' }],
          extra_hosts: ['h1:10.0.0.1', 'h2:10.0.0.2'],
        },
      },
    };
    const over = {
      services: {
        a: {
          secrets: [
            { source: 'x', mode: 256 },
            { source: 'z', target: '/t' },
          ],
          configs: [{ source: 'd' }],
          extra_hosts: ['h2:10.0.0.9'],
        },
      },
    };
    expect(mergeDocuments(base, over)).toEqual({
      services: {
        a: {
          secrets: [
            { source: 'x', mode: 256 },
            { source: 'z', target: '/t' },
          ],
          configs: [{ source: 'c' }, { source: 'd' }],
          extra_hosts: ['h1:10.0.0.1', 'h2:10.0.0.9'],
        },
      },
    });
  });

  it('merges top-level sections per entry and keeps a network configured when the override is null', () => {
    const base = {
      version: '3.8',
      networks: { n: { driver: 'overlay', labels: { a: '1' } } },
      services: { a: { networks: { n: { aliases: ['x'] } } } },
    };
    const over = {
      networks: { n: { labels: { b: '2' } }, m: null },
      services: { a: { networks: { n: null, m: null } } },
    };
    expect(mergeDocuments(base, over)).toEqual({
      version: '3.8',
      networks: { n: { driver: 'overlay', labels: { a: '1', b: '2' } }, m: null },
      services: { a: { networks: { n: { aliases: ['x'] }, m: null } } },
    });
  });

  it('does not modify its inputs', () => {
    const base = { services: { a: { dns: ['1.1.1.1'] } } };
    const over = { services: { a: { dns: ['8.8.8.8'] } } };
    const copy = structuredClone(base);
    mergeDocuments(base, over);
    expect(base).toEqual(copy);
  });
});
