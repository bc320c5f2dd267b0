// Original file: proto/shoal/api/network.proto

import type { Driver as _shoal_api_Driver, Driver__Output as _shoal_api_Driver__Output } from '../../shoal/api/Driver.ts';
import type { IPAMOptions as _shoal_api_IPAMOptions, IPAMOptions__Output as _shoal_api_IPAMOptions__Output } from '../../shoal/api/IPAMOptions.ts';
import type { ConfigReferenceNetwork as _shoal_api_ConfigReferenceNetwork, ConfigReferenceNetwork__Output as _shoal_api_ConfigReferenceNetwork__Output } from '../../shoal/api/ConfigReferenceNetwork.ts';

/**
 * NetworkSpec is the swarm object's spec (Docker's swarm.NetworkSpec).
 */
export interface NetworkSpec {
  'name'?: (string);
  'labels'?: ({[key: string]: string});
  'driverConfiguration'?: (_shoal_api_Driver | null);
  'ipv6Enabled'?: (boolean);
  'internal'?: (boolean);
  'attachable'?: (boolean);
  'ingress'?: (boolean);
  'ipamOptions'?: (_shoal_api_IPAMOptions | null);
  'configFrom'?: (_shoal_api_ConfigReferenceNetwork | null);
  'scope'?: (string);
  'configOnly'?: (boolean);
}

/**
 * NetworkSpec is the swarm object's spec (Docker's swarm.NetworkSpec).
 */
export interface NetworkSpec__Output {
  'name': (string);
  'labels': ({[key: string]: string});
  'driverConfiguration': (_shoal_api_Driver__Output | null);
  'ipv6Enabled': (boolean);
  'internal': (boolean);
  'attachable': (boolean);
  'ingress': (boolean);
  'ipamOptions': (_shoal_api_IPAMOptions__Output | null);
  'configFrom': (_shoal_api_ConfigReferenceNetwork__Output | null);
  'scope': (string);
  'configOnly': (boolean);
}
