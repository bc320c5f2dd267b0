/**
 * Long-lived responses (logs, events): the reply is hijacked and written chunk by chunk, and ends
 * when the client goes away, the source ends, or the API closes.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { COMMON_HEADERS } from './common.ts';

/** The open streams of one API instance, aborted when it closes. */
export class OpenStreams {
  private readonly open = new Set<AbortController>();

  /** Registers `app`'s preClose hook (streams must end before the server can close). */
  constructor(app: FastifyInstance) {
    app.addHook('preClose', (done) => {
      for (const c of this.open) c.abort();
      done();
    });
  }

  /**
   * Hijacks `reply`, writes the status line and headers, and returns a signal aborted when the client
   * disconnects or the API closes, plus `write` (false once the client is gone) and `end`.
   */
  start(
    reply: FastifyReply,
    contentType: string,
  ): { signal: AbortSignal; write: (chunk: string | Buffer) => boolean; end: () => void } {
    const controller = new AbortController();
    this.open.add(controller);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { ...COMMON_HEADERS, 'Content-Type': contentType, 'Cache-Control': 'no-cache' });
    res.flushHeaders();
    const done = (): void => {
      controller.abort();
      this.open.delete(controller);
    };
    res.on('close', done);
    return {
      signal: controller.signal,
      write: (chunk) => {
        if (res.destroyed || res.writableEnded) return false;
        res.write(chunk);
        return true;
      },
      end: () => {
        done();
        if (!res.writableEnded) res.end();
      },
    };
  }
}
