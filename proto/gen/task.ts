import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp.ts';
import type { ConfigReference as _shoal_api_ConfigReference, ConfigReference__Output as _shoal_api_ConfigReference__Output } from './shoal/api/ConfigReference.ts';
import type { ConfigReferenceNetwork as _shoal_api_ConfigReferenceNetwork, ConfigReferenceNetwork__Output as _shoal_api_ConfigReferenceNetwork__Output } from './shoal/api/ConfigReferenceNetwork.ts';
import type { ConfigReferenceRuntimeTarget as _shoal_api_ConfigReferenceRuntimeTarget, ConfigReferenceRuntimeTarget__Output as _shoal_api_ConfigReferenceRuntimeTarget__Output } from './shoal/api/ConfigReferenceRuntimeTarget.ts';
import type { ContainerSpec as _shoal_api_ContainerSpec, ContainerSpec__Output as _shoal_api_ContainerSpec__Output } from './shoal/api/ContainerSpec.ts';
import type { ContainerStatus as _shoal_api_ContainerStatus, ContainerStatus__Output as _shoal_api_ContainerStatus__Output } from './shoal/api/ContainerStatus.ts';
import type { DNSConfig as _shoal_api_DNSConfig, DNSConfig__Output as _shoal_api_DNSConfig__Output } from './shoal/api/DNSConfig.ts';
import type { DiscreteGenericResource as _shoal_api_DiscreteGenericResource, DiscreteGenericResource__Output as _shoal_api_DiscreteGenericResource__Output } from './shoal/api/DiscreteGenericResource.ts';
import type { Driver as _shoal_api_Driver, Driver__Output as _shoal_api_Driver__Output } from './shoal/api/Driver.ts';
import type { EncryptionKey as _shoal_api_EncryptionKey, EncryptionKey__Output as _shoal_api_EncryptionKey__Output } from './shoal/api/EncryptionKey.ts';
import type { Endpoint as _shoal_api_Endpoint, Endpoint__Output as _shoal_api_Endpoint__Output } from './shoal/api/Endpoint.ts';
import type { EndpointSpec as _shoal_api_EndpointSpec, EndpointSpec__Output as _shoal_api_EndpointSpec__Output } from './shoal/api/EndpointSpec.ts';
import type { GenericResource as _shoal_api_GenericResource, GenericResource__Output as _shoal_api_GenericResource__Output } from './shoal/api/GenericResource.ts';
import type { GlobalJob as _shoal_api_GlobalJob, GlobalJob__Output as _shoal_api_GlobalJob__Output } from './shoal/api/GlobalJob.ts';
import type { GlobalService as _shoal_api_GlobalService, GlobalService__Output as _shoal_api_GlobalService__Output } from './shoal/api/GlobalService.ts';
import type { HealthConfig as _shoal_api_HealthConfig, HealthConfig__Output as _shoal_api_HealthConfig__Output } from './shoal/api/HealthConfig.ts';
import type { IPAMConfig as _shoal_api_IPAMConfig, IPAMConfig__Output as _shoal_api_IPAMConfig__Output } from './shoal/api/IPAMConfig.ts';
import type { IPAMOptions as _shoal_api_IPAMOptions, IPAMOptions__Output as _shoal_api_IPAMOptions__Output } from './shoal/api/IPAMOptions.ts';
import type { JobIteration as _shoal_api_JobIteration, JobIteration__Output as _shoal_api_JobIteration__Output } from './shoal/api/JobIteration.ts';
import type { JobStatus as _shoal_api_JobStatus, JobStatus__Output as _shoal_api_JobStatus__Output } from './shoal/api/JobStatus.ts';
import type { Limit as _shoal_api_Limit, Limit__Output as _shoal_api_Limit__Output } from './shoal/api/Limit.ts';
import type { Mount as _shoal_api_Mount, Mount__Output as _shoal_api_Mount__Output } from './shoal/api/Mount.ts';
import type { NamedGenericResource as _shoal_api_NamedGenericResource, NamedGenericResource__Output as _shoal_api_NamedGenericResource__Output } from './shoal/api/NamedGenericResource.ts';
import type { Network as _shoal_api_Network, Network__Output as _shoal_api_Network__Output } from './shoal/api/Network.ts';
import type { NetworkAttachment as _shoal_api_NetworkAttachment, NetworkAttachment__Output as _shoal_api_NetworkAttachment__Output } from './shoal/api/NetworkAttachment.ts';
import type { NetworkAttachmentConfig as _shoal_api_NetworkAttachmentConfig, NetworkAttachmentConfig__Output as _shoal_api_NetworkAttachmentConfig__Output } from './shoal/api/NetworkAttachmentConfig.ts';
import type { NetworkAttachmentSpec as _shoal_api_NetworkAttachmentSpec, NetworkAttachmentSpec__Output as _shoal_api_NetworkAttachmentSpec__Output } from './shoal/api/NetworkAttachmentSpec.ts';
import type { NetworkConfigFrom as _shoal_api_NetworkConfigFrom, NetworkConfigFrom__Output as _shoal_api_NetworkConfigFrom__Output } from './shoal/api/NetworkConfigFrom.ts';
import type { NetworkContainer as _shoal_api_NetworkContainer, NetworkContainer__Output as _shoal_api_NetworkContainer__Output } from './shoal/api/NetworkContainer.ts';
import type { NetworkCreateRequest as _shoal_api_NetworkCreateRequest, NetworkCreateRequest__Output as _shoal_api_NetworkCreateRequest__Output } from './shoal/api/NetworkCreateRequest.ts';
import type { NetworkIPAM as _shoal_api_NetworkIPAM, NetworkIPAM__Output as _shoal_api_NetworkIPAM__Output } from './shoal/api/NetworkIPAM.ts';
import type { NetworkIPAMConfig as _shoal_api_NetworkIPAMConfig, NetworkIPAMConfig__Output as _shoal_api_NetworkIPAMConfig__Output } from './shoal/api/NetworkIPAMConfig.ts';
import type { NetworkPeer as _shoal_api_NetworkPeer, NetworkPeer__Output as _shoal_api_NetworkPeer__Output } from './shoal/api/NetworkPeer.ts';
import type { NetworkResource as _shoal_api_NetworkResource, NetworkResource__Output as _shoal_api_NetworkResource__Output } from './shoal/api/NetworkResource.ts';
import type { NetworkSpec as _shoal_api_NetworkSpec, NetworkSpec__Output as _shoal_api_NetworkSpec__Output } from './shoal/api/NetworkSpec.ts';
import type { Placement as _shoal_api_Placement, Placement__Output as _shoal_api_Placement__Output } from './shoal/api/Placement.ts';
import type { PlacementPreference as _shoal_api_PlacementPreference, PlacementPreference__Output as _shoal_api_PlacementPreference__Output } from './shoal/api/PlacementPreference.ts';
import type { Platform as _shoal_api_Platform, Platform__Output as _shoal_api_Platform__Output } from './shoal/api/Platform.ts';
import type { PluginPrivilege as _shoal_api_PluginPrivilege, PluginPrivilege__Output as _shoal_api_PluginPrivilege__Output } from './shoal/api/PluginPrivilege.ts';
import type { PluginSpec as _shoal_api_PluginSpec, PluginSpec__Output as _shoal_api_PluginSpec__Output } from './shoal/api/PluginSpec.ts';
import type { PortConfig as _shoal_api_PortConfig, PortConfig__Output as _shoal_api_PortConfig__Output } from './shoal/api/PortConfig.ts';
import type { PortStatus as _shoal_api_PortStatus, PortStatus__Output as _shoal_api_PortStatus__Output } from './shoal/api/PortStatus.ts';
import type { Privileges as _shoal_api_Privileges, Privileges__Output as _shoal_api_Privileges__Output } from './shoal/api/Privileges.ts';
import type { ReplicatedJob as _shoal_api_ReplicatedJob, ReplicatedJob__Output as _shoal_api_ReplicatedJob__Output } from './shoal/api/ReplicatedJob.ts';
import type { ReplicatedService as _shoal_api_ReplicatedService, ReplicatedService__Output as _shoal_api_ReplicatedService__Output } from './shoal/api/ReplicatedService.ts';
import type { ResourceRequirements as _shoal_api_ResourceRequirements, ResourceRequirements__Output as _shoal_api_ResourceRequirements__Output } from './shoal/api/ResourceRequirements.ts';
import type { Resources as _shoal_api_Resources, Resources__Output as _shoal_api_Resources__Output } from './shoal/api/Resources.ts';
import type { RestartPolicy as _shoal_api_RestartPolicy, RestartPolicy__Output as _shoal_api_RestartPolicy__Output } from './shoal/api/RestartPolicy.ts';
import type { SecretReference as _shoal_api_SecretReference, SecretReference__Output as _shoal_api_SecretReference__Output } from './shoal/api/SecretReference.ts';
import type { SecretReferenceFileTarget as _shoal_api_SecretReferenceFileTarget, SecretReferenceFileTarget__Output as _shoal_api_SecretReferenceFileTarget__Output } from './shoal/api/SecretReferenceFileTarget.ts';
import type { Service as _shoal_api_Service, Service__Output as _shoal_api_Service__Output } from './shoal/api/Service.ts';
import type { ServiceMode as _shoal_api_ServiceMode, ServiceMode__Output as _shoal_api_ServiceMode__Output } from './shoal/api/ServiceMode.ts';
import type { ServiceSpec as _shoal_api_ServiceSpec, ServiceSpec__Output as _shoal_api_ServiceSpec__Output } from './shoal/api/ServiceSpec.ts';
import type { ServiceStatus as _shoal_api_ServiceStatus, ServiceStatus__Output as _shoal_api_ServiceStatus__Output } from './shoal/api/ServiceStatus.ts';
import type { SpreadOver as _shoal_api_SpreadOver, SpreadOver__Output as _shoal_api_SpreadOver__Output } from './shoal/api/SpreadOver.ts';
import type { StringList as _shoal_api_StringList, StringList__Output as _shoal_api_StringList__Output } from './shoal/api/StringList.ts';
import type { TLSInfo as _shoal_api_TLSInfo, TLSInfo__Output as _shoal_api_TLSInfo__Output } from './shoal/api/TLSInfo.ts';
import type { Task as _shoal_api_Task, Task__Output as _shoal_api_Task__Output } from './shoal/api/Task.ts';
import type { TaskSpec as _shoal_api_TaskSpec, TaskSpec__Output as _shoal_api_TaskSpec__Output } from './shoal/api/TaskSpec.ts';
import type { TaskStatus as _shoal_api_TaskStatus, TaskStatus__Output as _shoal_api_TaskStatus__Output } from './shoal/api/TaskStatus.ts';
import type { Ulimit as _shoal_api_Ulimit, Ulimit__Output as _shoal_api_Ulimit__Output } from './shoal/api/Ulimit.ts';
import type { UpdateConfig as _shoal_api_UpdateConfig, UpdateConfig__Output as _shoal_api_UpdateConfig__Output } from './shoal/api/UpdateConfig.ts';
import type { UpdateStatus as _shoal_api_UpdateStatus, UpdateStatus__Output as _shoal_api_UpdateStatus__Output } from './shoal/api/UpdateStatus.ts';
import type { Version as _shoal_api_Version, Version__Output as _shoal_api_Version__Output } from './shoal/api/Version.ts';
import type { VirtualIP as _shoal_api_VirtualIP, VirtualIP__Output as _shoal_api_VirtualIP__Output } from './shoal/api/VirtualIP.ts';
import type { VolumeAttachment as _shoal_api_VolumeAttachment, VolumeAttachment__Output as _shoal_api_VolumeAttachment__Output } from './shoal/api/VolumeAttachment.ts';

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
      ConfigReference: MessageTypeDefinition<_shoal_api_ConfigReference, _shoal_api_ConfigReference__Output>
      ConfigReferenceNetwork: MessageTypeDefinition<_shoal_api_ConfigReferenceNetwork, _shoal_api_ConfigReferenceNetwork__Output>
      ConfigReferenceRuntimeTarget: MessageTypeDefinition<_shoal_api_ConfigReferenceRuntimeTarget, _shoal_api_ConfigReferenceRuntimeTarget__Output>
      ContainerSpec: MessageTypeDefinition<_shoal_api_ContainerSpec, _shoal_api_ContainerSpec__Output>
      ContainerStatus: MessageTypeDefinition<_shoal_api_ContainerStatus, _shoal_api_ContainerStatus__Output>
      DNSConfig: MessageTypeDefinition<_shoal_api_DNSConfig, _shoal_api_DNSConfig__Output>
      DiscreteGenericResource: MessageTypeDefinition<_shoal_api_DiscreteGenericResource, _shoal_api_DiscreteGenericResource__Output>
      Driver: MessageTypeDefinition<_shoal_api_Driver, _shoal_api_Driver__Output>
      EncryptionKey: MessageTypeDefinition<_shoal_api_EncryptionKey, _shoal_api_EncryptionKey__Output>
      Endpoint: MessageTypeDefinition<_shoal_api_Endpoint, _shoal_api_Endpoint__Output>
      EndpointSpec: MessageTypeDefinition<_shoal_api_EndpointSpec, _shoal_api_EndpointSpec__Output>
      GenericResource: MessageTypeDefinition<_shoal_api_GenericResource, _shoal_api_GenericResource__Output>
      GlobalJob: MessageTypeDefinition<_shoal_api_GlobalJob, _shoal_api_GlobalJob__Output>
      GlobalService: MessageTypeDefinition<_shoal_api_GlobalService, _shoal_api_GlobalService__Output>
      HealthConfig: MessageTypeDefinition<_shoal_api_HealthConfig, _shoal_api_HealthConfig__Output>
      IPAMConfig: MessageTypeDefinition<_shoal_api_IPAMConfig, _shoal_api_IPAMConfig__Output>
      IPAMOptions: MessageTypeDefinition<_shoal_api_IPAMOptions, _shoal_api_IPAMOptions__Output>
      JobIteration: MessageTypeDefinition<_shoal_api_JobIteration, _shoal_api_JobIteration__Output>
      JobStatus: MessageTypeDefinition<_shoal_api_JobStatus, _shoal_api_JobStatus__Output>
      Limit: MessageTypeDefinition<_shoal_api_Limit, _shoal_api_Limit__Output>
      Mount: MessageTypeDefinition<_shoal_api_Mount, _shoal_api_Mount__Output>
      NamedGenericResource: MessageTypeDefinition<_shoal_api_NamedGenericResource, _shoal_api_NamedGenericResource__Output>
      Network: MessageTypeDefinition<_shoal_api_Network, _shoal_api_Network__Output>
      NetworkAttachment: MessageTypeDefinition<_shoal_api_NetworkAttachment, _shoal_api_NetworkAttachment__Output>
      NetworkAttachmentConfig: MessageTypeDefinition<_shoal_api_NetworkAttachmentConfig, _shoal_api_NetworkAttachmentConfig__Output>
      NetworkAttachmentSpec: MessageTypeDefinition<_shoal_api_NetworkAttachmentSpec, _shoal_api_NetworkAttachmentSpec__Output>
      NetworkConfigFrom: MessageTypeDefinition<_shoal_api_NetworkConfigFrom, _shoal_api_NetworkConfigFrom__Output>
      NetworkContainer: MessageTypeDefinition<_shoal_api_NetworkContainer, _shoal_api_NetworkContainer__Output>
      NetworkCreateRequest: MessageTypeDefinition<_shoal_api_NetworkCreateRequest, _shoal_api_NetworkCreateRequest__Output>
      NetworkIPAM: MessageTypeDefinition<_shoal_api_NetworkIPAM, _shoal_api_NetworkIPAM__Output>
      NetworkIPAMConfig: MessageTypeDefinition<_shoal_api_NetworkIPAMConfig, _shoal_api_NetworkIPAMConfig__Output>
      NetworkPeer: MessageTypeDefinition<_shoal_api_NetworkPeer, _shoal_api_NetworkPeer__Output>
      NetworkResource: MessageTypeDefinition<_shoal_api_NetworkResource, _shoal_api_NetworkResource__Output>
      NetworkSpec: MessageTypeDefinition<_shoal_api_NetworkSpec, _shoal_api_NetworkSpec__Output>
      Placement: MessageTypeDefinition<_shoal_api_Placement, _shoal_api_Placement__Output>
      PlacementPreference: MessageTypeDefinition<_shoal_api_PlacementPreference, _shoal_api_PlacementPreference__Output>
      Platform: MessageTypeDefinition<_shoal_api_Platform, _shoal_api_Platform__Output>
      PluginPrivilege: MessageTypeDefinition<_shoal_api_PluginPrivilege, _shoal_api_PluginPrivilege__Output>
      PluginSpec: MessageTypeDefinition<_shoal_api_PluginSpec, _shoal_api_PluginSpec__Output>
      PortConfig: MessageTypeDefinition<_shoal_api_PortConfig, _shoal_api_PortConfig__Output>
      PortStatus: MessageTypeDefinition<_shoal_api_PortStatus, _shoal_api_PortStatus__Output>
      Privileges: MessageTypeDefinition<_shoal_api_Privileges, _shoal_api_Privileges__Output>
      ReplicatedJob: MessageTypeDefinition<_shoal_api_ReplicatedJob, _shoal_api_ReplicatedJob__Output>
      ReplicatedService: MessageTypeDefinition<_shoal_api_ReplicatedService, _shoal_api_ReplicatedService__Output>
      ResourceRequirements: MessageTypeDefinition<_shoal_api_ResourceRequirements, _shoal_api_ResourceRequirements__Output>
      Resources: MessageTypeDefinition<_shoal_api_Resources, _shoal_api_Resources__Output>
      RestartPolicy: MessageTypeDefinition<_shoal_api_RestartPolicy, _shoal_api_RestartPolicy__Output>
      SecretReference: MessageTypeDefinition<_shoal_api_SecretReference, _shoal_api_SecretReference__Output>
      SecretReferenceFileTarget: MessageTypeDefinition<_shoal_api_SecretReferenceFileTarget, _shoal_api_SecretReferenceFileTarget__Output>
      Service: MessageTypeDefinition<_shoal_api_Service, _shoal_api_Service__Output>
      ServiceMode: MessageTypeDefinition<_shoal_api_ServiceMode, _shoal_api_ServiceMode__Output>
      ServiceSpec: MessageTypeDefinition<_shoal_api_ServiceSpec, _shoal_api_ServiceSpec__Output>
      ServiceStatus: MessageTypeDefinition<_shoal_api_ServiceStatus, _shoal_api_ServiceStatus__Output>
      SpreadOver: MessageTypeDefinition<_shoal_api_SpreadOver, _shoal_api_SpreadOver__Output>
      StringList: MessageTypeDefinition<_shoal_api_StringList, _shoal_api_StringList__Output>
      TLSInfo: MessageTypeDefinition<_shoal_api_TLSInfo, _shoal_api_TLSInfo__Output>
      Task: MessageTypeDefinition<_shoal_api_Task, _shoal_api_Task__Output>
      TaskSpec: MessageTypeDefinition<_shoal_api_TaskSpec, _shoal_api_TaskSpec__Output>
      TaskState: EnumTypeDefinition
      TaskStatus: MessageTypeDefinition<_shoal_api_TaskStatus, _shoal_api_TaskStatus__Output>
      Ulimit: MessageTypeDefinition<_shoal_api_Ulimit, _shoal_api_Ulimit__Output>
      UpdateConfig: MessageTypeDefinition<_shoal_api_UpdateConfig, _shoal_api_UpdateConfig__Output>
      UpdateStatus: MessageTypeDefinition<_shoal_api_UpdateStatus, _shoal_api_UpdateStatus__Output>
      Version: MessageTypeDefinition<_shoal_api_Version, _shoal_api_Version__Output>
      VirtualIP: MessageTypeDefinition<_shoal_api_VirtualIP, _shoal_api_VirtualIP__Output>
      VolumeAttachment: MessageTypeDefinition<_shoal_api_VolumeAttachment, _shoal_api_VolumeAttachment__Output>
    }
  }
}

