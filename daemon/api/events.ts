/**
 * `GET /events`: Docker's event messages for swarm objects (service, node, secret, config, network),
 * one JSON object per line, made from the replicated store's watch events on a manager. Shoal keeps
 * no event history: `since` replays nothing; `until` ends the stream at that time (at once when past).
 */
import type { FastifyPluginAsync } from 'fastify';
import { nameOf } from '../../manager/store/memory.ts';
import type { AnyObject, Kind, Node, Service, StoreEvent } from '../../manager/store/types.ts';
import type { DaemonBackend } from '../backend.ts';
import { onlyFilters, param, parseFilters, type Filters, type Query } from './common.ts';
import { parseSince } from './logs.ts';
import { OpenStreams } from './stream.ts';

/** The event filter keys Docker accepts (types Shoal never emits simply match nothing). */
const EVENT_FILTERS = [
  'config',
  'container',
  'daemon',
  'event',
  'image',
  'label',
  'network',
  'node',
  'plugin',
  'scope',
  'secret',
  'service',
  'type',
  'volume',
];

/** The store kinds Docker reports as events. */
const EVENT_KINDS: readonly Kind[] = ['service', 'node', 'secret', 'config', 'network'];

/** One Docker event message. */
export interface DockerEvent {
  readonly Type: string;
  readonly Action: string;
  readonly Actor: { readonly ID: string; readonly Attributes: Record<string, string> };
  readonly scope: 'swarm';
  readonly time: number;
  readonly timeNano: bigint;
}

function changed(attrs: Record<string, string>, key: string, before: string, after: string): void {
  if (before === after) return;
  attrs[`${key}.old`] = before;
  attrs[`${key}.new`] = after;
}

function updateAttributes(e: StoreEvent, attrs: Record<string, string>): void {
  if (!e.old) return;
  if (e.kind === 'service') {
    const [o, n] = [e.old as Service, e.object as Service];
    const image = (s: Service): string => s.spec?.taskTemplate?.containerSpec?.image ?? '';
    const replicas = (s: Service): string => String(s.spec?.mode?.replicated?.replicas ?? '');
    changed(attrs, 'image', image(o), image(n));
    changed(attrs, 'replicas', replicas(o), replicas(n));
  } else if (e.kind === 'node') {
    const [o, n] = [e.old as Node, e.object as Node];
    const lower = (s: string | undefined, prefix: string): string =>
      (s ?? '').replace(prefix, '').toLowerCase();
    changed(attrs, 'state', lower(o.status?.state, 'STATE_'), lower(n.status?.state, 'STATE_'));
    changed(
      attrs,
      'availability',
      lower(o.spec?.availability, 'AVAILABILITY_'),
      lower(n.spec?.availability, 'AVAILABILITY_'),
    );
    changed(attrs, 'role', lower(o.spec?.role, 'NODE_ROLE_'), lower(n.spec?.role, 'NODE_ROLE_'));
  }
}

function labelsOf(o: AnyObject): Record<string, string> {
  return (o as { spec?: { labels?: Record<string, string> } | null }).spec?.labels ?? {};
}

/** One line of the events stream (`timeNano` written exactly: it exceeds a double's precision). */
export function eventLine(ev: DockerEvent): string {
  return `${JSON.stringify({ ...ev, timeNano: 0 }).replace(/"timeNano":0}$/, `"timeNano":${ev.timeNano}}`)}\n`;
}

/** The Docker event for a store event, or undefined for kinds Docker does not report. */
export function dockerEvent(e: StoreEvent, nowMs: number): DockerEvent | undefined {
  if (!EVENT_KINDS.includes(e.kind)) return undefined;
  const attrs: Record<string, string> = { name: nameOf(e.kind, e.object) };
  if (e.action === 'update') updateAttributes(e, attrs);
  return {
    Type: e.kind,
    Action: e.action,
    Actor: { ID: e.object.id, Attributes: attrs },
    scope: 'swarm',
    time: Math.floor(nowMs / 1000),
    timeNano: BigInt(Math.round(nowMs)) * 1_000_000n,
  };
}

function matchesAny(wanted: readonly string[] | undefined, ...have: string[]): boolean {
  return !wanted || wanted.length === 0 || wanted.some((w) => have.includes(w));
}

/** Whether an event passes Docker's filters (each key any of its values; all keys must hold). */
export function eventMatches(ev: DockerEvent, labels: Record<string, string>, f: Filters): boolean {
  if (!matchesAny(f.get('type'), ev.Type)) return false;
  if (!matchesAny(f.get('event'), ev.Action)) return false;
  if (!matchesAny(f.get('scope'), ev.scope)) return false;
  for (const t of ['container', 'image', 'volume', 'plugin', 'daemon'])
    if ((f.get(t)?.length ?? 0) > 0) return false;
  for (const kind of ['service', 'node', 'secret', 'config', 'network'] as const) {
    const wanted = f.get(kind);
    if (
      wanted &&
      wanted.length > 0 &&
      (ev.Type !== kind || !matchesAny(wanted, ev.Actor.ID, ev.Actor.Attributes['name'] ?? ''))
    )
      return false;
  }
  const wantedLabels = f.get('label') ?? [];
  return wantedLabels.every((l) => {
    const eq = l.indexOf('=');
    return eq < 0 ? labels[l] !== undefined : labels[l.slice(0, eq)] === l.slice(eq + 1);
  });
}

/** The events route. */
export function eventsPlugin(backend: DaemonBackend): FastifyPluginAsync {
  return (app) => {
    const streams = new OpenStreams(app);
    app.get('/events', (req, reply) => {
      const q = req.query as Query;
      const filters = parseFilters(q);
      onlyFilters(filters, EVENT_FILTERS);
      parseSince(param(q, 'since'));
      const until = parseSince(param(q, 'until'));
      const untilMs = until ? until.seconds * 1000 + until.nanos / 1e6 : undefined;
      const out = streams.start(reply, 'application/json');
      if (untilMs !== undefined && untilMs <= Date.now()) return out.end();
      const store = backend.store();
      const onEvent = (e: StoreEvent): void => {
        const ev = dockerEvent(e, Date.now());
        if (ev && eventMatches(ev, labelsOf(e.object), filters)) out.write(eventLine(ev));
      };
      store?.events.on('event', onEvent);
      const timer = untilMs === undefined ? undefined : setTimeout(() => out.end(), untilMs - Date.now());
      out.signal.addEventListener('abort', () => {
        store?.events.off('event', onEvent);
        if (timer) clearTimeout(timer);
        out.end();
      });
    });
    return Promise.resolve();
  };
}
