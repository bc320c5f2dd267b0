import { afterEach, describe, expect, it } from 'vitest';
import { blank } from '../store/memory.ts';
import { World } from './testing.ts';

let world: World;
afterEach(async () => {
  await world.orchestrator.stop();
});

async function failRepeatedly(w: World, times: number): Promise<{ id: string; node: string }> {
  const node = (await w.node()).id;
  const s = await w.service({
    taskTemplate: { restartPolicy: { condition: 'CONDITION_ANY', delay: 0 } },
    mode: { replicated: { replicas: 1 } },
  });
  await w.settled();
  for (let i = 0; i < times; i++) {
    const [t] = w.wanted(s.id);
    await w.runAll([t!], [node]);
    await w.clock.advance(1000);
    await w.observe(t!.id, 'TASK_STATE_FAILED');
    await w.settled();
  }
  return { id: s.id, node };
}

describe('task reaper', () => {
  it('keeps 5 tasks per slot by default (the live one counts), deleting the oldest', async () => {
    world = new World();
    world.orchestrator.start();
    const { id } = await failRepeatedly(world, 8);
    const tasks = world.tasks(id);
    expect(tasks).toHaveLength(5);
    expect(tasks.filter((t) => t.desiredState === 'TASK_STATE_RUNNING')).toHaveLength(1);
    // the ones kept are the newest
    const created = tasks.map((t) => t.createdAt!.seconds).sort((a, b) => a - b);
    expect(created[0]).toBeGreaterThanOrEqual(Math.floor(world.clock.now() / 1000) - 5);
  });

  it('follows the cluster taskHistoryRetentionLimit', async () => {
    world = new World();
    const c = blank('cluster');
    c.id = 'cluster0000000000000000aa';
    c.spec = {
      name: 'default',
      labels: {},
      orchestration: { taskHistoryRetentionLimit: 2 },
      raft: null,
      dispatcher: null,
      caConfig: null,
      taskDefaults: null,
      encryptionConfig: null,
    };
    await world.store.update((tx) => tx.create('cluster', c));
    world.orchestrator.start();
    const { id } = await failRepeatedly(world, 4);
    expect(world.tasks(id)).toHaveLength(2);
  });

  it('never deletes a task that may still be running on a node', async () => {
    world = new World();
    world.orchestrator.start();
    const n = (await world.node()).id;
    const s = await world.service({ taskTemplate: {}, mode: { replicated: { replicas: 1 } } });
    await world.settled();
    const [t] = world.wanted(s.id);
    await world.runAll([t!], [n]);
    await world.removeService(s.id);
    await world.settled();
    expect(world.store.get('task', t!.id)?.desiredState).toBe('TASK_STATE_REMOVE');
    await world.observe(t!.id, 'TASK_STATE_SHUTDOWN');
    await world.settled();
    expect(world.store.get('task', t!.id)).toBeUndefined();
  });
});
