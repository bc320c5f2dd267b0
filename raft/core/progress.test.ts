/**
 * The leader's view of who is reachable (Status.progress[].active), which membership checks such as
 * "would removing this member lose the quorum?" rely on (dissertation §6.2 CheckQuorum).
 */
import { describe, expect, it } from 'vitest';
import { TestCluster } from './testkit.ts';
import { nodeId } from './types.ts';

const active = (c: TestCluster, leader: string, id: string): boolean | undefined =>
  c.node(leader).raw.status().progress.get(nodeId(id))?.active;

describe('Status.progress active', () => {
  it('is true for the leader and for followers that answer its heartbeats', () => {
    const c = new TestCluster(['1', '2', '3']);
    c.elect('1');
    c.tickAll(2);
    expect([active(c, '1', '1'), active(c, '1', '2'), active(c, '1', '3')]).toEqual([true, true, true]);
  });

  it('turns false for a follower silent for two CheckQuorum rounds, and back once it answers', () => {
    const c = new TestCluster(['1', '2', '3']);
    c.elect('1');
    c.tickAll(2);
    c.isolate('3');
    c.tickAll(10); // one round: still counted from the previous one
    expect(active(c, '1', '3')).toBe(true);
    c.tickAll(10);
    expect(active(c, '1', '3')).toBe(false);
    expect(active(c, '1', '2')).toBe(true);
    expect(c.node('1').raw.status().role).toBe('leader');
    c.heal();
    c.tickAll(2);
    expect(active(c, '1', '3')).toBe(true);
  });

  it('is reported only by a leader', () => {
    const c = new TestCluster(['1', '2', '3']);
    c.elect('1');
    expect(c.node('2').raw.status().progress.size).toBe(0);
  });
});
