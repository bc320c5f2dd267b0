/** Polls which leader a majority of managers agree on: counts changes and the longest time without one. */
import type { HostCluster } from '../hosts/cluster.ts';

const POLL_MS = 250;

export class LeaderWatch {
  changes = 0;
  longestGapMs = 0;
  private current: string | undefined;
  private gapSince: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(
    private readonly c: HostCluster,
    private readonly log: (msg: string) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.poll(), POLL_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.gapSince !== undefined)
      this.longestGapMs = Math.max(this.longestGapMs, Date.now() - this.gapSince);
  }

  private async poll(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const now = Date.now();
      const ms = this.c.managers();
      const seen = await Promise.all(
        ms.map((m) => (m.running() ? this.c.leaderSeenBy(m, 1000) : Promise.resolve(undefined))),
      );
      const votes = new Map<string, number>();
      for (const l of seen) if (l) votes.set(l.name, (votes.get(l.name) ?? 0) + 1);
      const leader = [...votes].find(([, n]) => n > ms.length / 2)?.[0];
      if (leader === undefined) {
        this.gapSince ??= now;
      } else {
        if (this.gapSince !== undefined) {
          this.longestGapMs = Math.max(this.longestGapMs, now - this.gapSince);
          this.gapSince = undefined;
        }
        if (this.current !== undefined && leader !== this.current) {
          this.changes++;
          this.log(`  leader ${this.current} -> ${leader}`);
        }
        this.current = leader;
      }
    } finally {
      this.busy = false;
    }
  }
}
