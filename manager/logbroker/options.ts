/**
 * Log subscription options as the broker passes them to agents: every field present, tail and since
 * as given. Absent options mean all lines of both streams, no follow.
 */
import type { LogSubscriptionOptions } from '../../proto/gen/shoal/api/LogSubscriptionOptions.ts';
import type { Options } from './subscription.ts';

/** Fills absent fields: no options at all is tail -1 (every line), both streams, no follow. */
export function normaliseOptions(o: LogSubscriptionOptions | null | undefined): Options {
  const since = o?.since;
  return {
    streams: (o?.streams ?? []).map((s) =>
      s === 1 || s === 'STREAM_STDOUT'
        ? 'STREAM_STDOUT'
        : s === 2 || s === 'STREAM_STDERR'
          ? 'STREAM_STDERR'
          : 'STREAM_UNSPECIFIED',
    ),
    follow: o?.follow ?? false,
    tail: o ? Number(o.tail ?? 0) : -1,
    since: since ? { seconds: Number(since.seconds ?? 0), nanos: since.nanos ?? 0 } : null,
  };
}
