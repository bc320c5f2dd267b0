/**
 * A fixed-size set of small integers [0, size) in a Uint32Array, with a fast search for a clear bit
 * (whole words at a time). The pools keep everything allocated in these.
 */
export class Bitset {
  private readonly words: Uint32Array;
  private used = 0;

  constructor(readonly size: number) {
    this.words = new Uint32Array(Math.ceil(size / 32));
  }

  /** Bits set. */
  get count(): number {
    return this.used;
  }

  has(i: number): boolean {
    return ((this.words[i >>> 5] ?? 0) & (1 << (i & 31))) !== 0;
  }

  /** Sets bit i; false when it was already set (or out of range). */
  set(i: number): boolean {
    if (i < 0 || i >= this.size || this.has(i)) return false;
    const w = i >>> 5;
    this.words[w] = (this.words[w] ?? 0) | (1 << (i & 31));
    this.used++;
    return true;
  }

  /** Clears bit i; false when it was not set. */
  clear(i: number): boolean {
    if (i < 0 || i >= this.size || !this.has(i)) return false;
    const w = i >>> 5;
    this.words[w] = (this.words[w] ?? 0) & ~(1 << (i & 31));
    this.used--;
    return true;
  }

  /** The first clear bit at or after `from`, wrapping around to 0; undefined when all are set. */
  nextClear(from = 0): number | undefined {
    if (this.used >= this.size) return undefined;
    const start = from >= 0 && from < this.size ? from : 0;
    return this.scan(start, this.size) ?? this.scan(0, start);
  }

  private scan(from: number, to: number): number | undefined {
    let i = from;
    while (i < to) {
      const word = this.words[i >>> 5] ?? 0;
      if (word === 0xffffffff) {
        i = ((i >>> 5) + 1) << 5;
        continue;
      }
      if ((word & (1 << (i & 31))) === 0) return i;
      i++;
    }
    return undefined;
  }
}
