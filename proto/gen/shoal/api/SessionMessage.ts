// Original file: proto/shoal/api/dispatcher.proto

import type { Node as _shoal_api_Node, Node__Output as _shoal_api_Node__Output } from '../../shoal/api/Node.ts';
import type { WeightedPeer as _shoal_api_WeightedPeer, WeightedPeer__Output as _shoal_api_WeightedPeer__Output } from '../../shoal/api/WeightedPeer.ts';
import type { OverlayPeer as _shoal_api_OverlayPeer, OverlayPeer__Output as _shoal_api_OverlayPeer__Output } from '../../shoal/api/OverlayPeer.ts';
import type { EncryptionKey as _shoal_api_EncryptionKey, EncryptionKey__Output as _shoal_api_EncryptionKey__Output } from '../../shoal/api/EncryptionKey.ts';
import type { NetworkView as _shoal_api_NetworkView, NetworkView__Output as _shoal_api_NetworkView__Output } from '../../shoal/api/NetworkView.ts';

export interface SessionMessage {
  'sessionId'?: (string);
  'node'?: (_shoal_api_Node | null);
  'managers'?: (_shoal_api_WeightedPeer)[];
  /**
   * Other nodes' endpoints on the networks this node takes part in (those of `networks` below), sorted by
   * network id then ip; complete each time (a peer missing from the latest message is to be removed).
   */
  'overlayPeers'?: (_shoal_api_OverlayPeer)[];
  /**
   * The cluster's overlay encryption keys (subsystem "networking:overlay", algorithm "aes-128-gcm",
   * 16 random bytes each), oldest first: previous, current, next — Swarm's set of three. Sent to every
   * node, encrypted networks or not. The key with the highest lamport_time is the newest; the agent
   * decrypts with all of them, encrypts with the current one (the middle one, or the only one when fewer
   * than three are sent), and keeps accepting the previous key until it disappears from this list.
   * Rotated by the leader every 12 h; a rotation shifts the list by one (the new key appended).
   */
  'networkKeys'?: (_shoal_api_EncryptionKey)[];
  'rootCa'?: (Buffer | Uint8Array | string);
  /**
   * The overlay networks this node takes part in: every overlay network it has a task on
   * (ASSIGNED..RUNNING), and always the ingress network (when the swarm has one). Sorted by network id.
   * Each is the complete current picture (not a delta): a network or service missing from the latest
   * message is gone for this node, a task IP missing is no longer a backend.
   */
  'networks'?: (_shoal_api_NetworkView)[];
}

export interface SessionMessage__Output {
  'sessionId': (string);
  'node': (_shoal_api_Node__Output | null);
  'managers': (_shoal_api_WeightedPeer__Output)[];
  /**
   * Other nodes' endpoints on the networks this node takes part in (those of `networks` below), sorted by
   * network id then ip; complete each time (a peer missing from the latest message is to be removed).
   */
  'overlayPeers': (_shoal_api_OverlayPeer__Output)[];
  /**
   * The cluster's overlay encryption keys (subsystem "networking:overlay", algorithm "aes-128-gcm",
   * 16 random bytes each), oldest first: previous, current, next — Swarm's set of three. Sent to every
   * node, encrypted networks or not. The key with the highest lamport_time is the newest; the agent
   * decrypts with all of them, encrypts with the current one (the middle one, or the only one when fewer
   * than three are sent), and keeps accepting the previous key until it disappears from this list.
   * Rotated by the leader every 12 h; a rotation shifts the list by one (the new key appended).
   */
  'networkKeys': (_shoal_api_EncryptionKey__Output)[];
  'rootCa': (Buffer);
  /**
   * The overlay networks this node takes part in: every overlay network it has a task on
   * (ASSIGNED..RUNNING), and always the ingress network (when the swarm has one). Sorted by network id.
   * Each is the complete current picture (not a delta): a network or service missing from the latest
   * message is gone for this node, a task IP missing is no longer a backend.
   */
  'networks': (_shoal_api_NetworkView__Output)[];
}
