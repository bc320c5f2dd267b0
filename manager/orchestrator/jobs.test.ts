import { afterEach, describe, expect, it } from 'vitest';
import type { Task } from '../store/types.ts';
import { World } from './testing.ts';

let world: World;
afterEach(async () => {
  await world.orchestrator.stop();
});

const live = (w: World, id: string): Task[] =>
  w
    .tasks(id)
    .filter((t) => t.desiredState === 'TASK_STATE_COMPLETE' && t.status?.state !== 'TASK_STATE_COMPLETE');
const completed = (w: World, id: string): Task[] =>
  w.tasks(id).filter((t) => t.status?.state === 'TASK_STATE_COMPLETE');

describe('replicated jobs', () => {
  it('runs totalCompletions tasks, at most maxConcurrent at a time, desired COMPLETE', async () => {
    world = new World();
    world.orchestrator.start();
    const n = await world.node();
    const s = await world.service({
      taskTemplate: { containerSpec: { image: 'batch' } },
      mode: { replicatedJob: { maxConcurrent: 2, totalCompletions: 5 } },
    });
    await world.settled();
    expect(world.store.get('service', s.id)?.jobStatus?.jobIteration?.index).toBe(0);
    for (let done = 0; done < 5;) {
      const running = live(world, s.id);
      expect(running.length).toBe(Math.min(2, 5 - done));
      for (const t of running) {
        expect(t.jobIteration?.index).toBe(0);
        expect(t.desiredState).toBe('TASK_STATE_COMPLETE');
      }
      await world.runAll(running, [n.id]);
      await world.observe(running[0]!.id, 'TASK_STATE_COMPLETE');
      await world.settled();
      done++;
    }
    expect(
      completed(world, s.id)
        .map((t) => t.slot)
        .sort(),
    ).toEqual([1, 2, 3, 4, 5]);
    expect(live(world, s.id)).toHaveLength(0);
  });

  it('defaults: maxConcurrent 1, totalCompletions = maxConcurrent', async () => {
    world = new World();
    world.orchestrator.start();
    const s = await world.service({ taskTemplate: {}, mode: { replicatedJob: { maxConcurrent: 3 } } });
    await world.settled();
    expect(
      live(world, s.id)
        .map((t) => t.slot)
        .sort(),
    ).toEqual([1, 2, 3]);
  });

  it('restarts a failed task (on-failure by default) but never a completed one', async () => {
    world = new World();
    world.orchestrator.start();
    const n = await world.node();
    const s = await world.service({
      taskTemplate: { restartPolicy: { delay: 0 } },
      mode: { replicatedJob: { maxConcurrent: 2, totalCompletions: 2 } },
    });
    await world.settled();
    const [a, b] = live(world, s.id);
    await world.runAll([a!, b!], [n.id]);
    await world.observe(a!.id, 'TASK_STATE_COMPLETE');
    await world.observe(b!.id, 'TASK_STATE_FAILED');
    await world.settled();
    const again = live(world, s.id);
    expect(again).toHaveLength(1);
    expect(again[0]?.slot).toBe(b!.slot);
    expect(again[0]?.id).not.toBe(b!.id);
    expect(world.store.get('task', a!.id)?.desiredState).toBe('TASK_STATE_COMPLETE');
    expect(world.store.get('task', b!.id)?.desiredState).toBe('TASK_STATE_SHUTDOWN');
  });

  it('a spec change runs the job again as a new iteration; old running tasks are stopped', async () => {
    world = new World();
    world.orchestrator.start();
    const n = await world.node();
    const s = await world.service({
      taskTemplate: { containerSpec: { image: 'v1' } },
      mode: { replicatedJob: { maxConcurrent: 1, totalCompletions: 1 } },
    });
    await world.settled();
    const [first] = live(world, s.id);
    await world.runAll([first!], [n.id]);
    await world.clock.advance(60_000);
    await world.changeService(s.id, (x) => (x.spec!.taskTemplate!.containerSpec!.image = 'v2'), true);
    await world.settled();
    const svc = world.store.get('service', s.id)!;
    expect(svc.jobStatus?.jobIteration?.index).toBe(1);
    expect(svc.jobStatus?.lastExecution?.seconds).toBe(Math.floor(world.clock.now() / 1000));
    expect(world.store.get('task', first!.id)?.desiredState).toBe('TASK_STATE_SHUTDOWN');
    const [second] = live(world, s.id);
    expect(second?.jobIteration?.index).toBe(1);
    expect(second?.specVersion).toBe(2);
    expect(world.updater.updates).toHaveLength(0);
  });
});

describe('global jobs', () => {
  it('one completion per eligible node, including nodes that join later', async () => {
    world = new World();
    world.orchestrator.start();
    const a = await world.node();
    await world.node({ availability: 'DRAIN' });
    const s = await world.service({ taskTemplate: {}, mode: { globalJob: {} } });
    await world.settled();
    const [t] = live(world, s.id);
    expect(live(world, s.id).map((x) => x.nodeId)).toEqual([a.id]);
    await world.runAll([t!]);
    await world.observe(t!.id, 'TASK_STATE_COMPLETE');
    await world.settled();
    expect(live(world, s.id)).toHaveLength(0); // done on a: nothing more there
    const b = await world.node();
    await world.settled();
    expect(live(world, s.id).map((x) => x.nodeId)).toEqual([b.id]);
    expect(live(world, s.id)[0]?.slot).toBe(0);
  });
});
