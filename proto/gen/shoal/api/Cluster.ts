// Original file: proto/shoal/api/cluster.proto

import type { Version as _shoal_api_Version, Version__Output as _shoal_api_Version__Output } from '../../shoal/api/Version.ts';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp.ts';
import type { ClusterSpec as _shoal_api_ClusterSpec, ClusterSpec__Output as _shoal_api_ClusterSpec__Output } from '../../shoal/api/ClusterSpec.ts';
import type { TLSInfo as _shoal_api_TLSInfo, TLSInfo__Output as _shoal_api_TLSInfo__Output } from '../../shoal/api/TLSInfo.ts';
import type { JoinTokens as _shoal_api_JoinTokens, JoinTokens__Output as _shoal_api_JoinTokens__Output } from '../../shoal/api/JoinTokens.ts';

/**
 * Cluster is the swarm object (`GET /swarm`).
 */
export interface Cluster {
  'id'?: (string);
  'version'?: (_shoal_api_Version | null);
  'createdAt'?: (_google_protobuf_Timestamp | null);
  'updatedAt'?: (_google_protobuf_Timestamp | null);
  'spec'?: (_shoal_api_ClusterSpec | null);
  'tlsInfo'?: (_shoal_api_TLSInfo | null);
  'rootRotationInProgress'?: (boolean);
  'defaultAddrPool'?: (string)[];
  'subnetSize'?: (number);
  'dataPathPort'?: (number);
  'joinTokens'?: (_shoal_api_JoinTokens | null);
}

/**
 * Cluster is the swarm object (`GET /swarm`).
 */
export interface Cluster__Output {
  'id': (string);
  'version': (_shoal_api_Version__Output | null);
  'createdAt': (_google_protobuf_Timestamp__Output | null);
  'updatedAt': (_google_protobuf_Timestamp__Output | null);
  'spec': (_shoal_api_ClusterSpec__Output | null);
  'tlsInfo': (_shoal_api_TLSInfo__Output | null);
  'rootRotationInProgress': (boolean);
  'defaultAddrPool': (string)[];
  'subnetSize': (number);
  'dataPathPort': (number);
  'joinTokens': (_shoal_api_JoinTokens__Output | null);
}
