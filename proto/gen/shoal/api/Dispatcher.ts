// Original file: proto/shoal/api/dispatcher.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AssignmentsMessage as _shoal_api_AssignmentsMessage, AssignmentsMessage__Output as _shoal_api_AssignmentsMessage__Output } from '../../shoal/api/AssignmentsMessage.ts';
import type { AssignmentsRequest as _shoal_api_AssignmentsRequest, AssignmentsRequest__Output as _shoal_api_AssignmentsRequest__Output } from '../../shoal/api/AssignmentsRequest.ts';
import type { HeartbeatRequest as _shoal_api_HeartbeatRequest, HeartbeatRequest__Output as _shoal_api_HeartbeatRequest__Output } from '../../shoal/api/HeartbeatRequest.ts';
import type { HeartbeatResponse as _shoal_api_HeartbeatResponse, HeartbeatResponse__Output as _shoal_api_HeartbeatResponse__Output } from '../../shoal/api/HeartbeatResponse.ts';
import type { SessionMessage as _shoal_api_SessionMessage, SessionMessage__Output as _shoal_api_SessionMessage__Output } from '../../shoal/api/SessionMessage.ts';
import type { SessionRequest as _shoal_api_SessionRequest, SessionRequest__Output as _shoal_api_SessionRequest__Output } from '../../shoal/api/SessionRequest.ts';
import type { UpdateTaskStatusRequest as _shoal_api_UpdateTaskStatusRequest, UpdateTaskStatusRequest__Output as _shoal_api_UpdateTaskStatusRequest__Output } from '../../shoal/api/UpdateTaskStatusRequest.ts';
import type { UpdateTaskStatusResponse as _shoal_api_UpdateTaskStatusResponse, UpdateTaskStatusResponse__Output as _shoal_api_UpdateTaskStatusResponse__Output } from '../../shoal/api/UpdateTaskStatusResponse.ts';

/**
 * Dispatcher is the managers' side of every agent's session.
 */
export interface DispatcherClient extends grpc.Client {
  Assignments(argument: _shoal_api_AssignmentsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_api_AssignmentsMessage__Output>;
  Assignments(argument: _shoal_api_AssignmentsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_api_AssignmentsMessage__Output>;
  assignments(argument: _shoal_api_AssignmentsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_api_AssignmentsMessage__Output>;
  assignments(argument: _shoal_api_AssignmentsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_api_AssignmentsMessage__Output>;
  
  Heartbeat(argument: _shoal_api_HeartbeatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _shoal_api_HeartbeatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _shoal_api_HeartbeatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _shoal_api_HeartbeatRequest, callback: grpc.requestCallback<_shoal_api_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _shoal_api_HeartbeatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _shoal_api_HeartbeatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _shoal_api_HeartbeatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _shoal_api_HeartbeatRequest, callback: grpc.requestCallback<_shoal_api_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  
  Session(argument: _shoal_api_SessionRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_api_SessionMessage__Output>;
  Session(argument: _shoal_api_SessionRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_api_SessionMessage__Output>;
  session(argument: _shoal_api_SessionRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_api_SessionMessage__Output>;
  session(argument: _shoal_api_SessionRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_api_SessionMessage__Output>;
  
  UpdateTaskStatus(argument: _shoal_api_UpdateTaskStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_UpdateTaskStatusResponse__Output>): grpc.ClientUnaryCall;
  UpdateTaskStatus(argument: _shoal_api_UpdateTaskStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_UpdateTaskStatusResponse__Output>): grpc.ClientUnaryCall;
  UpdateTaskStatus(argument: _shoal_api_UpdateTaskStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_UpdateTaskStatusResponse__Output>): grpc.ClientUnaryCall;
  UpdateTaskStatus(argument: _shoal_api_UpdateTaskStatusRequest, callback: grpc.requestCallback<_shoal_api_UpdateTaskStatusResponse__Output>): grpc.ClientUnaryCall;
  updateTaskStatus(argument: _shoal_api_UpdateTaskStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_UpdateTaskStatusResponse__Output>): grpc.ClientUnaryCall;
  updateTaskStatus(argument: _shoal_api_UpdateTaskStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_UpdateTaskStatusResponse__Output>): grpc.ClientUnaryCall;
  updateTaskStatus(argument: _shoal_api_UpdateTaskStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_UpdateTaskStatusResponse__Output>): grpc.ClientUnaryCall;
  updateTaskStatus(argument: _shoal_api_UpdateTaskStatusRequest, callback: grpc.requestCallback<_shoal_api_UpdateTaskStatusResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Dispatcher is the managers' side of every agent's session.
 */
export interface DispatcherHandlers extends grpc.UntypedServiceImplementation {
  Assignments: grpc.handleServerStreamingCall<_shoal_api_AssignmentsRequest__Output, _shoal_api_AssignmentsMessage>;
  
  Heartbeat: grpc.handleUnaryCall<_shoal_api_HeartbeatRequest__Output, _shoal_api_HeartbeatResponse>;
  
  Session: grpc.handleServerStreamingCall<_shoal_api_SessionRequest__Output, _shoal_api_SessionMessage>;
  
  UpdateTaskStatus: grpc.handleUnaryCall<_shoal_api_UpdateTaskStatusRequest__Output, _shoal_api_UpdateTaskStatusResponse>;
  
}

export interface DispatcherDefinition extends grpc.ServiceDefinition {
  Assignments: MethodDefinition<_shoal_api_AssignmentsRequest, _shoal_api_AssignmentsMessage, _shoal_api_AssignmentsRequest__Output, _shoal_api_AssignmentsMessage__Output>
  Heartbeat: MethodDefinition<_shoal_api_HeartbeatRequest, _shoal_api_HeartbeatResponse, _shoal_api_HeartbeatRequest__Output, _shoal_api_HeartbeatResponse__Output>
  Session: MethodDefinition<_shoal_api_SessionRequest, _shoal_api_SessionMessage, _shoal_api_SessionRequest__Output, _shoal_api_SessionMessage__Output>
  UpdateTaskStatus: MethodDefinition<_shoal_api_UpdateTaskStatusRequest, _shoal_api_UpdateTaskStatusResponse, _shoal_api_UpdateTaskStatusRequest__Output, _shoal_api_UpdateTaskStatusResponse__Output>
}
