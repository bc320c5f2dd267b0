/** raft/transport: raft messages and snapshots between managers over gRPC. See transport.ts. */
export { RaftTransport, type TransportState, type TransportStats } from './transport.ts';
export {
  TRANSPORT_DEFAULTS,
  type RaftTransportOptions,
  type ResolvedTransportOptions,
  type SnapshotStatus,
  type TransportCallbacks,
  type TransportLimits,
} from './options.ts';
export type { PeerState, PeerStats } from './peer.ts';
export type { InboundStats } from './service.ts';
export {
  InvalidPeerError,
  MisaddressedError,
  SnapshotChunkError,
  TransportNotRunningError,
  TransportOptionError,
  TransportStateError,
} from './errors.ts';
