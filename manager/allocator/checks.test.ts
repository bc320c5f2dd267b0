import { describe, expect, it } from 'vitest';
import type { NetworkSpec__Output } from '../../proto/gen/shoal/api/NetworkSpec.ts';
import { InvalidArgumentError } from '../../proto/shared/errors.ts';
import { MemoryStore } from '../store/memory.ts';
import { Allocator } from './allocator.ts';
import { checkNetworkSpec, checkPublishedPorts } from './checks.ts';
import { PortInUseError, SubnetOverlapError } from './errors.ts';
import { ensureIngress, ingressNetworkSpec, ingressSubnet } from './ingress.ts';
import { createNetwork, createService, serviceSpec } from './testing.ts';

function spec(
  name: string,
  ...configs: { subnet: string; gateway?: string; range?: string }[]
): NetworkSpec__Output {
  return {
    ...ingressNetworkSpec(),
    name,
    ingress: false,
    ipamOptions: {
      driver: null,
      configs: configs.map((c) => ({ subnet: c.subnet, gateway: c.gateway ?? '', range: c.range ?? '' })),
    },
  };
}

describe('checkNetworkSpec', () => {
  it('refuses a subnet overlapping an allocated or requested one, naming both', async () => {
    const store = MemoryStore.local();
    await ensureIngress(store);
    await createNetwork(store, 'fixed', { subnet: '172.20.0.0/16' });
    const err = (() => {
      try {
        checkNetworkSpec(store, spec('new', { subnet: '10.0.0.128/25' }));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(SubnetOverlapError);
    expect((err as Error).message).toBe(
      'subnet 10.0.0.128/25 overlaps subnet 10.0.0.0/24 of network ingress',
    );
    expect(() => checkNetworkSpec(store, spec('new', { subnet: '172.20.5.0/24' }))).toThrow(
      'subnet 172.20.5.0/24 overlaps subnet 172.20.0.0/16 of network fixed',
    );
    expect(() =>
      checkNetworkSpec(store, spec('new', { subnet: '10.1.0.0/24' }, { subnet: '10.1.0.0/16' })),
    ).toThrow('subnet 10.1.0.0/16 overlaps subnet 10.1.0.0/24 of network new');
    checkNetworkSpec(store, spec('new', { subnet: '10.0.1.0/24' }));
    checkNetworkSpec(store, spec('fixed', { subnet: '172.20.0.0/16' }), store.idByName('network', 'fixed'));
  });

  it('refuses subnets carved by the allocator too', async () => {
    const store = MemoryStore.local();
    const a = new Allocator({ store });
    a.start();
    await createNetwork(store, 'auto');
    await a.whenIdle();
    await a.stop();
    expect(() => checkNetworkSpec(store, spec('new', { subnet: '10.0.0.0/16' }))).toThrow(
      'overlaps subnet 10.0.0.0/24 of network auto',
    );
  });

  it('refuses malformed subnets, gateways and ranges', () => {
    const store = MemoryStore.local();
    const bad = (s: NetworkSpec__Output): unknown => {
      try {
        checkNetworkSpec(store, s);
      } catch (e) {
        return e;
      }
      return undefined;
    };
    expect(bad(spec('n', { subnet: '10.0.1.1/24' }))).toBeInstanceOf(InvalidArgumentError);
    expect((bad(spec('n', { subnet: '10.0.1.1/24' })) as Error).message).toContain(
      'it should be 10.0.1.0/24',
    );
    expect((bad(spec('n', { subnet: '10.0.1.0/31' })) as Error).message).toContain('too small');
    expect((bad(spec('n', { subnet: '10.0.1.0/24', gateway: '10.0.2.1' })) as Error).message).toBe(
      'gateway 10.0.2.1 is not a usable address of subnet 10.0.1.0/24',
    );
    expect((bad(spec('n', { subnet: '10.0.1.0/24', gateway: 'x' })) as Error).message).toContain(
      'invalid gateway',
    );
    expect((bad(spec('n', { subnet: '10.0.1.0/24', range: '10.0.0.0/16' })) as Error).message).toBe(
      'IP range 10.0.0.0/16 is not inside subnet 10.0.1.0/24',
    );
    expect((bad(spec('n', { subnet: '', gateway: '10.0.0.1' })) as Error).message).toContain(
      'needs a subnet',
    );
    expect(
      bad(spec('n', { subnet: '10.0.1.0/24', gateway: '10.0.1.254', range: '10.0.1.128/25' })),
    ).toBeUndefined();
  });
});

describe('checkPublishedPorts', () => {
  it('refuses a port another service publishes, naming the port and the service', async () => {
    const store = MemoryStore.local();
    const web = await createService(store, 'web', { ports: [{ targetPort: 80, publishedPort: 8080 }] });
    const err = (() => {
      try {
        checkPublishedPorts(
          store,
          serviceSpec('api', { ports: [{ targetPort: 3000, publishedPort: 8080 }] }),
        );
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(PortInUseError);
    expect((err as Error).message).toBe(
      `port '8080' (tcp) is already in use by service 'web' (${web.id}) as an ingress port`,
    );
    // The same port over UDP, the service itself, host-mode and unpublished ports are fine.
    checkPublishedPorts(
      store,
      serviceSpec('api', { ports: [{ publishedPort: 8080, protocol: 'PROTOCOL_UDP' }] }),
    );
    checkPublishedPorts(store, serviceSpec('web', { ports: [{ publishedPort: 8080 }] }), web.id);
    checkPublishedPorts(
      store,
      serviceSpec('h', { ports: [{ publishedPort: 8080, publishMode: 'PUBLISH_MODE_HOST' }] }),
    );
    checkPublishedPorts(store, serviceSpec('api', { ports: [{ targetPort: 80 }] }));
  });

  it('refuses a port published twice in one spec', () => {
    const store = MemoryStore.local();
    expect(() =>
      checkPublishedPorts(
        store,
        serviceSpec('dup', {
          ports: [
            { targetPort: 1, publishedPort: 9000 },
            { targetPort: 2, publishedPort: 9000 },
          ],
        }),
      ),
    ).toThrow("port '9000' (tcp) is published more than once");
  });
});

describe('ingress', () => {
  it('takes the first block of the default pool', () => {
    expect(ingressSubnet()).toBe('10.0.0.0/24');
    expect(ingressSubnet({ defaultAddrPool: ['192.168.0.0/16'], subnetSize: 26 })).toBe('192.168.0.0/26');
    expect(ingressNetworkSpec().ipamOptions?.configs).toEqual([
      { subnet: '10.0.0.0/24', range: '', gateway: '10.0.0.1' },
    ]);
  });
});
