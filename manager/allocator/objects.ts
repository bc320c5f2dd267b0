/**
 * What the allocator reads from and writes into store objects: a network's recorded allocation (IPAM
 * configs, VXLAN IDs in the driver state, as Docker shows them), a service's endpoint mode, published
 * ports and networks, a task's networks. Pure functions over the proto shapes.
 */
import type { IPAMConfig__Output } from '../../proto/gen/shoal/api/IPAMConfig.ts';
import type { NetworkAttachmentConfig__Output } from '../../proto/gen/shoal/api/NetworkAttachmentConfig.ts';
import type { PortConfig__Output } from '../../proto/gen/shoal/api/PortConfig.ts';
import type { Network, Service, Task } from '../store/types.ts';
import type { Protocol } from './number-pool.ts';

/** The driver option carrying a network's VNIs (comma-separated, one per subnet), as Docker shows it. */
export const VXLAN_ID_LIST = 'com.docker.network.driver.overlay.vxlanid_list';
export const OVERLAY_DRIVER = 'overlay';
/** The IPAM driver name recorded in allocated networks (Docker's built-in). */
export const DEFAULT_IPAM_DRIVER = 'default';

/** Networks the allocator gives subnets and VNIs to: the ingress network and overlay networks. */
export function isManaged(n: Network): boolean {
  const spec = n.spec;
  if (!spec || spec.configOnly) return false;
  const driver = spec.driverConfiguration?.name ?? '';
  return spec.ingress || driver === '' || driver === OVERLAY_DRIVER;
}

/** The VNIs recorded in a network's driver state (empty when none or malformed). */
export function recordedVnis(n: Network): number[] {
  const list = n.driverState?.options[VXLAN_ID_LIST];
  if (!list) return [];
  const vnis = list.split(',').map((s) => Number(s.trim()));
  return vnis.every((v) => Number.isInteger(v) && v > 0) ? vnis : [];
}

/** The subnets recorded in a network's allocation (ipamOptions, not the spec). */
export function recordedConfigs(n: Network): IPAMConfig__Output[] {
  return (n.ipamOptions?.configs ?? []).filter((c) => c.subnet !== '');
}

/** The network carries a complete allocation: subnets with gateways and one VNI per subnet. */
export function isAllocated(n: Network): boolean {
  const configs = recordedConfigs(n);
  return (
    configs.length > 0 && configs.every((c) => c.gateway !== '') && recordedVnis(n).length === configs.length
  );
}

/** The explicit subnets of a network spec (those with a subnet). */
export function explicitConfigs(n: Pick<Network, 'spec'>): IPAMConfig__Output[] {
  return (n.spec?.ipamOptions?.configs ?? []).filter((c) => c.subnet !== '');
}

/** `vip` unless the spec says `dnsrr` (UNSPECIFIED is Swarm's default, vip). */
export function endpointMode(s: Service): 'vip' | 'dnsrr' {
  return s.spec?.endpointSpec?.mode === 'MODE_DNSRR' ? 'dnsrr' : 'vip';
}

export function protocolOf(p: PortConfig__Output): Protocol {
  switch (p.protocol) {
    case 'PROTOCOL_UDP':
      return 'udp';
    case 'PROTOCOL_SCTP':
      return 'sctp';
    case 'PROTOCOL_TCP':
    case 'PROTOCOL_UNSPECIFIED':
      return 'tcp';
  }
}

/** Ingress is Swarm's default publish mode. */
export function isIngressPort(p: PortConfig__Output): boolean {
  return p.publishMode !== 'PUBLISH_MODE_HOST';
}

/** The spec's ports with Swarm's defaults filled (protocol tcp, mode ingress). */
export function specPorts(s: Service): PortConfig__Output[] {
  return (s.spec?.endpointSpec?.ports ?? []).map((p) => ({
    ...p,
    protocol: p.protocol === 'PROTOCOL_UNSPECIFIED' ? 'PROTOCOL_TCP' : p.protocol,
    publishMode: p.publishMode === 'PUBLISH_MODE_UNSPECIFIED' ? 'PUBLISH_MODE_INGRESS' : p.publishMode,
  }));
}

/** The service publishes at least one port through the routing mesh (so it joins `ingress`). */
export function needsIngress(s: Service): boolean {
  return (s.spec?.endpointSpec?.ports ?? []).some(isIngressPort);
}

/**
 * Docker's predefined `host` network: a service attached to it (in a stack, an external network
 * named `host`) runs its tasks on each node's own network, so it gets no address anywhere.
 */
export const HOST_NETWORK = 'host';

/**
 * The networks a service's tasks attach to (task template first, then the deprecated field), less
 * the `host` network, which needs no allocation.
 */
export function serviceNetworks(s: Service): NetworkAttachmentConfig__Output[] {
  const t = s.spec?.taskTemplate?.networks ?? [];
  return (t.length > 0 ? t : (s.spec?.networks ?? [])).filter((n) => n.target !== HOST_NETWORK);
}

/** The networks a task attaches to: its own spec's, else its service's. */
export function taskNetworks(t: Task, s: Service | undefined): NetworkAttachmentConfig__Output[] {
  const own = t.spec?.networks ?? [];
  if (own.length > 0 || !s) return own.filter((n) => n.target !== HOST_NETWORK);
  return serviceNetworks(s);
}
