import { describe, expect, it } from 'vitest';
import type { NetworkView__Output as NetworkView } from '../../proto/gen/shoal/api/NetworkView.ts';
import type { PortConfig__Output as PortConfig } from '../../proto/gen/shoal/api/PortConfig.ts';
import type { ServiceView__Output as ServiceView } from '../../proto/gen/shoal/api/ServiceView.ts';
import { iptablesNat, ingressRoutes, resolvConfText, vipRules } from './mesh.ts';

const port = (p: Partial<PortConfig>): PortConfig => ({
  name: '',
  protocol: 'PROTOCOL_TCP',
  targetPort: 80,
  publishedPort: 8080,
  publishMode: 'PUBLISH_MODE_INGRESS',
  ...p,
});
const svc = (s: Partial<ServiceView>): ServiceView => ({
  serviceId: 's1',
  name: 'web',
  endpointMode: 'vip',
  virtualIp: '10.0.1.2/24',
  taskAddresses: [],
  ports: [],
  ...s,
});
const view = (v: Partial<NetworkView>): NetworkView => ({
  networkId: 'n1',
  name: 'appnet',
  ingress: false,
  vni: 4097,
  subnet: '10.0.1.0/24',
  gateway: '10.0.1.1',
  dataPathPort: 0,
  encrypted: false,
  nodeAddress: '',
  services: [],
  ...v,
});

describe('vipRules', () => {
  it('spreads each VIP of the task networks evenly over the running task addresses', () => {
    const rules = vipRules(
      [view({ services: [svc({ taskAddresses: ['10.0.1.3/24', '10.0.1.4/24', '10.0.1.5/24'] })] })],
      new Set(['n1']),
    );
    const dnat = rules.split('\n').filter((l) => l.startsWith('-A OUTPUT'));
    expect(dnat).toEqual([
      '-A OUTPUT -d 10.0.1.2/32 -m statistic --mode random --probability 0.33333333 -j DNAT --to-destination 10.0.1.3',
      '-A OUTPUT -d 10.0.1.2/32 -m statistic --mode random --probability 0.50000000 -j DNAT --to-destination 10.0.1.4',
      '-A OUTPUT -d 10.0.1.2/32 -j DNAT --to-destination 10.0.1.5',
    ]);
    expect(rules.startsWith('*nat\n')).toBe(true);
    expect(rules.trimEnd().endsWith('COMMIT')).toBe(true);
  });

  it('leaves out dnsrr services, VIPs with no running task, the ingress network and other networks', () => {
    const rules = vipRules(
      [
        view({
          services: [
            svc({ endpointMode: 'dnsrr', virtualIp: '', taskAddresses: ['10.0.1.3/24'] }),
            svc({ serviceId: 's2', name: 'idle', virtualIp: '10.0.1.9/24' }),
          ],
        }),
        view({ networkId: 'ing', ingress: true, services: [svc({ taskAddresses: ['10.0.0.5/24'] })] }),
        view({
          networkId: 'n2',
          services: [svc({ virtualIp: '10.0.2.2/24', taskAddresses: ['10.0.2.3/24'] })],
        }),
      ],
      new Set(['n1', 'ing']),
    );
    expect(rules.split('\n').filter((l) => l.startsWith('-A'))).toEqual([]);
  });
});

describe('ingressRoutes', () => {
  it('publishes ingress-mode ports of services on the ingress network, to their task addresses', () => {
    const routes = ingressRoutes([
      view({
        networkId: 'ing',
        ingress: true,
        services: [
          svc({
            taskAddresses: ['10.0.0.5/24', '10.0.0.6/24'],
            ports: [
              port({}),
              port({ protocol: 'PROTOCOL_UDP', publishedPort: 5353, targetPort: 53 }),
              port({ publishMode: 'PUBLISH_MODE_HOST', publishedPort: 9000 }),
              port({ protocol: 'PROTOCOL_SCTP', publishedPort: 9001 }),
            ],
          }),
        ],
      }),
      view({ services: [svc({ ports: [port({ publishedPort: 7000 })], taskAddresses: ['10.0.1.3/24'] })] }),
    ]);
    expect(routes).toEqual([
      {
        protocol: 'tcp',
        publishedPort: 8080,
        backends: [
          { ip: '10.0.0.5', port: 80 },
          { ip: '10.0.0.6', port: 80 },
        ],
      },
      {
        protocol: 'udp',
        publishedPort: 5353,
        backends: [
          { ip: '10.0.0.5', port: 53 },
          { ip: '10.0.0.6', port: 53 },
        ],
      },
    ]);
  });

  it('keeps a published port with no running task (answers nothing) and binds where told', () => {
    const routes = ingressRoutes(
      [view({ ingress: true, services: [svc({ ports: [port({})] })] })],
      '10.250.1.10',
    );
    expect(routes).toEqual([
      { protocol: 'tcp', publishedPort: 8080, listenAddress: '10.250.1.10', backends: [] },
    ]);
  });
});

describe('resolvConfText', () => {
  it("names the embedded server and keeps the node's search domains and options, not its servers", () => {
    const text = resolvConfText('nameserver 1.1.1.1\nsearch corp.example\noptions ndots:2\n# c\n');
    expect(text.split('\n')).toEqual([
      '# written by shoald: the embedded DNS server',
      'nameserver 127.0.0.11',
      'search corp.example',
      'options ndots:2',
      '',
    ]);
  });
});

describe('iptablesNat', () => {
  it('rejects, without an unhandled EPIPE, when the namespace is gone before its rules are written', async () => {
    const write = iptablesNat();
    for (let i = 0; i < 5; i++)
      await expect(write('/nonexistent/shoal-test-netns', `# ${'x'.repeat(1 << 20)}\n`)).rejects.toThrow(
        /iptables-restore in \/nonexistent\/shoal-test-netns/,
      );
  });
});
