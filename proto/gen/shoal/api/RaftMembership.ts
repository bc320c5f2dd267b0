// Original file: proto/shoal/api/raft.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { JoinRequest as _shoal_api_JoinRequest, JoinRequest__Output as _shoal_api_JoinRequest__Output } from '../../shoal/api/JoinRequest.ts';
import type { JoinResponse as _shoal_api_JoinResponse, JoinResponse__Output as _shoal_api_JoinResponse__Output } from '../../shoal/api/JoinResponse.ts';
import type { LeaveRequest as _shoal_api_LeaveRequest, LeaveRequest__Output as _shoal_api_LeaveRequest__Output } from '../../shoal/api/LeaveRequest.ts';
import type { LeaveResponse as _shoal_api_LeaveResponse, LeaveResponse__Output as _shoal_api_LeaveResponse__Output } from '../../shoal/api/LeaveResponse.ts';

/**
 * RaftMembership lets a manager join or leave the raft group.
 */
export interface RaftMembershipClient extends grpc.Client {
  Join(argument: _shoal_api_JoinRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_JoinResponse__Output>): grpc.ClientUnaryCall;
  Join(argument: _shoal_api_JoinRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_JoinResponse__Output>): grpc.ClientUnaryCall;
  Join(argument: _shoal_api_JoinRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_JoinResponse__Output>): grpc.ClientUnaryCall;
  Join(argument: _shoal_api_JoinRequest, callback: grpc.requestCallback<_shoal_api_JoinResponse__Output>): grpc.ClientUnaryCall;
  join(argument: _shoal_api_JoinRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_JoinResponse__Output>): grpc.ClientUnaryCall;
  join(argument: _shoal_api_JoinRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_JoinResponse__Output>): grpc.ClientUnaryCall;
  join(argument: _shoal_api_JoinRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_JoinResponse__Output>): grpc.ClientUnaryCall;
  join(argument: _shoal_api_JoinRequest, callback: grpc.requestCallback<_shoal_api_JoinResponse__Output>): grpc.ClientUnaryCall;
  
  Leave(argument: _shoal_api_LeaveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_LeaveResponse__Output>): grpc.ClientUnaryCall;
  Leave(argument: _shoal_api_LeaveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_LeaveResponse__Output>): grpc.ClientUnaryCall;
  Leave(argument: _shoal_api_LeaveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_LeaveResponse__Output>): grpc.ClientUnaryCall;
  Leave(argument: _shoal_api_LeaveRequest, callback: grpc.requestCallback<_shoal_api_LeaveResponse__Output>): grpc.ClientUnaryCall;
  leave(argument: _shoal_api_LeaveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_LeaveResponse__Output>): grpc.ClientUnaryCall;
  leave(argument: _shoal_api_LeaveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_LeaveResponse__Output>): grpc.ClientUnaryCall;
  leave(argument: _shoal_api_LeaveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_LeaveResponse__Output>): grpc.ClientUnaryCall;
  leave(argument: _shoal_api_LeaveRequest, callback: grpc.requestCallback<_shoal_api_LeaveResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * RaftMembership lets a manager join or leave the raft group.
 */
export interface RaftMembershipHandlers extends grpc.UntypedServiceImplementation {
  Join: grpc.handleUnaryCall<_shoal_api_JoinRequest__Output, _shoal_api_JoinResponse>;
  
  Leave: grpc.handleUnaryCall<_shoal_api_LeaveRequest__Output, _shoal_api_LeaveResponse>;
  
}

export interface RaftMembershipDefinition extends grpc.ServiceDefinition {
  Join: MethodDefinition<_shoal_api_JoinRequest, _shoal_api_JoinResponse, _shoal_api_JoinRequest__Output, _shoal_api_JoinResponse__Output>
  Leave: MethodDefinition<_shoal_api_LeaveRequest, _shoal_api_LeaveResponse, _shoal_api_LeaveRequest__Output, _shoal_api_LeaveResponse__Output>
}
