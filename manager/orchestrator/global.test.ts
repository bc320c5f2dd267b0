import { afterEach, describe, expect, it } from 'vitest';
import { World } from './testing.ts';

let world: World;
afterEach(async () => {
  await world.orchestrator.stop();
});

const global = (constraints: string[] = []): Record<string, unknown> => ({
  taskTemplate: { containerSpec: { image: 'agent' }, placement: { constraints } },
  mode: { global: {} },
});

const nodesOf = (w: World, serviceId: string): string[] =>
  w
    .wanted(serviceId)
    .map((t) => t.nodeId)
    .sort();

describe('global services', () => {
  it('runs one task per eligible node, slot 0 with the node ID, and follows joins', async () => {
    world = new World();
    world.orchestrator.start();
    const a = await world.node();
    const b = await world.node();
    const s = await world.service(global(), 'mon');
    await world.settled();
    expect(nodesOf(world, s.id)).toEqual([a.id, b.id].sort());
    for (const t of world.wanted(s.id)) {
      expect(t.slot).toBe(0);
      expect(t.name).toBe(`mon.${t.nodeId}.${t.id}`);
    }
    const c = await world.node();
    await world.settled();
    expect(nodesOf(world, s.id)).toEqual([a.id, b.id, c.id].sort());
  });

  it('skips DOWN and drained nodes; a paused node keeps its task but gets no new one', async () => {
    world = new World();
    world.orchestrator.start();
    const up = await world.node();
    await world.node({ state: 'DOWN' });
    await world.node({ availability: 'DRAIN' });
    const paused = await world.node({ availability: 'PAUSE' });
    const s = await world.service(global());
    await world.settled();
    expect(nodesOf(world, s.id)).toEqual([up.id]);
    // a task already on a node that gets paused stays
    await world.changeNode(paused.id, (n) => (n.spec!.availability = 'AVAILABILITY_ACTIVE'));
    await world.settled();
    expect(nodesOf(world, s.id)).toEqual([up.id, paused.id].sort());
    await world.changeNode(paused.id, (n) => (n.spec!.availability = 'AVAILABILITY_PAUSE'));
    await world.settled();
    expect(nodesOf(world, s.id)).toEqual([up.id, paused.id].sort());
  });

  it('shuts the task down when its node is drained, goes down or leaves the constraints', async () => {
    world = new World();
    world.orchestrator.start();
    const a = await world.node({ labels: { zone: 'east' } });
    const b = await world.node({ labels: { zone: 'east' } });
    const c = await world.node({ labels: { zone: 'east' } });
    const s = await world.service(global(['node.labels.zone == east']));
    await world.settled();
    await world.runAll(world.wanted(s.id));
    expect(nodesOf(world, s.id)).toEqual([a.id, b.id, c.id].sort());
    await world.changeNode(a.id, (n) => (n.spec!.availability = 'AVAILABILITY_DRAIN'));
    await world.changeNode(b.id, (n) => (n.status!.state = 'STATE_DOWN'));
    await world.changeNode(c.id, (n) => (n.spec!.labels = { zone: 'west' }));
    await world.settled();
    expect(nodesOf(world, s.id)).toEqual([]);
    const shut = world.tasks(s.id).filter((t) => t.desiredState === 'TASK_STATE_SHUTDOWN');
    expect(shut).toHaveLength(3);
    // back to service: each gets a new task
    await world.changeNode(a.id, (n) => (n.spec!.availability = 'AVAILABILITY_ACTIVE'));
    await world.changeNode(b.id, (n) => (n.status!.state = 'STATE_READY'));
    await world.changeNode(c.id, (n) => (n.spec!.labels = { zone: 'east' }));
    await world.settled();
    expect(nodesOf(world, s.id)).toEqual([a.id, b.id, c.id].sort());
  });

  it('follows a constraint change: nodes that no longer match lose the task, new matches get one', async () => {
    world = new World();
    world.orchestrator.start();
    const mgr = await world.node({ role: 'manager' });
    const wrk = await world.node({ role: 'worker' });
    const s = await world.service(global(['node.role == manager']));
    await world.settled();
    expect(nodesOf(world, s.id)).toEqual([mgr.id]);
    await world.changeService(
      s.id,
      (x) => (x.spec!.taskTemplate!.placement!.constraints = ['node.role != manager']),
      true,
    );
    await world.settled();
    expect(nodesOf(world, s.id)).toEqual([wrk.id]);
    expect(world.wanted(s.id)[0]?.specVersion).toBe(2);
  });

  it('restarts a failed task on the same node', async () => {
    world = new World();
    world.orchestrator.start();
    const a = await world.node();
    const s = await world.service({
      ...global(),
      taskTemplate: {
        containerSpec: { image: 'x' },
        restartPolicy: { condition: 'CONDITION_ANY', delay: 0 },
      },
    });
    await world.settled();
    const [t] = world.wanted(s.id);
    await world.runAll([t!]);
    await world.observe(t!.id, 'TASK_STATE_FAILED');
    await world.settled();
    const [r] = world.wanted(s.id);
    expect(r?.id).not.toBe(t!.id);
    expect(r?.nodeId).toBe(a.id);
    expect(r?.desiredState).toBe('TASK_STATE_RUNNING');
  });

  it('a node removed from the swarm: its task is desired REMOVE, orphaned, then deleted', async () => {
    world = new World();
    world.orchestrator.start();
    const a = await world.node();
    const b = await world.node();
    const s = await world.service(global());
    await world.settled();
    await world.runAll(world.wanted(s.id));
    const onA = world.wanted(s.id).find((t) => t.nodeId === a.id)!;
    await world.store.update((tx) => tx.remove('node', a.id));
    await world.settled();
    expect(nodesOf(world, s.id)).toEqual([b.id]);
    expect(world.store.get('task', onA.id)).toBeUndefined();
  });

  it('hands tasks of an older spec version to the updater, by node', async () => {
    world = new World();
    world.orchestrator.start();
    await world.node();
    await world.node();
    const s = await world.service(global());
    await world.settled();
    await world.changeService(s.id, (x) => (x.spec!.taskTemplate!.containerSpec!.image = 'agent:2'), true);
    await world.settled();
    const last = world.updater.updates.at(-1);
    expect(last?.specVersion).toBe(2);
    expect(last?.slots).toHaveLength(2);
    expect(world.wanted(s.id).every((t) => t.specVersion === 1)).toBe(true);
  });

  it('uses an injected fits()', async () => {
    world = new World({ fits: (node) => node.description?.hostname === 'only-me' });
    world.orchestrator.start();
    const me = await world.node({ hostname: 'only-me' });
    await world.node({ hostname: 'other' });
    const s = await world.service(global());
    await world.settled();
    expect(nodesOf(world, s.id)).toEqual([me.id]);
  });
});
