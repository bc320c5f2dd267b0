// Original file: proto/shoal/api/dispatcher.proto

import type { Node as _shoal_api_Node, Node__Output as _shoal_api_Node__Output } from '../../shoal/api/Node.ts';
import type { WeightedPeer as _shoal_api_WeightedPeer, WeightedPeer__Output as _shoal_api_WeightedPeer__Output } from '../../shoal/api/WeightedPeer.ts';
import type { OverlayPeer as _shoal_api_OverlayPeer, OverlayPeer__Output as _shoal_api_OverlayPeer__Output } from '../../shoal/api/OverlayPeer.ts';
import type { EncryptionKey as _shoal_api_EncryptionKey, EncryptionKey__Output as _shoal_api_EncryptionKey__Output } from '../../shoal/api/EncryptionKey.ts';

export interface SessionMessage {
  'sessionId'?: (string);
  'node'?: (_shoal_api_Node | null);
  'managers'?: (_shoal_api_WeightedPeer)[];
  'overlayPeers'?: (_shoal_api_OverlayPeer)[];
  'networkKeys'?: (_shoal_api_EncryptionKey)[];
  'rootCa'?: (Buffer | Uint8Array | string);
}

export interface SessionMessage__Output {
  'sessionId': (string);
  'node': (_shoal_api_Node__Output | null);
  'managers': (_shoal_api_WeightedPeer__Output)[];
  'overlayPeers': (_shoal_api_OverlayPeer__Output)[];
  'networkKeys': (_shoal_api_EncryptionKey__Output)[];
  'rootCa': (Buffer);
}
