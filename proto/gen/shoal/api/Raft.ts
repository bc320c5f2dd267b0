// Original file: proto/shoal/api/raft.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ProcessRaftMessageResponse as _shoal_api_ProcessRaftMessageResponse, ProcessRaftMessageResponse__Output as _shoal_api_ProcessRaftMessageResponse__Output } from '../../shoal/api/ProcessRaftMessageResponse.ts';
import type { RaftMessageBatch as _shoal_api_RaftMessageBatch, RaftMessageBatch__Output as _shoal_api_RaftMessageBatch__Output } from '../../shoal/api/RaftMessageBatch.ts';
import type { ResolveAddressRequest as _shoal_api_ResolveAddressRequest, ResolveAddressRequest__Output as _shoal_api_ResolveAddressRequest__Output } from '../../shoal/api/ResolveAddressRequest.ts';
import type { ResolveAddressResponse as _shoal_api_ResolveAddressResponse, ResolveAddressResponse__Output as _shoal_api_ResolveAddressResponse__Output } from '../../shoal/api/ResolveAddressResponse.ts';
import type { SnapshotChunk as _shoal_api_SnapshotChunk, SnapshotChunk__Output as _shoal_api_SnapshotChunk__Output } from '../../shoal/api/SnapshotChunk.ts';
import type { StreamSnapshotResponse as _shoal_api_StreamSnapshotResponse, StreamSnapshotResponse__Output as _shoal_api_StreamSnapshotResponse__Output } from '../../shoal/api/StreamSnapshotResponse.ts';

/**
 * Raft carries consensus traffic between managers.
 */
export interface RaftClient extends grpc.Client {
  ResolveAddress(argument: _shoal_api_ResolveAddressRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ResolveAddressResponse__Output>): grpc.ClientUnaryCall;
  ResolveAddress(argument: _shoal_api_ResolveAddressRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_ResolveAddressResponse__Output>): grpc.ClientUnaryCall;
  ResolveAddress(argument: _shoal_api_ResolveAddressRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ResolveAddressResponse__Output>): grpc.ClientUnaryCall;
  ResolveAddress(argument: _shoal_api_ResolveAddressRequest, callback: grpc.requestCallback<_shoal_api_ResolveAddressResponse__Output>): grpc.ClientUnaryCall;
  resolveAddress(argument: _shoal_api_ResolveAddressRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ResolveAddressResponse__Output>): grpc.ClientUnaryCall;
  resolveAddress(argument: _shoal_api_ResolveAddressRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_ResolveAddressResponse__Output>): grpc.ClientUnaryCall;
  resolveAddress(argument: _shoal_api_ResolveAddressRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ResolveAddressResponse__Output>): grpc.ClientUnaryCall;
  resolveAddress(argument: _shoal_api_ResolveAddressRequest, callback: grpc.requestCallback<_shoal_api_ResolveAddressResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * A long-lived stream of messages from one peer to another (heartbeats, appends, votes).
   */
  StreamRaftMessages(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ProcessRaftMessageResponse__Output>): grpc.ClientWritableStream<_shoal_api_RaftMessageBatch>;
  StreamRaftMessages(metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_ProcessRaftMessageResponse__Output>): grpc.ClientWritableStream<_shoal_api_RaftMessageBatch>;
  StreamRaftMessages(options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ProcessRaftMessageResponse__Output>): grpc.ClientWritableStream<_shoal_api_RaftMessageBatch>;
  StreamRaftMessages(callback: grpc.requestCallback<_shoal_api_ProcessRaftMessageResponse__Output>): grpc.ClientWritableStream<_shoal_api_RaftMessageBatch>;
  /**
   * A long-lived stream of messages from one peer to another (heartbeats, appends, votes).
   */
  streamRaftMessages(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ProcessRaftMessageResponse__Output>): grpc.ClientWritableStream<_shoal_api_RaftMessageBatch>;
  streamRaftMessages(metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_ProcessRaftMessageResponse__Output>): grpc.ClientWritableStream<_shoal_api_RaftMessageBatch>;
  streamRaftMessages(options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ProcessRaftMessageResponse__Output>): grpc.ClientWritableStream<_shoal_api_RaftMessageBatch>;
  streamRaftMessages(callback: grpc.requestCallback<_shoal_api_ProcessRaftMessageResponse__Output>): grpc.ClientWritableStream<_shoal_api_RaftMessageBatch>;
  
  /**
   * A snapshot, in chunks, so it has no size limit.
   */
  StreamSnapshot(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_StreamSnapshotResponse__Output>): grpc.ClientWritableStream<_shoal_api_SnapshotChunk>;
  StreamSnapshot(metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_StreamSnapshotResponse__Output>): grpc.ClientWritableStream<_shoal_api_SnapshotChunk>;
  StreamSnapshot(options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_StreamSnapshotResponse__Output>): grpc.ClientWritableStream<_shoal_api_SnapshotChunk>;
  StreamSnapshot(callback: grpc.requestCallback<_shoal_api_StreamSnapshotResponse__Output>): grpc.ClientWritableStream<_shoal_api_SnapshotChunk>;
  /**
   * A snapshot, in chunks, so it has no size limit.
   */
  streamSnapshot(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_StreamSnapshotResponse__Output>): grpc.ClientWritableStream<_shoal_api_SnapshotChunk>;
  streamSnapshot(metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_StreamSnapshotResponse__Output>): grpc.ClientWritableStream<_shoal_api_SnapshotChunk>;
  streamSnapshot(options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_StreamSnapshotResponse__Output>): grpc.ClientWritableStream<_shoal_api_SnapshotChunk>;
  streamSnapshot(callback: grpc.requestCallback<_shoal_api_StreamSnapshotResponse__Output>): grpc.ClientWritableStream<_shoal_api_SnapshotChunk>;
  
}

/**
 * Raft carries consensus traffic between managers.
 */
export interface RaftHandlers extends grpc.UntypedServiceImplementation {
  ResolveAddress: grpc.handleUnaryCall<_shoal_api_ResolveAddressRequest__Output, _shoal_api_ResolveAddressResponse>;
  
  /**
   * A long-lived stream of messages from one peer to another (heartbeats, appends, votes).
   */
  StreamRaftMessages: grpc.handleClientStreamingCall<_shoal_api_RaftMessageBatch__Output, _shoal_api_ProcessRaftMessageResponse>;
  
  /**
   * A snapshot, in chunks, so it has no size limit.
   */
  StreamSnapshot: grpc.handleClientStreamingCall<_shoal_api_SnapshotChunk__Output, _shoal_api_StreamSnapshotResponse>;
  
}

export interface RaftDefinition extends grpc.ServiceDefinition {
  ResolveAddress: MethodDefinition<_shoal_api_ResolveAddressRequest, _shoal_api_ResolveAddressResponse, _shoal_api_ResolveAddressRequest__Output, _shoal_api_ResolveAddressResponse__Output>
  StreamRaftMessages: MethodDefinition<_shoal_api_RaftMessageBatch, _shoal_api_ProcessRaftMessageResponse, _shoal_api_RaftMessageBatch__Output, _shoal_api_ProcessRaftMessageResponse__Output>
  StreamSnapshot: MethodDefinition<_shoal_api_SnapshotChunk, _shoal_api_StreamSnapshotResponse, _shoal_api_SnapshotChunk__Output, _shoal_api_StreamSnapshotResponse__Output>
}
