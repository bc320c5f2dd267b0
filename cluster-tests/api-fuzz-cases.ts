/**
 * Hand-written cases of the API fuzz test (api-fuzz.test.ts) as tables: absurd values for every
 * write endpoint, and what a node in no swarm is sent. Each row is one request that must be refused.
 */
import type { Body } from './api-fuzz-kit.ts';

/** One request and what its answer must be. */
export interface Case {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly body?: Body;
  readonly headers?: Record<string, string>;
  /** reject: a 4xx (or `statuses`) with a JSON message; harmless: anything below 500. */
  readonly expect: 'reject' | 'harmless';
  readonly statuses?: readonly number[] | undefined;
  readonly mentions?: string | RegExp | undefined;
}

type Json = Record<string, unknown>;

/** A POST that must be refused with `statuses` (400 unless given) and a message mentioning `mentions`. */
export function refusal(name: string, path: string, body: Body, mentions?: string, statuses = [400]): Case {
  return { name, method: 'POST', path, body, expect: 'reject', statuses, mentions };
}

/** A GET that must be refused with `statuses` and a message mentioning `mentions`. */
export function getRefusal(name: string, path: string, statuses: number[], mentions?: string): Case {
  return { name, method: 'GET', path, expect: 'reject', statuses, mentions };
}

/** A request whose answer may be anything but a 5xx (and must change nothing). */
export function harmless(name: string, method: string, path: string): Case {
  return { name, method, path, expect: 'harmless' };
}

/** IDs in paths that name nothing (each percent-escape as the client sends it). */
export const ODD_IDS = [
  ...['..', '%2e%2e', '.%2e', '..%2f..%2fetc%2fpasswd', '%2e%2e%5c%2e%2e', '%00', 'a%00b', '.', '%20', '*'],
  ...['a%2Fb', '%E2%98%83', '%F0%9F%92%A9', '%ED%A0%80', '%FF%FE', '%zz', '%', '%25', "'%3B--"],
  ...['x'.repeat(4000), '%2e'.repeat(3000)],
];

/** What generated IDs are made of. */
export const ID_ALPHABET = [
  '.',
  '/',
  '%2F',
  '%00',
  '%',
  '\\',
  '~',
  '$',
  'é',
  '☃',
  '\u202e',
  '\n',
  ' ',
  'Z',
  '_',
  '..',
];

/** Paths that lead nowhere, or to the wrong place. */
export const ODD_PATHS = [
  ...[
    '/v1.47/../services',
    '/v9.99/services',
    '/v1.2/services',
    '/v1.47abc/services',
    '/%2e%2e/info',
    '/nope',
  ],
  ...['/v1.99999999999999999999/services', '/services/../swarm/leave', '/distribution/..%2f..%2fetc/json'],
  `/distribution/${'x'.repeat(5000)}/json`,
];

/** Names no new service, secret or config may take (networks: all but the first five). */
export const ODD_NAMES = [
  ...['..', '-lead', 'trail-', '%2e%2e', 'snow☃man'],
  ...['../etc', 'a\u0000b', 'x'.repeat(10000), '\u202eevil', 'a/b', 'a b', ' '],
];

/** Image references a service may not have. */
export const ODD_IMAGES = [
  '',
  '../../etc/passwd',
  'a\u0000b',
  'UPPER',
  'x'.repeat(5000),
  'busybox@sha256:zz',
];

/** Filters every list endpoint must refuse (400; the last is past Node's 16 KiB request head: 431). */
export const BAD_FILTERS = [
  ...['notjson', '{', '[]', '"str"', '1', 'null', 'true', '%00', '{"name":"web"}', '{"name":[1]}'],
  ...['{"name":[null]}', '{"name":null}', '{"name":5}', '{"bogus-key":["x"]}', '{"__proto__":["x"]}'],
  ...['{"constructor":["x"]}', '{"toString":{"x":true}}', '{"name":{"a":{"b":true}}}'],
  `{"name":${'['.repeat(5000)}${']'.repeat(5000)}}`,
];

/** Odd filters that are still well-formed: any answer below 500. */
export const ODD_FILTERS = [
  ...['', '{}', '{"name":{"x":false}}', '{"name":["%2e%2e/../"]}', '{"id":["\\u0000"]}'],
  ...[`{"name":["${'x'.repeat(5000)}"]}`, '{"label":["=","==","a=b=c"]}'],
];

/** name → [what the message must mention, the fields put over a valid service spec]. */
const SERVICE_ABSURD: Record<string, [string, Json]> = {
  'a million replicas': ['Replicas', { Mode: { Replicated: { Replicas: 1_000_000 } } }],
  '2^53 replicas': ['Replicas', { Mode: { Replicated: { Replicas: 2 ** 53 } } }],
  'negative replicas': ['Replicas', { Mode: { Replicated: { Replicas: -1 } } }],
  'fractional replicas': ['Replicas', { Mode: { Replicated: { Replicas: 1.5 } } }],
  'replicas as a string': ['Replicas', { Mode: { Replicated: { Replicas: '3' } } }],
  'NaN-ish replicas': ['Replicas', { Mode: { Replicated: { Replicas: 'NaN' } } }],
  'a million concurrent job tasks': ['MaxConcurrent', { Mode: { ReplicatedJob: { MaxConcurrent: 1e6 } } }],
  'a billion job completions': ['TotalCompletions', { Mode: { ReplicatedJob: { TotalCompletions: 1e9 } } }],
  'two modes': ['Mode', { Mode: { Replicated: { Replicas: 1 }, Global: {} } }],
  'port 70000': ['TargetPort', { EndpointSpec: { Ports: [{ TargetPort: 70000 }] } }],
  'published port a million': [
    'PublishedPort',
    { EndpointSpec: { Ports: [{ TargetPort: 80, PublishedPort: 1e6 }] } },
  ],
  'published port 65536': [
    'PublishedPort',
    { EndpointSpec: { Ports: [{ TargetPort: 80, PublishedPort: 65536 }] } },
  ],
  'negative port': ['TargetPort', { EndpointSpec: { Ports: [{ TargetPort: -80 }] } }],
  'port 0 target': ['TargetPort', { EndpointSpec: { Ports: [{ TargetPort: 0, PublishedPort: 8080 }] } }],
  'duplicate published ports': [
    'Ports',
    {
      EndpointSpec: {
        Ports: [
          { TargetPort: 80, PublishedPort: 8080 },
          { TargetPort: 81, PublishedPort: 8080 },
        ],
      },
    },
  ],
  'unknown protocol': ['Protocol', { EndpointSpec: { Ports: [{ TargetPort: 80, Protocol: 'quic' }] } }],
  'negative update delay': ['Delay', { UpdateConfig: { Delay: -1 } }],
  'failure ratio 2': ['MaxFailureRatio', { UpdateConfig: { MaxFailureRatio: 2 } }],
  'negative parallelism': ['Parallelism', { UpdateConfig: { Parallelism: -1 } }],
  'unknown failure action': ['FailureAction', { UpdateConfig: { FailureAction: 'explode' } }],
};

/** name → [mention, the fields put over a valid TaskTemplate]. */
const TASK_ABSURD: Record<string, [string, Json]> = {
  'negative CPU': ['Resources', { Resources: { Limits: { NanoCPUs: -1 } } }],
  'negative memory': ['Resources', { Resources: { Reservations: { MemoryBytes: -5 } } }],
  'negative stop grace': ['StopGracePeriod', { ContainerSpec: { Image: 'busybox', StopGracePeriod: -1 } }],
  'negative restart delay': ['Delay', { RestartPolicy: { Delay: -1 } }],
  'negative max attempts': ['MaxAttempts', { RestartPolicy: { MaxAttempts: -1 } }],
  'bad restart condition': ['Condition', { RestartPolicy: { Condition: 'sometimes' } }],
  'duration as a string': ['Delay', { RestartPolicy: { Delay: '5s' } }],
  'bad constraint': ['Constraints', { Placement: { Constraints: ['node.role===x'] } }],
  'bad spread': ['Preferences', { Placement: { Preferences: [{ Spread: { SpreadDescriptor: '../x' } }] } }],
  'a missing secret': [
    'Secrets',
    { ContainerSpec: { Image: 'busybox', Secrets: [{ SecretName: '../nope', File: { Name: 'x' } }] } },
  ],
};

/** [name, path, body, mention, statuses] for secrets, configs and networks. */
const DATA_ABSURD: [string, string, Json, string, number[]?][] = [
  ['empty secret data', '/secrets/create', { Name: 'fz-s', Data: '' }, 'Data'],
  ['secret data not base64', '/secrets/create', { Name: 'fz-s', Data: '!!not base64!!' }, 'Data'],
  ['600 KB secret', '/secrets/create', { Name: 'fz-s', Data: 'A'.repeat(800 * 1024) }, 'Data'],
  ['600 KB config', '/configs/create', { Name: 'fz-c', Data: 'A'.repeat(800 * 1024) }, 'Data'],
  ['bridge driver', '/networks/create', { Name: 'fz-n', Driver: 'bridge' }, 'Driver'],
  [
    'bad subnet',
    '/networks/create',
    { Name: 'fz-n', IPAM: { Config: [{ Subnet: '999.0.0.0/8' }] } },
    'Subnet',
  ],
  [
    'subnet /33',
    '/networks/create',
    { Name: 'fz-n', IPAM: { Config: [{ Subnet: '10.0.0.0/33' }] } },
    'Subnet',
  ],
  ['bad gateway', '/networks/create', { Name: 'fz-n', IPAM: { Config: [{ Gateway: 'gw' }] } }, 'Gateway'],
  ['a second ingress', '/networks/create', { Name: 'fz-n', Ingress: true }, 'ingress', [409]],
  ['predefined name', '/networks/create', { Name: 'host' }, 'Name'],
];

/** What the absurd-value cases need to know about the cluster. */
export interface AbsurdContext {
  readonly serviceId: string;
  readonly serviceVersion: number;
  readonly nodeId: string;
  readonly nodeVersion: number;
  readonly secretId: string;
  readonly swarmVersion: number;
  readonly swarmSpec: Json;
}

/** Absurd values for every write endpoint (a million replicas, negative numbers, huge ports, bad versions). */
export function absurdCases(c: AbsurdContext): Case[] {
  const create = '/services/create';
  const svc = (over: Json): Body => ({
    json: { Name: 'fz-absurd', TaskTemplate: { ContainerSpec: { Image: 'busybox' } }, ...over },
  });
  const task = (over: Json): Body => svc({ TaskTemplate: { ContainerSpec: { Image: 'busybox' }, ...over } });
  const cases: Case[] = [
    ...Object.entries(SERVICE_ABSURD).map(([name, [m, over]]) => refusal(name, create, svc(over), m)),
    ...Object.entries(TASK_ABSURD).map(([name, [m, over]]) => refusal(name, create, task(over), m)),
    ...DATA_ABSURD.map(([name, path, body, m, st]) => refusal(name, path, { json: body }, m, st)),
    refusal('Infinity-ish replicas', create, {
      raw: '{"Name":"x","Mode":{"Replicated":{"Replicas":1e400}}}',
    }),
    refusal('a missing network', create, task({ Networks: [{ Target: '../nope' }] }), 'network', [404]),
    refusal('duplicate service', create, svc({ Name: 'fz-web' }), 'fz-web', [409]),
  ];
  const su = `/swarm/update?version=${c.swarmVersion}`;
  const swarm = (over: Json): Body => ({ json: { ...c.swarmSpec, ...over } });
  const sup = `/services/${c.serviceId}/update?version=${c.serviceVersion}`;
  const nup = `/nodes/${c.nodeId}/update?version=${c.nodeVersion}`;
  cases.push(
    refusal(
      'scale to a million',
      sup,
      svc({ Name: 'fz-web', Mode: { Replicated: { Replicas: 1e6 } } }),
      'Replicas',
    ),
    refusal('rename', sup, svc({ Name: 'fz-other' }), 'Name'),
    refusal('mode change', sup, svc({ Name: 'fz-web', Mode: { Global: {} } }), 'Mode'),
    refusal('rollback to nothing', `${sup}&rollback=previous`, { json: {} }, 'previous spec'),
    refusal('rollback to somewhere', `${sup}&rollback=sideways`, svc({ Name: 'fz-web' }), 'rollback'),
    refusal('king role', nup, { json: { Role: 'king' } }, 'Role'),
    refusal('sleepy availability', nup, { json: { Availability: 'sleep' } }, 'Availability'),
    refusal('demote the last manager', nup, { json: { Role: 'worker' } }, 'last manager'),
    {
      ...refusal('remove the manager', `/nodes/${c.nodeId}?force=1`, { raw: '' }, 'manager'),
      method: 'DELETE',
    },
    refusal(
      'negative history',
      su,
      swarm({ Orchestration: { TaskHistoryRetentionLimit: -1 } }),
      'TaskHistory',
    ),
    refusal('negative heartbeat', su, swarm({ Dispatcher: { HeartbeatPeriod: -1 } }), 'HeartbeatPeriod'),
    refusal('one-nanosecond certificates', su, swarm({ CAConfig: { NodeCertExpiry: 1 } }), 'NodeCertExpiry'),
    refusal(
      'election tick under heartbeat',
      su,
      swarm({ Raft: { ElectionTick: 1, HeartbeatTick: 5 } }),
      'Tick',
    ),
    refusal(
      'heartbeat 2^63',
      su,
      {
        // 2^63 - 1 (Go's max int64) is written as is: JSON.stringify would round it.
        raw: JSON.stringify({ ...c.swarmSpec, Dispatcher: { HeartbeatPeriod: 123454321 } }).replace(
          '123454321',
          '9223372036854775807',
        ),
      },
      'HeartbeatPeriod',
    ),
  );
  const updates: [string, Body][] = [
    [`/services/${c.serviceId}/update`, svc({ Name: 'fz-web' })],
    [`/nodes/${c.nodeId}/update`, { json: { Role: 'manager' } }],
    [`/secrets/${c.secretId}/update`, { json: { Name: 'fz-secret' } }],
    ['/swarm/update', { json: c.swarmSpec }],
  ];
  for (const [path, good] of updates) {
    for (const v of ['', 'abc', '-1', '1.5', '1e99', 'NaN', '0x10', '%00', '99999999999999999999'])
      cases.push(refusal(`version=${v}`, `${path}?version=${v}`, good, 'version'));
    cases.push(refusal('no version', path, good, 'version'));
    // Docker answers a stale version with 500 "update out of sequence" (docker-api.md); the CLI shows it.
    cases.push(refusal('stale version', `${path}?version=999999`, good, 'out of sequence', [500]));
  }
  return cases;
}

/** [field, value] pairs that make a `swarm init` body invalid. */
const INIT_ABSURD: [string, unknown][] = [
  ['DataPathPort', 70000],
  ['DataPathPort', 80],
  ['SubnetSize', 33],
  ['SubnetSize', 1],
  ['DefaultAddrPool', ['junk']],
  ['DefaultAddrPool', ['10.0.0.0/40']],
  ['DataPathAddr', '../x'],
];

/** Addresses no init or join may get past the API with. */
const BAD_ADDRS = [
  '../x',
  'a\u0000b',
  '127.0.0.1:99999',
  '127.0.0.1:-1',
  '127.0.0.1:0',
  '[::1',
  ':::',
  'x y',
  'x'.repeat(5000),
  '☃:2377',
  'tcp://127.0.0.1:2377/..',
];

/** What a node in no swarm is sent: bad inits and joins (`init` is a valid init body), and manager calls. */
export function inactiveCases(init: Json, managerAddr: string): Case[] {
  const cases: Case[] = [];
  for (const a of BAD_ADDRS) {
    cases.push(
      refusal('init: bad ListenAddr', '/swarm/init', { json: { ...init, ListenAddr: a } }, 'ListenAddr'),
    );
    cases.push(
      refusal(
        'init: bad AdvertiseAddr',
        '/swarm/init',
        { json: { ...init, AdvertiseAddr: a } },
        'AdvertiseAddr',
      ),
    );
    const join = { RemoteAddrs: [a], JoinToken: 'SWMTKN-1-x' };
    cases.push(refusal('join: bad RemoteAddrs', '/swarm/join', { json: join }, 'RemoteAddrs'));
  }
  for (const [k, v] of INIT_ABSURD)
    cases.push(refusal(`init: bad ${k}`, '/swarm/init', { json: { ...init, [k]: v } }, k));
  const withSpec = (spec: Json): Body => ({ json: { ...init, Spec: spec } });
  const join = (body: Json): Body => ({ json: body });
  const create = { Name: 'x', TaskTemplate: { ContainerSpec: { Image: 'busybox' } } };
  cases.push(
    refusal(
      'init: negative history',
      '/swarm/init',
      withSpec({ Orchestration: { TaskHistoryRetentionLimit: -1 } }),
    ),
    refusal(
      'init: 1 ns certificates',
      '/swarm/init',
      withSpec({ CAConfig: { NodeCertExpiry: 1 } }),
      'NodeCertExpiry',
    ),
    refusal('join: no token', '/swarm/join', join({ RemoteAddrs: [managerAddr] }), 'JoinToken'),
    refusal(
      'join: junk token',
      '/swarm/join',
      join({ RemoteAddrs: [managerAddr], JoinToken: '../..' }),
      'token',
      [400, 401],
    ),
    refusal(
      'join: no addresses',
      '/swarm/join',
      join({ RemoteAddrs: [], JoinToken: 'SWMTKN-1-x' }),
      'RemoteAddr',
    ),
    refusal(
      'unlock: not in a swarm',
      '/swarm/unlock',
      { json: { UnlockKey: 'SWMKEY-1-x' } },
      undefined,
      [400, 503],
    ),
    refusal('leave: not in a swarm', '/swarm/leave?force=1', { raw: '' }, 'not part of a swarm', [503]),
    refusal('update: not a manager', '/swarm/update?version=1', { json: {} }, 'not a swarm manager', [503]),
    refusal('create: not a manager', '/services/create', { json: create }, 'not a swarm manager', [503]),
    {
      name: 'services: bad filter',
      method: 'GET',
      path: '/services?filters=x',
      expect: 'reject',
      statuses: [400, 503],
    },
    {
      name: 'networks: bad filter',
      method: 'GET',
      path: '/networks?filters=%5B%5D',
      expect: 'reject',
      statuses: [400],
    },
  );
  return cases;
}
