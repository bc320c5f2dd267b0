import { describe, expect, it } from 'vitest';
import type { ServiceSpec } from '../../proto/gen/shoal/api/ServiceSpec.ts';
import {
  AlreadyExistsError,
  FailedPreconditionError,
  InvalidArgumentError,
} from '../../proto/shared/errors.ts';
import { blank, MemoryStore } from '../store/memory.ts';
import { OutOfSequenceError } from '../store/types.ts';
import { ControlApi } from './controlapi.ts';
import { withDefaults } from './defaults.ts';

function setup(o: { parseConstraints?: (e: string[]) => void } = {}): {
  store: MemoryStore;
  api: ControlApi;
} {
  const store = MemoryStore.local();
  return { store, api: new ControlApi({ store, now: () => 1_700_000_000_000, ...o }) };
}

const spec = (over: Partial<ServiceSpec> = {}): ServiceSpec => ({
  name: 'web',
  taskTemplate: { containerSpec: { image: 'nginx:1.27' } },
  ...over,
});

async function refused(p: Promise<unknown>): Promise<Error> {
  const r = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(r instanceof Error)) throw new Error('expected the call to fail');
  return r;
}

describe('create service', () => {
  it('stores the spec as given, with replicas 1, endpoint mode vip and spec version 1', async () => {
    const { api } = setup();
    const { service } = await api.createService({ spec: spec() });
    expect(service.id).toMatch(/^[0-9a-z]{25}$/);
    expect(service.spec?.mode?.replicated?.replicas).toBe(1);
    expect(service.spec?.endpointSpec?.mode).toBe('MODE_VIP');
    expect(service.spec?.updateConfig).toBeNull();
    expect(service.spec?.taskTemplate?.restartPolicy).toBeNull();
    expect(service.specVersion).toBe(1);
    expect(service.previousSpec).toBeNull();
  });

  it('keeps an explicit replica count, including 0', async () => {
    const { api } = setup();
    const { service } = await api.createService({ spec: spec({ mode: { replicated: { replicas: 0 } } }) });
    expect(service.spec?.mode?.replicated?.replicas).toBe(0);
  });

  it('withDefaults fills update, rollback, restart and stop grace period like insertDefaults', async () => {
    const { api } = setup();
    const { service } = await api.createService({ spec: spec() });
    const d = withDefaults(service.spec!);
    expect(d.updateConfig).toEqual({
      parallelism: 1,
      delay: 0,
      failureAction: 'FAILURE_ACTION_PAUSE',
      monitor: 5e9,
      maxFailureRatio: 0,
      order: 'ORDER_STOP_FIRST',
    });
    expect(d.rollbackConfig).toEqual(d.updateConfig);
    expect(d.taskTemplate?.restartPolicy).toMatchObject({
      condition: 'CONDITION_ANY',
      delay: 5e9,
      maxAttempts: 0,
    });
    expect(d.taskTemplate?.containerSpec?.stopGracePeriod).toBe(10e9);
    expect(service.spec?.updateConfig).toBeNull();
  });

  it('gives a service created without a name a Docker-style one', async () => {
    const { api } = setup();
    const { service } = await api.createService({ spec: spec({ name: '' }) });
    expect(service.spec?.name).toMatch(/^[a-z]+_[a-z]+$/);
  });

  it('refuses a second service with the same name with Docker message', async () => {
    const { api } = setup();
    await api.createService({ spec: spec() });
    const e = await refused(api.createService({ spec: spec() }));
    expect(e).toBeInstanceOf(AlreadyExistsError);
    expect(e.message).toBe('name conflicts with an existing object: service web already exists');
  });
});

describe('service validation', () => {
  const cases: [string, ServiceSpec, RegExp][] = [
    [
      'empty image',
      spec({ taskTemplate: { containerSpec: { image: '' } } }),
      /^Spec\.TaskTemplate\.ContainerSpec\.Image: image reference must be provided$/,
    ],
    [
      'uppercase repository',
      spec({ taskTemplate: { containerSpec: { image: 'Nginx:1' } } }),
      /^Spec\.TaskTemplate\.ContainerSpec\.Image: "Nginx:1" is not a valid repository\/tag: repository name must be lowercase$/,
    ],
    [
      'bad tag',
      spec({ taskTemplate: { containerSpec: { image: 'nginx:!x' } } }),
      /ContainerSpec\.Image: "nginx:!x" is not a valid repository\/tag: invalid reference format/,
    ],
    [
      'bad digest',
      spec({ taskTemplate: { containerSpec: { image: 'nginx@sha256:1234' } } }),
      /ContainerSpec\.Image: .*invalid reference format/,
    ],
    [
      'no container spec',
      { name: 'web', taskTemplate: {} },
      /^Spec\.TaskTemplate\.ContainerSpec: a container spec must be provided$/,
    ],
    [
      'negative replicas',
      spec({ mode: { replicated: { replicas: -1 } } }),
      /^Spec\.Mode\.Replicated\.Replicas: replicas must be a non-negative integer \(got -1\)$/,
    ],
    [
      'replicas on a global service',
      spec({ mode: { global: {}, replicated: { replicas: 3 } } }),
      /^Spec\.Mode: replicas can only be used with a replicated service, not a global one$/,
    ],
    [
      'unknown constraint key',
      spec({
        taskTemplate: { containerSpec: { image: 'nginx' }, placement: { constraints: ['node.colour==red'] } },
      }),
      /^Spec\.TaskTemplate\.Placement\.Constraints: .*unknown key "node\.colour"/,
    ],
    [
      'bad constraint operator',
      spec({
        taskTemplate: {
          containerSpec: { image: 'nginx' },
          placement: { constraints: ['node.role=manager'] },
        },
      }),
      /^Spec\.TaskTemplate\.Placement\.Constraints: invalid placement constraint "node\.role=manager": operator "=" is not supported \(use == or !=\)$/,
    ],
    [
      'bad spread descriptor',
      spec({
        taskTemplate: {
          containerSpec: { image: 'nginx' },
          placement: { preferences: [{ spread: { spreadDescriptor: 'node.zone' } }] },
        },
      }),
      /^Spec\.TaskTemplate\.Placement\.Preferences: invalid spread descriptor "node\.zone": want one of node\.id, node\.hostname, node\.ip, node\.role, node\.platform\.os, node\.platform\.arch, node\.labels\.<key>, engine\.labels\.<key>$/,
    ],
    [
      'host network with another network',
      spec({
        taskTemplate: {
          containerSpec: { image: 'nginx' },
          networks: [{ target: 'host' }, { target: 'ingress' }],
        },
      }),
      /^Spec\.TaskTemplate\.Networks: a service on the host network cannot be attached to other networks$/,
    ],
    [
      'duplicate published port',
      spec({
        endpointSpec: {
          ports: [
            { targetPort: 80, publishedPort: 8080 },
            { targetPort: 81, publishedPort: 8080, protocol: 'PROTOCOL_TCP' },
          ],
        },
      }),
      /^Spec\.EndpointSpec\.Ports: duplicate published ports provided \(8080\/tcp twice\)$/,
    ],
    [
      'invalid name',
      spec({ name: 'my web' }),
      /^Spec\.Name: name "my web" must be valid as a DNS name component$/,
    ],
    [
      'name too long',
      spec({ name: 'a'.repeat(64) }),
      /^Spec\.Name: name "a{64}" must be 63 characters or fewer$/,
    ],
    [
      'negative restart delay',
      spec({ taskTemplate: { containerSpec: { image: 'nginx' }, restartPolicy: { delay: -1 } } }),
      /^Spec\.TaskTemplate\.RestartPolicy\.Delay: restart delay cannot be negative/,
    ],
    [
      'failure ratio above 1',
      spec({ updateConfig: { maxFailureRatio: 1.5 } }),
      /^Spec\.UpdateConfig\.MaxFailureRatio: must be between 0 and 1/,
    ],
  ];
  it.each(cases)('%s → InvalidArgument naming the field', async (_what, given, message) => {
    const { api, store } = setup();
    const e = await refused(api.createService({ spec: given }));
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(e.message).toMatch(message);
    expect(store.count('service')).toBe(0);
  });

  it('accepts the same published port on different protocols, and valid constraints', async () => {
    const { api } = setup();
    await api.createService({
      spec: spec({
        taskTemplate: {
          containerSpec: { image: 'nginx' },
          placement: {
            constraints: [
              'node.role == manager',
              'node.labels.zone != eu',
              'engine.labels.disk==ssd',
              'node.ip==10.0.0.0/8',
            ],
            preferences: [{ spread: { spreadDescriptor: 'node.labels.zone' } }],
          },
        },
        endpointSpec: {
          ports: [
            { targetPort: 53, publishedPort: 53, protocol: 'PROTOCOL_TCP' },
            { targetPort: 53, publishedPort: 53, protocol: 'PROTOCOL_UDP' },
          ],
        },
      }),
    });
  });

  it('uses an injected constraint parser, naming the field in its error', async () => {
    const { api } = setup({
      parseConstraints: (e) => {
        if (e.includes('node.role == manager')) throw new Error('scheduler says no');
      },
    });
    const e = await refused(
      api.createService({
        spec: spec({
          taskTemplate: {
            containerSpec: { image: 'nginx' },
            placement: { constraints: ['node.role == manager'] },
          },
        }),
      }),
    );
    expect(e.message).toBe('Spec.TaskTemplate.Placement.Constraints: scheduler says no');
  });

  it('refuses an ingress port another service already publishes', async () => {
    const { api } = setup();
    await api.createService({
      spec: spec({ endpointSpec: { ports: [{ targetPort: 80, publishedPort: 8080 }] } }),
    });
    const e = await refused(
      api.createService({
        spec: spec({ name: 'api', endpointSpec: { ports: [{ targetPort: 90, publishedPort: 8080 }] } }),
      }),
    );
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(e.message).toMatch(
      /port '8080' is already in use by service 'web' \([0-9a-z]{25}\) as an ingress port/,
    );
  });
});

describe('update, force, rollback', () => {
  it('bumps specVersion and records previousSpec on a task change; scaling keeps the version', async () => {
    const { api } = setup();
    const { service: s1 } = await api.createService({ spec: spec() });
    const { service: s2 } = await api.updateService({
      serviceId: 'web',
      serviceVersion: s1.version,
      spec: spec({ taskTemplate: { containerSpec: { image: 'nginx:1.28' } } }),
    });
    expect(s2.specVersion).toBe(2);
    expect(s2.previousSpec?.taskTemplate?.containerSpec?.image).toBe('nginx:1.27');
    expect(s2.spec?.taskTemplate?.containerSpec?.image).toBe('nginx:1.28');
    const { service: s3 } = await api.updateService({
      serviceId: s2.id,
      serviceVersion: s2.version,
      spec: {
        ...spec({ taskTemplate: { containerSpec: { image: 'nginx:1.28' } } }),
        mode: { replicated: { replicas: 5 } },
      },
    });
    expect(s3.specVersion).toBe(2);
    expect(s3.spec?.mode?.replicated?.replicas).toBe(5);
    expect(s3.previousSpec?.mode?.replicated?.replicas).toBe(1);
  });

  it('treats a ForceUpdate increment as a spec change', async () => {
    const { api } = setup();
    const { service } = await api.createService({ spec: spec() });
    const { service: forced } = await api.updateService({
      serviceId: service.id,
      serviceVersion: service.version,
      spec: spec({ taskTemplate: { containerSpec: { image: 'nginx:1.27' }, forceUpdate: 1 } }),
    });
    expect(forced.specVersion).toBe(2);
  });

  it('refuses a stale version with "update out of sequence"', async () => {
    const { api } = setup();
    const { service } = await api.createService({ spec: spec() });
    await api.updateService({
      serviceId: service.id,
      serviceVersion: service.version,
      spec: spec({ labels: { a: '1' } }),
    });
    const e = await refused(
      api.updateService({
        serviceId: service.id,
        serviceVersion: service.version,
        spec: spec({ labels: { a: '2' } }),
      }),
    );
    expect(e).toBeInstanceOf(OutOfSequenceError);
    expect(e.message).toBe('update out of sequence');
  });

  it('refuses renames and mode changes', async () => {
    const { api } = setup();
    const { service } = await api.createService({ spec: spec() });
    const v = service.version;
    expect(
      (await refused(api.updateService({ serviceId: 'web', serviceVersion: v, spec: spec({ name: 'www' }) })))
        .message,
    ).toBe('Spec.Name: renaming services is not supported');
    expect(
      (
        await refused(
          api.updateService({ serviceId: 'web', serviceVersion: v, spec: spec({ mode: { global: {} } }) }),
        )
      ).message,
    ).toBe('Spec.Mode: service mode change is not allowed');
  });

  it('rolls back to the previous spec, swapping specs and marking the rollback', async () => {
    const { api } = setup();
    const { service: s1 } = await api.createService({ spec: spec() });
    const { service: s2 } = await api.updateService({
      serviceId: s1.id,
      serviceVersion: s1.version,
      spec: spec({ taskTemplate: { containerSpec: { image: 'nginx:2' } } }),
    });
    const { service: back } = await api.rollbackService('web');
    expect(back.spec?.taskTemplate?.containerSpec?.image).toBe('nginx:1.27');
    expect(back.previousSpec?.taskTemplate?.containerSpec?.image).toBe('nginx:2');
    expect(back.specVersion).toBe(s2.specVersion + 1);
    expect(back.updateStatus).toMatchObject({
      state: 'STATE_ROLLBACK_STARTED',
      message: 'manually requested rollback',
    });
    expect(back.updateStatus?.startedAt?.seconds).toBe(1_700_000_000);
    const { service: again } = await api.updateService({
      serviceId: back.id,
      serviceVersion: back.version,
      spec: spec(),
    });
    expect(again.updateStatus).toBeNull();
  });

  it('refuses a rollback without a previous spec', async () => {
    const { api } = setup();
    const { service } = await api.createService({ spec: spec() });
    const e = await refused(
      api.updateService({ serviceId: 'web', serviceVersion: service.version, rollback: 'previous' }),
    );
    expect(e).toBeInstanceOf(FailedPreconditionError);
    expect(e.message).toBe('service web does not have a previous spec');
  });
});

describe('lookups and lists', () => {
  it('finds a service by ID, name or unique ID prefix; an ambiguous prefix is an error', async () => {
    const { api, store } = setup();
    const ids: string[] = [];
    // Names with a '-' can never be an ID prefix (IDs are base 36), so a prefix lookup
    // below is never answered by the name lookup that comes first.
    for (const name of ['s-a', 's-b', 's-c', 's-d', 's-e', 's-f', 's-g', 's-h'])
      ids.push((await api.createService({ spec: spec({ name }) })).service.id);
    const [first = ''] = ids;
    expect((await api.getService({ serviceId: first })).service.id).toBe(first);
    expect((await api.getService({ serviceId: 's-b' })).service.spec?.name).toBe('s-b');
    const unique = (id: string): string => {
      for (let n = 1; ; n++)
        if (ids.filter((x) => x.startsWith(id.slice(0, n))).length === 1) return id.slice(0, n);
    };
    expect((await api.getService({ serviceId: unique(first) })).service.id).toBe(first);
    expect((await refused(api.getService({ serviceId: 'nope' }))).message).toBe('service nope not found');
    // Two services whose IDs share a prefix, by construction.
    const twins = ['x', 'y'].map((name) => {
      const s = blank('service');
      s.id = `zz${name}${'0'.repeat(22)}`;
      s.spec = { ...blank('service').spec, name } as never;
      return s;
    });
    await store.update((tx) => twins.forEach((s) => tx.create('service', s)));
    const e = await refused(api.getService({ serviceId: 'zz' }));
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(e.message).toBe('service zz is ambiguous (2 matches found)');
  });

  it('filters services by name prefix, id prefix, label and mode; unknown filters are refused', async () => {
    const { api } = setup();
    const { service: web } = await api.createService({
      spec: spec({ labels: { tier: 'front', stack: 's1' } }),
    });
    await api.createService({ spec: spec({ name: 'web-admin', labels: { tier: 'back' } }) });
    await api.createService({ spec: spec({ name: 'db', mode: { global: {} } }) });
    const names = async (filters: Record<string, string[]>): Promise<string[]> =>
      (
        await api.listServices({
          filters: {
            filters: Object.fromEntries(Object.entries(filters).map(([k, v]) => [k, { values: v }])),
          },
        })
      ).services
        .map((s) => s.spec?.name ?? '')
        .sort();
    expect(await names({})).toEqual(['db', 'web', 'web-admin']);
    expect(await names({ name: ['web'] })).toEqual(['web', 'web-admin']);
    expect(await names({ id: [web.id.slice(0, 12)] })).toEqual(['web']);
    expect(await names({ label: ['tier=front'] })).toEqual(['web']);
    expect(await names({ label: ['tier'] })).toEqual(['web', 'web-admin']);
    expect(await names({ label: ['tier', 'stack=s1'] })).toEqual(['web']);
    expect(await names({ mode: ['global'] })).toEqual(['db']);
    expect((await refused(names({ colour: ['red'] }))).message).toBe("invalid filter 'colour'");
  });

  it('lists tasks by service name, node, desired state and up-to-date; status counts running tasks', async () => {
    const { api, store } = setup();
    const { service } = await api.createService({ spec: spec({ mode: { replicated: { replicas: 2 } } }) });
    const node = blank('node');
    node.id = 'n'.repeat(25);
    node.description = { ...blank('node').description, hostname: 'host-1' } as never;
    const task = (slot: number, running: boolean, version: number): ReturnType<typeof blank<'task'>> => {
      const t = blank('task');
      t.id = `t${slot}${'0'.repeat(23)}`;
      t.serviceId = service.id;
      t.slot = slot;
      t.nodeId = node.id;
      t.specVersion = version;
      t.desiredState = running ? 'TASK_STATE_RUNNING' : 'TASK_STATE_SHUTDOWN';
      t.status = {
        ...blank('task').status,
        state: running ? 'TASK_STATE_RUNNING' : 'TASK_STATE_SHUTDOWN',
      } as never;
      return t;
    };
    await store.update((tx) => {
      tx.create('node', node);
      tx.create('task', task(1, true, 1));
      tx.create('task', task(2, true, 0));
      tx.create('task', task(3, false, 1));
    });
    const ids = async (f: Record<string, string[]>): Promise<string[]> =>
      (
        await api.listTasks({
          filters: { filters: Object.fromEntries(Object.entries(f).map(([k, v]) => [k, { values: v }])) },
        })
      ).tasks
        .map((t) => t.slot.toString())
        .sort();
    expect(await ids({ service: ['web'] })).toEqual(['1', '2', '3']);
    expect(await ids({ node: ['host-1'], 'desired-state': ['running'] })).toEqual(['1', '2']);
    expect(await ids({ service: [service.id], _up_to_date: [] }).catch((e: Error) => e.message)).toBe(
      "invalid filter '_up_to_date'",
    );
    expect(await ids({ '_up-to-date': ['true'], service: [service.id] })).toEqual(['1', '3']);
    expect((await refused(ids({ service: ['nope'] }))).message).toBe('service nope not found');
    const [listed] = (await api.listServices({ status: true })).services;
    expect(listed?.serviceStatus).toEqual({ runningTasks: 2, desiredTasks: 2, completedTasks: 0 });
    expect((await api.listServices({})).services[0]?.serviceStatus).toBeNull();
  });

  it('removes a service and a task', async () => {
    const { api, store } = setup();
    await api.createService({ spec: spec() });
    await api.removeService({ serviceId: 'web' });
    expect(store.count('service')).toBe(0);
    const t = blank('task');
    t.id = 'q'.repeat(25);
    await store.update((tx) => tx.create('task', t));
    await api.removeTask({ taskId: 'qqqq' });
    expect(store.count('task')).toBe(0);
  });
});
