import * as grpc from '@grpc/grpc-js';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config__Output as Config } from '../../proto/gen/shoal/api/Config.ts';
import type { Secret__Output as Secret } from '../../proto/gen/shoal/api/Secret.ts';
import type { Task } from '../executor/types.ts';
import { Agent, type AgentOptions } from './agent.ts';
import { eventually, FakeDispatcher, FakeEngine, fakeTask } from './testing.ts';

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

async function dispatcher(): Promise<FakeDispatcher> {
  const d = new FakeDispatcher();
  await d.start();
  cleanups.push(() => d.stop());
  return d;
}

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'shoal-agent-test-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function agent(
  o: Partial<AgentOptions> & Pick<AgentOptions, 'managers' | 'engine' | 'dataDir'>,
): Promise<Agent> {
  const a = new Agent({
    credentials: grpc.credentials.createInsecure(),
    description: { hostname: 'node1' },
    ...o,
  });
  cleanups.push(() => a.stop());
  await a.start();
  return a;
}

const short = (states: string[]): string[] => states.map((s) => s.replace('TASK_STATE_', ''));

describe('Agent', () => {
  it('runs assigned tasks to RUNNING and reports every state in order, in batches', async () => {
    const d = await dispatcher();
    const engine = new FakeEngine();
    await agent({ managers: [d.addr], engine, dataDir: await dataDir() });
    await eventually(() => d.connected);
    d.complete([fakeTask('a'), fakeTask('b')]);
    await eventually(
      () => d.last('a')?.state === 'TASK_STATE_RUNNING' && d.last('b')?.state === 'TASK_STATE_RUNNING',
      () => d.updates,
    );
    for (const id of ['a', 'b'])
      expect(short(d.states(id))).toEqual(['ACCEPTED', 'PREPARING', 'READY', 'STARTING', 'RUNNING']);
    expect(d.last('a')?.message).toBe('started');
    expect(d.batches).toBeLessThan(d.updates.length);
    await eventually(() => d.heartbeats.length >= 2);
    expect(d.heartbeats.every((s) => s === d.sessions[0])).toBe(true);
    expect(engine.workloads.get('a')?.starts).toBe(1);
  });

  it('shuts down and removes a task on REMOVE and on a COMPLETE set without it', async () => {
    const d = await dispatcher();
    const engine = new FakeEngine();
    const a = await agent({ managers: [d.addr], engine, dataDir: await dataDir() });
    await eventually(() => d.connected);
    d.complete([fakeTask('a'), fakeTask('b')]);
    await eventually(
      () => d.last('a')?.state === 'TASK_STATE_RUNNING' && d.last('b')?.state === 'TASK_STATE_RUNNING',
    );
    d.incremental([{ assignment: { task: { id: 'a' } }, action: 'ACTION_REMOVE' }]);
    await eventually(() => engine.workloads.get('a')?.removed === true);
    await eventually(() => d.last('a')?.state === 'TASK_STATE_SHUTDOWN');
    expect(engine.workloads.get('a')?.lastGraceMs).toBe(10_000);
    d.complete([]);
    await eventually(() => engine.workloads.get('b')?.removed === true && a.taskIds().length === 0);
    await eventually(() => d.last('b')?.state === 'TASK_STATE_SHUTDOWN');
    expect(short(d.states('b'))).not.toContain('FAILED');
  });

  it('shuts a task down when its desired state becomes SHUTDOWN', async () => {
    const d = await dispatcher();
    const engine = new FakeEngine();
    await agent({ managers: [d.addr], engine, dataDir: await dataDir() });
    await eventually(() => d.connected);
    d.complete([fakeTask('a')]);
    await eventually(() => d.last('a')?.state === 'TASK_STATE_RUNNING');
    d.incremental([{ assignment: { task: fakeTask('a', 'TASK_STATE_SHUTDOWN') }, action: 'ACTION_UPDATE' }]);
    await eventually(() => d.last('a')?.state === 'TASK_STATE_SHUTDOWN');
    expect(engine.workloads.get('a')?.running).toBe(false);
    expect(short(d.states('a'))).not.toContain('FAILED');
  });

  it('reports a failure as FAILED with the exit code and does not restart the task', async () => {
    const d = await dispatcher();
    const engine = new FakeEngine();
    await agent({ managers: [d.addr], engine, dataDir: await dataDir() });
    await eventually(() => d.connected);
    d.complete([fakeTask('a')]);
    await eventually(() => d.last('a')?.state === 'TASK_STATE_RUNNING');
    engine.workloads.get('a')?.finish(2);
    await eventually(() => d.last('a')?.state === 'TASK_STATE_FAILED');
    expect(d.last('a')?.err).toBe('task: non-zero exit (2)');
    expect(d.last('a')?.containerStatus?.exitCode).toBe(2);
    // The manager sends the task again (unchanged): still no restart.
    d.incremental([{ assignment: { task: fakeTask('a') }, action: 'ACTION_UPDATE' }]);
    await new Promise((r) => setTimeout(r, 200));
    expect(engine.workloads.get('a')?.starts).toBe(1);
    expect(short(d.states('a')).filter((s) => s === 'FAILED')).toHaveLength(1);
  });

  it('reconnects after the stream breaks, moving to the next manager of the list it was sent', async () => {
    const d1 = await dispatcher();
    const d2 = await dispatcher();
    d1.managers = [d1.addr, d2.addr];
    d2.managers = [d1.addr, d2.addr];
    const engine = new FakeEngine();
    const a = await agent({ managers: [d1.addr], engine, dataDir: await dataDir() });
    await eventually(() => d1.connected);
    d1.complete([fakeTask('a')]);
    await eventually(() => d1.last('a')?.state === 'TASK_STATE_RUNNING');
    d1.drop();
    await eventually(
      () => d2.connected,
      () => a.manager,
    );
    // The new session is told where the task stands.
    await eventually(() => d2.last('a')?.state === 'TASK_STATE_RUNNING');
    d2.complete([fakeTask('a')]);
    await eventually(() => d2.heartbeats.length > 0);
    expect(engine.workloads.get('a')?.starts).toBe(1);
    expect(a.sessions).toBe(2);
  });

  it('follows a shoal-leader-addr redirect from a follower', async () => {
    const leader = await dispatcher();
    const follower = await dispatcher();
    follower.redirectTo = leader.addr;
    const third = await dispatcher();
    await agent({
      managers: [follower.addr, third.addr],
      engine: new FakeEngine(),
      dataDir: await dataDir(),
    });
    await eventually(() => leader.connected);
    expect(third.sessions).toEqual([]);
  });

  it('reopens the assignments stream on a sequence gap and applies the fresh set', async () => {
    const d = await dispatcher();
    const engine = new FakeEngine();
    await agent({ managers: [d.addr], engine, dataDir: await dataDir() });
    await eventually(() => d.connected);
    d.complete([fakeTask('a')]);
    await eventually(() => d.last('a')?.state === 'TASK_STATE_RUNNING');
    d.gap([{ assignment: { task: fakeTask('b') }, action: 'ACTION_UPDATE' }]);
    await eventually(() => d.assignmentStreamsOpened === 2);
    expect(engine.workloads.has('b')).toBe(false);
    d.complete([fakeTask('a'), fakeTask('c')]);
    await eventually(() => d.last('c')?.state === 'TASK_STATE_RUNNING');
    expect(engine.workloads.has('b')).toBe(false);
  });

  it('after a restart adopts the still-running task: no second start, no duplicate', async () => {
    const d = await dispatcher();
    const engine = new FakeEngine();
    const dir = await dataDir();
    const first = await agent({ managers: [d.addr], engine, dataDir: dir });
    await eventually(() => d.connected);
    d.complete([fakeTask('a'), fakeTask('done')]);
    await eventually(
      () => d.last('a')?.state === 'TASK_STATE_RUNNING' && d.last('done')?.state === 'TASK_STATE_RUNNING',
    );
    engine.workloads.get('done')?.finish(0);
    await eventually(() => d.last('done')?.state === 'TASK_STATE_COMPLETE');
    await first.stop();
    expect(engine.workloads.get('a')?.running).toBe(true);

    const before = d.updates.length;
    const second = await agent({ managers: [d.addr], engine, dataDir: dir });
    expect(second.taskIds().sort()).toEqual(['a', 'done']);
    await eventually(() => d.sessions.length === 2 && d.connected);
    await eventually(() => d.updates.slice(before).some((u) => u.taskId === 'a'));
    expect(d.updates.slice(before).map((u) => [u.taskId, u.status.state])).toContainEqual([
      'a',
      'TASK_STATE_RUNNING',
    ]);
    d.complete([fakeTask('a'), fakeTask('done')]);
    await new Promise((r) => setTimeout(r, 200));
    expect(engine.workloads.get('a')?.starts).toBe(1);
    expect(engine.workloads.get('done')?.starts).toBe(1);
    expect(engine.workloads.size).toBe(2);
    // The adopted task is still watched: its exit is reported.
    engine.workloads.get('a')?.finish(7);
    await eventually(() => d.last('a')?.state === 'TASK_STATE_FAILED');
    expect(d.last('a')?.err).toBe('task: non-zero exit (7)');
  });

  it('keeps secrets in memory only: hands them to the hook, never writes them under dataDir', async () => {
    const d = await dispatcher();
    const engine = new FakeEngine();
    const dir = await dataDir();
    const marker = 'TOP-SECRET-7f3a9c-do-not-persist';
    const given: { secrets: Secret[]; configs: Config[] }[] = [];
    const released: string[] = [];
    const a = await agent({
      managers: [d.addr],
      engine,
      dataDir: dir,
      secrets: {
        materialise: (_task: Task, secrets, configs) => {
          given.push({ secrets: [...secrets], configs: [...configs] });
          return Promise.resolve([
            { hostPath: '/run/x/db', target: '/run/secrets/db', uid: 0, gid: 0, mode: 0o444 },
          ]);
        },
        release: (id) => {
          released.push(id);
          return Promise.resolve();
        },
      },
    });
    await eventually(() => d.connected);
    const task = fakeTask('a');
    task.spec = {
      containerSpec: {
        image: 'busybox',
        secrets: [
          { secretId: 's1', secretName: 'db', file: { name: 'db', uid: '0', gid: '0', mode: 0o444 } },
        ],
      },
    };
    d.complete([task], [{ secret: { id: 's1', spec: { name: 'db', data: Buffer.from(marker) } } }]);
    await eventually(
      () => d.last('a')?.state === 'TASK_STATE_RUNNING',
      () => d.updates,
    );
    expect(given[0]?.secrets[0]?.spec?.data.toString()).toBe(marker);
    expect(engine.workloads.get('a')?.lastContext?.files).toHaveLength(1);
    d.incremental([{ assignment: { task: { id: 'a' } }, action: 'ACTION_REMOVE' }]);
    await eventually(() => released.includes('a'));
    // Stop the agent so LevelDB has written everything it would before the scan.
    await a.stop();
    const files = await scan(dir);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect((await readFile(f)).includes(Buffer.from(marker)), f).toBe(false);
  });
});

async function scan(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await scan(p)));
    else if ((await stat(p)).isFile()) out.push(p);
  }
  return out;
}
