import { describe, it } from 'vitest';
import { expectSeedsPass } from './sim.testlib.ts';

// 5-node clusters: seeds 1001–1150 in chunks.
describe('simulated 5-node clusters', () => {
  for (let from = 1001; from <= 1150; from += 50) {
    it(
      `seeds ${from}–${from + 49} keep every invariant and stay linearizable`,
      () => expectSeedsPass(from, 50, 5),
      120_000,
    );
  }
});
