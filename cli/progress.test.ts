import { afterEach, describe, expect, it } from 'vitest';
import {
  globalUpdater,
  plainProgress,
  replicatedUpdater,
  stateNumber,
  upToDate,
  type Progress,
} from './progress.ts';
import { SELF, WEB, WORKER, node, task, web } from './testing/fixtures.ts';
import { fakeDaemon, run, type FakeDaemon } from './testing/server.ts';

let daemon: FakeDaemon | undefined;
afterEach(async () => {
  await daemon?.close();
  daemon = undefined;
});

function recorder(): { out: { write: (p: Progress) => void }; seen: Progress[] } {
  const seen: Progress[] = [];
  return { out: { write: (p) => seen.push(p) }, seen };
}

describe('progress updaters', () => {
  it('orders states as docker does', () => {
    expect(stateNumber('new')).toBe(1);
    expect(stateNumber('running')).toBe(9);
    expect(stateNumber('failed')).toBeGreaterThan(9);
    expect(stateNumber('bogus')).toBe(0);
  });

  it('replicated: the newest task per slot counts; tasks on down nodes do not', () => {
    const { out, seen } = recorder();
    const u = replicatedUpdater(out);
    const s = web();
    const old = { ...task('old', 1, 'shutdown'), DesiredState: 'shutdown' };
    const down = { ...task('t2', 2, 'running'), NodeID: WORKER };
    expect(u.update(s, [old, task('t1', 1, 'running'), down], new Set([SELF]), false)).toBe(false);
    expect(seen.map((p) => `${p.id}: ${p.action}`)).toEqual([
      'overall progress: 0 out of 2 tasks',
      '1/2:  ',
      '2/2:  ',
      '1/2: running  ',
      'overall progress: 1 out of 2 tasks',
    ]);
    expect(seen[3]).toMatchObject({ current: 9, total: 9 });
    expect(u.update(s, [task('t1', 1), task('t2', 2)], new Set([SELF]), true)).toBe(true);
    expect(seen.at(-1)?.action).toBe('rolling back update: 2 out of 2 tasks');
  });

  it('global: waits for tasks, then counts nodes', () => {
    const { out, seen } = recorder();
    const u = globalUpdater(out);
    expect(u.update(web(), [], new Set([SELF]), false)).toBe(false);
    expect(seen[0]?.action).toBe('waiting for new tasks');
    expect(u.update(web(), [task('t1', 0, 'starting')], new Set([SELF]), false)).toBe(false);
    expect(u.update(web(), [task('t1', 0, 'running')], new Set([SELF]), false)).toBe(true);
    expect(seen.map((p) => p.id)).toContain('cqfcz35eqpie');
    expect(seen.at(-1)?.action).toBe('1 out of 1 tasks');
  });

  it('plain output drops messages that carry a bar', () => {
    let text = '';
    const p = plainProgress({ out: (s) => (text += s), err: () => {} });
    p.write({ id: '1/2', action: 'running', current: 9, total: 9 });
    p.write({ id: 'overall progress', action: '1 out of 2 tasks' });
    expect(text).toBe('overall progress: 1 out of 2 tasks\n');
  });

  it('builds the up-to-date filter in Go key order', () => {
    expect(upToDate(WEB)).toBe(`{"_up-to-date":{"true":true},"service":{"${WEB}":true}}`);
  });
});

describe('waiting on a service', () => {
  it.each([
    ['rollback_paused', 'service rollback paused: boom'],
    ['rollback_completed', 'service rolled back: boom'],
  ])('%s is an error', async (state, message) => {
    daemon = await fakeDaemon({
      'GET /services/web': { json: web(25, { UpdateStatus: { State: state, Message: 'boom' } }) },
      [`POST /services/${WEB}/update`]: { json: { Warnings: null } },
    });
    const r = await run(daemon, ['service', 'rollback', 'web']);
    expect(r).toEqual({ code: 1, out: 'web\n', err: `${message}\n` });
  });

  it('an update that completes before convergence returns at once', async () => {
    daemon = await fakeDaemon({
      'GET /services/web': { json: web(25, { UpdateStatus: { State: 'completed' } }) },
      [`POST /services/${WEB}/update`]: { json: { Warnings: null } },
    });
    expect(await run(daemon, ['service', 'update', '--force', 'web'])).toEqual({
      code: 0,
      out: 'web\n',
      err: '',
    });
  });

  it('-q waits silently; a task failure after convergence is reported', async () => {
    let poll = 0;
    daemon = await fakeDaemon({
      'GET /services/web': { json: web(31) },
      [`POST /services/${WEB}/update`]: { json: { Warnings: null } },
      'GET /tasks': () => ({ json: [task('t1', 1, poll++ === 1 ? 'failed' : 'running'), task('t2', 2)] }),
      'GET /nodes': { json: [node(SELF, 'fakehost', true)] },
    });
    const quiet = await run(daemon, ['service', 'update', '-q', '--force', 'web']);
    expect(quiet).toEqual({ code: 0, out: 'web\n', err: '' });
    poll = 0;
    const loud = await run(daemon, ['service', 'update', '--force', 'web']);
    expect(loud.out).toContain('verify: Detected task failure\n');
    expect(loud.out).toMatch(/verify: Service web converged\n$/);
  });
});
