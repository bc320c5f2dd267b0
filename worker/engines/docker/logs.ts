/**
 * Turns the Docker Engine's log stream into {@link LogLine}s. Without a TTY the engine multiplexes
 * stdout and stderr in frames (8-byte header: stream byte, 3 zero bytes, big-endian 32-bit length);
 * with a TTY it sends raw stdout. We ask for timestamps, so each line starts with an RFC 3339 time.
 */
import type { LogLine } from '../../executor/types.ts';

type Stream = LogLine['stream'];

/** Splits `<RFC3339Nano> <text>` into a Date (millisecond precision) and the text. */
export function parseTimestamped(raw: string, stream: Stream): LogLine {
  const space = raw.indexOf(' ');
  const stamp = space > 0 ? raw.slice(0, space) : '';
  // Date.parse wants at most milliseconds: cut the fraction to 3 digits.
  const time = new Date(stamp.replace(/(\.\d{3})\d*/, '$1'));
  if (Number.isNaN(time.getTime())) return { stream, time: new Date(), line: raw };
  return { stream, time, line: raw.slice(space + 1) };
}

/** Incremental decoder: feed chunks, get complete lines; `end()` flushes unterminated lines. */
export class LogDecoder {
  private frame = Buffer.alloc(0);
  private readonly partial: Record<Stream, string> = { stdout: '', stderr: '' };

  /** @param multiplexed false for TTY containers, whose stream is raw stdout. */
  constructor(private readonly multiplexed: boolean) {}

  push(chunk: Buffer): LogLine[] {
    if (!this.multiplexed) return this.text('stdout', chunk.toString('utf8'));
    this.frame = Buffer.concat([this.frame, chunk]);
    const out: LogLine[] = [];
    while (this.frame.length >= 8) {
      const size = this.frame.readUInt32BE(4);
      if (this.frame.length < 8 + size) break;
      const stream: Stream = this.frame[0] === 2 ? 'stderr' : 'stdout';
      out.push(...this.text(stream, this.frame.subarray(8, 8 + size).toString('utf8')));
      this.frame = this.frame.subarray(8 + size);
    }
    return out;
  }

  end(): LogLine[] {
    const out: LogLine[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream]) out.push(parseTimestamped(this.partial[stream], stream));
      this.partial[stream] = '';
    }
    return out;
  }

  private text(stream: Stream, text: string): LogLine[] {
    const parts = (this.partial[stream] + text).split('\n');
    this.partial[stream] = parts.pop() ?? '';
    return parts.map((p) => parseTimestamped(p.replace(/\r$/, ''), stream));
  }
}

/** Decodes a whole log body or a followed stream, ending with the stream. */
export async function* decodeLogs(
  source: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  multiplexed: boolean,
): AsyncGenerator<LogLine> {
  const decoder = new LogDecoder(multiplexed);
  for await (const chunk of source) {
    yield* decoder.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  yield* decoder.end();
}
