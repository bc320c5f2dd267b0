/**
 * The set of linearized operations, with an incrementally maintained 64-bit Zobrist hash (two 32-bit
 * halves) so the memo key costs O(1) per step instead of O(n/32). Hash collisions are harmless: the
 * memo confirms every hit with `sameWords`.
 */

/** splitmix32: a fixed, well-mixed 32-bit value per input, the same on every run. */
function mix32(x: number): number {
  let z = (x + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

export class Bitset {
  readonly words: Uint32Array;
  private h1 = 0;
  private h2 = 0;
  private readonly keys1: Uint32Array;
  private readonly keys2: Uint32Array;

  constructor(readonly size: number) {
    this.words = new Uint32Array(Math.ceil(size / 32));
    this.keys1 = new Uint32Array(size);
    this.keys2 = new Uint32Array(size);
    for (let i = 0; i < size; i++) {
      this.keys1[i] = mix32(2 * i);
      this.keys2[i] = mix32(2 * i + 1);
    }
  }

  /** Adds `i`, which must not be present. */
  add(i: number): void {
    this.flip(i);
  }

  /** Removes `i`, which must be present. */
  remove(i: number): void {
    this.flip(i);
  }

  has(i: number): boolean {
    return ((this.words[i >>> 5]! >>> (i & 31)) & 1) === 1;
  }

  /** The hash of the current set, as a string usable in a Map key. */
  key(): string {
    return `${this.h1.toString(36)}.${this.h2.toString(36)}`;
  }

  /** A copy of the current words, to keep in the memo. */
  snapshot(): Uint32Array {
    return this.words.slice();
  }

  /** Whether the current set equals a snapshot. */
  sameWords(other: Uint32Array): boolean {
    const w = this.words;
    for (let i = 0; i < w.length; i++) if (w[i] !== other[i]) return false;
    return true;
  }

  private flip(i: number): void {
    this.words[i >>> 5]! ^= 1 << (i & 31);
    this.h1 = (this.h1 ^ this.keys1[i]!) >>> 0;
    this.h2 = (this.h2 ^ this.keys2[i]!) >>> 0;
  }
}
