/**
 * Docker's `/networks` API speaks its own shapes (NetworkCreateRequest in, NetworkResource out) rather
 * than the swarm object's NetworkSpec. These functions map between them.
 */
import type { Network__Output } from '../gen/shoal/api/Network.ts';
import type { NetworkCreateRequest__Output } from '../gen/shoal/api/NetworkCreateRequest.ts';
import type { NetworkResource__Output } from '../gen/shoal/api/NetworkResource.ts';
import type { NetworkSpec__Output } from '../gen/shoal/api/NetworkSpec.ts';

/** The swarm NetworkSpec a `POST /networks/create` body asks for. The driver defaults to overlay. */
export function networkSpecFromCreateRequest(req: NetworkCreateRequest__Output): NetworkSpec__Output {
  const ipam = req.ipam;
  return {
    name: req.name,
    labels: { ...req.labels },
    driverConfiguration: { name: req.driver === '' ? 'overlay' : req.driver, options: { ...req.options } },
    ipv6Enabled: req.enableIpv6 ?? false,
    internal: req.internal,
    attachable: req.attachable,
    ingress: req.ingress,
    ipamOptions:
      ipam === null
        ? null
        : {
            driver: { name: ipam.driver === '' ? 'default' : ipam.driver, options: { ...ipam.options } },
            configs: ipam.config.map((c) => ({ subnet: c.subnet, range: c.ipRange, gateway: c.gateway })),
          },
    configFrom: req.configFrom === null ? null : { network: req.configFrom.network },
    scope: 'swarm',
    configOnly: req.configOnly,
  };
}

/** What `GET /networks/{id}` shows for a swarm network. The allocated IPAM wins over the requested one. */
export function networkResourceOf(net: Network__Output): NetworkResource__Output {
  const spec = net.spec;
  const ipam = net.ipamOptions ?? spec?.ipamOptions ?? null;
  const options = { ...spec?.driverConfiguration?.options, ...net.driverState?.options };
  return {
    name: spec?.name ?? '',
    id: net.id,
    created: net.createdAt,
    scope: 'swarm',
    driver: net.driverState?.name || spec?.driverConfiguration?.name || 'overlay',
    enableIpv4: true,
    enableIpv6: spec?.ipv6Enabled ?? false,
    ipam: {
      driver: ipam?.driver?.name || 'default',
      options: { ...ipam?.driver?.options },
      config: (ipam?.configs ?? []).map((c) => ({
        subnet: c.subnet,
        ipRange: c.range,
        gateway: c.gateway,
        auxiliaryAddresses: {},
      })),
    },
    internal: spec?.internal ?? false,
    attachable: spec?.attachable ?? false,
    ingress: spec?.ingress ?? false,
    configFrom: spec?.configFrom ? { network: spec.configFrom.network } : null,
    configOnly: spec?.configOnly ?? false,
    containers: {},
    options,
    labels: { ...spec?.labels },
    peers: [],
  };
}
