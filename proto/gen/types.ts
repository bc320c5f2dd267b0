import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp.ts';
import type { DiscreteGenericResource as _shoal_api_DiscreteGenericResource, DiscreteGenericResource__Output as _shoal_api_DiscreteGenericResource__Output } from './shoal/api/DiscreteGenericResource.ts';
import type { Driver as _shoal_api_Driver, Driver__Output as _shoal_api_Driver__Output } from './shoal/api/Driver.ts';
import type { EncryptionKey as _shoal_api_EncryptionKey, EncryptionKey__Output as _shoal_api_EncryptionKey__Output } from './shoal/api/EncryptionKey.ts';
import type { Endpoint as _shoal_api_Endpoint, Endpoint__Output as _shoal_api_Endpoint__Output } from './shoal/api/Endpoint.ts';
import type { EndpointSpec as _shoal_api_EndpointSpec, EndpointSpec__Output as _shoal_api_EndpointSpec__Output } from './shoal/api/EndpointSpec.ts';
import type { GenericResource as _shoal_api_GenericResource, GenericResource__Output as _shoal_api_GenericResource__Output } from './shoal/api/GenericResource.ts';
import type { Limit as _shoal_api_Limit, Limit__Output as _shoal_api_Limit__Output } from './shoal/api/Limit.ts';
import type { NamedGenericResource as _shoal_api_NamedGenericResource, NamedGenericResource__Output as _shoal_api_NamedGenericResource__Output } from './shoal/api/NamedGenericResource.ts';
import type { Platform as _shoal_api_Platform, Platform__Output as _shoal_api_Platform__Output } from './shoal/api/Platform.ts';
import type { PortConfig as _shoal_api_PortConfig, PortConfig__Output as _shoal_api_PortConfig__Output } from './shoal/api/PortConfig.ts';
import type { Resources as _shoal_api_Resources, Resources__Output as _shoal_api_Resources__Output } from './shoal/api/Resources.ts';
import type { TLSInfo as _shoal_api_TLSInfo, TLSInfo__Output as _shoal_api_TLSInfo__Output } from './shoal/api/TLSInfo.ts';
import type { Version as _shoal_api_Version, Version__Output as _shoal_api_Version__Output } from './shoal/api/Version.ts';
import type { VirtualIP as _shoal_api_VirtualIP, VirtualIP__Output as _shoal_api_VirtualIP__Output } from './shoal/api/VirtualIP.ts';

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
      DiscreteGenericResource: MessageTypeDefinition<_shoal_api_DiscreteGenericResource, _shoal_api_DiscreteGenericResource__Output>
      Driver: MessageTypeDefinition<_shoal_api_Driver, _shoal_api_Driver__Output>
      EncryptionKey: MessageTypeDefinition<_shoal_api_EncryptionKey, _shoal_api_EncryptionKey__Output>
      Endpoint: MessageTypeDefinition<_shoal_api_Endpoint, _shoal_api_Endpoint__Output>
      EndpointSpec: MessageTypeDefinition<_shoal_api_EndpointSpec, _shoal_api_EndpointSpec__Output>
      GenericResource: MessageTypeDefinition<_shoal_api_GenericResource, _shoal_api_GenericResource__Output>
      Limit: MessageTypeDefinition<_shoal_api_Limit, _shoal_api_Limit__Output>
      NamedGenericResource: MessageTypeDefinition<_shoal_api_NamedGenericResource, _shoal_api_NamedGenericResource__Output>
      Platform: MessageTypeDefinition<_shoal_api_Platform, _shoal_api_Platform__Output>
      PortConfig: MessageTypeDefinition<_shoal_api_PortConfig, _shoal_api_PortConfig__Output>
      Resources: MessageTypeDefinition<_shoal_api_Resources, _shoal_api_Resources__Output>
      TLSInfo: MessageTypeDefinition<_shoal_api_TLSInfo, _shoal_api_TLSInfo__Output>
      Version: MessageTypeDefinition<_shoal_api_Version, _shoal_api_Version__Output>
      VirtualIP: MessageTypeDefinition<_shoal_api_VirtualIP, _shoal_api_VirtualIP__Output>
    }
  }
}

