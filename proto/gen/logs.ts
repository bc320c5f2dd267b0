import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp.ts';
import type { ListenSubscriptionsRequest as _shoal_api_ListenSubscriptionsRequest, ListenSubscriptionsRequest__Output as _shoal_api_ListenSubscriptionsRequest__Output } from './shoal/api/ListenSubscriptionsRequest.ts';
import type { LogBrokerClient as _shoal_api_LogBrokerClient, LogBrokerDefinition as _shoal_api_LogBrokerDefinition } from './shoal/api/LogBroker.ts';
import type { LogContext as _shoal_api_LogContext, LogContext__Output as _shoal_api_LogContext__Output } from './shoal/api/LogContext.ts';
import type { LogMessage as _shoal_api_LogMessage, LogMessage__Output as _shoal_api_LogMessage__Output } from './shoal/api/LogMessage.ts';
import type { LogSelector as _shoal_api_LogSelector, LogSelector__Output as _shoal_api_LogSelector__Output } from './shoal/api/LogSelector.ts';
import type { LogSubscriptionOptions as _shoal_api_LogSubscriptionOptions, LogSubscriptionOptions__Output as _shoal_api_LogSubscriptionOptions__Output } from './shoal/api/LogSubscriptionOptions.ts';
import type { LogsClient as _shoal_api_LogsClient, LogsDefinition as _shoal_api_LogsDefinition } from './shoal/api/Logs.ts';
import type { PublishLogsMessage as _shoal_api_PublishLogsMessage, PublishLogsMessage__Output as _shoal_api_PublishLogsMessage__Output } from './shoal/api/PublishLogsMessage.ts';
import type { PublishLogsResponse as _shoal_api_PublishLogsResponse, PublishLogsResponse__Output as _shoal_api_PublishLogsResponse__Output } from './shoal/api/PublishLogsResponse.ts';
import type { SubscribeLogsMessage as _shoal_api_SubscribeLogsMessage, SubscribeLogsMessage__Output as _shoal_api_SubscribeLogsMessage__Output } from './shoal/api/SubscribeLogsMessage.ts';
import type { SubscribeLogsRequest as _shoal_api_SubscribeLogsRequest, SubscribeLogsRequest__Output as _shoal_api_SubscribeLogsRequest__Output } from './shoal/api/SubscribeLogsRequest.ts';
import type { SubscriptionMessage as _shoal_api_SubscriptionMessage, SubscriptionMessage__Output as _shoal_api_SubscriptionMessage__Output } from './shoal/api/SubscriptionMessage.ts';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
  shoal: {
    api: {
      ListenSubscriptionsRequest: MessageTypeDefinition<_shoal_api_ListenSubscriptionsRequest, _shoal_api_ListenSubscriptionsRequest__Output>
      /**
       * LogBroker serves agents: they learn which subscriptions concern them and publish matching lines.
       */
      LogBroker: SubtypeConstructor<typeof grpc.Client, _shoal_api_LogBrokerClient> & { service: _shoal_api_LogBrokerDefinition }
      LogContext: MessageTypeDefinition<_shoal_api_LogContext, _shoal_api_LogContext__Output>
      LogMessage: MessageTypeDefinition<_shoal_api_LogMessage, _shoal_api_LogMessage__Output>
      LogSelector: MessageTypeDefinition<_shoal_api_LogSelector, _shoal_api_LogSelector__Output>
      LogSubscriptionOptions: MessageTypeDefinition<_shoal_api_LogSubscriptionOptions, _shoal_api_LogSubscriptionOptions__Output>
      /**
       * Logs serves users: a subscription to the logs of services, nodes or tasks.
       */
      Logs: SubtypeConstructor<typeof grpc.Client, _shoal_api_LogsClient> & { service: _shoal_api_LogsDefinition }
      PublishLogsMessage: MessageTypeDefinition<_shoal_api_PublishLogsMessage, _shoal_api_PublishLogsMessage__Output>
      PublishLogsResponse: MessageTypeDefinition<_shoal_api_PublishLogsResponse, _shoal_api_PublishLogsResponse__Output>
      SubscribeLogsMessage: MessageTypeDefinition<_shoal_api_SubscribeLogsMessage, _shoal_api_SubscribeLogsMessage__Output>
      SubscribeLogsRequest: MessageTypeDefinition<_shoal_api_SubscribeLogsRequest, _shoal_api_SubscribeLogsRequest__Output>
      SubscriptionMessage: MessageTypeDefinition<_shoal_api_SubscriptionMessage, _shoal_api_SubscriptionMessage__Output>
    }
  }
}

