import { afterEach, describe, expect, it } from 'vitest';
import type { Task } from '../store/types.ts';
import type { Orchestrator } from './orchestrator.ts';
import { World } from './testing.ts';

let world: World;
const extra: Orchestrator[] = [];
afterEach(async () => {
  await world.orchestrator.stop();
  for (const o of extra.splice(0)) await o.stop();
});

const S = 1_000_000_000;

function service(restartPolicy: Record<string, unknown> | undefined, replicas = 1): Record<string, unknown> {
  return {
    taskTemplate: { containerSpec: { image: 'app' }, ...(restartPolicy ? { restartPolicy } : {}) },
    mode: { replicated: { replicas } },
  };
}

async function runningService(
  w: World,
  restartPolicy?: Record<string, unknown>,
): Promise<{ id: string; task: Task; node: string }> {
  const n = await w.node();
  const s = await w.service(service(restartPolicy));
  await w.settled();
  const [t] = w.wanted(s.id);
  await w.runAll([t!], [n.id]);
  await w.settled();
  return { id: s.id, task: w.store.get('task', t!.id)!, node: n.id };
}

describe('restart supervisor', () => {
  it('replaces a failed task in its slot after the default 5 s delay; the old one stays as history', async () => {
    world = new World();
    world.orchestrator.start();
    const { id, task } = await runningService(world);
    await world.observe(task.id, 'TASK_STATE_FAILED');
    await world.settled();
    const old = world.store.get('task', task.id)!;
    expect(old.desiredState).toBe('TASK_STATE_SHUTDOWN');
    const [r] = world.wanted(id);
    expect(r?.id).not.toBe(task.id);
    expect(r?.slot).toBe(1);
    expect(r?.desiredState).toBe('TASK_STATE_READY');
    await world.clock.advance(4_900);
    expect(world.store.get('task', r!.id)?.desiredState).toBe('TASK_STATE_READY');
    await world.clock.advance(200);
    expect(world.store.get('task', r!.id)?.desiredState).toBe('TASK_STATE_RUNNING');
    expect(world.tasks(id)).toHaveLength(2);
  });

  it('a task that completes is restarted too under condition any; with delay 0 at once', async () => {
    world = new World();
    world.orchestrator.start();
    const { id, task } = await runningService(world, { condition: 'CONDITION_ANY', delay: 0 });
    await world.observe(task.id, 'TASK_STATE_COMPLETE');
    await world.settled();
    const [r] = world.wanted(id);
    expect(r?.id).not.toBe(task.id);
    expect(r?.desiredState).toBe('TASK_STATE_RUNNING');
  });

  it('condition none: no replacement, and the slot stays empty', async () => {
    world = new World();
    world.orchestrator.start();
    const { id, task } = await runningService(world, { condition: 'CONDITION_NONE' });
    await world.observe(task.id, 'TASK_STATE_FAILED');
    await world.settled();
    await world.clock.advance(60_000);
    await world.node(); // unrelated changes reconcile again
    await world.settled();
    expect(world.wanted(id)).toHaveLength(0);
    expect(world.store.get('task', task.id)?.desiredState).toBe('TASK_STATE_SHUTDOWN');
  });

  it('condition on-failure: a clean exit is not restarted, a failure is', async () => {
    world = new World();
    world.orchestrator.start();
    const a = await runningService(world, { condition: 'CONDITION_ON_FAILURE', delay: 0 });
    await world.observe(a.task.id, 'TASK_STATE_COMPLETE');
    const b = await runningService(world, { condition: 'CONDITION_ON_FAILURE', delay: 0 });
    await world.observe(b.task.id, 'TASK_STATE_FAILED');
    await world.settled();
    expect(world.wanted(a.id)).toHaveLength(0);
    expect(world.wanted(b.id)).toHaveLength(1);
    expect(world.wanted(b.id)[0]?.id).not.toBe(b.task.id);
  });

  it('max attempts counts restarts of the slot, within the window', async () => {
    world = new World();
    world.orchestrator.start();
    const policy = { condition: 'CONDITION_ANY', delay: 0, maxAttempts: 2, window: 60 * S };
    const { id, task, node } = await runningService(world, policy);
    let current = task;
    for (let i = 0; i < 2; i++) {
      await world.observe(current.id, 'TASK_STATE_FAILED');
      await world.settled();
      const [r] = world.wanted(id);
      expect(r?.id).not.toBe(current.id);
      await world.runAll([r!], [node]);
      current = r!;
    }
    // the third failure within the minute is not restarted
    await world.clock.advance(10_000);
    await world.observe(current.id, 'TASK_STATE_FAILED');
    await world.settled();
    expect(world.wanted(id)).toHaveLength(0);
    expect(world.tasks(id)).toHaveLength(3);
  });

  it('restarts again once earlier restarts fall out of the window', async () => {
    world = new World();
    world.orchestrator.start();
    const policy = { condition: 'CONDITION_ANY', delay: 0, maxAttempts: 1, window: 30 * S };
    const { id, task, node } = await runningService(world, policy);
    await world.observe(task.id, 'TASK_STATE_FAILED');
    await world.settled();
    const [r] = world.wanted(id);
    await world.runAll([r!], [node]);
    await world.clock.advance(31_000);
    await world.observe(r!.id, 'TASK_STATE_FAILED');
    await world.settled();
    const [r2] = world.wanted(id);
    expect(r2).toBeDefined();
    expect(r2?.id).not.toBe(r!.id);
  });

  it('a task asked to stop is not restarted when it stops', async () => {
    world = new World();
    world.orchestrator.start();
    const { id, task } = await runningService(world, { condition: 'CONDITION_ANY', delay: 0 });
    await world.changeService(id, (s) => (s.spec!.mode!.replicated!.replicas = 0));
    await world.settled();
    await world.observe(task.id, 'TASK_STATE_SHUTDOWN');
    await world.settled();
    expect(world.wanted(id)).toHaveLength(0);
  });

  it('a new leader honours a restart delay that was running when the old one stopped', async () => {
    world = new World();
    world.orchestrator.start();
    const { id, task } = await runningService(world, { condition: 'CONDITION_ANY', delay: 10 * S });
    await world.observe(task.id, 'TASK_STATE_FAILED');
    await world.settled();
    const [r] = world.wanted(id);
    expect(r?.desiredState).toBe('TASK_STATE_READY');
    await world.clock.advance(3_000);
    await world.orchestrator.stop();
    expect(world.clock.pending).toBe(0);
    await world.clock.advance(4_000); // no leader for 4 s
    const next = world.makeOrchestrator();
    extra.push(next);
    next.start();
    await world.clock.advance(2_900);
    expect(world.store.get('task', r!.id)?.desiredState).toBe('TASK_STATE_READY');
    await world.clock.advance(200); // 10.1 s after the failure
    expect(world.store.get('task', r!.id)?.desiredState).toBe('TASK_STATE_RUNNING');
    expect(world.wanted(id)).toHaveLength(1);
  });

  it('a new leader starts at once a replacement whose delay passed while nobody led', async () => {
    world = new World();
    world.orchestrator.start();
    const { id, task } = await runningService(world);
    await world.observe(task.id, 'TASK_STATE_FAILED');
    await world.settled();
    await world.orchestrator.stop();
    await world.clock.advance(30_000);
    const next = world.makeOrchestrator();
    extra.push(next);
    next.start();
    await world.clock.advance(0);
    const [r] = world.wanted(id);
    expect(r?.desiredState).toBe('TASK_STATE_RUNNING');
  });

  it('stop() leaves no timers and no listeners', async () => {
    world = new World();
    world.orchestrator.start();
    const { task } = await runningService(world);
    await world.observe(task.id, 'TASK_STATE_FAILED');
    await world.settled();
    expect(world.clock.pending).toBeGreaterThan(0);
    await world.orchestrator.stop();
    expect(world.clock.pending).toBe(0);
    expect(world.store.events.listenerCount('event')).toBe(0);
    expect(world.store.events.listenerCount('restore')).toBe(0);
  });
});
