/**
 * `GET /services/{id}/logs` and `GET /tasks/{id}/logs`: the lines of the selected tasks from every
 * node, as Docker's multiplexed stream (an 8-byte header `[stream,0,0,0,len BE32]`, then the line).
 */
import type { FastifyPluginAsync } from 'fastify';
import { parseRfc3339, type TimestampValue } from '../../proto/docker/time.ts';
import type { LogMessage__Output } from '../../proto/gen/shoal/api/LogMessage.ts';
import type { SubscribeLogsRequest } from '../../proto/gen/shoal/api/SubscribeLogsRequest.ts';
import { InvalidArgumentError } from '../../proto/shared/errors.ts';
import type { DaemonBackend } from '../backend.ts';
import { controlOf, flag, idParam, param, present, type Query } from './common.ts';
import { OpenStreams } from './stream.ts';

/** Docker's media type of a log stream without a TTY. */
export const MULTIPLEXED_STREAM = 'application/vnd.docker.multiplexed-stream';

/** What the query asks for (Docker's `ContainerLogsOptions`). */
export interface LogQuery {
  readonly stdout: boolean;
  readonly stderr: boolean;
  readonly details: boolean;
  readonly timestamps: boolean;
  readonly follow: boolean;
  /** Lines from the end; negative for all. */
  readonly tail: number;
  readonly since: TimestampValue | null;
}

/** `since`: Unix seconds with an optional fraction (what the CLI sends), or RFC3339. */
export function parseSince(s: string | undefined): TimestampValue | null {
  if (s === undefined || s === '' || s === '0') return null;
  const m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(s);
  if (m) return { seconds: Number(m[1]), nanos: Number((m[2] ?? '').padEnd(9, '0')) };
  const t = inRange(s) ? parseRfc3339(s) : undefined;
  if (!t) throw new InvalidArgumentError(`invalid value for "since": ${JSON.stringify(s)}`, 'since');
  return t;
}

/** Month, day, hour, minute and second within their ranges (Date would roll 13-45 over silently). */
function inRange(s: string): boolean {
  const m = /^\d{4}-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})/.exec(s);
  if (!m) return false;
  const [mo, d, h, mi, sec] = m.slice(1).map(Number) as [number, number, number, number, number];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 && sec <= 60;
}

/** Reads the log query; 400 when it names no stream or a bad tail. */
export function logQuery(q: Query): LogQuery {
  const stdout = flag(q, 'stdout');
  const stderr = flag(q, 'stderr');
  if (!stdout && !stderr)
    throw new InvalidArgumentError('Bad parameters: you must choose at least one stream', 'stdout');
  const t = param(q, 'tail') ?? 'all';
  const tail = t === 'all' || t === '' ? -1 : Number(t);
  if (!Number.isInteger(tail))
    throw new InvalidArgumentError(`invalid value for "tail": ${JSON.stringify(t)}`, 'tail');
  return {
    stdout,
    stderr,
    details: flag(q, 'details'),
    timestamps: flag(q, 'timestamps'),
    follow: flag(q, 'follow'),
    tail,
    since: parseSince(param(q, 'since')),
  };
}

/** Go's RFC3339NanoFixed: always nine digits of fraction. */
function fixedNano(t: TimestampValue | null): string {
  const ms = (t?.seconds ?? 0) * 1000;
  return `${new Date(ms).toISOString().slice(0, 19)}.${String(t?.nanos ?? 0).padStart(9, '0')}Z`;
}

/** One log message as a frame of Docker's multiplexed stream (with the details and timestamp asked for). */
export function logFrame(m: LogMessage__Output, q: LogQuery): Buffer | undefined {
  const stderr = m.stream === 'STREAM_STDERR';
  if (stderr ? !q.stderr : !q.stdout) return undefined;
  let line =
    m.data.length > 0 && m.data[m.data.length - 1] === 0x0a
      ? m.data
      : Buffer.concat([m.data, Buffer.from('\n')]);
  if (q.details) {
    const c = m.context;
    const attrs = `com.docker.swarm.node.id=${c?.nodeId ?? ''},com.docker.swarm.service.id=${c?.serviceId ?? ''},com.docker.swarm.task.id=${c?.taskId ?? ''} `;
    line = Buffer.concat([Buffer.from(attrs), line]);
  }
  if (q.timestamps) line = Buffer.concat([Buffer.from(`${fixedNano(m.timestamp)} `), line]);
  const header = Buffer.alloc(8);
  header[0] = stderr ? 2 : 1;
  header.writeUInt32BE(line.length, 4);
  return Buffer.concat([header, line]);
}

function request(selector: { serviceIds?: string[]; taskIds?: string[] }, q: LogQuery): SubscribeLogsRequest {
  const streams: ('STREAM_STDOUT' | 'STREAM_STDERR')[] = [];
  if (q.stdout) streams.push('STREAM_STDOUT');
  if (q.stderr) streams.push('STREAM_STDERR');
  return { selector, options: { streams, follow: q.follow, tail: q.tail, since: q.since } };
}

/** The log routes. */
export function logsPlugin(backend: DaemonBackend): FastifyPluginAsync {
  return (app) => {
    const streams = new OpenStreams(app);
    const serve = async (
      selector: { serviceIds?: string[]; taskIds?: string[] },
      q: LogQuery,
      reply: Parameters<OpenStreams['start']>[0],
    ): Promise<void> => {
      const out = streams.start(reply, MULTIPLEXED_STREAM);
      try {
        for await (const m of backend.logs(request(selector, q), out.signal)) {
          const frame = logFrame(m, q);
          if (frame && !out.write(frame)) break;
        }
      } catch (err) {
        // The status line is gone: Docker reports a failure inside the stream, on stderr.
        if (!out.signal.aborted)
          out.write(
            logFrame(
              {
                context: null,
                timestamp: null,
                stream: 'STREAM_STDERR',
                data: Buffer.from(`Error grabbing logs: ${(err as Error).message}`),
              },
              { ...q, details: false, timestamps: false, stderr: true },
            ) ?? '',
          );
      } finally {
        out.end();
      }
    };

    app.get('/services/:id/logs', async (req, reply) => {
      const q = logQuery(req.query as Query);
      const id = idParam(req.params);
      const { service } = await controlOf(backend).getService({ serviceId: id });
      await serve({ serviceIds: [present(service, `service ${id}`).id] }, q, reply);
    });

    app.get('/tasks/:id/logs', async (req, reply) => {
      const q = logQuery(req.query as Query);
      const id = idParam(req.params);
      const { task } = await controlOf(backend).getTask({ taskId: id });
      await serve({ taskIds: [present(task, `task ${id}`).id] }, q, reply);
    });
    return Promise.resolve();
  };
}
