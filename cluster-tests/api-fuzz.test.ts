/**
 * API fuzzing against a real shoald (a single-node swarm, plus a node that is in no swarm): every
 * endpoint of the Docker-compatible API gets malformed JSON, wrong types, huge bodies, bad filters,
 * path tricks in IDs and names, and absurd values. Each must be answered with a 4xx whose JSON
 * `{"message"}` names what was wrong — never a 500, a hang or a crash — and afterwards the daemon
 * still answers and the cluster state (services, nodes, secrets, configs, networks, swarm) is exactly
 * what it was. Generated cases come from a seeded PRNG: the seed is printed, and
 * `SHOAL_FUZZ_SEED=<n>` repeats a run.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REPLICAS } from '../manager/controlapi/validate.ts';
import {
  BAD_FILTERS,
  ID_ALPHABET,
  ODD_IDS,
  ODD_IMAGES,
  ODD_NAMES,
  ODD_PATHS,
  ODD_FILTERS,
  absurdCases,
  getRefusal,
  harmless,
  inactiveCases,
  refusal,
  type Case,
} from './api-fuzz-cases.ts';
import { eventually } from './harness.ts';
import { api, ShoaldKit, type DaemonHandle } from './shoald-kit.ts';
import {
  badRejection,
  clip,
  describeBody,
  getAt,
  jsonPath,
  lastKey,
  paths,
  pick,
  prng,
  send,
  sendBig,
  setAt,
  wrongValues,
  type Body,
} from './api-fuzz-kit.ts';

const SEED = Number(process.env['SHOAL_FUZZ_SEED'] ?? 20261123);
console.log(`api fuzz: seed ${SEED} (SHOAL_FUZZ_SEED=${SEED} repeats this run)`);

const MiB = 1 << 20;

type Json = Record<string, unknown>;

const FILTER_KEYS = [
  'name',
  'id',
  'label',
  'role',
  'mode',
  'service',
  'node',
  'desired-state',
  'driver',
  'x',
];

interface Fixture {
  serviceId: string;
  secretId: string;
  configId: string;
  networkId: string;
  nodeId: string;
}

/** About how many bytes a body is (a stream counts as big). */
const bodyBytes = (b: Body): number =>
  'chunks' in b ? Infinity : 'raw' in b ? b.raw.length : (JSON.stringify(b.json) ?? '').length;

const b64 = (s: string): string => Buffer.from(s).toString('base64');

/** The state a failed request must leave untouched. */
const STATE_PATHS = ['/services', '/nodes', '/secrets', '/configs', '/networks', '/swarm'];

describe('API fuzz: bad input is a clear 4xx and changes nothing', () => {
  const kit = new ShoaldKit();
  let m: DaemonHandle, lone: DaemonHandle;
  const fx: Fixture = { serviceId: '', secretId: '', configId: '', networkId: '', nodeId: '' };
  let before = '';
  const counts: Record<string, number> = {};
  const started = Date.now();

  const state = async (n: DaemonHandle): Promise<string> => {
    const parts = await Promise.all(STATE_PATHS.map((p) => api(n.socket, 'GET', p)));
    return parts.map((r, i) => `${STATE_PATHS[i]} ${r.status} ${r.body}`).join('\n');
  };

  const versionOf = async (path: string): Promise<number> =>
    (await api(m.socket, 'GET', path)).json<{ Version: { Index: number } }>().Version.Index;

  /** Runs the cases (a few at a time), then checks the daemon is up and the state unchanged. */
  const run = async (group: string, cases: readonly Case[], node = m, parallel = 4): Promise<void> => {
    const failures: string[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let c = cases[next++]; c; c = cases[next++]) {
        const what = `${c.name}: ${c.method} ${clip(c.path, 120)} ${describeBody(c.body)}`;
        try {
          const r =
            c.body && bodyBytes(c.body) > MiB
              ? await sendBig(node.socket, c.method, c.path, c.body)
              : await send(node.socket, c.method, c.path, c.body, c.headers);
          const why =
            c.expect === 'reject'
              ? badRejection(r, { statuses: c.statuses, mentions: c.mentions })
              : r.status >= 500
                ? `status ${r.status}`
                : undefined;
          if (why) failures.push(`${what}\n    → ${why}: ${r.status} ${clip(r.body, 300)}`);
        } catch (err) {
          failures.push(`${what}\n    → ${(err as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
    counts[group] = cases.length;
    const ping = await api(node.socket, 'GET', '/_ping').catch((e: unknown) => ({ status: String(e) }));
    if (ping.status !== 200)
      failures.push(`daemon not answering after ${group}: ${ping.status}\n${kit.describe()}`);
    expect(failures, `${failures.length} of ${cases.length} cases failed (seed ${SEED})`).toEqual([]);
    if (node === m) expect(await state(m)).toBe(before);
  };

  beforeAll(async () => {
    [m, lone] = (await Promise.all(['fz', 'lone'].map((n) => kit.add(n)))) as [DaemonHandle, DaemonHandle];
    const init = await api(m.socket, 'POST', '/v1.47/swarm/init', {
      ListenAddr: m.addr,
      AdvertiseAddr: m.addr,
    });
    expect(init.status, init.body).toBe(200);
    fx.nodeId = init.json<string>();
    const created = async (path: string, body: unknown): Promise<string> => {
      const r = await api(m.socket, 'POST', path, body);
      expect(r.status, `${path}: ${r.body}`).toBe(201);
      const o = r.json<{ ID?: string; Id?: string }>();
      return o.ID ?? o.Id ?? '';
    };
    fx.secretId = await created('/secrets/create', { Name: 'fz-secret', Data: b64('s3cret') });
    fx.configId = await created('/configs/create', { Name: 'fz-config', Data: b64('cfg') });
    fx.networkId = await created('/networks/create', { Name: 'fz-net', Driver: 'overlay' });
    fx.serviceId = await created('/services/create', {
      Name: 'fz-web',
      Labels: { tier: 'web' },
      TaskTemplate: { ContainerSpec: { Image: 'busybox', Args: ['sleep', '600'] } },
      Mode: { Replicated: { Replicas: 0 } },
    });
    await eventually(
      async () => {
        const nodes = (await api(m.socket, 'GET', '/nodes')).json<{ Status: { State: string } }[]>();
        return nodes.length === 1 && nodes[0]?.Status.State === 'ready';
      },
      'the node to be ready',
      () => kit.describe(),
      30_000,
    );
    // Settle: the state must hold still on its own before it can be compared.
    await eventually(
      async () => {
        const a = await state(m);
        await new Promise((r) => setTimeout(r, 1500));
        before = await state(m);
        return a === before;
      },
      'the cluster state to settle',
      () => kit.describe(),
      30_000,
    );
  }, 120_000);

  afterAll(async () => {
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(
      `api fuzz: seed ${SEED}, ${total} cases in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`,
    );
    await kit.destroy();
  }, 120_000);

  /** The write endpoints of a manager with a valid body each (mutations of these are what is sent). */
  const writes = async (): Promise<{ path: string; body: unknown; statuses?: number[] }[]> => {
    const svc = (await api(m.socket, 'GET', `/services/${fx.serviceId}`)).json<{
      Spec: unknown;
      Version: { Index: number };
    }>();
    const swarm = (await api(m.socket, 'GET', '/swarm')).json<{
      Spec: unknown;
      Version: { Index: number };
    }>();
    return [
      {
        path: '/services/create',
        body: {
          Name: 'fz-new',
          Labels: { a: 'b' },
          TaskTemplate: {
            ContainerSpec: {
              Image: 'busybox:1.36',
              Args: ['sleep', '1'],
              Env: ['A=1'],
              StopGracePeriod: 1e9,
            },
            RestartPolicy: { Condition: 'none', Delay: 1000, MaxAttempts: 1 },
            Resources: { Limits: { NanoCPUs: 1000, MemoryBytes: MiB } },
            Placement: { Constraints: ['node.role==manager'] },
          },
          Mode: { Replicated: { Replicas: 0 } },
          UpdateConfig: { Parallelism: 1, Delay: 0, FailureAction: 'pause' },
          EndpointSpec: { Mode: 'vip', Ports: [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 30080 }] },
        },
      },
      { path: `/services/${fx.serviceId}/update?version=${svc.Version.Index}`, body: svc.Spec },
      { path: '/secrets/create', body: { Name: 'fz-new-secret', Labels: { a: 'b' }, Data: b64('x') } },
      {
        path: `/secrets/${fx.secretId}/update?version=${await versionOf(`/secrets/${fx.secretId}`)}`,
        body: { Name: 'fz-secret', Labels: { a: 'b' } },
      },
      { path: '/configs/create', body: { Name: 'fz-new-config', Labels: { a: 'b' }, Data: b64('x') } },
      {
        path: `/configs/${fx.configId}/update?version=${await versionOf(`/configs/${fx.configId}`)}`,
        body: { Name: 'fz-config', Labels: { a: 'b' } },
      },
      {
        path: '/networks/create',
        body: {
          Name: 'fz-new-net',
          Driver: 'overlay',
          Attachable: true,
          Labels: { a: 'b' },
          Options: { o: 'v' },
          IPAM: { Driver: 'default', Config: [{ Subnet: '10.200.0.0/24', Gateway: '10.200.0.1' }] },
        },
      },
      {
        path: `/nodes/${fx.nodeId}/update?version=${await versionOf(`/nodes/${fx.nodeId}`)}`,
        body: { Role: 'manager', Availability: 'active', Labels: { a: 'b' } },
      },
      { path: `/swarm/update?version=${swarm.Version.Index}`, body: swarm.Spec },
      { path: '/swarm/unlock', body: { UnlockKey: 'SWMKEY-1-nope' } },
      { path: '/swarm/init', body: { ListenAddr: m.addr, Spec: {} }, statuses: [400, 503] },
      {
        path: '/swarm/join',
        body: { RemoteAddrs: [m.addr], JoinToken: 'SWMTKN-1-nope' },
        statuses: [400, 503],
      },
    ];
  };

  it('malformed JSON, non-object bodies and bad content types', async () => {
    const rand = prng(SEED);
    const cases: Case[] = [];
    const broken = [
      '{',
      '{"Name":',
      '[1,2',
      "{'Name':'x'}",
      '{"a":1}}',
      'nul',
      '{"Name":"x",}',
      '\u0000',
      '\uFEFF{}x',
    ];
    for (let i = 0; i < 4; i++)
      broken.push(
        Array.from({ length: 1 + Math.floor(rand() * 40) }, () =>
          String.fromCharCode(Math.floor(rand() * 128)),
        ).join(''),
      );
    const deep = `{"Name":${'['.repeat(MiB)}${']'.repeat(MiB)}}`;
    const deepObject = `{"Labels":${'{"a":'.repeat(200_000)}1${'}'.repeat(200_000)}}`;
    for (const w of await writes()) {
      const st = w.statuses ? { statuses: [400, ...w.statuses.filter((s) => s !== 400)] } : {};
      cases.push({
        name: 'nested a million deep',
        method: 'POST',
        path: w.path,
        body: { raw: deep },
        expect: 'reject',
        ...st,
      });
      cases.push({
        name: 'objects 200k deep',
        method: 'POST',
        path: w.path,
        body: { raw: deepObject },
        expect: 'reject',
        ...st,
      });
      cases.push({
        name: 'invalid UTF-8',
        method: 'POST',
        path: w.path,
        body: {
          raw: Buffer.from([
            0x7b, 0x22, 0x4e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xff, 0x22, 0x7d,
          ]),
        },
        expect: 'reject',
        ...st,
      });
      cases.push({
        name: 'unknown Expect',
        method: 'POST',
        path: w.path,
        body: { json: w.body },
        headers: { expect: 'magic' },
        expect: 'reject',
        statuses: [417],
        mentions: 'Expect',
      });
      cases.push({
        name: 'gzip claimed, JSON sent',
        method: 'POST',
        path: w.path,
        body: { raw: '{"x":1' },
        headers: { 'content-encoding': 'gzip' },
        expect: 'reject',
        ...st,
      });
      for (const text of broken) {
        let valid = true;
        try {
          const v: unknown = JSON.parse(text.trim());
          valid = typeof v === 'object' && v !== null && !Array.isArray(v);
        } catch {
          valid = false;
        }
        if (valid) continue;
        cases.push({
          name: 'malformed JSON',
          method: 'POST',
          path: w.path,
          body: { raw: text },
          expect: 'reject',
          ...st,
        });
      }
      for (const v of [[], 'str', 42, true, null, [w.body]])
        cases.push({
          name: 'not an object',
          method: 'POST',
          path: w.path,
          body: { json: v },
          expect: 'reject',
          mentions: 'object',
          ...st,
        });
      cases.push({ name: 'no body', method: 'POST', path: w.path, expect: 'reject', ...st });
      cases.push({
        name: 'bad content type',
        method: 'POST',
        path: w.path,
        body: { raw: '<Name>x</Name>' },
        headers: { 'content-type': 'application/xml' },
        expect: 'reject',
        statuses: [415],
        mentions: 'application/xml',
      });
    }
    await run('malformed', cases);
  }, 60_000);

  it('wrong types in every field of every request body', async () => {
    const rand = prng(SEED + 1);
    const cases: Case[] = [];
    for (const w of await writes()) {
      for (const p of paths(w.body)) {
        const wrong = wrongValues(getAt(w.body, p));
        // Two wrong values per field, chosen by the seed (all of them would be ~3x the cases).
        for (const v of [pick(rand, wrong), pick(rand, wrong)])
          cases.push({
            name: `wrong type at ${jsonPath(p)}`,
            method: 'POST',
            path: w.path,
            body: { json: setAt(w.body, p, v) },
            expect: 'reject',
            statuses: w.statuses ?? [400],
            mentions: w.statuses ? undefined : lastKey(p),
          });
      }
    }
    await run('wrong types', cases);
  }, 90_000);

  it('huge bodies: 20 MB with a length, 20 MB chunked, a 10 MB label, and 3 MB under the limit', async () => {
    const cases: Case[] = [];
    const big = (n: number): string => 'a'.repeat(n);
    const twentyMb = JSON.stringify({ Name: 'fz-huge', Labels: { big: big(20 * MiB) } });
    for (const w of await writes()) {
      const st = { statuses: [413], mentions: /too large|limit/i };
      cases.push({
        name: '20 MB JSON',
        method: 'POST',
        path: w.path,
        body: { raw: twentyMb },
        expect: 'reject',
        ...st,
      });
      cases.push({
        name: '20 MB chunked garbage',
        method: 'POST',
        path: w.path,
        body: {
          chunks: function* () {
            for (let i = 0; i < 20; i++) yield Buffer.alloc(MiB, 0x7b);
          },
        },
        expect: 'reject',
        ...st,
      });
      const labelled = setAt(w.body, ['Labels'], { big: big(10 * MiB) });
      cases.push({
        name: '10 MB label',
        method: 'POST',
        path: w.path,
        body: { json: labelled },
        expect: 'reject',
        ...st,
      });
      // Under the body limit, over what one object may weigh in the replicated store.
      if (!w.statuses && !w.path.startsWith('/swarm/unlock'))
        cases.push({
          name: '3 MB label',
          method: 'POST',
          path: w.path,
          body: { json: setAt(w.body, ['Labels'], { big: big(3 * MiB) }) },
          expect: 'reject',
          statuses: [400],
          mentions: /bytes/,
        });
    }
    await run('huge bodies', cases, m, 2);
  }, 120_000);

  it('bad filters on every list endpoint', async () => {
    const rand = prng(SEED + 2);
    const lists = ['/services', '/nodes', '/tasks', '/secrets', '/configs', '/networks', '/events'];
    const cases: Case[] = [];
    const q = (f: string): string => `?filters=${encodeURIComponent(f)}`;
    for (const l of lists) {
      for (const f of BAD_FILTERS) {
        // Past Node's 16 KiB request head the HTTP parser itself answers (431, JSON).
        const tooLong = q(f).length > 16 * 1024;
        cases.push(
          getRefusal('bad filter', `${l}${q(f)}`, tooLong ? [431] : [400], tooLong ? 'header' : 'filter'),
        );
      }
      if (l !== '/events')
        for (const f of ODD_FILTERS) cases.push(harmless('odd filter', 'GET', `${l}${q(f)}`));
      for (let i = 0; i < 6; i++) {
        const keys = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(rand, FILTER_KEYS));
        const f = Object.fromEntries(keys.map((k) => [k, pick(rand, [[1], 'v', { v: 1 }, [[]], 3.5])]));
        cases.push(getRefusal('generated filter', `${l}${q(JSON.stringify(f))}`, [400], 'filter'));
      }
    }
    cases.push(
      getRefusal(
        'unknown desired-state',
        `/tasks${q('{"desired-state":["sleeping"]}')}`,
        [400],
        'desired-state',
      ),
      getRefusal('unknown service mode', `/services${q('{"mode":["sideways"]}')}`, [400], 'mode'),
      getRefusal('unknown task service', `/tasks${q('{"service":["../nope"]}')}`, [404], 'not found'),
      harmless('repeated filters', 'GET', '/services?filters=x&filters=%7B%7D'),
    );
    await run('filters', cases);
  }, 60_000);

  it('path tricks in IDs, and in the names of new objects', async () => {
    const rand = prng(SEED + 3);
    const known = [
      fx.serviceId,
      fx.secretId,
      fx.configId,
      fx.networkId,
      fx.nodeId,
      'fz-web',
      'fz-secret',
      'fz-config',
      'fz-net',
      'fz',
      'ingress',
    ];
    const ids = [...ODD_IDS];
    for (let i = 0; i < 40; i++) {
      const raw = Array.from({ length: 1 + Math.floor(rand() * 60) }, () => pick(rand, ID_ALPHABET)).join('');
      const id = raw.replace(/[^\x21-\x7e]|[?#]/g, (c) => encodeURIComponent(c));
      let decoded = id;
      try {
        decoded = decodeURIComponent(id);
      } catch {
        // a broken escape: the router rejects it
      }
      if (!known.some((k) => k.startsWith(decoded))) ids.push(id);
    }
    const cases: Case[] = [];
    const refuse = (method: string, path: string, body?: Body): Case =>
      body
        ? { name: 'odd ID', method, path, body, expect: 'reject' }
        : { name: 'odd ID', method, path, expect: 'reject' };
    for (const id of ids) {
      for (const kind of ['services', 'nodes', 'tasks', 'secrets', 'configs', 'networks']) {
        cases.push(refuse('GET', `/${kind}/${id}`));
        if (kind === 'tasks') continue;
        cases.push(refuse('DELETE', `/${kind}/${id}`));
        cases.push(refuse('POST', `/${kind}/${id}/update?version=1`, { json: { Name: 'x' } }));
      }
      for (const kind of ['services', 'tasks']) cases.push(refuse('GET', `/${kind}/${id}/logs?stdout=1`));
    }
    for (const p of ODD_PATHS) cases.push({ ...refuse('GET', p), name: 'odd path' });
    cases.push({ ...refuse('POST', '/services/../swarm/leave?force=1'), name: 'odd path' });
    const image = { TaskTemplate: { ContainerSpec: { Image: 'busybox' } } };
    for (const [i, n] of ODD_NAMES.entries()) {
      cases.push(
        refusal('odd service name', '/services/create', { json: { Name: n, ...image } }, 'Name', [400]),
      );
      for (const kind of ['secrets', 'configs'])
        cases.push(
          refusal(`odd ${kind} name`, `/${kind}/create`, { json: { Name: n, Data: b64('x') } }, 'Name'),
        );
      if (i >= 5) cases.push(refusal('odd network name', '/networks/create', { json: { Name: n } }, 'Name'));
    }
    for (const Image of ODD_IMAGES) {
      const body = { json: { Name: 'fz-img', TaskTemplate: { ContainerSpec: { Image } } } };
      cases.push(refusal('odd image', '/services/create', body, 'Image'));
    }
    await run('path tricks', cases);
  }, 90_000);

  it('absurd values: a million replicas, negative numbers, huge ports, bad versions', async () => {
    const swarm = (await api(m.socket, 'GET', '/swarm')).json<{ Version: { Index: number }; Spec: Json }>();
    const cases = absurdCases({
      serviceId: fx.serviceId,
      serviceVersion: await versionOf(`/services/${fx.serviceId}`),
      nodeId: fx.nodeId,
      nodeVersion: await versionOf(`/nodes/${fx.nodeId}`),
      secretId: fx.secretId,
      swarmVersion: swarm.Version.Index,
      swarmSpec: swarm.Spec,
    });
    await run('absurd values', cases);
  }, 60_000);

  it('odd queries on logs, events and the read-only endpoints', async () => {
    const logs = [`/services/${fx.serviceId}/logs`, '/tasks/nope/logs'];
    const cases: Case[] = [];
    for (const l of logs) {
      for (const q of [
        '',
        '?stdout=0&stderr=0',
        '?stdout=1&tail=abc',
        '?stdout=1&tail=1e309',
        '?stdout=1&tail=1.5',
        '?stdout=1&since=yesterday',
        '?stdout=1&since=-5',
        '?stdout=1&since=1e99',
        '?stdout=1&since=2026-13-45T99:99:99Z',
      ])
        cases.push({
          name: 'bad log query',
          method: 'GET',
          path: `${l}${q}`,
          expect: 'reject',
          statuses: [400, 404],
        });
    }
    for (const q of [
      '?stdout=1&tail=99999999999999999999',
      '?stdout=1&since=99999999999999999999',
      '?stdout=1&tail=-5&follow=0',
    ])
      cases.push({
        name: 'absurd but valid log query',
        method: 'GET',
        path: `${logs[0] ?? ''}${q}`,
        expect: 'harmless',
      });
    for (const q of ['?since=yesterday', '?until=tomorrow', '?until=-1x', '?since=1e99&until=1'])
      cases.push({
        name: 'bad events query',
        method: 'GET',
        path: `/events${q}`,
        expect: 'reject',
        statuses: [400],
      });
    cases.push({ name: 'events until the past', method: 'GET', path: '/events?until=1', expect: 'harmless' });
    for (const p of [
      '/_ping?x=%00',
      '/version?x=1',
      '/info?filters=notjson',
      '/metrics?name[]=x',
      '/swarm?x=1',
      '/swarm/unlockkey?x=1',
      '/services?status=maybe',
      `/services/${fx.serviceId}?insertDefaults=%00`,
      '/shoal/images?x=1',
    ])
      cases.push({ name: 'junk query', method: 'GET', path: p, expect: 'harmless' });
    for (const q of ['', '?name=../etc', '?name=a%00b', `?name=${'x'.repeat(300)}`, '?name=UP'])
      cases.push({
        name: 'bad image import',
        method: 'POST',
        path: `/shoal/images/import${q}`,
        body: { raw: 'not a tarball' },
        headers: { 'content-type': 'application/x-tar' },
        expect: 'reject',
        statuses: [400, 501],
      });
    cases.push({
      name: 'image import as JSON',
      method: 'POST',
      path: '/shoal/images/import?name=x',
      body: { json: { a: 1 } },
      expect: 'reject',
      statuses: [400, 415, 501],
    });
    cases.push({
      name: 'leave without force',
      method: 'POST',
      path: '/swarm/leave?force=0',
      body: { raw: '{{{' },
      expect: 'reject',
      statuses: [400, 503],
    });
    await run('queries', cases);
  }, 60_000);

  it('a node in no swarm: bad init, join and unlock requests leave it inactive', async () => {
    const rand = prng(SEED + 4);
    const cases: Case[] = [];
    const init = {
      ListenAddr: lone.addr,
      AdvertiseAddr: lone.addr,
      DataPathPort: 4789,
      DefaultAddrPool: ['10.10.0.0/16'],
      SubnetSize: 24,
      Spec: { Orchestration: { TaskHistoryRetentionLimit: 3 }, Dispatcher: { HeartbeatPeriod: 5e9 } },
    };
    for (const p of paths(init)) {
      const wrong = wrongValues(getAt(init, p));
      cases.push({
        name: `init: wrong type at ${jsonPath(p)}`,
        method: 'POST',
        path: '/swarm/init',
        body: { json: setAt(init, p, pick(rand, wrong)) },
        expect: 'reject',
        statuses: [400],
        mentions: lastKey(p),
      });
    }
    cases.push(...inactiveCases(init, m.addr));
    await run('inactive node', cases, lone, 1);
    const info = (await api(lone.socket, 'GET', '/info')).json<{ Swarm: { LocalNodeState: string } }>();
    expect(info.Swarm.LocalNodeState).toBe('inactive');
    // A well-formed address that is not this host's is refused before anything starts.
    const foreign = await send(lone.socket, 'POST', '/swarm/init', {
      json: { ListenAddr: '203.0.113.7:2377', AdvertiseAddr: '203.0.113.7:2377' },
    });
    expect(badRejection(foreign, { statuses: [400], mentions: 'ListenAddr' }), foreign.body).toBeUndefined();
    // Nothing above may have left the node unable to do what it is for.
    const ok = await api(lone.socket, 'POST', '/swarm/init', {
      ListenAddr: lone.addr,
      AdvertiseAddr: lone.addr,
    });
    expect(ok.status, ok.body).toBe(200);
  }, 120_000);

  // An init that fails once the raft log exists (here: the listen port is taken) removes what it
  // made (manager/manager.ts Manager.init), so the next init works.
  it('a failed init (listen port taken) leaves the node able to init again', async () => {
    const n = await kit.add('lone2');
    const taken = await send(n.socket, 'POST', '/swarm/init', {
      json: { ListenAddr: m.addr, AdvertiseAddr: m.addr },
    });
    expect(badRejection(taken, { statuses: [400], mentions: 'ListenAddr' }), taken.body).toBeUndefined();
    const ok = await api(n.socket, 'POST', '/swarm/init', { ListenAddr: n.addr, AdvertiseAddr: n.addr });
    expect(ok.status, ok.body).toBe(200);
  }, 60_000);

  it('the manager is still whole: same state, serves a normal request, logged no unexpected failure', async () => {
    expect(await state(m)).toBe(before);
    const r = await api(m.socket, 'GET', `/services/fz-web`);
    expect(r.status, r.body).toBe(200);
    for (const n of [m, lone]) expect(n.proc?.exitCode ?? null, kit.tail(n)).toBeNull();
    // The API logs a warning for every 500 that is not a ShoalError (an unexpected failure).
    const log = readFileSync(m.logFile, 'utf8') + readFileSync(lone.logFile, 'utf8');
    expect(log.split('\n').filter((l) => l.includes('API request failed'))).toEqual([]);
  });

  it(`at the replica bound (${MAX_REPLICAS}) a service is accepted and the leader keeps answering`, async () => {
    const t0 = Date.now();
    const r = await api(m.socket, 'POST', '/services/create', {
      Name: 'fz-many',
      TaskTemplate: {
        ContainerSpec: { Image: 'busybox', Args: ['sleep', '600'] },
        // Nothing matches: the tasks are made and wait for a node, none runs on this machine.
        Placement: { Constraints: ['node.labels.fz-nowhere==1'] },
      },
      Mode: { Replicated: { Replicas: MAX_REPLICAS } },
    });
    expect(r.status, r.body).toBe(201);
    let slowestPingMs = 0;
    await eventually(
      async () => {
        const p0 = Date.now();
        expect((await api(m.socket, 'GET', '/_ping')).status).toBe(200);
        slowestPingMs = Math.max(slowestPingMs, Date.now() - p0);
        const s = (
          await api(m.socket, 'GET', '/services?status=true&filters=%7B%22name%22%3A%5B%22fz-many%22%5D%7D')
        ).json<{ ServiceStatus?: { DesiredTasks: number } }[]>();
        const tasks = (
          await api(m.socket, 'GET', '/tasks?filters=%7B%22service%22%3A%5B%22fz-many%22%5D%7D')
        ).json<unknown[]>();
        return s[0]?.ServiceStatus?.DesiredTasks === MAX_REPLICAS && tasks.length === MAX_REPLICAS;
      },
      `${MAX_REPLICAS} tasks of fz-many`,
      () => kit.describe(),
      90_000,
    );
    console.log(
      `api fuzz: ${MAX_REPLICAS} tasks made in ${Date.now() - t0} ms; slowest ping meanwhile ${slowestPingMs} ms`,
    );
    const del = await api(m.socket, 'DELETE', '/services/fz-many');
    expect(del.status, del.body).toBe(200);
    expect((await api(m.socket, 'GET', '/_ping')).status).toBe(200);
  }, 150_000);
});
