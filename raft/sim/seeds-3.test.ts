import { describe, it } from 'vitest';
import { expectSeedsPass } from './sim.testlib.ts';

// 3-node clusters: seeds 1–350 in chunks, each a safety phase under faults then a liveness phase.
describe('simulated 3-node clusters', () => {
  for (let from = 1; from <= 350; from += 50) {
    it(
      `seeds ${from}–${from + 49} keep every invariant and stay linearizable`,
      () => expectSeedsPass(from, 50, 3),
      120_000,
    );
  }
});
