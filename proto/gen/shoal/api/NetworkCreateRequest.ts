// Original file: proto/shoal/api/network.proto

import type { NetworkIPAM as _shoal_api_NetworkIPAM, NetworkIPAM__Output as _shoal_api_NetworkIPAM__Output } from '../../shoal/api/NetworkIPAM.ts';
import type { NetworkConfigFrom as _shoal_api_NetworkConfigFrom, NetworkConfigFrom__Output as _shoal_api_NetworkConfigFrom__Output } from '../../shoal/api/NetworkConfigFrom.ts';

/**
 * NetworkCreateRequest is the body of `POST /networks/create`.
 */
export interface NetworkCreateRequest {
  'name'?: (string);
  'driver'?: (string);
  'scope'?: (string);
  'ipam'?: (_shoal_api_NetworkIPAM | null);
  'internal'?: (boolean);
  'attachable'?: (boolean);
  'ingress'?: (boolean);
  'configOnly'?: (boolean);
  'configFrom'?: (_shoal_api_NetworkConfigFrom | null);
  'options'?: ({[key: string]: string});
  'labels'?: ({[key: string]: string});
  /**
   * Sent by older CLIs; the server always refuses duplicates.
   */
  'checkDuplicate'?: (boolean);
  'enableIpv4'?: (boolean);
  'enableIpv6'?: (boolean);
  '_enableIpv4'?: "enableIpv4";
  '_enableIpv6'?: "enableIpv6";
}

/**
 * NetworkCreateRequest is the body of `POST /networks/create`.
 */
export interface NetworkCreateRequest__Output {
  'name': (string);
  'driver': (string);
  'scope': (string);
  'ipam': (_shoal_api_NetworkIPAM__Output | null);
  'internal': (boolean);
  'attachable': (boolean);
  'ingress': (boolean);
  'configOnly': (boolean);
  'configFrom': (_shoal_api_NetworkConfigFrom__Output | null);
  'options': ({[key: string]: string});
  'labels': ({[key: string]: string});
  /**
   * Sent by older CLIs; the server always refuses duplicates.
   */
  'checkDuplicate': (boolean);
  'enableIpv4'?: (boolean);
  'enableIpv6'?: (boolean);
  '_enableIpv4'?: "enableIpv4";
  '_enableIpv6'?: "enableIpv6";
}
