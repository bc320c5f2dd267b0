import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isDirty, observed } from '../orchestrator/common.ts';
import { MemoryStore } from '../store/memory.ts';
import type { Service, Task } from '../store/types.ts';
import { MESSAGES } from './status.ts';
import {
  FakeAgent,
  FakeClock,
  RunningWatch,
  createService,
  imageOf,
  requestRollback,
  running,
  s,
  serviceOf,
  slotsOf,
  updateSpec,
  type ServiceOptions,
} from './testing.ts';
import { RollingUpdater } from './updater.ts';

let clock: FakeClock;
let store: MemoryStore;
let agent: FakeAgent;
let updaters: RollingUpdater[];

function newUpdater(): RollingUpdater {
  const u = new RollingUpdater({
    store,
    now: clock.now,
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
  });
  updaters.push(u);
  return u;
}

beforeEach(() => {
  clock = new FakeClock();
  store = MemoryStore.local({ now: clock.now });
  agent = new FakeAgent(store, clock);
  updaters = [];
});

afterEach(async () => {
  for (const u of updaters) await u.stop();
  agent.stop();
});

/** A service whose tasks all run. */
async function deploy(o: ServiceOptions): Promise<Service> {
  const svc = await createService(store, o);
  const want = o.nodes?.length ?? o.replicas ?? 1;
  await clock.until(() => running(store, svc.id).length === want);
  return serviceOf(store, svc.id);
}

/** `service update --image`, then the orchestrator hands the slots to the updater. */
async function rollOut(u: RollingUpdater, id: string, image: string): Promise<Service> {
  const svc = await updateSpec(store, id, (spec) => {
    spec.taskTemplate!.containerSpec!.image = image;
  });
  u.update(svc, slotsOf(store, svc));
  return svc;
}

const state = (id: string): string => serviceOf(store, id).updateStatus?.state ?? 'none';
const message = (id: string): string => serviceOf(store, id).updateStatus?.message ?? '';
const tasksOf = (id: string): Task[] => store.find('task', { serviceId: id });
const live = (id: string): Task[] => tasksOf(id).filter((t) => t.desiredState === 'TASK_STATE_RUNNING');
const ms = (t: Task): number => (t.createdAt?.seconds ?? 0) * 1000 + (t.createdAt?.nanos ?? 0) / 1e6;
const failsOn = (image: string) => (t: Task) =>
  imageOf(t) === image ? { kind: 'fail' as const, afterMs: 2_000 } : { kind: 'run' as const };

async function settled(id: string, states: readonly string[]): Promise<void> {
  await clock.until(() => states.includes(state(id)));
}

describe('rolling update', () => {
  it('updates `parallelism` slots at a time, waiting `delay` between batches, then reports completed', async () => {
    const svc = await deploy({ replicas: 4, update: { parallelism: 2, delay: s(10), monitor: s(1) } });
    const u = newUpdater();
    const t0 = clock.now();
    await rollOut(u, svc.id, 'app:v2');
    await clock.advance(1);
    expect(state(svc.id)).toBe('STATE_UPDATING');
    expect(message(svc.id)).toBe('update in progress');
    await settled(svc.id, ['STATE_COMPLETED']);

    const fresh = tasksOf(svc.id).filter((t) => imageOf(t) === 'app:v2');
    expect(fresh).toHaveLength(4);
    const created = fresh.map(ms).sort((a, b) => a - b);
    expect(created[0]).toBe(t0);
    expect(created[1]).toBe(t0);
    // second batch: after the first one ran (stop 100 ms + start 100 ms) and the 10 s delay
    expect(created[2]).toBeGreaterThanOrEqual(t0 + 10_000);
    expect(created[3]).toBe(created[2]);
    const st = serviceOf(store, svc.id).updateStatus!;
    expect(st.message).toBe('update completed');
    expect(st.startedAt!.seconds).toBe(Math.floor(t0 / 1000));
    expect(st.completedAt!.seconds).toBeGreaterThanOrEqual(Math.floor((created[3]! + 1_000) / 1000));
    expect(running(store, svc.id).map(imageOf)).toEqual(['app:v2', 'app:v2', 'app:v2', 'app:v2']);
    expect(
      tasksOf(svc.id)
        .filter((t) => imageOf(t) === 'app:v1')
        .map(observed),
    ).toEqual(Array(4).fill('TASK_STATE_SHUTDOWN'));
  });

  it('parallelism 0 updates every slot at once', async () => {
    const svc = await deploy({ replicas: 3, update: { parallelism: 0 } });
    const u = newUpdater();
    const t0 = clock.now();
    await rollOut(u, svc.id, 'app:v2');
    await settled(svc.id, ['STATE_COMPLETED']);
    const created = tasksOf(svc.id)
      .filter((t) => imageOf(t) === 'app:v2')
      .map(ms);
    expect(created).toEqual([t0, t0, t0]);
  });

  it('stop-first never runs more than N nor fewer than N - parallelism tasks', async () => {
    const svc = await deploy({ replicas: 4, update: { parallelism: 1 } });
    const watch = new RunningWatch(store, svc.id);
    const u = newUpdater();
    await rollOut(u, svc.id, 'app:v2');
    await settled(svc.id, ['STATE_COMPLETED']);
    watch.stop();
    expect(watch.max).toBe(4);
    expect(watch.min).toBe(3);
  });

  it('start-first never runs more than N + parallelism nor fewer than N tasks', async () => {
    const svc = await deploy({ replicas: 4, update: { parallelism: 2, order: 'ORDER_START_FIRST' } });
    const watch = new RunningWatch(store, svc.id);
    const u = newUpdater();
    await rollOut(u, svc.id, 'app:v2');
    await settled(svc.id, ['STATE_COMPLETED']);
    watch.stop();
    expect(watch.max).toBe(6);
    expect(watch.min).toBe(4);
    expect(running(store, svc.id).map(imageOf)).toEqual(Array(4).fill('app:v2'));
  });

  it('stop-first starts the new task only once the old one has stopped', async () => {
    const svc = await deploy({ replicas: 1 });
    const u = newUpdater();
    await rollOut(u, svc.id, 'app:v2');
    await clock.advance(1);
    const fresh = tasksOf(svc.id).find((t) => imageOf(t) === 'app:v2')!;
    const old = tasksOf(svc.id).find((t) => imageOf(t) === 'app:v1')!;
    expect(old.desiredState).toBe('TASK_STATE_SHUTDOWN');
    expect(fresh.desiredState).toBe('TASK_STATE_READY');
    await clock.until(() => observed(store.get('task', old.id)!) === 'TASK_STATE_SHUTDOWN');
    await clock.advance(1);
    expect(store.get('task', fresh.id)!.desiredState).toBe('TASK_STATE_RUNNING');
    await settled(svc.id, ['STATE_COMPLETED']);
  });

  it('updates a global service node by node, keeping each task on its node', async () => {
    const svc = await deploy({ nodes: ['n1', 'n2', 'n3'], update: { parallelism: 1 } });
    const u = newUpdater();
    await rollOut(u, svc.id, 'app:v2');
    await settled(svc.id, ['STATE_COMPLETED']);
    const now = running(store, svc.id);
    expect(now.map((t) => [t.nodeId, t.slot, imageOf(t)]).sort()).toEqual([
      ['n1', 0, 'app:v2'],
      ['n2', 0, 'app:v2'],
      ['n3', 0, 'app:v2'],
    ]);
  });

  it('calls for the version already rolling out are ignored; each slot gets one new task', async () => {
    const svc = await deploy({ replicas: 3 });
    const u = newUpdater();
    const again = (): void => {
      const cur = serviceOf(store, svc.id);
      u.update(cur, slotsOf(store, cur));
    };
    store.events.on('commit', again);
    try {
      await rollOut(u, svc.id, 'app:v2');
      await settled(svc.id, ['STATE_COMPLETED']);
      await clock.advance(10_000);
    } finally {
      store.events.off('commit', again);
    }
    expect(tasksOf(svc.id)).toHaveLength(6);
    expect(state(svc.id)).toBe('STATE_COMPLETED');
  });

  it('a newer spec replaces the update in progress', async () => {
    const svc = await deploy({ replicas: 4, update: { delay: s(5) } });
    const u = newUpdater();
    await rollOut(u, svc.id, 'app:v2');
    await clock.advance(6_000);
    expect(tasksOf(svc.id).filter((t) => imageOf(t) === 'app:v2').length).toBeGreaterThan(0);
    await rollOut(u, svc.id, 'app:v3');
    await settled(svc.id, ['STATE_COMPLETED']);
    expect(running(store, svc.id).map(imageOf)).toEqual(Array(4).fill('app:v3'));
    expect(live(svc.id)).toHaveLength(4);
  });

  it('cancel stops the update where it is', async () => {
    const svc = await deploy({ replicas: 3, update: { delay: s(5) } });
    const u = newUpdater();
    await rollOut(u, svc.id, 'app:v2');
    await clock.advance(1_000);
    u.cancel(svc.id);
    await clock.advance(60_000);
    expect(tasksOf(svc.id).filter((t) => imageOf(t) === 'app:v2')).toHaveLength(1);
    expect(state(svc.id)).toBe('STATE_UPDATING');
  });

  it('force update replaces every task with an unchanged spec', async () => {
    const svc = await deploy({ replicas: 2 });
    const before = new Set(live(svc.id).map((t) => t.id));
    const u = newUpdater();
    const next = await updateSpec(store, svc.id, (spec) => {
      spec.taskTemplate!.forceUpdate += 1;
    });
    u.update(next, slotsOf(store, next));
    await settled(svc.id, ['STATE_COMPLETED']);
    const after = live(svc.id);
    expect(after).toHaveLength(2);
    expect(after.some((t) => before.has(t.id))).toBe(false);
    expect(after.every((t) => !isDirty(next, t))).toBe(true);
  });
});

describe('failures', () => {
  it('a task failing within the monitor window pauses the update', async () => {
    const svc = await deploy({ replicas: 3, update: { monitor: s(5), delay: s(1) } });
    agent.fate = failsOn('app:v2');
    const u = newUpdater();
    await rollOut(u, svc.id, 'app:v2');
    await settled(svc.id, ['STATE_PAUSED', 'STATE_COMPLETED']);
    const failed = tasksOf(svc.id).find((t) => observed(t) === 'TASK_STATE_FAILED')!;
    expect(state(svc.id)).toBe('STATE_PAUSED');
    expect(message(svc.id)).toBe(`update paused due to failure or early termination of task ${failed.id}`);
    // nothing more is updated, not even when the orchestrator asks again
    const v2 = (): number => tasksOf(svc.id).filter((t) => imageOf(t) === 'app:v2').length;
    const atPause = v2();
    expect(atPause).toBeLessThan(3);
    u.update(serviceOf(store, svc.id), slotsOf(store, serviceOf(store, svc.id)));
    await clock.advance(60_000);
    expect(v2()).toBe(atPause);
    expect(state(svc.id)).toBe('STATE_PAUSED');
  });

  it('a task that never reaches RUNNING counts as a failure', async () => {
    const svc = await deploy({ replicas: 2 });
    agent.fate = (t) => (imageOf(t) === 'app:v2' ? { kind: 'reject' } : { kind: 'run' });
    const u = newUpdater();
    await rollOut(u, svc.id, 'app:v2');
    await settled(svc.id, ['STATE_PAUSED', 'STATE_COMPLETED']);
    expect(state(svc.id)).toBe('STATE_PAUSED');
  });

  it('a failure after the monitor window does not count', async () => {
    // the first task fails 2 s after RUNNING, during the 3 s delay: the update is still on
    const svc = await deploy({ replicas: 2, update: { monitor: s(1), delay: s(3) } });
    agent.fate = failsOn('app:v2');
    const u = newUpdater();
    await rollOut(u, svc.id, 'app:v2');
    await settled(svc.id, ['STATE_PAUSED', 'STATE_COMPLETED']);
    expect(state(svc.id)).toBe('STATE_COMPLETED');
  });

  it('failure action continue updates every slot despite failures', async () => {
    const svc = await deploy({ replicas: 3, update: { failureAction: 'FAILURE_ACTION_CONTINUE' } });
    agent.fate = failsOn('app:v2');
    const u = newUpdater();
    await rollOut(u, svc.id, 'app:v2');
    await settled(svc.id, ['STATE_PAUSED', 'STATE_COMPLETED']);
    expect(state(svc.id)).toBe('STATE_COMPLETED');
    expect(tasksOf(svc.id).filter((t) => imageOf(t) === 'app:v2')).toHaveLength(3);
  });

  it('maxFailureRatio tolerates failures up to the ratio, and acts above it', async () => {
    const svc = await deploy({ replicas: 4, update: { maxFailureRatio: 0.5 } });
    agent.fate = (t) => (imageOf(t) === 'app:v2' && t.slot <= 2 ? { kind: 'reject' } : { kind: 'run' });
    const u = newUpdater();
    await rollOut(u, svc.id, 'app:v2');
    await settled(svc.id, ['STATE_PAUSED', 'STATE_COMPLETED']);
    expect(state(svc.id)).toBe('STATE_COMPLETED'); // 2 of 4 = 0.5, not above

    agent.fate = (t) => (imageOf(t) === 'app:v3' && t.slot <= 3 ? { kind: 'reject' } : { kind: 'run' });
    await rollOut(u, svc.id, 'app:v3');
    await settled(svc.id, ['STATE_PAUSED', 'STATE_COMPLETED']);
    expect(state(svc.id)).toBe('STATE_PAUSED'); // 3 of 4 > 0.5
  });

  it('failure action rollback goes back to the previous spec and reports rollback_completed', async () => {
    const svc = await deploy({
      replicas: 3,
      update: { failureAction: 'FAILURE_ACTION_ROLLBACK' },
      rollback: { parallelism: 0 },
    });
    agent.fate = failsOn('app:v2');
    const u = newUpdater();
    const v2 = await rollOut(u, svc.id, 'app:v2');
    await settled(svc.id, ['STATE_ROLLBACK_STARTED', 'STATE_PAUSED', 'STATE_COMPLETED']);
    const failed = tasksOf(svc.id).find((t) => observed(t) === 'TASK_STATE_FAILED')!;
    const rolled = serviceOf(store, svc.id);
    expect(rolled.updateStatus!.message).toBe(
      `update rolled back due to failure or early termination of task ${failed.id}`,
    );
    expect(rolled.spec!.taskTemplate!.containerSpec!.image).toBe('app:v1');
    expect(rolled.previousSpec).toBeNull();
    expect(rolled.specVersion).toBe(v2.specVersion + 1);

    await settled(svc.id, ['STATE_ROLLBACK_COMPLETED', 'STATE_ROLLBACK_PAUSED']);
    expect(state(svc.id)).toBe('STATE_ROLLBACK_COMPLETED');
    expect(message(svc.id)).toBe('rollback completed');
    expect(running(store, svc.id).map(imageOf)).toEqual(Array(3).fill('app:v1'));
    expect(live(svc.id)).toHaveLength(3);
  });

  it('a failing rollback pauses: rollback_paused', async () => {
    const svc = await deploy({ replicas: 2, update: { failureAction: 'FAILURE_ACTION_ROLLBACK' } });
    const u = newUpdater();
    agent.fate = (t) => (t.specVersion >= 2 ? { kind: 'reject' } : { kind: 'run' });
    await rollOut(u, svc.id, 'app:v2');
    await settled(svc.id, ['STATE_ROLLBACK_PAUSED', 'STATE_ROLLBACK_COMPLETED', 'STATE_PAUSED']);
    const rejected = tasksOf(svc.id)
      .filter((t) => observed(t) === 'TASK_STATE_REJECTED')
      .sort((a, b) => ms(b) - ms(a))[0]!;
    expect(state(svc.id)).toBe('STATE_ROLLBACK_PAUSED');
    expect(imageOf(rejected)).toBe('app:v1'); // a task of the rollback
    expect(message(svc.id)).toBe(MESSAGES.paused(rejected.id));
  });

  it('a rollback whose own failure action is rollback pauses instead of rolling back again', async () => {
    const svc = await deploy({
      replicas: 2,
      update: { failureAction: 'FAILURE_ACTION_ROLLBACK' },
      rollback: { failureAction: 'FAILURE_ACTION_ROLLBACK' },
    });
    const u = newUpdater();
    agent.fate = (t) => (t.specVersion >= 2 ? { kind: 'reject' } : { kind: 'run' });
    await rollOut(u, svc.id, 'app:v2');
    await settled(svc.id, ['STATE_ROLLBACK_PAUSED', 'STATE_ROLLBACK_COMPLETED', 'STATE_PAUSED']);
    expect(state(svc.id)).toBe('STATE_ROLLBACK_PAUSED');
    expect(message(svc.id)).toMatch(/^rollback paused due to failure or early termination of task /);
  });

  it('a paused update is resumed by the next update', async () => {
    const svc = await deploy({ replicas: 3 });
    agent.fate = failsOn('app:v2');
    const u = newUpdater();
    await rollOut(u, svc.id, 'app:v2');
    await settled(svc.id, ['STATE_PAUSED']);
    agent.fate = () => ({ kind: 'run' });
    await rollOut(u, svc.id, 'app:v3');
    await clock.advance(1);
    expect(state(svc.id)).toBe('STATE_UPDATING');
    await settled(svc.id, ['STATE_COMPLETED', 'STATE_PAUSED']);
    expect(state(svc.id)).toBe('STATE_COMPLETED');
    expect(running(store, svc.id).map(imageOf)).toEqual(Array(3).fill('app:v3'));
  });
});

describe('rollback requested by the user', () => {
  it('runs with the rollback config and reports rollback_completed', async () => {
    const svc = await deploy({ replicas: 3, update: { parallelism: 1 }, rollback: { parallelism: 0 } });
    const u = newUpdater();
    await rollOut(u, svc.id, 'app:v2');
    await settled(svc.id, ['STATE_COMPLETED']);

    const t0 = clock.now();
    const back = await requestRollback(store, svc.id, t0);
    u.update(back, slotsOf(store, back));
    await clock.advance(1);
    expect(message(svc.id)).toBe('manually requested rollback');
    await settled(svc.id, ['STATE_ROLLBACK_COMPLETED', 'STATE_ROLLBACK_PAUSED']);
    expect(message(svc.id)).toBe('rollback completed');
    const again = tasksOf(svc.id).filter((t) => t.specVersion === back.specVersion);
    expect(again.map(imageOf)).toEqual(Array(3).fill('app:v1'));
    expect(again.map(ms)).toEqual([t0, t0, t0]); // parallelism 0 of the rollback config
    expect(running(store, svc.id)).toHaveLength(3);
  });
});

describe('a new leader', () => {
  it('carries on an update in progress from the slots still dirty and completes it', async () => {
    const svc = await deploy({ replicas: 4, update: { delay: s(5) } });
    const first = newUpdater();
    const v2 = await rollOut(first, svc.id, 'app:v2');
    await clock.until(() => live(svc.id).filter((t) => !isDirty(v2, t)).length === 2);
    await first.stop(); // leadership lost
    const done = live(svc.id).filter((t) => !isDirty(v2, t) && observed(t) === 'TASK_STATE_RUNNING');
    await clock.advance(30_000);
    expect(state(svc.id)).toBe('STATE_UPDATING');

    const second = newUpdater();
    const cur = serviceOf(store, svc.id);
    second.update(cur, slotsOf(store, cur));
    await settled(svc.id, ['STATE_COMPLETED', 'STATE_PAUSED']);
    expect(state(svc.id)).toBe('STATE_COMPLETED');
    expect(running(store, svc.id).map(imageOf)).toEqual(Array(4).fill('app:v2'));
    for (const t of done) expect(store.get('task', t.id)!.desiredState).toBe('TASK_STATE_RUNNING');
    expect(tasksOf(svc.id).filter((t) => imageOf(t) === 'app:v2')).toHaveLength(4);
  });

  it('starts a replacement that stop-first had created but not started', async () => {
    const svc = await deploy({ replicas: 2 });
    const first = newUpdater();
    await rollOut(first, svc.id, 'app:v2');
    await clock.advance(1);
    await first.stop();
    const waiting = tasksOf(svc.id).find((t) => imageOf(t) === 'app:v2')!;
    expect(waiting.desiredState).toBe('TASK_STATE_READY');

    const second = newUpdater();
    const cur = serviceOf(store, svc.id);
    second.update(cur, slotsOf(store, cur));
    await settled(svc.id, ['STATE_COMPLETED', 'STATE_PAUSED']);
    expect(state(svc.id)).toBe('STATE_COMPLETED');
    expect(observed(store.get('task', waiting.id)!)).toBe('TASK_STATE_RUNNING');
    expect(tasksOf(svc.id).filter((t) => imageOf(t) === 'app:v2')).toHaveLength(2);
  });

  it('leaves a paused update paused', async () => {
    const svc = await deploy({ replicas: 2 });
    agent.fate = failsOn('app:v2');
    const first = newUpdater();
    await rollOut(first, svc.id, 'app:v2');
    await settled(svc.id, ['STATE_PAUSED']);
    await first.stop();
    const v2 = (): number => tasksOf(svc.id).filter((t) => imageOf(t) === 'app:v2').length;
    const atPause = v2();
    const second = newUpdater();
    const cur = serviceOf(store, svc.id);
    second.update(cur, slotsOf(store, cur));
    await clock.advance(60_000);
    expect(state(svc.id)).toBe('STATE_PAUSED');
    expect(v2()).toBe(atPause);
  });
});
