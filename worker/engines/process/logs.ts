/**
 * Reading a task's stdout and stderr back. The task's recorder (stamp.ts) writes each stream to a file
 * in its work dir, every line prefixed with the time it was written, rotating the file to `<file>.1`
 * past its cap. A reader replays the rotated file then the current one and, when following, new lines
 * as they are written (following a rotation by the file's inode), until the workload exits (and its
 * recorders have written their last line) or the caller aborts. Lines without a stamp (a task started
 * without the recorder) carry the file's modification time, or their read time when following.
 */
import { open, stat } from 'node:fs/promises';
import type { LogLine } from '../../executor/types.ts';
import { sleep } from './procfs.ts';

const POLL_MS = 100;
/** How long a reader waits, after the workload ended, for its recorders to write their last line. */
const DRAIN_MS = 2000;
const STAMP = /^(\d+)\.(\d{6}) /;

/** Splits a recorded line into its time and text (`fallback` when it has no stamp). */
export function parseLine(stream: LogLine['stream'], raw: string, fallback: Date): LogLine {
  const m = STAMP.exec(raw);
  if (!m) return { stream, time: fallback, line: raw };
  const ms = Number(m[1]) * 1000 + Math.floor(Number(m[2]) / 1000);
  return { stream, time: new Date(ms), line: raw.slice(m[0].length) };
}

async function readFrom(path: string, offset: number): Promise<{ text: string; bytes: number }> {
  const fh = await open(path, 'r').catch(() => undefined);
  if (!fh) return { text: '', bytes: 0 };
  try {
    const size = (await fh.stat()).size;
    if (size <= offset) return { text: '', bytes: 0 };
    const buf = Buffer.alloc(size - offset);
    const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
    return { text: buf.subarray(0, bytesRead).toString('utf8'), bytes: bytesRead };
  } finally {
    await fh.close();
  }
}

class Tail {
  private ino: number | undefined;
  private offset = 0;
  private partial = '';

  constructor(
    readonly stream: LogLine['stream'],
    private readonly path: string,
  ) {}

  private async take(path: string, from: number): Promise<void> {
    const { text, bytes } = await readFrom(path, from);
    this.offset = from + bytes;
    this.partial += text;
  }

  /** Complete lines written since the last call (`flush`: also a last line without newline). */
  async read(flush: boolean, following: boolean): Promise<LogLine[]> {
    const st = await stat(this.path).catch(() => undefined);
    const rotated = `${this.path}.1`;
    if (this.ino === undefined) {
      await this.take(rotated, 0); // the rotated file first: older lines
      this.offset = 0;
    } else if (st && st.ino !== this.ino) {
      // rotated since the last read: the rest of the file we were reading is now `<file>.1`
      const old = await stat(rotated).catch(() => undefined);
      if (old?.ino === this.ino) await this.take(rotated, this.offset);
      this.offset = 0;
    }
    if (st) {
      this.ino = st.ino;
      await this.take(this.path, this.offset);
    }
    const parts = this.partial.split('\n');
    this.partial = parts.pop() ?? '';
    if (flush && this.partial !== '') {
      parts.push(this.partial);
      this.partial = '';
    }
    const fallback = following ? new Date() : (st?.mtime ?? new Date());
    return parts.map((raw) => parseLine(this.stream, raw, fallback));
  }
}

export interface LogSource {
  readonly stdoutPath: string;
  readonly stderrPath: string;
  /** Whether the workload may still write. */
  running(): Promise<boolean>;
}

/**
 * Resolves once both recorders wrote their last line, or when neither file changed for
 * {@link DRAIN_MS} (a recorder that died, or a task started without one).
 */
async function drained(src: LogSource, signal: AbortSignal | undefined): Promise<void> {
  const paths = [src.stdoutPath, src.stderrPath];
  for (;;) {
    const marks = await Promise.all(paths.map((p) => stat(`${p}.done`).catch(() => undefined)));
    if (marks.every((m) => m !== undefined) || signal?.aborted === true) return;
    const files = await Promise.all(paths.map((p) => stat(p).catch(() => undefined)));
    const last = Math.max(0, ...files.map((f) => f?.mtimeMs ?? 0));
    if (Date.now() - last > DRAIN_MS) return;
    await sleep(POLL_MS / 4);
  }
}

/**
 * The task's lines so far, stdout's then stderr's, each stream in order; with `follow`, then new lines
 * of both as they are written (ordered per pass by time) until the workload exits or `signal` aborts.
 */
export async function* readLogs(
  src: LogSource,
  o: { follow?: boolean; signal?: AbortSignal },
): AsyncGenerator<LogLine> {
  const tails = [new Tail('stdout', src.stdoutPath), new Tail('stderr', src.stderrPath)];
  let first = true;
  for (;;) {
    const alive = await src.running();
    const running = o.follow === true && alive;
    const done = !running || o.signal?.aborted === true;
    // the workload ended: let its recorders write their last lines first
    if (done && !alive) await drained(src, o.signal);
    const batch: LogLine[] = [];
    for (const t of tails) batch.push(...(await t.read(done, !first)));
    if (!first) batch.sort((a, b) => a.time.getTime() - b.time.getTime());
    yield* batch;
    first = false;
    if (done) return;
    await sleep(POLL_MS);
  }
}
