/**
 * A stateful stand-in for the parts of shoald `stack` commands use: networks, secrets, configs,
 * services and tasks in memory, label and name filters, versions that go up on every write, and
 * service specs stored as the server stores them (round-tripped through the proto canonical form,
 * one replica and `vip` filled in, network names resolved to IDs). For tests only.
 */
import { canonical } from '../../proto/docker/canonical.ts';
import type { Json } from '../types.ts';
import { INFO, node, SELF } from './fixtures.ts';
import { fakeDaemon, type FakeDaemon, type Recorded, type Reply } from './server.ts';

/** One stored object: ID, version and the spec (networks keep `Name`/`Id` flat, like the API). */
interface Stored {
  ID: string;
  Version: { Index: number };
  Spec: Json;
}

/** The fake and its state, for tests to inspect or seed. */
export interface StackFake {
  readonly daemon: FakeDaemon;
  readonly services: Map<string, Stored>;
  readonly secrets: Map<string, Stored>;
  readonly configs: Map<string, Stored>;
  readonly networks: Map<string, Json>;
  /** Adds a secret as `secret create` would (e.g. an external one). */
  addSecret(name: string, labels?: Record<string, string>): string;
  /** Requests that change state (POST or DELETE), as `METHOD /path` lines. */
  writes(): string[];
}

function filtersOf(rec: Recorded): Record<string, Record<string, boolean>> {
  const q = rec.url.split('?')[1] ?? '';
  const raw = new URLSearchParams(q.replace(/\+/g, '%2B')).get('filters');
  return raw ? (JSON.parse(raw) as Record<string, Record<string, boolean>>) : {};
}

function matches(rec: Recorded, name: string, labels: Record<string, string> | undefined): boolean {
  const f = filtersOf(rec);
  for (const want of Object.keys(f['label'] ?? {})) {
    const eq = want.indexOf('=');
    const key = eq < 0 ? want : want.slice(0, eq);
    if (labels?.[key] === undefined || (eq >= 0 && labels[key] !== want.slice(eq + 1))) return false;
  }
  const names = Object.keys(f['name'] ?? {});
  return names.length === 0 || names.some((n) => name.startsWith(n));
}

const tail = (rec: Recorded, prefix: string): string =>
  (rec.url.replace(/^\/v\d+\.\d+/, '').split('?')[0] ?? '').slice(prefix.length);

/** Starts the fake. IDs are `<kind><n>` padded to 25 characters so they look like Swarm's. */
export async function stackFake(): Promise<StackFake> {
  let index = 100;
  let serial = 0;
  const id = (kind: string) => `${kind}${++serial}`.padEnd(25, '0');
  const services = new Map<string, Stored>();
  const secrets = new Map<string, Stored>();
  const configs = new Map<string, Stored>();
  const networks = new Map<string, Json>();
  const notFound = (what: string): Reply => ({ status: 404, json: { message: `${what} not found` } });
  const find = (m: Map<string, Stored>, ref: string) =>
    m.get(ref) ?? [...m.values()].find((o) => o.Spec['Name'] === ref);
  const networkId = (ref: string): string | undefined => {
    if (networks.has(ref)) return ref;
    const id = [...networks.values()].find((n) => n['Name'] === ref)?.['Id'];
    return typeof id === 'string' ? id : undefined;
  };

  const storeSpec = (body: Json): Json => {
    const spec = canonical('ServiceSpec', structuredClone(body) as never) as Json;
    const mode = (spec['Mode'] ??= { Replicated: {} }) as { Replicated?: { Replicas?: number } };
    if (mode.Replicated) mode.Replicated.Replicas ??= 1;
    const endpoint = (spec['EndpointSpec'] ??= {}) as Json;
    endpoint['Mode'] ??= 'vip';
    const nets = ((spec['TaskTemplate'] as Json | undefined)?.['Networks'] ?? []) as Json[];
    for (const n of nets) n['Target'] = networkId(String(n['Target'])) ?? n['Target'];
    return spec;
  };

  const objectRoutes = (kind: 'secrets' | 'configs', m: Map<string, Stored>): Record<string, Reply> => ({
    [`GET /${kind}`]: (rec) => ({
      json: [...m.values()].filter((o) =>
        matches(rec, String(o.Spec['Name']), o.Spec['Labels'] as Record<string, string>),
      ),
    }),
    [`GET /${kind}/*`]: (rec) => {
      const o = find(m, tail(rec, `/${kind}/`));
      return o ? { json: o } : notFound(`${kind.slice(0, -1)} ${tail(rec, `/${kind}/`)}`);
    },
    [`POST /${kind}/create`]: (rec) => {
      const o: Stored = {
        ID: id(kind.slice(0, 3)),
        Version: { Index: ++index },
        Spec: { ...(rec.body as Json) },
      };
      if (kind === 'secrets') delete o.Spec['Data'];
      m.set(o.ID, o);
      return { status: 201, json: { ID: o.ID } };
    },
    [`POST /${kind}/*`]: (rec) => {
      const o = m.get(tail(rec, `/${kind}/`).replace(/\/update$/, ''));
      if (!o) return notFound(kind);
      o.Spec = { ...o.Spec, Labels: (rec.body as Json)['Labels'] };
      o.Version = { Index: ++index };
      return { json: {} };
    },
    [`DELETE /${kind}/*`]: (rec) => (m.delete(tail(rec, `/${kind}/`)) ? { status: 204 } : notFound(kind)),
  });

  const daemon = await fakeDaemon({
    'GET /info': { json: INFO },
    'GET /nodes/*': { json: node(SELF, 'fakehost', true) },
    'GET /distribution/*': { status: 404, json: { message: 'no such image' } },
    'GET /networks': (rec) => ({
      json: [...networks.values()].filter((n) =>
        matches(rec, String(n['Name']), n['Labels'] as Record<string, string>),
      ),
    }),
    'GET /networks/*': (rec) => {
      const ref = tail(rec, '/networks/');
      const nid = networkId(ref);
      return nid === undefined ? notFound(`network ${ref}`) : { json: networks.get(nid) };
    },
    'POST /networks/create': (rec) => {
      const body = rec.body as Json;
      const Id = id('net');
      networks.set(Id, {
        Name: body['Name'],
        Id,
        Scope: 'swarm',
        Driver: body['Driver'],
        Labels: body['Labels'],
      });
      return { status: 201, json: { Id, Warning: '' } };
    },
    'DELETE /networks/*': (rec) =>
      networks.delete(tail(rec, '/networks/')) ? { status: 204 } : notFound('network'),
    ...objectRoutes('secrets', secrets),
    ...objectRoutes('configs', configs),
    'GET /services': (rec) => ({
      json: [...services.values()].filter((s) =>
        matches(rec, String(s.Spec['Name']), s.Spec['Labels'] as Record<string, string>),
      ),
    }),
    'GET /services/*': (rec) => {
      const s = find(services, tail(rec, '/services/'));
      return s ? { json: s } : notFound('service');
    },
    'POST /services/create': (rec) => {
      const s: Stored = { ID: id('svc'), Version: { Index: ++index }, Spec: storeSpec(rec.body as Json) };
      services.set(s.ID, s);
      return { status: 201, json: { ID: s.ID, Warnings: null } };
    },
    'POST /services/*': (rec) => {
      const s = services.get(tail(rec, '/services/').replace(/\/update$/, ''));
      if (!s) return notFound('service');
      const version = Number(new URLSearchParams(rec.url.split('?')[1] ?? '').get('version'));
      if (version !== s.Version.Index) {
        return { status: 500, json: { message: 'rpc error: code = Unknown desc = update out of sequence' } };
      }
      s.Spec = storeSpec(rec.body as Json);
      s.Version = { Index: ++index };
      return { json: { Warnings: null } };
    },
    'DELETE /services/*': (rec) =>
      services.delete(tail(rec, '/services/')) ? { json: {} } : notFound('service'),
  });
  return {
    daemon,
    services,
    secrets,
    configs,
    networks,
    addSecret: (name, labels = {}) => {
      const s: Stored = { ID: id('sec'), Version: { Index: ++index }, Spec: { Name: name, Labels: labels } };
      secrets.set(s.ID, s);
      return s.ID;
    },
    writes: () =>
      daemon.requests
        .filter((r) => r.method === 'POST' || r.method === 'DELETE')
        .map((r) => `${r.method} ${r.url.replace(/^\/v\d+\.\d+/, '')}`),
  };
}
