// Original file: proto/shoal/api/logs.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ListenSubscriptionsRequest as _shoal_api_ListenSubscriptionsRequest, ListenSubscriptionsRequest__Output as _shoal_api_ListenSubscriptionsRequest__Output } from '../../shoal/api/ListenSubscriptionsRequest.ts';
import type { PublishLogsMessage as _shoal_api_PublishLogsMessage, PublishLogsMessage__Output as _shoal_api_PublishLogsMessage__Output } from '../../shoal/api/PublishLogsMessage.ts';
import type { PublishLogsResponse as _shoal_api_PublishLogsResponse, PublishLogsResponse__Output as _shoal_api_PublishLogsResponse__Output } from '../../shoal/api/PublishLogsResponse.ts';
import type { SubscriptionMessage as _shoal_api_SubscriptionMessage, SubscriptionMessage__Output as _shoal_api_SubscriptionMessage__Output } from '../../shoal/api/SubscriptionMessage.ts';

/**
 * LogBroker serves agents: they learn which subscriptions concern them and publish matching lines.
 */
export interface LogBrokerClient extends grpc.Client {
  ListenSubscriptions(argument: _shoal_api_ListenSubscriptionsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_api_SubscriptionMessage__Output>;
  ListenSubscriptions(argument: _shoal_api_ListenSubscriptionsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_api_SubscriptionMessage__Output>;
  listenSubscriptions(argument: _shoal_api_ListenSubscriptionsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_api_SubscriptionMessage__Output>;
  listenSubscriptions(argument: _shoal_api_ListenSubscriptionsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_api_SubscriptionMessage__Output>;
  
  PublishLogs(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_PublishLogsResponse__Output>): grpc.ClientWritableStream<_shoal_api_PublishLogsMessage>;
  PublishLogs(metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_PublishLogsResponse__Output>): grpc.ClientWritableStream<_shoal_api_PublishLogsMessage>;
  PublishLogs(options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_PublishLogsResponse__Output>): grpc.ClientWritableStream<_shoal_api_PublishLogsMessage>;
  PublishLogs(callback: grpc.requestCallback<_shoal_api_PublishLogsResponse__Output>): grpc.ClientWritableStream<_shoal_api_PublishLogsMessage>;
  publishLogs(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_PublishLogsResponse__Output>): grpc.ClientWritableStream<_shoal_api_PublishLogsMessage>;
  publishLogs(metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_PublishLogsResponse__Output>): grpc.ClientWritableStream<_shoal_api_PublishLogsMessage>;
  publishLogs(options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_PublishLogsResponse__Output>): grpc.ClientWritableStream<_shoal_api_PublishLogsMessage>;
  publishLogs(callback: grpc.requestCallback<_shoal_api_PublishLogsResponse__Output>): grpc.ClientWritableStream<_shoal_api_PublishLogsMessage>;
  
}

/**
 * LogBroker serves agents: they learn which subscriptions concern them and publish matching lines.
 */
export interface LogBrokerHandlers extends grpc.UntypedServiceImplementation {
  ListenSubscriptions: grpc.handleServerStreamingCall<_shoal_api_ListenSubscriptionsRequest__Output, _shoal_api_SubscriptionMessage>;
  
  PublishLogs: grpc.handleClientStreamingCall<_shoal_api_PublishLogsMessage__Output, _shoal_api_PublishLogsResponse>;
  
}

export interface LogBrokerDefinition extends grpc.ServiceDefinition {
  ListenSubscriptions: MethodDefinition<_shoal_api_ListenSubscriptionsRequest, _shoal_api_SubscriptionMessage, _shoal_api_ListenSubscriptionsRequest__Output, _shoal_api_SubscriptionMessage__Output>
  PublishLogs: MethodDefinition<_shoal_api_PublishLogsMessage, _shoal_api_PublishLogsResponse, _shoal_api_PublishLogsMessage__Output, _shoal_api_PublishLogsResponse__Output>
}
