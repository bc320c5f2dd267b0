// Original file: proto/shoal/api/network.proto

import type { Version as _shoal_api_Version, Version__Output as _shoal_api_Version__Output } from '../../shoal/api/Version.ts';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp.ts';
import type { NetworkSpec as _shoal_api_NetworkSpec, NetworkSpec__Output as _shoal_api_NetworkSpec__Output } from '../../shoal/api/NetworkSpec.ts';
import type { Driver as _shoal_api_Driver, Driver__Output as _shoal_api_Driver__Output } from '../../shoal/api/Driver.ts';
import type { IPAMOptions as _shoal_api_IPAMOptions, IPAMOptions__Output as _shoal_api_IPAMOptions__Output } from '../../shoal/api/IPAMOptions.ts';

/**
 * Network is the swarm object (as embedded in a task's NetworksAttachments).
 */
export interface Network {
  'id'?: (string);
  'version'?: (_shoal_api_Version | null);
  'createdAt'?: (_google_protobuf_Timestamp | null);
  'updatedAt'?: (_google_protobuf_Timestamp | null);
  'spec'?: (_shoal_api_NetworkSpec | null);
  /**
   * Driver state after allocation: the VXLAN id among its options.
   */
  'driverState'?: (_shoal_api_Driver | null);
  'ipamOptions'?: (_shoal_api_IPAMOptions | null);
}

/**
 * Network is the swarm object (as embedded in a task's NetworksAttachments).
 */
export interface Network__Output {
  'id': (string);
  'version': (_shoal_api_Version__Output | null);
  'createdAt': (_google_protobuf_Timestamp__Output | null);
  'updatedAt': (_google_protobuf_Timestamp__Output | null);
  'spec': (_shoal_api_NetworkSpec__Output | null);
  /**
   * Driver state after allocation: the VXLAN id among its options.
   */
  'driverState': (_shoal_api_Driver__Output | null);
  'ipamOptions': (_shoal_api_IPAMOptions__Output | null);
}
