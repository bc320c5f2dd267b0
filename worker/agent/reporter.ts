/**
 * Collects task status changes and sends them in one UpdateTaskStatus per window (50 ms). Updates that
 * could not be sent (no session, call failed) are kept, in order, and sent with the next batch.
 */
import type { TaskStatusUpdate } from '../../proto/gen/shoal/api/TaskStatusUpdate.ts';
import type { TaskStatus__Output as TaskStatus } from '../../proto/gen/shoal/api/TaskStatus.ts';

/** Sends one batch; rejects when it could not be delivered. */
export type SendBatch = (updates: TaskStatusUpdate[]) => Promise<void>;

export const REPORT_WINDOW_MS = 50;

export class StatusReporter {
  private pending: TaskStatusUpdate[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inflight: Promise<void> | undefined;
  private send: SendBatch | undefined;

  /** Sets (or clears, while disconnected) how batches are sent; a new sender flushes what waits. */
  setSender(send: SendBatch | undefined): void {
    this.send = send;
    if (send && this.pending.length > 0) this.schedule();
  }

  report(taskId: string, status: TaskStatus): void {
    this.pending.push({ taskId, status });
    this.schedule();
  }

  /** Sends what is pending now (used at stop); resolves when that attempt ends. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.inflight;
    await this.sendNow();
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.send = undefined;
  }

  private schedule(): void {
    if (this.timer || !this.send) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.inflight) {
        this.schedule();
        return;
      }
      this.inflight = this.sendNow().finally(() => {
        this.inflight = undefined;
      });
    }, REPORT_WINDOW_MS);
  }

  private async sendNow(): Promise<void> {
    const send = this.send;
    if (!send || this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    try {
      await send(batch);
    } catch {
      // Keep them for the next session, ahead of anything reported since.
      this.pending = [...batch, ...this.pending];
    }
  }
}
