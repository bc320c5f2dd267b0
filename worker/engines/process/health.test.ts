import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskRunner, type TaskStatus } from '../../executor/statemachine.ts';
import type { Task } from '../../executor/types.ts';
import { busyboxMissing } from '../../images/testkit.ts';
import { probeArgv } from './health.ts';
import { engineKit, specTask, type EngineKit } from './testkit.ts';

describe('probeArgv', () => {
  it('reads CMD and CMD-SHELL; NONE and empty mean no healthcheck', () => {
    expect(probeArgv(['CMD', 'true', 'x'])).toEqual(['true', 'x']);
    expect(probeArgv(['CMD-SHELL', 'exit 1'])).toEqual(['/bin/sh', '-c', 'exit 1']);
    expect(probeArgv(['NONE'])).toBeUndefined();
    expect(probeArgv([])).toBeUndefined();
  });
});

const isRoot = process.getuid?.() === 0;
const skip = !isRoot ? 'not root' : await busyboxMissing();
const MS = 1e6;

describe.skipIf(skip !== undefined)('process engine healthchecks through the state machine (root)', () => {
  let kit: EngineKit;
  beforeAll(async () => {
    kit = await engineKit();
  });
  afterAll(async () => {
    await kit.close();
  });

  /** Runs `task` through a TaskRunner until it is terminal; the states it went through. */
  async function drive(task: Task): Promise<TaskStatus[]> {
    const seen: TaskStatus[] = [];
    const controller = kit.engine.controller(task);
    let done: () => void = () => undefined;
    const terminal = new Promise<void>((r) => (done = r));
    const runner = new TaskRunner({
      task: { ...task, desiredState: 'TASK_STATE_RUNNING' },
      controller,
      onStatus: (s) => {
        seen.push(s);
        if (s.state === 'TASK_STATE_FAILED' || s.state === 'TASK_STATE_COMPLETE') done();
      },
      prepareContext: () => Promise.resolve({ files: [], workDir: join(kit.tmp, 'work', task.id) }),
    });
    const timeout = setTimeout(done, 20_000);
    await terminal;
    clearTimeout(timeout);
    await runner.remove();
    return seen;
  }

  it('a task failing its healthcheck `retries` times never reaches RUNNING and is FAILED', async () => {
    const seen = await drive(
      specTask('sick', {
        image: 'busybox',
        command: ['sleep', '30'],
        healthcheck: {
          test: ['CMD-SHELL', 'exit 1'],
          interval: 100 * MS,
          timeout: 1000 * MS,
          startPeriod: 0,
          retries: 2,
        },
      }),
    );
    const states = seen.map((s) => s.state);
    expect(states).not.toContain('TASK_STATE_RUNNING');
    expect(seen.at(-1)).toMatchObject({ state: 'TASK_STATE_FAILED', err: 'task: unhealthy container' });
  });

  it('runs the probe inside the task: healthy → RUNNING, then unhealthy → killed and FAILED', async () => {
    // the probe sees the task's own /dev/shm (a tmpfs of its chroot) and removes the flag: the first
    // probe succeeds, the next ones fail
    const seen = await drive(
      specTask('turns', {
        image: 'busybox',
        command: ['/bin/sh', '-c', 'touch /dev/shm/ok; sleep 30'],
        healthcheck: {
          test: ['CMD-SHELL', 'test -e /dev/shm/ok && rm /dev/shm/ok'],
          interval: 200 * MS,
          timeout: 1000 * MS,
          startPeriod: 0,
          retries: 3,
        },
      }),
    );
    const states = seen.map((s) => s.state);
    expect(states).toContain('TASK_STATE_RUNNING');
    expect(seen.at(-1)).toMatchObject({ state: 'TASK_STATE_FAILED', err: 'task: unhealthy container' });
    expect(seen.at(-1)?.containerStatus?.exitCode).toBe(137);
  });
});
