// Original file: proto/shoal/api/logs.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { SubscribeLogsMessage as _shoal_api_SubscribeLogsMessage, SubscribeLogsMessage__Output as _shoal_api_SubscribeLogsMessage__Output } from '../../shoal/api/SubscribeLogsMessage.ts';
import type { SubscribeLogsRequest as _shoal_api_SubscribeLogsRequest, SubscribeLogsRequest__Output as _shoal_api_SubscribeLogsRequest__Output } from '../../shoal/api/SubscribeLogsRequest.ts';

/**
 * Logs serves users: a subscription to the logs of services, nodes or tasks.
 */
export interface LogsClient extends grpc.Client {
  SubscribeLogs(argument: _shoal_api_SubscribeLogsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_api_SubscribeLogsMessage__Output>;
  SubscribeLogs(argument: _shoal_api_SubscribeLogsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_api_SubscribeLogsMessage__Output>;
  subscribeLogs(argument: _shoal_api_SubscribeLogsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_api_SubscribeLogsMessage__Output>;
  subscribeLogs(argument: _shoal_api_SubscribeLogsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_api_SubscribeLogsMessage__Output>;
  
}

/**
 * Logs serves users: a subscription to the logs of services, nodes or tasks.
 */
export interface LogsHandlers extends grpc.UntypedServiceImplementation {
  SubscribeLogs: grpc.handleServerStreamingCall<_shoal_api_SubscribeLogsRequest__Output, _shoal_api_SubscribeLogsMessage>;
  
}

export interface LogsDefinition extends grpc.ServiceDefinition {
  SubscribeLogs: MethodDefinition<_shoal_api_SubscribeLogsRequest, _shoal_api_SubscribeLogsMessage, _shoal_api_SubscribeLogsRequest__Output, _shoal_api_SubscribeLogsMessage__Output>
}
