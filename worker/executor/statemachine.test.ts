import { describe, expect, it } from 'vitest';
import { taskOutput } from '../agent/codec.ts';
import { eventually, FakeController, FakeWorkload, fakeTask } from '../agent/testing.ts';
import type { FakeFaults } from '../agent/testing.ts';
import type { TaskState__Output as TaskState } from '../../proto/gen/shoal/api/TaskState.ts';
import { TaskRunner, type TaskStatus } from './statemachine.ts';
import type { Task } from './types.ts';

function setup(
  desired: TaskState = 'TASK_STATE_RUNNING',
  faults: FakeFaults = {},
  resume?: { status: TaskStatus; present: boolean },
  w = new FakeWorkload(42),
): { runner: TaskRunner; w: FakeWorkload; seen: TaskStatus[]; task: Task } {
  const task = taskOutput(fakeTask('t1', desired));
  const seen: TaskStatus[] = [];
  const runner = new TaskRunner({
    task,
    controller: new FakeController(w, faults),
    onStatus: (s) => seen.push(s),
    prepareContext: () => Promise.resolve({ files: [], workDir: '/tmp/none' }),
    ...(resume ? { resume } : {}),
  });
  return { runner, w, seen, task };
}

const states = (seen: TaskStatus[]): string[] => seen.map((s) => s.state.replace('TASK_STATE_', ''));

describe('TaskRunner', () => {
  it('walks a task to RUNNING with Swarm messages and the runtime IDs', async () => {
    const { runner, seen, w } = setup();
    await eventually(() => runner.status?.state === 'TASK_STATE_RUNNING');
    expect(states(seen)).toEqual(['ACCEPTED', 'PREPARING', 'READY', 'STARTING', 'RUNNING']);
    expect(seen.map((s) => s.message)).toEqual(['accepted', 'preparing', 'prepared', 'starting', 'started']);
    expect(seen.at(-1)?.containerStatus).toEqual({ containerId: 'fake-42', pid: 42, exitCode: 0 });
    expect(w.starts).toBe(1);
  });

  it('reports COMPLETE on exit 0 and FAILED with the exit code otherwise, never restarting', async () => {
    const ok = setup();
    await eventually(() => ok.runner.status?.state === 'TASK_STATE_RUNNING');
    ok.w.finish(0);
    await eventually(() => ok.runner.status?.state === 'TASK_STATE_COMPLETE');
    expect(ok.seen.at(-1)?.message).toBe('finished');

    const bad = setup();
    await eventually(() => bad.runner.status?.state === 'TASK_STATE_RUNNING');
    bad.w.finish(3);
    await eventually(() => bad.runner.status?.state === 'TASK_STATE_FAILED');
    expect(bad.seen.at(-1)?.err).toBe('task: non-zero exit (3)');
    expect(bad.seen.at(-1)?.containerStatus?.exitCode).toBe(3);
    bad.runner.update(bad.task);
    await bad.runner.idle();
    expect(bad.w.starts).toBe(1);
    expect(states(bad.seen).filter((s) => s === 'FAILED')).toHaveLength(1);
  });

  it('rejects a task whose prepare fails and fails one whose start fails', async () => {
    const p = setup('TASK_STATE_RUNNING', { prepareError: 'no such image: nope' });
    await eventually(() => p.runner.status?.state === 'TASK_STATE_REJECTED');
    expect(p.runner.status?.err).toBe('no such image: nope');
    const s = setup('TASK_STATE_RUNNING', { startError: 'exec: not found' });
    await eventually(() => s.runner.status?.state === 'TASK_STATE_FAILED');
    expect(s.runner.status?.err).toBe('exec: not found');
    expect(states(s.seen)).toEqual(['ACCEPTED', 'PREPARING', 'READY', 'STARTING', 'FAILED']);
  });

  it('fails a task that cannot run here (a malformed template) right after ACCEPTED, preparing nothing', async () => {
    const w = new FakeWorkload(7);
    const seen: TaskStatus[] = [];
    const runner = new TaskRunner({
      task: taskOutput(fakeTask('t2', 'TASK_STATE_RUNNING')),
      controller: new FakeController(w, {}),
      onStatus: (st) => seen.push(st),
      prepareContext: () => Promise.reject(new Error('must not prepare')),
      failure: 'invalid template in ContainerSpec.Hostname "{{.Nope}}": unsupported action {{.Nope}}',
    });
    await eventually(() => runner.status?.state === 'TASK_STATE_FAILED');
    expect(states(seen)).toEqual(['ACCEPTED', 'FAILED']);
    expect(seen.at(-1)?.err).toContain('ContainerSpec.Hostname');
    expect(w.starts).toBe(0);
  });

  it('prepares but does not start a task desired READY, until it is desired RUNNING', async () => {
    const { runner, w, task } = setup('TASK_STATE_READY');
    await eventually(() => runner.status?.state === 'TASK_STATE_READY');
    await runner.idle();
    expect(w.starts).toBe(0);
    runner.update({ ...task, desiredState: 'TASK_STATE_RUNNING' });
    await eventually(() => runner.status?.state === 'TASK_STATE_RUNNING');
    expect(w.starts).toBe(1);
  });

  it('shuts down with the stop grace period, reports SHUTDOWN (not FAILED), removes on REMOVE', async () => {
    const { runner, w, task, seen } = setup();
    await eventually(() => runner.status?.state === 'TASK_STATE_RUNNING');
    const spec = task.spec;
    const containerSpec = spec?.containerSpec;
    if (!spec || !containerSpec) throw new Error('fake task has no container spec');
    runner.update({
      ...task,
      desiredState: 'TASK_STATE_SHUTDOWN',
      spec: { ...spec, containerSpec: { ...containerSpec, stopGracePeriod: 2e9 } },
    });
    await eventually(() => runner.status?.state === 'TASK_STATE_SHUTDOWN');
    await runner.idle();
    expect(w.lastGraceMs).toBe(2000);
    expect(w.removed).toBe(false);
    expect(states(seen)).not.toContain('FAILED');
    runner.update({ ...task, desiredState: 'TASK_STATE_REMOVE' });
    await eventually(() => w.removed);
    expect(states(seen).at(-1)).toBe('SHUTDOWN');
  });

  it('uses a 10 s grace period by default and remove() shuts down and removes', async () => {
    const { runner, w } = setup();
    await eventually(() => runner.status?.state === 'TASK_STATE_RUNNING');
    await runner.remove();
    expect(w.lastGraceMs).toBe(10_000);
    expect(w.removed).toBe(true);
    expect(runner.status?.state).toBe('TASK_STATE_SHUTDOWN');
  });

  it('adopts a still-running workload after a restart without starting it again', async () => {
    const first = setup();
    await eventually(() => first.runner.status?.state === 'TASK_STATE_RUNNING');
    first.runner.detach();
    const last = first.runner.status;
    if (!last) throw new Error('no status');
    const again = setup('TASK_STATE_RUNNING', {}, { status: last, present: true }, first.w);
    await again.runner.idle();
    expect(again.seen).toEqual([]);
    expect(first.w.starts).toBe(1);
    first.w.finish(1);
    await eventually(() => again.runner.status?.state === 'TASK_STATE_FAILED');
    expect(first.seen.at(-1)?.state).toBe('TASK_STATE_RUNNING');
  });

  it('reports FAILED for a running task whose work vanished while the agent was down', async () => {
    const status: TaskStatus = {
      state: 'TASK_STATE_RUNNING',
      message: 'started',
      err: '',
      timestamp: null,
      containerStatus: null,
      portStatus: null,
    };
    const { runner, w } = setup('TASK_STATE_RUNNING', {}, { status, present: false });
    await eventually(() => runner.status?.state === 'TASK_STATE_FAILED');
    expect(runner.status?.err).toBe('task: lost while the agent was down');
    expect(w.starts).toBe(0);
  });

  it('never moves a terminal state back', async () => {
    const { runner, w, task, seen } = setup();
    await eventually(() => runner.status?.state === 'TASK_STATE_RUNNING');
    w.finish(0);
    await eventually(() => runner.status?.state === 'TASK_STATE_COMPLETE');
    runner.update({ ...task, desiredState: 'TASK_STATE_SHUTDOWN' });
    await runner.idle();
    expect(runner.status?.state).toBe('TASK_STATE_COMPLETE');
    expect(states(seen)).toEqual(['ACCEPTED', 'PREPARING', 'READY', 'STARTING', 'RUNNING', 'COMPLETE']);
  });
});

describe('TaskRunner with a healthcheck', () => {
  class HealthController extends FakeController {
    health: 'starting' | 'healthy' | 'unhealthy' = 'starting';
    override async inspect(): Promise<Awaited<ReturnType<FakeController['inspect']>>> {
      return { ...(await super.inspect()), health: this.health };
    }
  }
  const make = (): { runner: TaskRunner; c: HealthController; w: FakeWorkload; seen: TaskStatus[] } => {
    const w = new FakeWorkload(7);
    const c = new HealthController(w);
    const seen: TaskStatus[] = [];
    const runner = new TaskRunner({
      task: taskOutput(fakeTask('h1', 'TASK_STATE_RUNNING')),
      controller: c,
      onStatus: (s) => seen.push(s),
      prepareContext: () => Promise.resolve({ files: [], workDir: '/tmp/none' }),
    });
    return { runner, c, w, seen };
  };

  it('stays STARTING until healthy, then RUNNING; turning unhealthy later kills it and reports FAILED', async () => {
    const { runner, c, w, seen } = make();
    await eventually(() => runner.status?.state === 'TASK_STATE_STARTING');
    await new Promise((r) => setTimeout(r, 700));
    expect(runner.status?.state).toBe('TASK_STATE_STARTING');
    c.health = 'healthy';
    await eventually(() => runner.status?.state === 'TASK_STATE_RUNNING');
    c.health = 'unhealthy';
    await eventually(() => runner.status?.state === 'TASK_STATE_FAILED');
    expect(seen.at(-1)?.err).toBe('task: unhealthy container');
    expect(w.running).toBe(false);
  });

  it('a task that never becomes healthy is killed and FAILED without reaching RUNNING', async () => {
    const { runner, c, seen } = make();
    await eventually(() => runner.status?.state === 'TASK_STATE_STARTING');
    c.health = 'unhealthy';
    await eventually(() => runner.status?.state === 'TASK_STATE_FAILED');
    expect(states(seen)).not.toContain('RUNNING');
    expect(seen.at(-1)?.err).toBe('task: unhealthy container');
  });
});
