// Original file: proto/shoal/api/network.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp.ts';
import type { NetworkIPAM as _shoal_api_NetworkIPAM, NetworkIPAM__Output as _shoal_api_NetworkIPAM__Output } from '../../shoal/api/NetworkIPAM.ts';
import type { NetworkConfigFrom as _shoal_api_NetworkConfigFrom, NetworkConfigFrom__Output as _shoal_api_NetworkConfigFrom__Output } from '../../shoal/api/NetworkConfigFrom.ts';
import type { NetworkContainer as _shoal_api_NetworkContainer, NetworkContainer__Output as _shoal_api_NetworkContainer__Output } from '../../shoal/api/NetworkContainer.ts';
import type { NetworkPeer as _shoal_api_NetworkPeer, NetworkPeer__Output as _shoal_api_NetworkPeer__Output } from '../../shoal/api/NetworkPeer.ts';

/**
 * NetworkResource is what `GET /networks` and `GET /networks/{id}` return.
 */
export interface NetworkResource {
  'name'?: (string);
  'id'?: (string);
  'created'?: (_google_protobuf_Timestamp | null);
  'scope'?: (string);
  'driver'?: (string);
  'enableIpv4'?: (boolean);
  'enableIpv6'?: (boolean);
  'ipam'?: (_shoal_api_NetworkIPAM | null);
  'internal'?: (boolean);
  'attachable'?: (boolean);
  'ingress'?: (boolean);
  'configFrom'?: (_shoal_api_NetworkConfigFrom | null);
  'configOnly'?: (boolean);
  'containers'?: ({[key: string]: _shoal_api_NetworkContainer});
  'options'?: ({[key: string]: string});
  'labels'?: ({[key: string]: string});
  'peers'?: (_shoal_api_NetworkPeer)[];
}

/**
 * NetworkResource is what `GET /networks` and `GET /networks/{id}` return.
 */
export interface NetworkResource__Output {
  'name': (string);
  'id': (string);
  'created': (_google_protobuf_Timestamp__Output | null);
  'scope': (string);
  'driver': (string);
  'enableIpv4': (boolean);
  'enableIpv6': (boolean);
  'ipam': (_shoal_api_NetworkIPAM__Output | null);
  'internal': (boolean);
  'attachable': (boolean);
  'ingress': (boolean);
  'configFrom': (_shoal_api_NetworkConfigFrom__Output | null);
  'configOnly': (boolean);
  'containers': ({[key: string]: _shoal_api_NetworkContainer__Output});
  'options': ({[key: string]: string});
  'labels': ({[key: string]: string});
  'peers': (_shoal_api_NetworkPeer__Output)[];
}
