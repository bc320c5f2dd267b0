/**
 * The `ingress` network every swarm has from `swarm init` (the routing mesh): overlay, ingress true,
 * the first subnet of the default address pool (10.0.0.0/24 with Swarm's defaults), VNI 4096.
 */
import type { NetworkSpec__Output } from '../../proto/gen/shoal/api/NetworkSpec.ts';
import { InternalError } from '../../proto/shared/errors.ts';
import { newId } from '../../proto/shared/ids.ts';
import { blank, type MemoryStore } from '../store/memory.ts';
import type { Network } from '../store/types.ts';
import { formatCidr, formatIp, parseCidr } from './ipv4.ts';
import { VNI_MIN } from './number-pool.ts';
import { DEFAULT_IPAM_DRIVER, OVERLAY_DRIVER, VXLAN_ID_LIST } from './objects.ts';
import { DEFAULT_ADDR_POOL, DEFAULT_SUBNET_SIZE } from './subnet-pool.ts';

export const INGRESS_NAME = 'ingress';
/** The ingress network's VNI (the first VNI, as Swarm). */
export const INGRESS_VNI = VNI_MIN;

export interface IngressOptions {
  /** The swarm's default address pools; ingress takes the first block of the first. */
  readonly defaultAddrPool?: readonly string[];
  readonly subnetSize?: number;
}

/** The ingress subnet: the first /subnetSize block of the first default pool (10.0.0.0/24). */
export function ingressSubnet(o: IngressOptions = {}): string {
  const pool = parseCidr(
    o.defaultAddrPool?.[0] ?? DEFAULT_ADDR_POOL[0] ?? '10.0.0.0/8',
    'default address pool',
  );
  return formatCidr({ base: pool.base, prefix: o.subnetSize ?? DEFAULT_SUBNET_SIZE });
}

/** The spec of the ingress network, as `swarm init` creates it. */
export function ingressNetworkSpec(o: IngressOptions = {}): NetworkSpec__Output {
  const subnet = ingressSubnet(o);
  return {
    name: INGRESS_NAME,
    labels: {},
    driverConfiguration: { name: OVERLAY_DRIVER, options: {} },
    ipv6Enabled: false,
    internal: false,
    attachable: false,
    ingress: true,
    ipamOptions: {
      driver: { name: DEFAULT_IPAM_DRIVER, options: {} },
      configs: [{ subnet, range: '', gateway: gatewayOf(subnet) }],
    },
    configFrom: null,
    scope: 'swarm',
    configOnly: false,
  };
}

function gatewayOf(subnet: string): string {
  return formatIp(parseCidr(subnet).base + 1);
}

/**
 * Creates the ingress network, already allocated (subnet, gateway and VNI 4096 recorded, so the
 * allocator reserves them when it sees it), unless a network with `ingress` set exists. Returns the
 * ingress network. Called at swarm init.
 */
export async function ensureIngress(store: MemoryStore, o: IngressOptions = {}): Promise<Network> {
  const existing = store.find('network').find((n) => n.spec?.ingress);
  if (existing) return existing;
  const n = blank('network');
  n.id = newId<'network'>();
  n.spec = ingressNetworkSpec(o);
  n.ipamOptions = structuredClone(n.spec.ipamOptions);
  n.driverState = { name: OVERLAY_DRIVER, options: { [VXLAN_ID_LIST]: String(INGRESS_VNI) } };
  const id = n.id;
  await store.update((tx) => tx.create('network', n));
  const stored = store.get('network', id);
  if (!stored) throw new InternalError(`ingress network ${id} vanished after it was created`);
  return stored;
}
