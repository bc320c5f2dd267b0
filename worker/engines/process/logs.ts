/**
 * A task's stdout and stderr go straight to two files in its work dir (file descriptors, not pipes, so
 * the workload keeps writing while the agent restarts). Reading them back: lines so far and, when
 * following, new lines as they are written, until the workload exits or the caller aborts. Lines carry
 * the time they were read (historical lines: the file's last modification time).
 */
import { open, stat } from 'node:fs/promises';
import type { LogLine } from '../../executor/types.ts';
import { sleep } from './procfs.ts';

const POLL_MS = 100;

class Tail {
  private offset = 0;
  private partial = '';

  constructor(
    readonly stream: 'stdout' | 'stderr',
    private readonly path: string,
  ) {}

  /** Complete lines written since the last call (`flush`: also a last line without newline). */
  async read(flush: boolean, time?: Date): Promise<LogLine[]> {
    const st = await stat(this.path).catch(() => undefined);
    if (st && st.size > this.offset) {
      const fh = await open(this.path, 'r');
      try {
        const buf = Buffer.alloc(st.size - this.offset);
        const { bytesRead } = await fh.read(buf, 0, buf.length, this.offset);
        this.offset += bytesRead;
        this.partial += buf.subarray(0, bytesRead).toString('utf8');
      } finally {
        await fh.close();
      }
    }
    const parts = this.partial.split('\n');
    this.partial = parts.pop() ?? '';
    if (flush && this.partial !== '') {
      parts.push(this.partial);
      this.partial = '';
    }
    const at = time ?? st?.mtime ?? new Date();
    return parts.map((line) => ({ stream: this.stream, time: at, line }));
  }
}

export interface LogSource {
  readonly stdoutPath: string;
  readonly stderrPath: string;
  /** Whether the workload may still write. */
  running(): Promise<boolean>;
}

export async function* readLogs(
  src: LogSource,
  o: { follow?: boolean; signal?: AbortSignal },
): AsyncGenerator<LogLine> {
  const tails = [new Tail('stdout', src.stdoutPath), new Tail('stderr', src.stderrPath)];
  let first = true;
  for (;;) {
    const running = o.follow === true && (await src.running());
    const done = !running || o.signal?.aborted === true;
    for (const t of tails) {
      for (const l of await t.read(done, first ? undefined : new Date())) yield l;
    }
    first = false;
    if (done) return;
    await sleep(POLL_MS);
  }
}
