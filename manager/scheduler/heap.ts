/** A binary min-heap whose top may be re-keyed in place (its key only grows when a task lands on it). */
export class Heap<T> {
  private readonly items: T[];

  constructor(
    items: Iterable<T>,
    private readonly less: (a: T, b: T) => boolean,
  ) {
    this.items = [...items];
    for (let i = (this.items.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  pop(): T | undefined {
    const top = this.items[0];
    const last = this.items.pop();
    if (this.items.length > 0 && last !== undefined) {
      this.items[0] = last;
      this.down(0);
    }
    return top;
  }

  /** The top's key changed: restore the order. */
  fixTop(): void {
    this.down(0);
  }

  private down(i: number): void {
    const a = this.items;
    const n = a.length;
    const x = a[i] as T;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.less(a[r] as T, a[l] as T) ? r : l;
      if (!this.less(a[c] as T, x)) break;
      a[i] = a[c] as T;
      i = c;
    }
    a[i] = x;
  }
}
