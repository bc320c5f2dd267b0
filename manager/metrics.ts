/**
 * Latency hooks of the manager's loops, with no metrics library behind them: the scheduler and the
 * dispatcher report durations here, and whoever exports metrics (the daemon's `GET /metrics`)
 * subscribes. With no subscriber a report costs one Set iteration over nothing.
 */

/** The latencies the manager reports, in seconds. */
export type LatencyName =
  /** A task's creation until the scheduler wrote it ASSIGNED. */
  | 'scheduling'
  /** One agent's UpdateTaskStatus call: submitted until its batch committed in the store. */
  | 'dispatcherStatusUpdate';

/** Receives every observation; must not throw and must be cheap (it runs inside the loops). */
export type LatencyObserver = (name: LatencyName, seconds: number) => void;

const observers = new Set<LatencyObserver>();

/** Subscribes `o` to every latency report; call the returned function to unsubscribe. */
export function onLatency(o: LatencyObserver): () => void {
  observers.add(o);
  return () => observers.delete(o);
}

/** Reports one latency; a failing observer is ignored so that metrics never break a loop. */
export function observeLatency(name: LatencyName, seconds: number): void {
  if (!Number.isFinite(seconds) || seconds < 0) return;
  for (const o of observers) {
    try {
      o(name, seconds);
    } catch {
      // metrics are best effort
    }
  }
}
