import { describe, expect, it } from 'vitest';
import { messageType } from '../../proto/load.ts';
import type { UpdateConfig__Output } from '../../proto/gen/shoal/api/UpdateConfig.ts';
import { TO_OBJECT } from '../store/memory.ts';
import { resolvePolicy } from './policy.ts';

function config(o: Record<string, unknown>): UpdateConfig__Output {
  const t = messageType('UpdateConfig');
  return t.toObject(t.fromObject(o), TO_OBJECT) as UpdateConfig__Output;
}

describe('resolvePolicy', () => {
  it("uses Swarm's defaults when the service has no config", () => {
    expect(resolvePolicy(null, 4)).toEqual({
      parallelism: 1,
      delayMs: 0,
      failureAction: 'pause',
      monitorMs: 5_000,
      maxFailureRatio: 0,
      order: 'stop-first',
    });
  });

  it('reads nanoseconds, parallelism 0 as every dirty slot, monitor 0 as the default', () => {
    const p = resolvePolicy(
      config({
        parallelism: 0,
        delay: 2e9,
        monitor: 0,
        failureAction: 'FAILURE_ACTION_ROLLBACK',
        maxFailureRatio: 0.25,
        order: 'ORDER_START_FIRST',
      }),
      7,
    );
    expect(p).toEqual({
      parallelism: 7,
      delayMs: 2_000,
      failureAction: 'rollback',
      monitorMs: 5_000,
      maxFailureRatio: 0.25,
      order: 'start-first',
    });
    expect(resolvePolicy(config({ parallelism: 3, monitor: 1e9 }), 2)).toMatchObject({
      parallelism: 2,
      monitorMs: 1_000,
      failureAction: 'pause',
    });
  });
});
