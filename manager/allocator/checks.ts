/**
 * Checks the control API runs before it stores a network or service spec, so that a user's mistake
 * is refused with a clear error instead of leaving the allocator stuck. They read the store (the
 * allocations recorded in objects), not the allocator's memory, so any manager can run them.
 */
import type { NetworkSpec__Output } from '../../proto/gen/shoal/api/NetworkSpec.ts';
import type { ServiceSpec__Output } from '../../proto/gen/shoal/api/ServiceSpec.ts';
import { InvalidArgumentError } from '../../proto/shared/errors.ts';
import type { ReadTx } from '../store/memory.ts';
import type { Service } from '../store/types.ts';
import { SubnetAddresses } from './address-pool.ts';
import { PortInUseError, SubnetOverlapError } from './errors.ts';
import { containsIp, formatCidr, lastOf, overlaps, parseCidr, parseIp, type Cidr } from './ipv4.ts';
import { explicitConfigs, isIngressPort, protocolOf, recordedConfigs } from './objects.ts';

/**
 * Refuses a network spec whose IPAM configs are malformed (subnet not a CIDR or with host bits set,
 * smaller than /30, a gateway or range outside it, a gateway without a subnet) or whose subnets
 * overlap each other or any other network's subnet. `networkId` is the network being updated (its
 * own subnets do not count). Throws InvalidArgumentError / SubnetOverlapError.
 */
export function checkNetworkSpec(store: ReadTx, spec: NetworkSpec__Output, networkId?: string): void {
  const mine: Cidr[] = [];
  for (const c of spec.ipamOptions?.configs ?? []) {
    if (c.subnet === '') {
      if (c.gateway !== '' || c.range !== '')
        throw new InvalidArgumentError(
          `network ${spec.name}: a gateway or IP range needs a subnet`,
          'IPAM.Config.Subnet',
        );
      continue;
    }
    const cidr = parseCidr(c.subnet);
    checkGatewayAndRange(cidr, c.gateway, c.range);
    const clash = mine.find((m) => overlaps(m, cidr));
    if (clash) throw new SubnetOverlapError(c.subnet, formatCidr(clash), spec.name);
    mine.push(cidr);
  }
  if (mine.length === 0) return;
  for (const n of store.find('network')) {
    if (n.id === networkId) continue;
    for (const c of [...recordedConfigs(n), ...explicitConfigs(n)]) {
      let other: Cidr;
      try {
        other = parseCidr(c.subnet);
      } catch {
        continue;
      }
      const clash = mine.find((m) => overlaps(m, other));
      if (clash) throw new SubnetOverlapError(formatCidr(clash), c.subnet, n.spec?.name ?? n.id);
    }
  }
}

function checkGatewayAndRange(cidr: Cidr, gateway: string, range: string): void {
  // Throws for subnets too small, and for gateways that are not usable addresses.
  const gw = gateway === '' ? undefined : parseIp(gateway);
  if (gateway !== '' && gw === undefined)
    throw new InvalidArgumentError(
      `invalid gateway ${JSON.stringify(gateway)}: want an IPv4 address`,
      'IPAM.Config.Gateway',
    );
  new SubnetAddresses(cidr, gw);
  if (range === '') return;
  const r = parseCidr(range, 'IP range');
  if (!containsIp(cidr, r.base) || !containsIp(cidr, lastOf(r)))
    throw new InvalidArgumentError(
      `IP range ${range} is not inside subnet ${formatCidr(cidr)}`,
      'IPAM.Config.IPRange',
    );
}

/**
 * Refuses a service spec publishing, in ingress mode, a port twice or a port another service
 * already publishes (recorded in its endpoint or asked for in its spec). `serviceId` is the service
 * being updated. Throws PortInUseError naming the port and the service holding it.
 */
export function checkPublishedPorts(store: ReadTx, spec: ServiceSpec__Output, serviceId?: string): void {
  const wanted = new Set<string>();
  for (const p of spec.endpointSpec?.ports ?? []) {
    if (!isIngressPort(p) || p.publishedPort === 0) continue;
    const key = `${protocolOf(p)}/${p.publishedPort}`;
    if (wanted.has(key))
      throw new InvalidArgumentError(
        `port '${p.publishedPort}' (${protocolOf(p)}) is published more than once`,
        'EndpointSpec.Ports.PublishedPort',
      );
    wanted.add(key);
  }
  if (wanted.size === 0) return;
  for (const s of store.find('service')) {
    if (s.id === serviceId) continue;
    for (const key of publishedBy(s)) {
      if (!wanted.has(key)) continue;
      const [protocol = 'tcp', port = '0'] = key.split('/');
      throw new PortInUseError(Number(port), protocol, s.spec?.name ?? s.id, s.id);
    }
  }
}

/** `protocol/port` of every ingress port the service holds or asks for. */
function publishedBy(s: Service): Set<string> {
  const out = new Set<string>();
  for (const p of [...(s.endpoint?.ports ?? []), ...(s.spec?.endpointSpec?.ports ?? [])])
    if (isIngressPort(p) && p.publishedPort > 0) out.add(`${protocolOf(p)}/${p.publishedPort}`);
  return out;
}
