import { afterEach, describe, expect, it } from 'vitest';
import type { Orchestrator } from './orchestrator.ts';
import { World } from './testing.ts';

let world: World;
const extra: Orchestrator[] = [];
afterEach(async () => {
  await world.orchestrator.stop();
  for (const o of extra.splice(0)) await o.stop();
});

const HOUR = 3600_000;

async function spread(w: World): Promise<{ id: string; a: string; b: string }> {
  const a = (await w.node()).id;
  const b = (await w.node()).id;
  const s = await w.service({ taskTemplate: {}, mode: { replicated: { replicas: 2 } } });
  await w.settled();
  const [t1, t2] = w.wanted(s.id);
  await w.runAll([t1!], [a]);
  await w.runAll([t2!], [b]);
  await w.settled();
  return { id: s.id, a, b };
}

describe('nodes that fail or are drained', () => {
  it('a drained node: its task is desired SHUTDOWN and the slot gets a replacement at once', async () => {
    world = new World();
    world.orchestrator.start();
    const { id, a } = await spread(world);
    const onA = world.wanted(id).find((t) => t.nodeId === a)!;
    await world.changeNode(a, (n) => (n.spec!.availability = 'AVAILABILITY_DRAIN'));
    await world.settled();
    expect(world.store.get('task', onA.id)?.desiredState).toBe('TASK_STATE_SHUTDOWN');
    const inSlot = world.wanted(id).filter((t) => t.slot === onA.slot);
    expect(inSlot).toHaveLength(1);
    expect(inSlot[0]?.id).not.toBe(onA.id);
    expect(inSlot[0]?.nodeId).toBe(''); // for the scheduler to place
    expect(inSlot[0]?.desiredState).toBe('TASK_STATE_RUNNING');
  });

  it('a DOWN node: replaced likewise; after 24 h down its tasks become ORPHANED', async () => {
    world = new World();
    world.orchestrator.start();
    const { id, a } = await spread(world);
    const onA = world.wanted(id).find((t) => t.nodeId === a)!;
    await world.changeNode(a, (n) => (n.status!.state = 'STATE_DOWN'));
    await world.settled();
    expect(world.store.get('task', onA.id)?.desiredState).toBe('TASK_STATE_SHUTDOWN');
    expect(
      world
        .wanted(id)
        .map((t) => t.slot)
        .sort(),
    ).toEqual([1, 2]);
    await world.clock.advance(23 * HOUR);
    expect(world.store.get('task', onA.id)?.status?.state).toBe('TASK_STATE_RUNNING');
    await world.clock.advance(1 * HOUR + 1000);
    await world.settled();
    expect(world.store.get('task', onA.id)?.status?.state).toBe('TASK_STATE_ORPHANED');
  });

  it('a node back up before 24 h: nothing is orphaned', async () => {
    world = new World();
    world.orchestrator.start();
    const { id, a } = await spread(world);
    const onA = world.wanted(id).find((t) => t.nodeId === a)!;
    await world.changeNode(a, (n) => (n.status!.state = 'STATE_DOWN'));
    await world.clock.advance(12 * HOUR);
    await world.changeNode(a, (n) => (n.status!.state = 'STATE_READY'));
    await world.clock.advance(24 * HOUR);
    expect(world.store.get('task', onA.id)?.status?.state).toBe('TASK_STATE_RUNNING');
  });

  it('the 24 h count from when the node went down, across a change of leader', async () => {
    world = new World();
    world.orchestrator.start();
    const { id, a } = await spread(world);
    const onA = world.wanted(id).find((t) => t.nodeId === a)!;
    await world.changeNode(a, (n) => (n.status!.state = 'STATE_DOWN'));
    await world.clock.advance(20 * HOUR);
    await world.orchestrator.stop();
    const next = world.makeOrchestrator();
    extra.push(next);
    next.start();
    await world.clock.advance(3 * HOUR);
    expect(world.store.get('task', onA.id)?.status?.state).toBe('TASK_STATE_RUNNING');
    await world.clock.advance(1 * HOUR + 1000);
    expect(world.store.get('task', onA.id)?.status?.state).toBe('TASK_STATE_ORPHANED');
  });
});
