/**
 * Reading one task's logs for a subscription, engine-agnostic: the lines so far through
 * `TaskController.logs()`, filtered by stream and `since`, cut to the last `tail` lines; then, with
 * follow, new lines as the task writes them. The engine replays a log from its start on every
 * `logs()` call (from the oldest line it still keeps), so each reader remembers, per stream, the time
 * of the last line it consumed and skips older lines on the next pass (the history pass and each
 * follow pass).
 */
import type { LogMessage } from '../../proto/gen/shoal/api/LogMessage.ts';
import type { LogSubscriptionOptions__Output } from '../../proto/gen/shoal/api/LogSubscriptionOptions.ts';
import type { Engine, LogLine, Task } from '../executor/types.ts';

/** What a subscription asks of each task's log. */
export interface LineFilter {
  /** Streams wanted (both when the subscription names none). */
  readonly streams: ReadonlySet<LogLine['stream']>;
  /** Lines older than this (ms since the epoch) are dropped. */
  readonly sinceMs: number | undefined;
  /** Last lines of the history: negative for all, 0 for none. */
  readonly tail: number;
}

/** The filter a subscription's options describe (absent options: every line of both streams). */
export function lineFilter(o: LogSubscriptionOptions__Output | null): LineFilter {
  const named = new Set<LogLine['stream']>();
  for (const s of o?.streams ?? []) {
    if (s === 'STREAM_STDOUT') named.add('stdout');
    else if (s === 'STREAM_STDERR') named.add('stderr');
  }
  const since = o?.since;
  const sinceMs =
    since && (since.seconds !== 0 || since.nanos !== 0)
      ? since.seconds * 1000 + since.nanos / 1e6
      : undefined;
  return {
    streams: named.size > 0 ? named : new Set(['stdout', 'stderr']),
    sinceMs,
    tail: o ? o.tail : -1,
  };
}

/** Whether a line passes the stream and since filters. */
export function wanted(f: LineFilter, l: LogLine): boolean {
  return f.streams.has(l.stream) && (f.sinceMs === undefined || l.time.getTime() >= f.sinceMs);
}

/** The last `tail` of `lines` (all for a negative tail). */
export function applyTail<T>(lines: readonly T[], tail: number): T[] {
  if (tail < 0) return [...lines];
  if (tail === 0) return [];
  return lines.slice(-tail);
}

/** A log line as the broker wants it: context, timestamp, stream, and the text without its newline. */
export function toMessage(task: Task, l: LogLine): LogMessage {
  const ms = l.time.getTime();
  return {
    context: { serviceId: task.serviceId, nodeId: task.nodeId, taskId: task.id },
    timestamp: { seconds: Math.floor(ms / 1000), nanos: (((ms % 1000) + 1000) % 1000) * 1e6 },
    stream: l.stream === 'stdout' ? 'STREAM_STDOUT' : 'STREAM_STDERR',
    data: Buffer.from(l.line, 'utf8'),
  };
}

export interface ReadTaskOptions {
  readonly engine: Engine;
  readonly task: Task;
  readonly filter: LineFilter;
  readonly follow: boolean;
  /** The task appeared after the subscription started: its whole history is new (no tail). */
  readonly late: boolean;
  readonly signal: AbortSignal;
  /** Whether the agent still has the task (a followed reader stops when it is gone). */
  readonly present: () => boolean;
  readonly emit: (m: LogMessage) => void;
  /** Pause between follow passes (the engine's follow ends when the workload is not running). */
  readonly passPauseMs: number;
}

const pause = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/** Reads one task's log for a subscription; resolves when done (history sent, or follow ended). */
export async function readTask(o: ReadTaskOptions): Promise<void> {
  // Per stream: the time of the last line consumed, and how many consumed lines carry that time.
  const last = { stdout: { ms: -Infinity, n: 0 }, stderr: { ms: -Infinity, n: 0 } };
  const ctl = o.engine.controller(o.task);
  /**
   * One pass over the log: lines not seen before. Both engines stamp each line with the time it was
   * written, in order per stream, so a line older than the last one consumed was seen (this holds when
   * a rotation dropped the oldest lines from the replay); among lines of that same time, as many as were
   * consumed are skipped.
   */
  async function* pass(follow: boolean): AsyncGenerator<LogLine> {
    const same = { stdout: 0, stderr: 0 };
    for await (const l of ctl.logs({ follow, signal: o.signal })) {
      const seen = last[l.stream];
      const ms = l.time.getTime();
      if (ms < seen.ms) continue;
      if (ms === seen.ms && same[l.stream]++ < seen.n) continue;
      if (ms === seen.ms) seen.n++;
      else last[l.stream] = { ms, n: 1 };
      yield l;
    }
  }
  let history = false;
  while (!history && !o.signal.aborted) {
    try {
      const lines: LogLine[] = [];
      for await (const l of pass(false)) if (wanted(o.filter, l)) lines.push(l);
      // engines may give one stream after the other: order by time (stable) before taking the tail
      lines.sort((a, b) => a.time.getTime() - b.time.getTime());
      for (const l of o.late ? lines : applyTail(lines, o.filter.tail)) o.emit(toMessage(o.task, l));
      history = true;
    } catch (err) {
      // not prepared yet (a task placed after the subscription): with follow, try again shortly
      if (!o.follow || !o.present()) throw err;
      await pause(o.passPauseMs, o.signal);
    }
  }
  while (o.follow && !o.signal.aborted && o.present()) {
    for await (const l of pass(true)) if (wanted(o.filter, l)) o.emit(toMessage(o.task, l));
    await pause(o.passPauseMs, o.signal);
  }
}
