/**
 * `GET /services/{id}/logs` and `GET /tasks/{id}/logs`: Docker's multiplexed stream (an 8-byte header
 * `[stream, 0, 0, 0, length BE32]` per line), lines gathered from every node through the log broker.
 * With `details` each line starts with the task's swarm attributes, with `timestamps` with its time.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { LogMessage__Output } from '../../proto/gen/shoal/api/LogMessage.ts';
import type { SubscribeLogsRequest } from '../../proto/gen/shoal/api/SubscribeLogsRequest.ts';
import { DOCKER_API_VERSION, SHOAL_VERSION } from '../../proto/version.ts';
import type { DaemonBackend } from '../backend.ts';
import { bool, controlOf, param, q } from './common.ts';
import { HttpError, sendError } from './reply.ts';

/** `tail=all|N` → the broker's tail (negative = all). */
export function parseTail(v: string | undefined): number {
  if (v === undefined || v === '' || v === 'all') return -1;
  if (!/^\d+$/.test(v))
    throw new HttpError(400, `invalid tail ${JSON.stringify(v)}: use a number of lines or "all"`);
  return Number(v);
}

/** `since` as Docker sends it: unix seconds with optional fraction (`1700000000.123456789`), or RFC3339. */
export function parseSince(v: string | undefined): { seconds: number; nanos: number } | null {
  if (v === undefined || v === '' || v === '0') return null;
  const m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(v);
  if (m) return { seconds: Number(m[1]), nanos: Number((m[2] ?? '').padEnd(9, '0')) };
  const ms = Date.parse(v);
  if (Number.isNaN(ms))
    throw new HttpError(400, `invalid since ${JSON.stringify(v)}: use unix seconds or RFC3339`);
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
}

function rfc3339Nano(ts: LogMessage__Output['timestamp']): string {
  const s = Number(ts?.seconds ?? 0);
  const iso = new Date(s * 1000).toISOString().slice(0, 19);
  return `${iso}.${String(ts?.nanos ?? 0).padStart(9, '0')}Z`;
}

/** One frame of the multiplexed stream. */
export function frame(m: LogMessage__Output, o: { details: boolean; timestamps: boolean }): Buffer {
  let line = Buffer.concat([Buffer.from(m.data), Buffer.from('\n')]);
  if (o.details) {
    const c = m.context;
    const attrs = `com.docker.swarm.node.id=${c?.nodeId ?? ''},com.docker.swarm.service.id=${c?.serviceId ?? ''},com.docker.swarm.task.id=${c?.taskId ?? ''} `;
    line = Buffer.concat([Buffer.from(attrs), line]);
  }
  if (o.timestamps) line = Buffer.concat([Buffer.from(`${rfc3339Nano(m.timestamp)} `), line]);
  const header = Buffer.alloc(8);
  header[0] = m.stream === 'STREAM_STDERR' ? 2 : 1;
  header.writeUInt32BE(line.length, 4);
  return Buffer.concat([header, line]);
}

async function stream(
  backend: DaemonBackend,
  req: FastifyRequest,
  reply: FastifyReply,
  selector: NonNullable<SubscribeLogsRequest['selector']>,
): Promise<void> {
  const query = req.query;
  const stdout = bool(query, 'stdout');
  const stderr = bool(query, 'stderr');
  if (!stdout && !stderr) throw new HttpError(400, 'Bad parameters: you must choose at least one stream');
  const follow = bool(query, 'follow');
  const options = {
    streams: [...(stdout ? ['STREAM_STDOUT' as const] : []), ...(stderr ? ['STREAM_STDERR' as const] : [])],
    follow,
    tail: parseTail(q(query, 'tail')),
    since: parseSince(q(query, 'since')),
  };
  const o = { details: bool(query, 'details'), timestamps: bool(query, 'timestamps') };
  const abort = new AbortController();
  req.raw.on('close', () => abort.abort());
  const lines = backend.logs({ selector, options }, abort.signal);
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'Content-Type': 'application/vnd.docker.multiplexed-stream',
    'Api-Version': DOCKER_API_VERSION,
    Ostype: 'linux',
    Server: `Shoal/${SHOAL_VERSION} (linux)`,
    'Transfer-Encoding': 'chunked',
  });
  try {
    for await (const m of lines) {
      if (abort.signal.aborted) break;
      res.write(frame(m, o));
    }
  } catch (err) {
    if (!abort.signal.aborted) {
      const e = {
        data: Buffer.from(`error from daemon in stream: ${(err as Error).message}`),
        stream: 'STREAM_STDERR',
      } as LogMessage__Output;
      res.write(frame(e, { details: false, timestamps: false }));
    }
  } finally {
    abort.abort();
    res.end();
  }
}

export function logsPlugin(backend: DaemonBackend): FastifyPluginAsync {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/services/:id/logs', async (req, reply) => {
      try {
        const { service } = await controlOf(backend).getService({ serviceId: param(req.params, 'id') });
        await stream(backend, req, reply, { serviceIds: [service?.id ?? ''], nodeIds: [], taskIds: [] });
      } catch (err) {
        if (!reply.sent && !reply.raw.headersSent) return sendError(reply, err);
      }
    });
    app.get('/tasks/:id/logs', async (req, reply) => {
      try {
        const { task } = await controlOf(backend).getTask({ taskId: param(req.params, 'id') });
        await stream(backend, req, reply, { serviceIds: [], nodeIds: [], taskIds: [task?.id ?? ''] });
      } catch (err) {
        if (!reply.sent && !reply.raw.headersSent) return sendError(reply, err);
      }
    });
  };
}
