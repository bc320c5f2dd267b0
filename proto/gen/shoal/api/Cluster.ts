// Original file: proto/shoal/api/cluster.proto

import type { Version as _shoal_api_Version, Version__Output as _shoal_api_Version__Output } from '../../shoal/api/Version.ts';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp.ts';
import type { ClusterSpec as _shoal_api_ClusterSpec, ClusterSpec__Output as _shoal_api_ClusterSpec__Output } from '../../shoal/api/ClusterSpec.ts';
import type { TLSInfo as _shoal_api_TLSInfo, TLSInfo__Output as _shoal_api_TLSInfo__Output } from '../../shoal/api/TLSInfo.ts';
import type { JoinTokens as _shoal_api_JoinTokens, JoinTokens__Output as _shoal_api_JoinTokens__Output } from '../../shoal/api/JoinTokens.ts';
import type { EncryptionKey as _shoal_api_EncryptionKey, EncryptionKey__Output as _shoal_api_EncryptionKey__Output } from '../../shoal/api/EncryptionKey.ts';
import type { Long } from '@grpc/proto-loader';

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
  /**
   * Overlay encryption keys (manager/keymanager), oldest first: previous, current, next. Written by the
   * leader's key manager only; sent to every node in SessionMessage.network_keys.
   */
  'networkBootstrapKeys'?: (_shoal_api_EncryptionKey)[];
  /**
   * The key manager's lamport clock: the lamport_time of the newest key handed out.
   */
  'encryptionKeyLamportClock'?: (number | string | Long);
  /**
   * When the key set was last rotated (the key manager rotates once this is older than its interval).
   */
  'keysRotatedAt'?: (_google_protobuf_Timestamp | null);
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
  /**
   * Overlay encryption keys (manager/keymanager), oldest first: previous, current, next. Written by the
   * leader's key manager only; sent to every node in SessionMessage.network_keys.
   */
  'networkBootstrapKeys': (_shoal_api_EncryptionKey__Output)[];
  /**
   * The key manager's lamport clock: the lamport_time of the newest key handed out.
   */
  'encryptionKeyLamportClock': (number);
  /**
   * When the key set was last rotated (the key manager rotates once this is older than its interval).
   */
  'keysRotatedAt': (_google_protobuf_Timestamp__Output | null);
}
