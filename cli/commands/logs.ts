/**
 * `service logs`: Docker's multiplexed log stream (8-byte frame header, then payload), each line
 * prefixed with `svc.slot.task@node    |`, names resolved from the `details` context docker sends.
 */
import type { Ctx } from '../context.ts';
import { ApiError } from '../errors.ts';
import { goDuration } from '../flags.ts';
import { truncateId } from '../format/units.ts';
import type { Node, Service, Task } from '../types.ts';
import { seg } from './common.ts';

/** `service logs` options as commander hands them. */
export interface LogOpts {
  readonly details?: boolean;
  readonly follow?: boolean;
  readonly resolve: boolean;
  readonly taskIds: boolean;
  readonly trunc: boolean;
  readonly raw?: boolean;
  readonly since?: string;
  readonly tail: string;
  readonly timestamps?: boolean;
}

/** Splits Docker's stdcopy framing; yields (stream, payload) and keeps partial frames. */
export class Demuxer {
  private buf = Buffer.alloc(0);

  /** Feeds bytes; returns complete frames (stream 1 stdout, 2 stderr). */
  push(chunk: Buffer): { stream: number; data: Buffer }[] {
    this.buf = Buffer.concat([this.buf, chunk]);
    const out: { stream: number; data: Buffer }[] = [];
    while (this.buf.length >= 8) {
      const len = this.buf.readUInt32BE(4);
      if (this.buf.length < 8 + len) break;
      out.push({ stream: this.buf[0] ?? 1, data: this.buf.subarray(8, 8 + len) });
      this.buf = this.buf.subarray(8 + len);
    }
    return out;
  }
}

/** Docker's `--since`: a duration before now, an RFC3339 time, or unix seconds; as `sec.nanos`. */
export function sinceParam(value: string, nowMs: number): string {
  if (/^\d+(\.\d+)?$/.test(value)) return value;
  const t = Date.parse(value);
  if (!Number.isNaN(t)) return (t / 1000).toFixed(9);
  const ns = goDuration(value);
  return ((nowMs - ns / 1e6) / 1000).toFixed(9);
}

/** Parses the details context: `com.docker.swarm.node.id=..,com.docker.swarm.service.id=..,...`. */
export function parseLogContext(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of s.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[decodeURIComponent(part.slice(0, eq))] = decodeURIComponent(part.slice(eq + 1));
  }
  return out;
}

/** Streams the logs of a service (or, if no service has that name, a task). */
export async function serviceLogs(ctx: Ctx, ref: string, o: LogOpts): Promise<void> {
  let path = `/services/${seg(ref)}/logs`;
  let replicas = 1;
  try {
    const svc = await ctx.api().get<Service>(`/services/${seg(ref)}`, { insertDefaults: false });
    replicas = svc.Spec.Mode?.Replicated?.Replicas ?? 1;
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 404) throw err;
    await ctx.api().get<Task>(`/tasks/${seg(ref)}`);
    path = `/tasks/${seg(ref)}/logs`;
  }
  const details = o.details || !o.raw;
  const res = await ctx.api().stream('GET', path, {
    query: {
      details: details ? 1 : undefined,
      follow: o.follow ? 1 : undefined,
      since: o.since === undefined ? undefined : sinceParam(o.since, ctx.now()),
      stderr: 1,
      stdout: 1,
      tail: o.tail,
      timestamps: o.timestamps ? 1 : undefined,
    },
  });
  const raw = (res.headers['content-type'] ?? '').includes('vnd.docker.raw-stream');
  const demux = new Demuxer();
  const names = new Namer(ctx, o, String(replicas).length);
  const frames: { stream: number; data: Buffer }[] = [];
  for await (const chunk of res as AsyncIterable<Buffer>) {
    frames.push(...(raw ? [{ stream: 1, data: chunk }] : demux.push(chunk)));
    while (frames.length > 0) {
      const f = frames.shift();
      if (!f) break;
      const text = o.raw ? f.data.toString('utf8') : await names.line(f.data.toString('utf8'));
      (f.stream === 2 ? ctx.io.err : ctx.io.out)(text);
    }
  }
}

/** Resolves and caches `svc.slot.task@node` prefixes, as docker's taskFormatter does. */
class Namer {
  private readonly cache = new Map<string, string>();
  private readonly nodes = new Map<string, string>();
  private readonly services = new Map<string, string>();

  constructor(
    private readonly ctx: Ctx,
    private readonly o: LogOpts,
    private readonly padding: number,
  ) {}

  async line(text: string): Promise<string> {
    const ctxIndex = this.o.timestamps ? 1 : 0;
    const parts = text.split(' ');
    const head = parts.slice(0, ctxIndex + 1);
    const rest = parts.slice(ctxIndex + 1).join(' ');
    const context = head[ctxIndex] ?? '';
    const prefix = await this.format(context);
    head[ctxIndex] = `${prefix}    |`;
    return `${head.join(' ')} ${rest}`;
  }

  private async format(context: string): Promise<string> {
    const cached = this.cache.get(context);
    if (cached !== undefined) return cached;
    const kv = parseLogContext(context);
    const nodeId = kv['com.docker.swarm.node.id'] ?? '';
    const serviceId = kv['com.docker.swarm.service.id'] ?? '';
    const taskId = kv['com.docker.swarm.task.id'] ?? '';
    let nodeName = nodeId;
    let serviceName = serviceId;
    let slot = 0;
    if (this.o.resolve) {
      if (!this.nodes.has(nodeId)) {
        const node = await this.ctx.api().get<Node>(`/nodes/${seg(nodeId)}`);
        this.nodes.set(nodeId, node.Description?.Hostname ?? nodeId);
      }
      if (!this.services.has(serviceId)) {
        const svc = await this.ctx
          .api()
          .get<Service>(`/services/${seg(serviceId)}`, { insertDefaults: false });
        this.services.set(serviceId, svc.Spec.Name ?? serviceId);
      }
      nodeName = this.nodes.get(nodeId) ?? nodeId;
      serviceName = this.services.get(serviceId) ?? serviceId;
    }
    const task = await this.ctx.api().get<Task>(`/tasks/${seg(taskId)}`);
    slot = task.Slot ?? 0;
    let name = `${serviceName}.${slot}`;
    if (this.o.taskIds) name += `.${this.o.trunc ? truncateId(taskId) : taskId}`;
    const pad = Math.max(0, this.padding - String(slot).length);
    const formatted = `${name}@${nodeName}${' '.repeat(pad)}`;
    this.cache.set(context, formatted);
    return formatted;
  }
}
