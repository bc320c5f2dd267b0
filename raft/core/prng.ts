/**
 * A small seeded PRNG for deterministic tests and the simulator. The core never draws randomness
 * itself: a node's config carries a `random` function, and these make one from a seed.
 */
import { InvalidArgumentError } from './errors.ts';

/**
 * mulberry32: a 32-bit-state generator returning floats in [0, 1). Same seed, same sequence, on
 * every platform. Fast and good enough for scheduling choices; not for cryptography.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n) drawn from `random`; throws when `random` strays outside [0, 1). */
export function randomInt(random: () => number, n: number): number {
  const r = random();
  if (!(r >= 0 && r < 1)) throw new InvalidArgumentError('random()', r, 'a number in [0, 1)');
  return Math.floor(r * n);
}
