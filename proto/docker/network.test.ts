import { describe, expect, it } from 'vitest';
import { fromDockerAs, toDockerAs } from './kinds.ts';
import { networkResourceOf, networkSpecFromCreateRequest } from './network.ts';

describe('network API shapes', () => {
  const request = fromDockerAs('NetworkCreateRequest', {
    Name: 'mystack_back',
    Driver: 'overlay',
    Scope: '',
    IPAM: { Driver: '', Options: null, Config: [{ Subnet: '10.60.0.0/24' }] },
    Attachable: true,
    Options: { encrypted: 'true' },
    Labels: { 'com.docker.stack.namespace': 'mystack' },
  });

  it('turns a create request into a swarm network spec', () => {
    expect(toDockerAs('NetworkSpec', networkSpecFromCreateRequest(request))).toEqual({
      Name: 'mystack_back',
      Labels: { 'com.docker.stack.namespace': 'mystack' },
      DriverConfiguration: { Name: 'overlay', Options: { encrypted: 'true' } },
      Attachable: true,
      IPAMOptions: { Driver: { Name: 'default' }, Configs: [{ Subnet: '10.60.0.0/24' }] },
      Scope: 'swarm',
    });
  });

  it('shows a swarm network as `docker network inspect` expects', () => {
    const spec = networkSpecFromCreateRequest(request);
    const net = fromDockerAs('Network', {
      ID: 'wl2w8xdr8uhq0n5pphkk5u8bq',
      CreatedAt: '2026-11-22T10:03:00Z',
    });
    const resource = networkResourceOf({
      ...net,
      spec,
      driverState: { name: 'overlay', options: { 'com.docker.network.driver.overlay.vxlanid_list': '4097' } },
    });
    expect(toDockerAs('NetworkResource', resource)).toEqual({
      Name: 'mystack_back',
      Id: 'wl2w8xdr8uhq0n5pphkk5u8bq',
      Created: '2026-11-22T10:03:00Z',
      Scope: 'swarm',
      Driver: 'overlay',
      EnableIPv4: true,
      IPAM: { Driver: 'default', Options: {}, Config: [{ Subnet: '10.60.0.0/24' }] },
      Attachable: true,
      Containers: {},
      Options: { encrypted: 'true', 'com.docker.network.driver.overlay.vxlanid_list': '4097' },
      Labels: { 'com.docker.stack.namespace': 'mystack' },
    });
  });

  it('defaults the driver to overlay and the IPAM driver to default', () => {
    const spec = networkSpecFromCreateRequest(
      fromDockerAs('NetworkCreateRequest', { Name: 'n', IPAM: { Config: [] } }),
    );
    expect(spec.driverConfiguration?.name).toBe('overlay');
    expect(spec.ipamOptions?.driver?.name).toBe('default');
  });
});
