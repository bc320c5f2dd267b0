// Original file: proto/shoal/api/dispatcher.proto

import type { ServiceView as _shoal_api_ServiceView, ServiceView__Output as _shoal_api_ServiceView__Output } from '../../shoal/api/ServiceView.ts';

/**
 * NetworkView is what a node needs to know about one overlay network it takes part in: how to build the
 * network (VNI, subnet, gateway, encryption), its own address on it, and the services reachable on it
 * (for service discovery, DNS and the routing mesh).
 */
export interface NetworkView {
  'networkId'?: (string);
  'name'?: (string);
  /**
   * The network is the swarm's ingress network (routing mesh).
   */
  'ingress'?: (boolean);
  /**
   * The VXLAN network identifier (first VNI of the network; Shoal allocates one subnet per network).
   */
  'vni'?: (number);
  /**
   * The network's subnet (CIDR, e.g. "10.0.1.0/24") and gateway (plain IP, e.g. "10.0.1.1").
   */
  'subnet'?: (string);
  'gateway'?: (string);
  /**
   * The VXLAN UDP port: the cluster's data_path_port, 0 meaning the default 4789.
   */
  'dataPathPort'?: (number);
  /**
   * The network has driver option `encrypted` (any value but "false"/"0"): VXLAN traffic between nodes
   * on this VNI must be protected with SessionMessage.network_keys (IPsec ESP), cleartext dropped.
   */
  'encrypted'?: (boolean);
  /**
   * This node's own address on the network ("ip/prefix"), allocated by the allocator from the network's
   * pool and recorded in Node.attachments: Swarm's ingress-sbox endpoint on the ingress network, its
   * load-balancer endpoint `lb-<network name>` on other overlays. The node's daemon uses it to reach task
   * IPs across the overlay (routing-mesh proxy, VIP load balancing). Empty until allocated (the message
   * is sent again once it is).
   */
  'nodeAddress'?: (string);
  /**
   * Every service attached to this network, sorted by service id, whether or not it has tasks running.
   */
  'services'?: (_shoal_api_ServiceView)[];
}

/**
 * NetworkView is what a node needs to know about one overlay network it takes part in: how to build the
 * network (VNI, subnet, gateway, encryption), its own address on it, and the services reachable on it
 * (for service discovery, DNS and the routing mesh).
 */
export interface NetworkView__Output {
  'networkId': (string);
  'name': (string);
  /**
   * The network is the swarm's ingress network (routing mesh).
   */
  'ingress': (boolean);
  /**
   * The VXLAN network identifier (first VNI of the network; Shoal allocates one subnet per network).
   */
  'vni': (number);
  /**
   * The network's subnet (CIDR, e.g. "10.0.1.0/24") and gateway (plain IP, e.g. "10.0.1.1").
   */
  'subnet': (string);
  'gateway': (string);
  /**
   * The VXLAN UDP port: the cluster's data_path_port, 0 meaning the default 4789.
   */
  'dataPathPort': (number);
  /**
   * The network has driver option `encrypted` (any value but "false"/"0"): VXLAN traffic between nodes
   * on this VNI must be protected with SessionMessage.network_keys (IPsec ESP), cleartext dropped.
   */
  'encrypted': (boolean);
  /**
   * This node's own address on the network ("ip/prefix"), allocated by the allocator from the network's
   * pool and recorded in Node.attachments: Swarm's ingress-sbox endpoint on the ingress network, its
   * load-balancer endpoint `lb-<network name>` on other overlays. The node's daemon uses it to reach task
   * IPs across the overlay (routing-mesh proxy, VIP load balancing). Empty until allocated (the message
   * is sent again once it is).
   */
  'nodeAddress': (string);
  /**
   * Every service attached to this network, sorted by service id, whether or not it has tasks running.
   */
  'services': (_shoal_api_ServiceView__Output)[];
}
