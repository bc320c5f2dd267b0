/**
 * `GET /events`: what `docker events` shows for swarm objects — services, nodes, secrets, configs and
 * networks created, updated and removed — one JSON object per line, streamed from the manager's store
 * as changes commit, until the client goes away or `until` passes. Filters: type, event, scope and the
 * object kinds by ID or name (`service=web`).
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { StoreEvent } from '../../manager/store/types.ts';
import { DOCKER_API_VERSION, SHOAL_VERSION } from '../../proto/version.ts';
import type { DaemonBackend } from '../backend.ts';
import { controlOf, filters, q } from './common.ts';
import { HttpError } from './reply.ts';

const SHOWN = ['service', 'node', 'secret', 'config', 'network'] as const;
type Shown = (typeof SHOWN)[number];
const FILTER_KEYS = new Set(['type', 'event', 'scope', ...SHOWN]);

export interface DockerEvent {
  readonly Type: Shown;
  readonly Action: string;
  readonly Actor: { readonly ID: string; readonly Attributes: Record<string, string> };
  readonly scope: 'swarm';
  readonly time: number;
  readonly timeNano: number;
}

function nameOf(e: StoreEvent): string {
  const spec = (e.object as { spec?: { name?: string; annotations?: { name?: string } } | null }).spec;
  const desc = (e.object as { description?: { hostname?: string } | null }).description;
  return spec?.name || desc?.hostname || '';
}

/** A store event as Docker's event, or undefined for kinds `docker events` does not show. */
export function dockerEvent(e: StoreEvent, nowMs: number): DockerEvent | undefined {
  if (!(SHOWN as readonly string[]).includes(e.kind)) return undefined;
  const attributes: Record<string, string> = { name: nameOf(e) };
  if (e.kind === 'node' && e.action === 'update' && e.old) {
    const o = e.old as {
      status?: { state?: string } | null;
      spec?: { availability?: string; role?: string } | null;
    };
    const n = e.object as typeof o;
    if (o.status?.state !== n.status?.state) {
      attributes['state.old'] = lower(o.status?.state, 'STATE_');
      attributes['state.new'] = lower(n.status?.state, 'STATE_');
    }
    if (o.spec?.availability !== n.spec?.availability) {
      attributes['availability.old'] = lower(o.spec?.availability, 'AVAILABILITY_');
      attributes['availability.new'] = lower(n.spec?.availability, 'AVAILABILITY_');
    }
  }
  return {
    Type: e.kind as Shown,
    Action: e.action,
    Actor: { ID: (e.object as { id: string }).id, Attributes: attributes },
    scope: 'swarm',
    time: Math.floor(nowMs / 1000),
    timeNano: nowMs * 1e6,
  };
}

function lower(v: string | undefined, prefix: string): string {
  return (v ?? '').replace(prefix, '').toLowerCase();
}

/** The filter a client asked for, checked up front. */
export function eventFilter(query: unknown): (e: DockerEvent) => boolean {
  const f = filters(query).filters ?? {};
  for (const key of Object.keys(f))
    if (!FILTER_KEYS.has(key)) throw new HttpError(400, `invalid filter '${key}'`);
  const values = (k: string): string[] | undefined => {
    const v = f[k]?.values;
    return v && v.length > 0 ? v : undefined;
  };
  return (e) => {
    const types = values('type');
    if (types && !types.includes(e.Type)) return false;
    const actions = values('event');
    if (actions && !actions.includes(e.Action)) return false;
    const scope = values('scope');
    if (scope && !scope.includes('swarm')) return false;
    const byKind = values(e.Type);
    if (byKind && !byKind.some((v) => e.Actor.ID.startsWith(v) || e.Actor.Attributes['name'] === v))
      return false;
    // a filter on another kind excludes this kind
    if (!byKind && SHOWN.some((k) => k !== e.Type && values(k))) return false;
    return true;
  };
}

function parseTime(v: string | undefined, what: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const ms = Date.parse(v);
  if (Number.isNaN(ms))
    throw new HttpError(400, `invalid ${what} ${JSON.stringify(v)}: use unix seconds or RFC3339`);
  return ms;
}

async function events(backend: DaemonBackend, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  controlOf(backend);
  const store = backend.store();
  if (!store) throw new HttpError(503, 'the store is not available on this node');
  const keep = eventFilter(req.query);
  const until = parseTime(q(req.query, 'until'), 'until');
  parseTime(q(req.query, 'since'), 'since');
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Api-Version': DOCKER_API_VERSION,
    Ostype: 'linux',
    Server: `Shoal/${SHOAL_VERSION} (linux)`,
    'Transfer-Encoding': 'chunked',
  });
  if (until !== undefined && until <= Date.now()) {
    res.end();
    return;
  }
  await new Promise<void>((resolve) => {
    const onEvent = (e: StoreEvent): void => {
      const d = dockerEvent(e, Date.now());
      if (d && keep(d)) res.write(JSON.stringify(d) + '\n');
    };
    const timer = until !== undefined ? setTimeout(done, until - Date.now()) : undefined;
    function done(): void {
      clearTimeout(timer);
      store?.events.off('event', onEvent);
      res.end();
      resolve();
    }
    store.events.on('event', onEvent);
    req.raw.on('close', done);
  });
}

export function eventsPlugin(backend: DaemonBackend): FastifyPluginAsync {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/events', (req, reply) => events(backend, req, reply));
  };
}
