import { describe, expect, it } from 'vitest';
import {
  AlreadyExistsError,
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
} from '../../proto/shared/errors.ts';
import { MemoryStore, blank } from '../store/memory.ts';
import { ControlApi } from './controlapi.ts';

function setup(): { store: MemoryStore; api: ControlApi } {
  const store = MemoryStore.local();
  return { store, api: new ControlApi({ store }) };
}

async function refused(p: Promise<unknown>): Promise<Error> {
  const r = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(r instanceof Error)) throw new Error('expected the call to fail');
  return r;
}

const image = { image: 'nginx' };

describe('secrets', () => {
  it('keeps the data in the store but never returns it', async () => {
    const { api, store } = setup();
    const { secret } = await api.createSecret({
      spec: { name: 'db-pass', data: Buffer.from('hunter2'), labels: { a: 'b' } },
    });
    expect(secret.spec?.data.length).toBe(0);
    expect(store.get('secret', secret.id)?.spec?.data.toString()).toBe('hunter2');
    expect((await api.getSecret({ secretId: 'db-pass' })).secret.spec?.data.length).toBe(0);
    const { secrets } = await api.listSecrets({});
    expect(secrets.map((s) => [s.spec?.name, s.spec?.data.length])).toEqual([['db-pass', 0]]);
  });

  it('refuses data of 500 KiB or more, and empty data, naming the field', async () => {
    const { api } = setup();
    await api.createSecret({ spec: { name: 'big-ok', data: Buffer.alloc(500 * 1024 - 1) } });
    for (const data of [Buffer.alloc(500 * 1024), Buffer.alloc(0)]) {
      const e = await refused(api.createSecret({ spec: { name: 's', data } }));
      expect(e).toBeInstanceOf(InvalidArgumentError);
      expect(e.message).toBe(
        `Spec.Data: secret data must be larger than 0 and less than 500 KiB (got ${data.length} bytes)`,
      );
    }
    const e = await refused(api.createConfig({ spec: { name: 'c', data: Buffer.alloc(600 * 1024) } }));
    expect(e.message).toMatch(/^Spec\.Data: config data must be larger than 0 and less than 500 KiB/);
  });

  it('refuses invalid names and name conflicts', async () => {
    const { api } = setup();
    const bad = await refused(api.createSecret({ spec: { name: '-bad', data: Buffer.from('x') } }));
    expect(bad.message).toMatch(
      /^Spec\.Name: invalid name "-bad", only 64 \[a-zA-Z0-9-_.\] characters allowed/,
    );
    await api.createSecret({ spec: { name: 'ok', data: Buffer.from('x') } });
    const dup = await refused(api.createSecret({ spec: { name: 'ok', data: Buffer.from('y') } }));
    expect(dup).toBeInstanceOf(AlreadyExistsError);
    expect(dup.message).toBe('name conflicts with an existing object: secret ok already exists');
  });

  it('updates only labels', async () => {
    const { api } = setup();
    const { secret } = await api.createSecret({ spec: { name: 'k', data: Buffer.from('v') } });
    const { secret: updated } = await api.updateSecret({
      secretId: 'k',
      secretVersion: secret.version,
      spec: { name: 'k', labels: { env: 'prod' } },
    });
    expect(updated.spec?.labels).toEqual({ env: 'prod' });
    const e = await refused(
      api.updateSecret({
        secretId: 'k',
        secretVersion: updated.version,
        spec: { name: 'k', data: Buffer.from('other') },
      }),
    );
    expect(e.message).toBe('Spec: only updates to Labels are allowed');
  });

  it('refuses to remove a secret a service uses, naming the service; resolves references by name', async () => {
    const { api, store } = setup();
    const { secret } = await api.createSecret({ spec: { name: 'x', data: Buffer.from('1') } });
    const { service } = await api.createService({
      spec: {
        name: 'web',
        taskTemplate: { containerSpec: { ...image, secrets: [{ secretName: 'x', file: { name: 'x' } }] } },
      },
    });
    expect(service.spec?.taskTemplate?.containerSpec?.secrets[0]?.secretId).toBe(secret.id);
    const e = await refused(api.removeSecret({ secretId: 'x' }));
    expect(e).toBeInstanceOf(FailedPreconditionError);
    expect(e.message).toBe("secret 'x' is in use by the following service: web");
    await api.createService({
      spec: {
        name: 'api',
        taskTemplate: { containerSpec: { ...image, secrets: [{ secretId: secret.id, secretName: 'x' }] } },
      },
    });
    expect((await refused(api.removeSecret({ secretId: 'x' }))).message).toBe(
      "secret 'x' is in use by the following services: web, api",
    );
    await api.removeService({ serviceId: 'web' });
    await api.removeService({ serviceId: 'api' });
    await api.removeSecret({ secretId: 'x' });
    expect(store.count('secret')).toBe(0);
  });

  it('refuses a service naming a secret that does not exist', async () => {
    const { api } = setup();
    const e = await refused(
      api.createService({
        spec: {
          name: 'web',
          taskTemplate: { containerSpec: { ...image, secrets: [{ secretName: 'ghost' }] } },
        },
      }),
    );
    expect(e.message).toBe('Spec.TaskTemplate.ContainerSpec.Secrets: secret not found: ghost');
  });
});

describe('configs', () => {
  it('returns config data, and refuses removal while in use', async () => {
    const { api } = setup();
    const { config } = await api.createConfig({
      spec: { name: 'nginx.conf', data: Buffer.from('server {}') },
    });
    expect(config.spec?.data.toString()).toBe('server {}');
    expect((await api.getConfig({ configId: config.id })).config.spec?.data.toString()).toBe('server {}');
    await api.createService({
      spec: {
        name: 'web',
        taskTemplate: { containerSpec: { ...image, configs: [{ configName: 'nginx.conf' }] } },
      },
    });
    const e = await refused(api.removeConfig({ configId: 'nginx.conf' }));
    expect(e).toBeInstanceOf(FailedPreconditionError);
    expect(e.message).toBe("config 'nginx.conf' is in use by the following service: web");
  });
});

describe('networks', () => {
  it('creates overlay networks, resolves service attachments by name, refuses removal while in use', async () => {
    const { api } = setup();
    const { network } = await api.createNetwork({ spec: { name: 'backend', labels: { a: '1' } } });
    expect(network.spec?.driverConfiguration?.name).toBe('overlay');
    expect(network.spec?.scope).toBe('swarm');
    const { service } = await api.createService({
      spec: { name: 'web', taskTemplate: { containerSpec: image, networks: [{ target: 'backend' }] } },
    });
    expect(service.spec?.taskTemplate?.networks[0]?.target).toBe(network.id);
    const e = await refused(api.removeNetwork({ networkId: 'backend' }));
    expect(e).toBeInstanceOf(FailedPreconditionError);
    expect(e.message).toBe('network backend is in use by service web');
    await api.removeService({ serviceId: 'web' });
    await api.removeNetwork({ networkId: 'backend' });
    expect((await api.listNetworks({})).networks).toEqual([]);
  });

  it('refuses removal while a task of a live service uses the network, not once its service is gone', async () => {
    const { api, store } = setup();
    const { network } = await api.createNetwork({ spec: { name: 'backend' } });
    const { service } = await api.createService({
      spec: { name: 'web', taskTemplate: { containerSpec: image } },
    });
    // a task still attached (e.g. from before an update that took the service off the network)
    const t = blank('task');
    t.id = 'task1';
    t.serviceId = service.id;
    t.desiredState = 'TASK_STATE_RUNNING';
    t.networksAttachments = [{ network: { ...network }, addresses: ['10.0.1.3/24'] }];
    await store.update((tx) => tx.create('task', t));
    const e = await refused(api.removeNetwork({ networkId: 'backend' }));
    expect(e.message).toBe('network backend is in use by task task1');
    // `stack rm`: the service goes, then at once the network, before the orchestrator stops the task
    await api.removeService({ serviceId: 'web' });
    await api.removeNetwork({ networkId: 'backend' });
    expect((await api.listNetworks({})).networks).toEqual([]);
  });

  it('refuses an unknown network in a service, predefined names and a second ingress', async () => {
    const { api } = setup();
    const e = await refused(
      api.createService({
        spec: { name: 'web', taskTemplate: { containerSpec: image, networks: [{ target: 'nope' }] } },
      }),
    );
    expect(e).toBeInstanceOf(NotFoundError);
    expect(e.message).toBe('network nope not found');
    expect((await refused(api.createNetwork({ spec: { name: 'host' } }))).message).toBe(
      'Spec.Name: host is a pre-defined network and cannot be created',
    );
    expect(
      (
        await refused(
          api.createNetwork({ spec: { name: 'x', ipamOptions: { configs: [{ subnet: '10.0.0.0/33' }] } } }),
        )
      ).message,
    ).toBe('Spec.IPAMOptions.Configs.Subnet: invalid subnet "10.0.0.0/33"');
    await api.createNetwork({ spec: { name: 'ingress', ingress: true } });
    const twice = await refused(api.createNetwork({ spec: { name: 'ingress2', ingress: true } }));
    expect(twice).toBeInstanceOf(AlreadyExistsError);
    expect(twice.message).toBe('ingress network (ingress) is already present');
  });

  it('refuses to remove ingress while a service publishes ports, and to attach a service to it', async () => {
    const { api } = setup();
    await api.createNetwork({ spec: { name: 'ingress', ingress: true } });
    const attach = await refused(
      api.createService({
        spec: { name: 'web', taskTemplate: { containerSpec: image, networks: [{ target: 'ingress' }] } },
      }),
    );
    expect(attach.message).toMatch(/cannot be explicitly attached to the ingress network "ingress"/);
    await api.createService({
      spec: {
        name: 'web',
        taskTemplate: { containerSpec: image },
        endpointSpec: { ports: [{ targetPort: 80, publishedPort: 80 }] },
      },
    });
    const e = await refused(api.removeNetwork({ networkId: 'ingress' }));
    expect(e).toBeInstanceOf(FailedPreconditionError);
    expect(e.message).toBe('ingress network cannot be removed because service web depends on it');
    await api.removeService({ serviceId: 'web' });
    await api.removeNetwork({ networkId: 'ingress' });
  });

  it('filters networks by label and driver', async () => {
    const { api } = setup();
    await api.createNetwork({ spec: { name: 'a', labels: { 'com.docker.stack.namespace': 's' } } });
    await api.createNetwork({ spec: { name: 'b' } });
    const { networks } = await api.listNetworks({
      filters: { filters: { label: { values: ['com.docker.stack.namespace=s'] } } },
    });
    expect(networks.map((n) => n.spec?.name)).toEqual(['a']);
    const { networks: overlay } = await api.listNetworks({
      filters: { filters: { driver: { values: ['overlay'] } } },
    });
    expect(overlay).toHaveLength(2);
  });
});
