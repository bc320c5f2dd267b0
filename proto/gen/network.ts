import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp.ts';
import type { ConfigReferenceNetwork as _shoal_api_ConfigReferenceNetwork, ConfigReferenceNetwork__Output as _shoal_api_ConfigReferenceNetwork__Output } from './shoal/api/ConfigReferenceNetwork.ts';
import type { DiscreteGenericResource as _shoal_api_DiscreteGenericResource, DiscreteGenericResource__Output as _shoal_api_DiscreteGenericResource__Output } from './shoal/api/DiscreteGenericResource.ts';
import type { Driver as _shoal_api_Driver, Driver__Output as _shoal_api_Driver__Output } from './shoal/api/Driver.ts';
import type { EncryptionKey as _shoal_api_EncryptionKey, EncryptionKey__Output as _shoal_api_EncryptionKey__Output } from './shoal/api/EncryptionKey.ts';
import type { Endpoint as _shoal_api_Endpoint, Endpoint__Output as _shoal_api_Endpoint__Output } from './shoal/api/Endpoint.ts';
import type { EndpointSpec as _shoal_api_EndpointSpec, EndpointSpec__Output as _shoal_api_EndpointSpec__Output } from './shoal/api/EndpointSpec.ts';
import type { GenericResource as _shoal_api_GenericResource, GenericResource__Output as _shoal_api_GenericResource__Output } from './shoal/api/GenericResource.ts';
import type { IPAMConfig as _shoal_api_IPAMConfig, IPAMConfig__Output as _shoal_api_IPAMConfig__Output } from './shoal/api/IPAMConfig.ts';
import type { IPAMOptions as _shoal_api_IPAMOptions, IPAMOptions__Output as _shoal_api_IPAMOptions__Output } from './shoal/api/IPAMOptions.ts';
import type { Limit as _shoal_api_Limit, Limit__Output as _shoal_api_Limit__Output } from './shoal/api/Limit.ts';
import type { NamedGenericResource as _shoal_api_NamedGenericResource, NamedGenericResource__Output as _shoal_api_NamedGenericResource__Output } from './shoal/api/NamedGenericResource.ts';
import type { Network as _shoal_api_Network, Network__Output as _shoal_api_Network__Output } from './shoal/api/Network.ts';
import type { NetworkConfigFrom as _shoal_api_NetworkConfigFrom, NetworkConfigFrom__Output as _shoal_api_NetworkConfigFrom__Output } from './shoal/api/NetworkConfigFrom.ts';
import type { NetworkContainer as _shoal_api_NetworkContainer, NetworkContainer__Output as _shoal_api_NetworkContainer__Output } from './shoal/api/NetworkContainer.ts';
import type { NetworkCreateRequest as _shoal_api_NetworkCreateRequest, NetworkCreateRequest__Output as _shoal_api_NetworkCreateRequest__Output } from './shoal/api/NetworkCreateRequest.ts';
import type { NetworkIPAM as _shoal_api_NetworkIPAM, NetworkIPAM__Output as _shoal_api_NetworkIPAM__Output } from './shoal/api/NetworkIPAM.ts';
import type { NetworkIPAMConfig as _shoal_api_NetworkIPAMConfig, NetworkIPAMConfig__Output as _shoal_api_NetworkIPAMConfig__Output } from './shoal/api/NetworkIPAMConfig.ts';
import type { NetworkPeer as _shoal_api_NetworkPeer, NetworkPeer__Output as _shoal_api_NetworkPeer__Output } from './shoal/api/NetworkPeer.ts';
import type { NetworkResource as _shoal_api_NetworkResource, NetworkResource__Output as _shoal_api_NetworkResource__Output } from './shoal/api/NetworkResource.ts';
import type { NetworkSpec as _shoal_api_NetworkSpec, NetworkSpec__Output as _shoal_api_NetworkSpec__Output } from './shoal/api/NetworkSpec.ts';
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
      ConfigReferenceNetwork: MessageTypeDefinition<_shoal_api_ConfigReferenceNetwork, _shoal_api_ConfigReferenceNetwork__Output>
      DiscreteGenericResource: MessageTypeDefinition<_shoal_api_DiscreteGenericResource, _shoal_api_DiscreteGenericResource__Output>
      Driver: MessageTypeDefinition<_shoal_api_Driver, _shoal_api_Driver__Output>
      EncryptionKey: MessageTypeDefinition<_shoal_api_EncryptionKey, _shoal_api_EncryptionKey__Output>
      Endpoint: MessageTypeDefinition<_shoal_api_Endpoint, _shoal_api_Endpoint__Output>
      EndpointSpec: MessageTypeDefinition<_shoal_api_EndpointSpec, _shoal_api_EndpointSpec__Output>
      GenericResource: MessageTypeDefinition<_shoal_api_GenericResource, _shoal_api_GenericResource__Output>
      IPAMConfig: MessageTypeDefinition<_shoal_api_IPAMConfig, _shoal_api_IPAMConfig__Output>
      IPAMOptions: MessageTypeDefinition<_shoal_api_IPAMOptions, _shoal_api_IPAMOptions__Output>
      Limit: MessageTypeDefinition<_shoal_api_Limit, _shoal_api_Limit__Output>
      NamedGenericResource: MessageTypeDefinition<_shoal_api_NamedGenericResource, _shoal_api_NamedGenericResource__Output>
      Network: MessageTypeDefinition<_shoal_api_Network, _shoal_api_Network__Output>
      NetworkConfigFrom: MessageTypeDefinition<_shoal_api_NetworkConfigFrom, _shoal_api_NetworkConfigFrom__Output>
      NetworkContainer: MessageTypeDefinition<_shoal_api_NetworkContainer, _shoal_api_NetworkContainer__Output>
      NetworkCreateRequest: MessageTypeDefinition<_shoal_api_NetworkCreateRequest, _shoal_api_NetworkCreateRequest__Output>
      NetworkIPAM: MessageTypeDefinition<_shoal_api_NetworkIPAM, _shoal_api_NetworkIPAM__Output>
      NetworkIPAMConfig: MessageTypeDefinition<_shoal_api_NetworkIPAMConfig, _shoal_api_NetworkIPAMConfig__Output>
      NetworkPeer: MessageTypeDefinition<_shoal_api_NetworkPeer, _shoal_api_NetworkPeer__Output>
      NetworkResource: MessageTypeDefinition<_shoal_api_NetworkResource, _shoal_api_NetworkResource__Output>
      NetworkSpec: MessageTypeDefinition<_shoal_api_NetworkSpec, _shoal_api_NetworkSpec__Output>
      Platform: MessageTypeDefinition<_shoal_api_Platform, _shoal_api_Platform__Output>
      PortConfig: MessageTypeDefinition<_shoal_api_PortConfig, _shoal_api_PortConfig__Output>
      Resources: MessageTypeDefinition<_shoal_api_Resources, _shoal_api_Resources__Output>
      TLSInfo: MessageTypeDefinition<_shoal_api_TLSInfo, _shoal_api_TLSInfo__Output>
      Version: MessageTypeDefinition<_shoal_api_Version, _shoal_api_Version__Output>
      VirtualIP: MessageTypeDefinition<_shoal_api_VirtualIP, _shoal_api_VirtualIP__Output>
    }
  }
}

