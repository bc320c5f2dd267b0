import { afterEach, describe, expect, it } from 'vitest';
import type { Task } from '../store/types.ts';
import { slotsToRemove } from './replicated.ts';
import { World } from './testing.ts';

let world: World;
afterEach(async () => {
  await world.orchestrator.stop();
});

const replicated = (replicas: number): Record<string, unknown> => ({
  taskTemplate: { containerSpec: { image: 'nginx' } },
  mode: { replicated: { replicas } },
});

const slots = (ts: readonly Task[]): number[] => ts.map((t) => t.slot).sort((a, b) => a - b);

describe('replicated services', () => {
  it('creates one task per slot 1..N, desired RUNNING, of the current spec version', async () => {
    world = new World();
    world.orchestrator.start();
    const s = await world.service(replicated(3), 'web');
    await world.settled();
    const tasks = world.wanted(s.id);
    expect(slots(tasks)).toEqual([1, 2, 3]);
    for (const t of tasks) {
      expect(t.desiredState).toBe('TASK_STATE_RUNNING');
      expect(t.status?.state).toBe('TASK_STATE_NEW');
      expect(t.specVersion).toBe(1);
      expect(t.name).toBe(`web.${t.slot}.${t.id}`);
      expect(t.spec?.containerSpec?.image).toBe('nginx');
    }
  });

  it('converges from what is already in the store when it starts (new leader)', async () => {
    world = new World();
    const s = await world.service(replicated(2));
    expect(world.tasks(s.id)).toHaveLength(0);
    world.orchestrator.start();
    await world.settled();
    expect(slots(world.wanted(s.id))).toEqual([1, 2]);
    // a second leader on the same store adds nothing
    await world.orchestrator.stop();
    world = Object.assign(world, { orchestrator: world.makeOrchestrator() });
    world.orchestrator.start();
    await world.settled();
    expect(world.tasks(s.id)).toHaveLength(2);
  });

  it('scales up into new slots and down by removing surplus slots (tasks desired REMOVE, then deleted)', async () => {
    world = new World();
    world.orchestrator.start();
    const n = await world.node();
    const s = await world.service(replicated(2));
    await world.settled();
    await world.changeService(s.id, (x) => (x.spec!.mode!.replicated!.replicas = 4));
    await world.settled();
    expect(slots(world.wanted(s.id))).toEqual([1, 2, 3, 4]);
    await world.runAll(world.wanted(s.id), [n.id]);
    await world.changeService(s.id, (x) => (x.spec!.mode!.replicated!.replicas = 1));
    await world.settled();
    expect(slots(world.wanted(s.id))).toEqual([1]);
    const removing = world.tasks(s.id).filter((t) => t.desiredState === 'TASK_STATE_REMOVE');
    expect(slots(removing)).toEqual([2, 3, 4]);
    // once the agent stopped them, the reaper deletes them
    for (const t of removing) await world.observe(t.id, 'TASK_STATE_SHUTDOWN');
    await world.settled();
    expect(world.tasks(s.id).map((t) => t.slot)).toEqual([1]);
  });

  it('scale-down takes tasks from the most loaded node first', async () => {
    world = new World();
    world.orchestrator.start();
    const a = await world.node({ hostname: 'a' });
    const b = await world.node({ hostname: 'b' });
    const s = await world.service(replicated(4));
    await world.settled();
    const [t1, t2, t3, t4] = world.wanted(s.id);
    // slots 1, 2, 3 on a; slot 4 on b
    await world.runAll([t1!, t2!, t3!], [a.id]);
    await world.runAll([t4!], [b.id]);
    await world.changeService(s.id, (x) => (x.spec!.mode!.replicated!.replicas = 2));
    await world.settled();
    const left = world.wanted(s.id);
    expect(slots(left)).toEqual([1, 4]);
    expect(left.map((t) => t.nodeId).sort()).toEqual([a.id, b.id].sort());
  });

  it('scaling to 0 cancels the update and leaves no task wanted', async () => {
    world = new World();
    world.orchestrator.start();
    const s = await world.service(replicated(2));
    await world.settled();
    await world.changeService(s.id, (x) => (x.spec!.mode!.replicated!.replicas = 0));
    await world.settled();
    expect(world.wanted(s.id)).toHaveLength(0);
    expect(world.updater.cancels).toContain(s.id);
  });

  it('a removed service has every task desired REMOVE; stopped or never-assigned ones are deleted', async () => {
    world = new World();
    world.orchestrator.start();
    const n = await world.node();
    const s = await world.service(replicated(3));
    await world.settled();
    const [t1] = world.wanted(s.id);
    await world.runAll([t1!], [n.id]);
    await world.removeService(s.id);
    await world.settled();
    // never-assigned tasks are gone at once; the running one waits for its agent
    const left = world.tasks(s.id);
    expect(left.map((t) => [t.id, t.desiredState])).toEqual([[t1!.id, 'TASK_STATE_REMOVE']]);
    expect(world.updater.cancels).toContain(s.id);
    await world.observe(t1!.id, 'TASK_STATE_SHUTDOWN');
    await world.settled();
    expect(world.tasks(s.id)).toHaveLength(0);
  });

  it('hands dirty slots to the updater instead of replacing them', async () => {
    world = new World();
    world.orchestrator.start();
    const n = await world.node();
    const s = await world.service(replicated(2));
    await world.settled();
    await world.runAll(world.wanted(s.id), [n.id]);
    const before = world.wanted(s.id).map((t) => t.id);
    await world.changeService(s.id, (x) => (x.spec!.taskTemplate!.containerSpec!.image = 'nginx:2'), true);
    await world.settled();
    // the orchestrator replaced nothing itself
    expect(world.wanted(s.id).map((t) => t.id)).toEqual(before);
    const last = world.updater.updates.at(-1);
    expect(last?.serviceId).toBe(s.id);
    expect(last?.specVersion).toBe(2);
    expect(last?.slots.map((slot) => slot.length)).toEqual([1, 1]);
    expect(last?.slots.flat().sort()).toEqual([...before].sort());
  });

  it('does not fill a slot twice while the updater holds a replacement at desired READY', async () => {
    world = new World();
    world.orchestrator.start();
    const s = await world.service(replicated(1));
    await world.settled();
    const [old] = world.wanted(s.id);
    // what a stop-first updater writes: old desired SHUTDOWN, new one desired READY in the same slot
    await world.store.update((tx) => {
      const o = structuredClone(tx.get('task', old!.id)!);
      o.desiredState = 'TASK_STATE_SHUTDOWN';
      tx.update('task', o);
      const n = structuredClone(o);
      n.id = 'replacement0000000000000a';
      n.desiredState = 'TASK_STATE_READY';
      tx.create('task', n);
    });
    await world.settled();
    expect(world.wanted(s.id).map((t) => t.id)).toEqual(['replacement0000000000000a']);
  });
});

describe('slotsToRemove', () => {
  const task = (slot: number, nodeId: string, running = true): Task =>
    ({ slot, nodeId, status: { state: running ? 'TASK_STATE_RUNNING' : 'TASK_STATE_PENDING' } }) as Task;

  it('removes unassigned slots first, then the highest copies on the most loaded nodes', () => {
    const m = new Map<number, Task[]>([
      [1, [task(1, 'a')]],
      [2, [task(2, 'a')]],
      [3, [task(3, 'b')]],
      [4, [task(4, 'a')]],
      [5, [task(5, '', false)]],
    ]);
    expect(slotsToRemove(m, 1)).toEqual([5]);
    expect(slotsToRemove(m, 2)).toEqual([5, 4]);
    // a still has two copies, b one: a loses another
    expect(slotsToRemove(m, 3)).toEqual([5, 4, 2]);
  });

  it('prefers tasks that are not running on the same node', () => {
    const m = new Map<number, Task[]>([
      [1, [task(1, 'a', false)]],
      [2, [task(2, 'a')]],
    ]);
    expect(slotsToRemove(m, 1)).toEqual([1]);
  });
});
