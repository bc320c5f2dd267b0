import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp.ts';
import type { CAConfig as _shoal_api_CAConfig, CAConfig__Output as _shoal_api_CAConfig__Output } from './shoal/api/CAConfig.ts';
import type { CSINodeInfo as _shoal_api_CSINodeInfo, CSINodeInfo__Output as _shoal_api_CSINodeInfo__Output } from './shoal/api/CSINodeInfo.ts';
import type { Cluster as _shoal_api_Cluster, Cluster__Output as _shoal_api_Cluster__Output } from './shoal/api/Cluster.ts';
import type { ClusterSpec as _shoal_api_ClusterSpec, ClusterSpec__Output as _shoal_api_ClusterSpec__Output } from './shoal/api/ClusterSpec.ts';
import type { Config as _shoal_api_Config, Config__Output as _shoal_api_Config__Output } from './shoal/api/Config.ts';
import type { ConfigReference as _shoal_api_ConfigReference, ConfigReference__Output as _shoal_api_ConfigReference__Output } from './shoal/api/ConfigReference.ts';
import type { ConfigReferenceNetwork as _shoal_api_ConfigReferenceNetwork, ConfigReferenceNetwork__Output as _shoal_api_ConfigReferenceNetwork__Output } from './shoal/api/ConfigReferenceNetwork.ts';
import type { ConfigReferenceRuntimeTarget as _shoal_api_ConfigReferenceRuntimeTarget, ConfigReferenceRuntimeTarget__Output as _shoal_api_ConfigReferenceRuntimeTarget__Output } from './shoal/api/ConfigReferenceRuntimeTarget.ts';
import type { ConfigSpec as _shoal_api_ConfigSpec, ConfigSpec__Output as _shoal_api_ConfigSpec__Output } from './shoal/api/ConfigSpec.ts';
import type { ContainerSpec as _shoal_api_ContainerSpec, ContainerSpec__Output as _shoal_api_ContainerSpec__Output } from './shoal/api/ContainerSpec.ts';
import type { ContainerStatus as _shoal_api_ContainerStatus, ContainerStatus__Output as _shoal_api_ContainerStatus__Output } from './shoal/api/ContainerStatus.ts';
import type { ControlClient as _shoal_api_ControlClient, ControlDefinition as _shoal_api_ControlDefinition } from './shoal/api/Control.ts';
import type { CreateConfigRequest as _shoal_api_CreateConfigRequest, CreateConfigRequest__Output as _shoal_api_CreateConfigRequest__Output } from './shoal/api/CreateConfigRequest.ts';
import type { CreateConfigResponse as _shoal_api_CreateConfigResponse, CreateConfigResponse__Output as _shoal_api_CreateConfigResponse__Output } from './shoal/api/CreateConfigResponse.ts';
import type { CreateNetworkRequest as _shoal_api_CreateNetworkRequest, CreateNetworkRequest__Output as _shoal_api_CreateNetworkRequest__Output } from './shoal/api/CreateNetworkRequest.ts';
import type { CreateNetworkResponse as _shoal_api_CreateNetworkResponse, CreateNetworkResponse__Output as _shoal_api_CreateNetworkResponse__Output } from './shoal/api/CreateNetworkResponse.ts';
import type { CreateSecretRequest as _shoal_api_CreateSecretRequest, CreateSecretRequest__Output as _shoal_api_CreateSecretRequest__Output } from './shoal/api/CreateSecretRequest.ts';
import type { CreateSecretResponse as _shoal_api_CreateSecretResponse, CreateSecretResponse__Output as _shoal_api_CreateSecretResponse__Output } from './shoal/api/CreateSecretResponse.ts';
import type { CreateServiceRequest as _shoal_api_CreateServiceRequest, CreateServiceRequest__Output as _shoal_api_CreateServiceRequest__Output } from './shoal/api/CreateServiceRequest.ts';
import type { CreateServiceResponse as _shoal_api_CreateServiceResponse, CreateServiceResponse__Output as _shoal_api_CreateServiceResponse__Output } from './shoal/api/CreateServiceResponse.ts';
import type { DNSConfig as _shoal_api_DNSConfig, DNSConfig__Output as _shoal_api_DNSConfig__Output } from './shoal/api/DNSConfig.ts';
import type { DiscreteGenericResource as _shoal_api_DiscreteGenericResource, DiscreteGenericResource__Output as _shoal_api_DiscreteGenericResource__Output } from './shoal/api/DiscreteGenericResource.ts';
import type { DispatcherConfig as _shoal_api_DispatcherConfig, DispatcherConfig__Output as _shoal_api_DispatcherConfig__Output } from './shoal/api/DispatcherConfig.ts';
import type { Driver as _shoal_api_Driver, Driver__Output as _shoal_api_Driver__Output } from './shoal/api/Driver.ts';
import type { EncryptionConfig as _shoal_api_EncryptionConfig, EncryptionConfig__Output as _shoal_api_EncryptionConfig__Output } from './shoal/api/EncryptionConfig.ts';
import type { EncryptionKey as _shoal_api_EncryptionKey, EncryptionKey__Output as _shoal_api_EncryptionKey__Output } from './shoal/api/EncryptionKey.ts';
import type { Endpoint as _shoal_api_Endpoint, Endpoint__Output as _shoal_api_Endpoint__Output } from './shoal/api/Endpoint.ts';
import type { EndpointSpec as _shoal_api_EndpointSpec, EndpointSpec__Output as _shoal_api_EndpointSpec__Output } from './shoal/api/EndpointSpec.ts';
import type { EngineDescription as _shoal_api_EngineDescription, EngineDescription__Output as _shoal_api_EngineDescription__Output } from './shoal/api/EngineDescription.ts';
import type { EnginePlugin as _shoal_api_EnginePlugin, EnginePlugin__Output as _shoal_api_EnginePlugin__Output } from './shoal/api/EnginePlugin.ts';
import type { ExternalCA as _shoal_api_ExternalCA, ExternalCA__Output as _shoal_api_ExternalCA__Output } from './shoal/api/ExternalCA.ts';
import type { GenericResource as _shoal_api_GenericResource, GenericResource__Output as _shoal_api_GenericResource__Output } from './shoal/api/GenericResource.ts';
import type { GetClusterRequest as _shoal_api_GetClusterRequest, GetClusterRequest__Output as _shoal_api_GetClusterRequest__Output } from './shoal/api/GetClusterRequest.ts';
import type { GetClusterResponse as _shoal_api_GetClusterResponse, GetClusterResponse__Output as _shoal_api_GetClusterResponse__Output } from './shoal/api/GetClusterResponse.ts';
import type { GetConfigRequest as _shoal_api_GetConfigRequest, GetConfigRequest__Output as _shoal_api_GetConfigRequest__Output } from './shoal/api/GetConfigRequest.ts';
import type { GetConfigResponse as _shoal_api_GetConfigResponse, GetConfigResponse__Output as _shoal_api_GetConfigResponse__Output } from './shoal/api/GetConfigResponse.ts';
import type { GetNetworkRequest as _shoal_api_GetNetworkRequest, GetNetworkRequest__Output as _shoal_api_GetNetworkRequest__Output } from './shoal/api/GetNetworkRequest.ts';
import type { GetNetworkResponse as _shoal_api_GetNetworkResponse, GetNetworkResponse__Output as _shoal_api_GetNetworkResponse__Output } from './shoal/api/GetNetworkResponse.ts';
import type { GetNodeRequest as _shoal_api_GetNodeRequest, GetNodeRequest__Output as _shoal_api_GetNodeRequest__Output } from './shoal/api/GetNodeRequest.ts';
import type { GetNodeResponse as _shoal_api_GetNodeResponse, GetNodeResponse__Output as _shoal_api_GetNodeResponse__Output } from './shoal/api/GetNodeResponse.ts';
import type { GetSecretRequest as _shoal_api_GetSecretRequest, GetSecretRequest__Output as _shoal_api_GetSecretRequest__Output } from './shoal/api/GetSecretRequest.ts';
import type { GetSecretResponse as _shoal_api_GetSecretResponse, GetSecretResponse__Output as _shoal_api_GetSecretResponse__Output } from './shoal/api/GetSecretResponse.ts';
import type { GetServiceRequest as _shoal_api_GetServiceRequest, GetServiceRequest__Output as _shoal_api_GetServiceRequest__Output } from './shoal/api/GetServiceRequest.ts';
import type { GetServiceResponse as _shoal_api_GetServiceResponse, GetServiceResponse__Output as _shoal_api_GetServiceResponse__Output } from './shoal/api/GetServiceResponse.ts';
import type { GetTaskRequest as _shoal_api_GetTaskRequest, GetTaskRequest__Output as _shoal_api_GetTaskRequest__Output } from './shoal/api/GetTaskRequest.ts';
import type { GetTaskResponse as _shoal_api_GetTaskResponse, GetTaskResponse__Output as _shoal_api_GetTaskResponse__Output } from './shoal/api/GetTaskResponse.ts';
import type { GlobalJob as _shoal_api_GlobalJob, GlobalJob__Output as _shoal_api_GlobalJob__Output } from './shoal/api/GlobalJob.ts';
import type { GlobalService as _shoal_api_GlobalService, GlobalService__Output as _shoal_api_GlobalService__Output } from './shoal/api/GlobalService.ts';
import type { HealthConfig as _shoal_api_HealthConfig, HealthConfig__Output as _shoal_api_HealthConfig__Output } from './shoal/api/HealthConfig.ts';
import type { IPAMConfig as _shoal_api_IPAMConfig, IPAMConfig__Output as _shoal_api_IPAMConfig__Output } from './shoal/api/IPAMConfig.ts';
import type { IPAMOptions as _shoal_api_IPAMOptions, IPAMOptions__Output as _shoal_api_IPAMOptions__Output } from './shoal/api/IPAMOptions.ts';
import type { JobIteration as _shoal_api_JobIteration, JobIteration__Output as _shoal_api_JobIteration__Output } from './shoal/api/JobIteration.ts';
import type { JobStatus as _shoal_api_JobStatus, JobStatus__Output as _shoal_api_JobStatus__Output } from './shoal/api/JobStatus.ts';
import type { JoinTokens as _shoal_api_JoinTokens, JoinTokens__Output as _shoal_api_JoinTokens__Output } from './shoal/api/JoinTokens.ts';
import type { Limit as _shoal_api_Limit, Limit__Output as _shoal_api_Limit__Output } from './shoal/api/Limit.ts';
import type { ListClustersRequest as _shoal_api_ListClustersRequest, ListClustersRequest__Output as _shoal_api_ListClustersRequest__Output } from './shoal/api/ListClustersRequest.ts';
import type { ListClustersResponse as _shoal_api_ListClustersResponse, ListClustersResponse__Output as _shoal_api_ListClustersResponse__Output } from './shoal/api/ListClustersResponse.ts';
import type { ListConfigsRequest as _shoal_api_ListConfigsRequest, ListConfigsRequest__Output as _shoal_api_ListConfigsRequest__Output } from './shoal/api/ListConfigsRequest.ts';
import type { ListConfigsResponse as _shoal_api_ListConfigsResponse, ListConfigsResponse__Output as _shoal_api_ListConfigsResponse__Output } from './shoal/api/ListConfigsResponse.ts';
import type { ListFilters as _shoal_api_ListFilters, ListFilters__Output as _shoal_api_ListFilters__Output } from './shoal/api/ListFilters.ts';
import type { ListNetworksRequest as _shoal_api_ListNetworksRequest, ListNetworksRequest__Output as _shoal_api_ListNetworksRequest__Output } from './shoal/api/ListNetworksRequest.ts';
import type { ListNetworksResponse as _shoal_api_ListNetworksResponse, ListNetworksResponse__Output as _shoal_api_ListNetworksResponse__Output } from './shoal/api/ListNetworksResponse.ts';
import type { ListNodesRequest as _shoal_api_ListNodesRequest, ListNodesRequest__Output as _shoal_api_ListNodesRequest__Output } from './shoal/api/ListNodesRequest.ts';
import type { ListNodesResponse as _shoal_api_ListNodesResponse, ListNodesResponse__Output as _shoal_api_ListNodesResponse__Output } from './shoal/api/ListNodesResponse.ts';
import type { ListSecretsRequest as _shoal_api_ListSecretsRequest, ListSecretsRequest__Output as _shoal_api_ListSecretsRequest__Output } from './shoal/api/ListSecretsRequest.ts';
import type { ListSecretsResponse as _shoal_api_ListSecretsResponse, ListSecretsResponse__Output as _shoal_api_ListSecretsResponse__Output } from './shoal/api/ListSecretsResponse.ts';
import type { ListServicesRequest as _shoal_api_ListServicesRequest, ListServicesRequest__Output as _shoal_api_ListServicesRequest__Output } from './shoal/api/ListServicesRequest.ts';
import type { ListServicesResponse as _shoal_api_ListServicesResponse, ListServicesResponse__Output as _shoal_api_ListServicesResponse__Output } from './shoal/api/ListServicesResponse.ts';
import type { ListTasksRequest as _shoal_api_ListTasksRequest, ListTasksRequest__Output as _shoal_api_ListTasksRequest__Output } from './shoal/api/ListTasksRequest.ts';
import type { ListTasksResponse as _shoal_api_ListTasksResponse, ListTasksResponse__Output as _shoal_api_ListTasksResponse__Output } from './shoal/api/ListTasksResponse.ts';
import type { ManagerStatus as _shoal_api_ManagerStatus, ManagerStatus__Output as _shoal_api_ManagerStatus__Output } from './shoal/api/ManagerStatus.ts';
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
import type { Node as _shoal_api_Node, Node__Output as _shoal_api_Node__Output } from './shoal/api/Node.ts';
import type { NodeDescription as _shoal_api_NodeDescription, NodeDescription__Output as _shoal_api_NodeDescription__Output } from './shoal/api/NodeDescription.ts';
import type { NodeSpec as _shoal_api_NodeSpec, NodeSpec__Output as _shoal_api_NodeSpec__Output } from './shoal/api/NodeSpec.ts';
import type { NodeStatus as _shoal_api_NodeStatus, NodeStatus__Output as _shoal_api_NodeStatus__Output } from './shoal/api/NodeStatus.ts';
import type { OrchestrationConfig as _shoal_api_OrchestrationConfig, OrchestrationConfig__Output as _shoal_api_OrchestrationConfig__Output } from './shoal/api/OrchestrationConfig.ts';
import type { Placement as _shoal_api_Placement, Placement__Output as _shoal_api_Placement__Output } from './shoal/api/Placement.ts';
import type { PlacementPreference as _shoal_api_PlacementPreference, PlacementPreference__Output as _shoal_api_PlacementPreference__Output } from './shoal/api/PlacementPreference.ts';
import type { Platform as _shoal_api_Platform, Platform__Output as _shoal_api_Platform__Output } from './shoal/api/Platform.ts';
import type { PluginPrivilege as _shoal_api_PluginPrivilege, PluginPrivilege__Output as _shoal_api_PluginPrivilege__Output } from './shoal/api/PluginPrivilege.ts';
import type { PluginSpec as _shoal_api_PluginSpec, PluginSpec__Output as _shoal_api_PluginSpec__Output } from './shoal/api/PluginSpec.ts';
import type { PortConfig as _shoal_api_PortConfig, PortConfig__Output as _shoal_api_PortConfig__Output } from './shoal/api/PortConfig.ts';
import type { PortStatus as _shoal_api_PortStatus, PortStatus__Output as _shoal_api_PortStatus__Output } from './shoal/api/PortStatus.ts';
import type { Privileges as _shoal_api_Privileges, Privileges__Output as _shoal_api_Privileges__Output } from './shoal/api/Privileges.ts';
import type { RaftConfig as _shoal_api_RaftConfig, RaftConfig__Output as _shoal_api_RaftConfig__Output } from './shoal/api/RaftConfig.ts';
import type { RemoveConfigRequest as _shoal_api_RemoveConfigRequest, RemoveConfigRequest__Output as _shoal_api_RemoveConfigRequest__Output } from './shoal/api/RemoveConfigRequest.ts';
import type { RemoveConfigResponse as _shoal_api_RemoveConfigResponse, RemoveConfigResponse__Output as _shoal_api_RemoveConfigResponse__Output } from './shoal/api/RemoveConfigResponse.ts';
import type { RemoveNetworkRequest as _shoal_api_RemoveNetworkRequest, RemoveNetworkRequest__Output as _shoal_api_RemoveNetworkRequest__Output } from './shoal/api/RemoveNetworkRequest.ts';
import type { RemoveNetworkResponse as _shoal_api_RemoveNetworkResponse, RemoveNetworkResponse__Output as _shoal_api_RemoveNetworkResponse__Output } from './shoal/api/RemoveNetworkResponse.ts';
import type { RemoveNodeRequest as _shoal_api_RemoveNodeRequest, RemoveNodeRequest__Output as _shoal_api_RemoveNodeRequest__Output } from './shoal/api/RemoveNodeRequest.ts';
import type { RemoveNodeResponse as _shoal_api_RemoveNodeResponse, RemoveNodeResponse__Output as _shoal_api_RemoveNodeResponse__Output } from './shoal/api/RemoveNodeResponse.ts';
import type { RemoveSecretRequest as _shoal_api_RemoveSecretRequest, RemoveSecretRequest__Output as _shoal_api_RemoveSecretRequest__Output } from './shoal/api/RemoveSecretRequest.ts';
import type { RemoveSecretResponse as _shoal_api_RemoveSecretResponse, RemoveSecretResponse__Output as _shoal_api_RemoveSecretResponse__Output } from './shoal/api/RemoveSecretResponse.ts';
import type { RemoveServiceRequest as _shoal_api_RemoveServiceRequest, RemoveServiceRequest__Output as _shoal_api_RemoveServiceRequest__Output } from './shoal/api/RemoveServiceRequest.ts';
import type { RemoveServiceResponse as _shoal_api_RemoveServiceResponse, RemoveServiceResponse__Output as _shoal_api_RemoveServiceResponse__Output } from './shoal/api/RemoveServiceResponse.ts';
import type { RemoveTaskRequest as _shoal_api_RemoveTaskRequest, RemoveTaskRequest__Output as _shoal_api_RemoveTaskRequest__Output } from './shoal/api/RemoveTaskRequest.ts';
import type { RemoveTaskResponse as _shoal_api_RemoveTaskResponse, RemoveTaskResponse__Output as _shoal_api_RemoveTaskResponse__Output } from './shoal/api/RemoveTaskResponse.ts';
import type { ReplicatedJob as _shoal_api_ReplicatedJob, ReplicatedJob__Output as _shoal_api_ReplicatedJob__Output } from './shoal/api/ReplicatedJob.ts';
import type { ReplicatedService as _shoal_api_ReplicatedService, ReplicatedService__Output as _shoal_api_ReplicatedService__Output } from './shoal/api/ReplicatedService.ts';
import type { ResourceRequirements as _shoal_api_ResourceRequirements, ResourceRequirements__Output as _shoal_api_ResourceRequirements__Output } from './shoal/api/ResourceRequirements.ts';
import type { Resources as _shoal_api_Resources, Resources__Output as _shoal_api_Resources__Output } from './shoal/api/Resources.ts';
import type { RestartPolicy as _shoal_api_RestartPolicy, RestartPolicy__Output as _shoal_api_RestartPolicy__Output } from './shoal/api/RestartPolicy.ts';
import type { Secret as _shoal_api_Secret, Secret__Output as _shoal_api_Secret__Output } from './shoal/api/Secret.ts';
import type { SecretReference as _shoal_api_SecretReference, SecretReference__Output as _shoal_api_SecretReference__Output } from './shoal/api/SecretReference.ts';
import type { SecretReferenceFileTarget as _shoal_api_SecretReferenceFileTarget, SecretReferenceFileTarget__Output as _shoal_api_SecretReferenceFileTarget__Output } from './shoal/api/SecretReferenceFileTarget.ts';
import type { SecretSpec as _shoal_api_SecretSpec, SecretSpec__Output as _shoal_api_SecretSpec__Output } from './shoal/api/SecretSpec.ts';
import type { Service as _shoal_api_Service, Service__Output as _shoal_api_Service__Output } from './shoal/api/Service.ts';
import type { ServiceMode as _shoal_api_ServiceMode, ServiceMode__Output as _shoal_api_ServiceMode__Output } from './shoal/api/ServiceMode.ts';
import type { ServiceSpec as _shoal_api_ServiceSpec, ServiceSpec__Output as _shoal_api_ServiceSpec__Output } from './shoal/api/ServiceSpec.ts';
import type { ServiceStatus as _shoal_api_ServiceStatus, ServiceStatus__Output as _shoal_api_ServiceStatus__Output } from './shoal/api/ServiceStatus.ts';
import type { SpreadOver as _shoal_api_SpreadOver, SpreadOver__Output as _shoal_api_SpreadOver__Output } from './shoal/api/SpreadOver.ts';
import type { StringList as _shoal_api_StringList, StringList__Output as _shoal_api_StringList__Output } from './shoal/api/StringList.ts';
import type { StringSet as _shoal_api_StringSet, StringSet__Output as _shoal_api_StringSet__Output } from './shoal/api/StringSet.ts';
import type { SwarmInitRequest as _shoal_api_SwarmInitRequest, SwarmInitRequest__Output as _shoal_api_SwarmInitRequest__Output } from './shoal/api/SwarmInitRequest.ts';
import type { SwarmJoinRequest as _shoal_api_SwarmJoinRequest, SwarmJoinRequest__Output as _shoal_api_SwarmJoinRequest__Output } from './shoal/api/SwarmJoinRequest.ts';
import type { SwarmUnlockRequest as _shoal_api_SwarmUnlockRequest, SwarmUnlockRequest__Output as _shoal_api_SwarmUnlockRequest__Output } from './shoal/api/SwarmUnlockRequest.ts';
import type { TLSInfo as _shoal_api_TLSInfo, TLSInfo__Output as _shoal_api_TLSInfo__Output } from './shoal/api/TLSInfo.ts';
import type { Task as _shoal_api_Task, Task__Output as _shoal_api_Task__Output } from './shoal/api/Task.ts';
import type { TaskDefaults as _shoal_api_TaskDefaults, TaskDefaults__Output as _shoal_api_TaskDefaults__Output } from './shoal/api/TaskDefaults.ts';
import type { TaskSpec as _shoal_api_TaskSpec, TaskSpec__Output as _shoal_api_TaskSpec__Output } from './shoal/api/TaskSpec.ts';
import type { TaskStatus as _shoal_api_TaskStatus, TaskStatus__Output as _shoal_api_TaskStatus__Output } from './shoal/api/TaskStatus.ts';
import type { Ulimit as _shoal_api_Ulimit, Ulimit__Output as _shoal_api_Ulimit__Output } from './shoal/api/Ulimit.ts';
import type { UnlockKeyResponse as _shoal_api_UnlockKeyResponse, UnlockKeyResponse__Output as _shoal_api_UnlockKeyResponse__Output } from './shoal/api/UnlockKeyResponse.ts';
import type { UpdateClusterRequest as _shoal_api_UpdateClusterRequest, UpdateClusterRequest__Output as _shoal_api_UpdateClusterRequest__Output } from './shoal/api/UpdateClusterRequest.ts';
import type { UpdateClusterResponse as _shoal_api_UpdateClusterResponse, UpdateClusterResponse__Output as _shoal_api_UpdateClusterResponse__Output } from './shoal/api/UpdateClusterResponse.ts';
import type { UpdateConfig as _shoal_api_UpdateConfig, UpdateConfig__Output as _shoal_api_UpdateConfig__Output } from './shoal/api/UpdateConfig.ts';
import type { UpdateConfigRequest as _shoal_api_UpdateConfigRequest, UpdateConfigRequest__Output as _shoal_api_UpdateConfigRequest__Output } from './shoal/api/UpdateConfigRequest.ts';
import type { UpdateConfigResponse as _shoal_api_UpdateConfigResponse, UpdateConfigResponse__Output as _shoal_api_UpdateConfigResponse__Output } from './shoal/api/UpdateConfigResponse.ts';
import type { UpdateNodeRequest as _shoal_api_UpdateNodeRequest, UpdateNodeRequest__Output as _shoal_api_UpdateNodeRequest__Output } from './shoal/api/UpdateNodeRequest.ts';
import type { UpdateNodeResponse as _shoal_api_UpdateNodeResponse, UpdateNodeResponse__Output as _shoal_api_UpdateNodeResponse__Output } from './shoal/api/UpdateNodeResponse.ts';
import type { UpdateSecretRequest as _shoal_api_UpdateSecretRequest, UpdateSecretRequest__Output as _shoal_api_UpdateSecretRequest__Output } from './shoal/api/UpdateSecretRequest.ts';
import type { UpdateSecretResponse as _shoal_api_UpdateSecretResponse, UpdateSecretResponse__Output as _shoal_api_UpdateSecretResponse__Output } from './shoal/api/UpdateSecretResponse.ts';
import type { UpdateServiceRequest as _shoal_api_UpdateServiceRequest, UpdateServiceRequest__Output as _shoal_api_UpdateServiceRequest__Output } from './shoal/api/UpdateServiceRequest.ts';
import type { UpdateServiceResponse as _shoal_api_UpdateServiceResponse, UpdateServiceResponse__Output as _shoal_api_UpdateServiceResponse__Output } from './shoal/api/UpdateServiceResponse.ts';
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
      CAConfig: MessageTypeDefinition<_shoal_api_CAConfig, _shoal_api_CAConfig__Output>
      CSINodeInfo: MessageTypeDefinition<_shoal_api_CSINodeInfo, _shoal_api_CSINodeInfo__Output>
      Cluster: MessageTypeDefinition<_shoal_api_Cluster, _shoal_api_Cluster__Output>
      ClusterSpec: MessageTypeDefinition<_shoal_api_ClusterSpec, _shoal_api_ClusterSpec__Output>
      Config: MessageTypeDefinition<_shoal_api_Config, _shoal_api_Config__Output>
      ConfigReference: MessageTypeDefinition<_shoal_api_ConfigReference, _shoal_api_ConfigReference__Output>
      ConfigReferenceNetwork: MessageTypeDefinition<_shoal_api_ConfigReferenceNetwork, _shoal_api_ConfigReferenceNetwork__Output>
      ConfigReferenceRuntimeTarget: MessageTypeDefinition<_shoal_api_ConfigReferenceRuntimeTarget, _shoal_api_ConfigReferenceRuntimeTarget__Output>
      ConfigSpec: MessageTypeDefinition<_shoal_api_ConfigSpec, _shoal_api_ConfigSpec__Output>
      ContainerSpec: MessageTypeDefinition<_shoal_api_ContainerSpec, _shoal_api_ContainerSpec__Output>
      ContainerStatus: MessageTypeDefinition<_shoal_api_ContainerStatus, _shoal_api_ContainerStatus__Output>
      Control: SubtypeConstructor<typeof grpc.Client, _shoal_api_ControlClient> & { service: _shoal_api_ControlDefinition }
      CreateConfigRequest: MessageTypeDefinition<_shoal_api_CreateConfigRequest, _shoal_api_CreateConfigRequest__Output>
      CreateConfigResponse: MessageTypeDefinition<_shoal_api_CreateConfigResponse, _shoal_api_CreateConfigResponse__Output>
      CreateNetworkRequest: MessageTypeDefinition<_shoal_api_CreateNetworkRequest, _shoal_api_CreateNetworkRequest__Output>
      CreateNetworkResponse: MessageTypeDefinition<_shoal_api_CreateNetworkResponse, _shoal_api_CreateNetworkResponse__Output>
      CreateSecretRequest: MessageTypeDefinition<_shoal_api_CreateSecretRequest, _shoal_api_CreateSecretRequest__Output>
      CreateSecretResponse: MessageTypeDefinition<_shoal_api_CreateSecretResponse, _shoal_api_CreateSecretResponse__Output>
      CreateServiceRequest: MessageTypeDefinition<_shoal_api_CreateServiceRequest, _shoal_api_CreateServiceRequest__Output>
      CreateServiceResponse: MessageTypeDefinition<_shoal_api_CreateServiceResponse, _shoal_api_CreateServiceResponse__Output>
      DNSConfig: MessageTypeDefinition<_shoal_api_DNSConfig, _shoal_api_DNSConfig__Output>
      DiscreteGenericResource: MessageTypeDefinition<_shoal_api_DiscreteGenericResource, _shoal_api_DiscreteGenericResource__Output>
      DispatcherConfig: MessageTypeDefinition<_shoal_api_DispatcherConfig, _shoal_api_DispatcherConfig__Output>
      Driver: MessageTypeDefinition<_shoal_api_Driver, _shoal_api_Driver__Output>
      EncryptionConfig: MessageTypeDefinition<_shoal_api_EncryptionConfig, _shoal_api_EncryptionConfig__Output>
      EncryptionKey: MessageTypeDefinition<_shoal_api_EncryptionKey, _shoal_api_EncryptionKey__Output>
      Endpoint: MessageTypeDefinition<_shoal_api_Endpoint, _shoal_api_Endpoint__Output>
      EndpointSpec: MessageTypeDefinition<_shoal_api_EndpointSpec, _shoal_api_EndpointSpec__Output>
      EngineDescription: MessageTypeDefinition<_shoal_api_EngineDescription, _shoal_api_EngineDescription__Output>
      EnginePlugin: MessageTypeDefinition<_shoal_api_EnginePlugin, _shoal_api_EnginePlugin__Output>
      ExternalCA: MessageTypeDefinition<_shoal_api_ExternalCA, _shoal_api_ExternalCA__Output>
      GenericResource: MessageTypeDefinition<_shoal_api_GenericResource, _shoal_api_GenericResource__Output>
      GetClusterRequest: MessageTypeDefinition<_shoal_api_GetClusterRequest, _shoal_api_GetClusterRequest__Output>
      GetClusterResponse: MessageTypeDefinition<_shoal_api_GetClusterResponse, _shoal_api_GetClusterResponse__Output>
      GetConfigRequest: MessageTypeDefinition<_shoal_api_GetConfigRequest, _shoal_api_GetConfigRequest__Output>
      GetConfigResponse: MessageTypeDefinition<_shoal_api_GetConfigResponse, _shoal_api_GetConfigResponse__Output>
      GetNetworkRequest: MessageTypeDefinition<_shoal_api_GetNetworkRequest, _shoal_api_GetNetworkRequest__Output>
      GetNetworkResponse: MessageTypeDefinition<_shoal_api_GetNetworkResponse, _shoal_api_GetNetworkResponse__Output>
      GetNodeRequest: MessageTypeDefinition<_shoal_api_GetNodeRequest, _shoal_api_GetNodeRequest__Output>
      GetNodeResponse: MessageTypeDefinition<_shoal_api_GetNodeResponse, _shoal_api_GetNodeResponse__Output>
      GetSecretRequest: MessageTypeDefinition<_shoal_api_GetSecretRequest, _shoal_api_GetSecretRequest__Output>
      GetSecretResponse: MessageTypeDefinition<_shoal_api_GetSecretResponse, _shoal_api_GetSecretResponse__Output>
      GetServiceRequest: MessageTypeDefinition<_shoal_api_GetServiceRequest, _shoal_api_GetServiceRequest__Output>
      GetServiceResponse: MessageTypeDefinition<_shoal_api_GetServiceResponse, _shoal_api_GetServiceResponse__Output>
      GetTaskRequest: MessageTypeDefinition<_shoal_api_GetTaskRequest, _shoal_api_GetTaskRequest__Output>
      GetTaskResponse: MessageTypeDefinition<_shoal_api_GetTaskResponse, _shoal_api_GetTaskResponse__Output>
      GlobalJob: MessageTypeDefinition<_shoal_api_GlobalJob, _shoal_api_GlobalJob__Output>
      GlobalService: MessageTypeDefinition<_shoal_api_GlobalService, _shoal_api_GlobalService__Output>
      HealthConfig: MessageTypeDefinition<_shoal_api_HealthConfig, _shoal_api_HealthConfig__Output>
      IPAMConfig: MessageTypeDefinition<_shoal_api_IPAMConfig, _shoal_api_IPAMConfig__Output>
      IPAMOptions: MessageTypeDefinition<_shoal_api_IPAMOptions, _shoal_api_IPAMOptions__Output>
      JobIteration: MessageTypeDefinition<_shoal_api_JobIteration, _shoal_api_JobIteration__Output>
      JobStatus: MessageTypeDefinition<_shoal_api_JobStatus, _shoal_api_JobStatus__Output>
      JoinTokens: MessageTypeDefinition<_shoal_api_JoinTokens, _shoal_api_JoinTokens__Output>
      Limit: MessageTypeDefinition<_shoal_api_Limit, _shoal_api_Limit__Output>
      ListClustersRequest: MessageTypeDefinition<_shoal_api_ListClustersRequest, _shoal_api_ListClustersRequest__Output>
      ListClustersResponse: MessageTypeDefinition<_shoal_api_ListClustersResponse, _shoal_api_ListClustersResponse__Output>
      ListConfigsRequest: MessageTypeDefinition<_shoal_api_ListConfigsRequest, _shoal_api_ListConfigsRequest__Output>
      ListConfigsResponse: MessageTypeDefinition<_shoal_api_ListConfigsResponse, _shoal_api_ListConfigsResponse__Output>
      ListFilters: MessageTypeDefinition<_shoal_api_ListFilters, _shoal_api_ListFilters__Output>
      ListNetworksRequest: MessageTypeDefinition<_shoal_api_ListNetworksRequest, _shoal_api_ListNetworksRequest__Output>
      ListNetworksResponse: MessageTypeDefinition<_shoal_api_ListNetworksResponse, _shoal_api_ListNetworksResponse__Output>
      ListNodesRequest: MessageTypeDefinition<_shoal_api_ListNodesRequest, _shoal_api_ListNodesRequest__Output>
      ListNodesResponse: MessageTypeDefinition<_shoal_api_ListNodesResponse, _shoal_api_ListNodesResponse__Output>
      ListSecretsRequest: MessageTypeDefinition<_shoal_api_ListSecretsRequest, _shoal_api_ListSecretsRequest__Output>
      ListSecretsResponse: MessageTypeDefinition<_shoal_api_ListSecretsResponse, _shoal_api_ListSecretsResponse__Output>
      ListServicesRequest: MessageTypeDefinition<_shoal_api_ListServicesRequest, _shoal_api_ListServicesRequest__Output>
      ListServicesResponse: MessageTypeDefinition<_shoal_api_ListServicesResponse, _shoal_api_ListServicesResponse__Output>
      ListTasksRequest: MessageTypeDefinition<_shoal_api_ListTasksRequest, _shoal_api_ListTasksRequest__Output>
      ListTasksResponse: MessageTypeDefinition<_shoal_api_ListTasksResponse, _shoal_api_ListTasksResponse__Output>
      ManagerStatus: MessageTypeDefinition<_shoal_api_ManagerStatus, _shoal_api_ManagerStatus__Output>
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
      Node: MessageTypeDefinition<_shoal_api_Node, _shoal_api_Node__Output>
      NodeDescription: MessageTypeDefinition<_shoal_api_NodeDescription, _shoal_api_NodeDescription__Output>
      NodeRole: EnumTypeDefinition
      NodeSpec: MessageTypeDefinition<_shoal_api_NodeSpec, _shoal_api_NodeSpec__Output>
      NodeStatus: MessageTypeDefinition<_shoal_api_NodeStatus, _shoal_api_NodeStatus__Output>
      OrchestrationConfig: MessageTypeDefinition<_shoal_api_OrchestrationConfig, _shoal_api_OrchestrationConfig__Output>
      Placement: MessageTypeDefinition<_shoal_api_Placement, _shoal_api_Placement__Output>
      PlacementPreference: MessageTypeDefinition<_shoal_api_PlacementPreference, _shoal_api_PlacementPreference__Output>
      Platform: MessageTypeDefinition<_shoal_api_Platform, _shoal_api_Platform__Output>
      PluginPrivilege: MessageTypeDefinition<_shoal_api_PluginPrivilege, _shoal_api_PluginPrivilege__Output>
      PluginSpec: MessageTypeDefinition<_shoal_api_PluginSpec, _shoal_api_PluginSpec__Output>
      PortConfig: MessageTypeDefinition<_shoal_api_PortConfig, _shoal_api_PortConfig__Output>
      PortStatus: MessageTypeDefinition<_shoal_api_PortStatus, _shoal_api_PortStatus__Output>
      Privileges: MessageTypeDefinition<_shoal_api_Privileges, _shoal_api_Privileges__Output>
      RaftConfig: MessageTypeDefinition<_shoal_api_RaftConfig, _shoal_api_RaftConfig__Output>
      RemoveConfigRequest: MessageTypeDefinition<_shoal_api_RemoveConfigRequest, _shoal_api_RemoveConfigRequest__Output>
      RemoveConfigResponse: MessageTypeDefinition<_shoal_api_RemoveConfigResponse, _shoal_api_RemoveConfigResponse__Output>
      RemoveNetworkRequest: MessageTypeDefinition<_shoal_api_RemoveNetworkRequest, _shoal_api_RemoveNetworkRequest__Output>
      RemoveNetworkResponse: MessageTypeDefinition<_shoal_api_RemoveNetworkResponse, _shoal_api_RemoveNetworkResponse__Output>
      RemoveNodeRequest: MessageTypeDefinition<_shoal_api_RemoveNodeRequest, _shoal_api_RemoveNodeRequest__Output>
      RemoveNodeResponse: MessageTypeDefinition<_shoal_api_RemoveNodeResponse, _shoal_api_RemoveNodeResponse__Output>
      RemoveSecretRequest: MessageTypeDefinition<_shoal_api_RemoveSecretRequest, _shoal_api_RemoveSecretRequest__Output>
      RemoveSecretResponse: MessageTypeDefinition<_shoal_api_RemoveSecretResponse, _shoal_api_RemoveSecretResponse__Output>
      RemoveServiceRequest: MessageTypeDefinition<_shoal_api_RemoveServiceRequest, _shoal_api_RemoveServiceRequest__Output>
      RemoveServiceResponse: MessageTypeDefinition<_shoal_api_RemoveServiceResponse, _shoal_api_RemoveServiceResponse__Output>
      RemoveTaskRequest: MessageTypeDefinition<_shoal_api_RemoveTaskRequest, _shoal_api_RemoveTaskRequest__Output>
      RemoveTaskResponse: MessageTypeDefinition<_shoal_api_RemoveTaskResponse, _shoal_api_RemoveTaskResponse__Output>
      ReplicatedJob: MessageTypeDefinition<_shoal_api_ReplicatedJob, _shoal_api_ReplicatedJob__Output>
      ReplicatedService: MessageTypeDefinition<_shoal_api_ReplicatedService, _shoal_api_ReplicatedService__Output>
      ResourceRequirements: MessageTypeDefinition<_shoal_api_ResourceRequirements, _shoal_api_ResourceRequirements__Output>
      Resources: MessageTypeDefinition<_shoal_api_Resources, _shoal_api_Resources__Output>
      RestartPolicy: MessageTypeDefinition<_shoal_api_RestartPolicy, _shoal_api_RestartPolicy__Output>
      Secret: MessageTypeDefinition<_shoal_api_Secret, _shoal_api_Secret__Output>
      SecretReference: MessageTypeDefinition<_shoal_api_SecretReference, _shoal_api_SecretReference__Output>
      SecretReferenceFileTarget: MessageTypeDefinition<_shoal_api_SecretReferenceFileTarget, _shoal_api_SecretReferenceFileTarget__Output>
      SecretSpec: MessageTypeDefinition<_shoal_api_SecretSpec, _shoal_api_SecretSpec__Output>
      Service: MessageTypeDefinition<_shoal_api_Service, _shoal_api_Service__Output>
      ServiceMode: MessageTypeDefinition<_shoal_api_ServiceMode, _shoal_api_ServiceMode__Output>
      ServiceSpec: MessageTypeDefinition<_shoal_api_ServiceSpec, _shoal_api_ServiceSpec__Output>
      ServiceStatus: MessageTypeDefinition<_shoal_api_ServiceStatus, _shoal_api_ServiceStatus__Output>
      SpreadOver: MessageTypeDefinition<_shoal_api_SpreadOver, _shoal_api_SpreadOver__Output>
      StringList: MessageTypeDefinition<_shoal_api_StringList, _shoal_api_StringList__Output>
      StringSet: MessageTypeDefinition<_shoal_api_StringSet, _shoal_api_StringSet__Output>
      SwarmInitRequest: MessageTypeDefinition<_shoal_api_SwarmInitRequest, _shoal_api_SwarmInitRequest__Output>
      SwarmJoinRequest: MessageTypeDefinition<_shoal_api_SwarmJoinRequest, _shoal_api_SwarmJoinRequest__Output>
      SwarmUnlockRequest: MessageTypeDefinition<_shoal_api_SwarmUnlockRequest, _shoal_api_SwarmUnlockRequest__Output>
      TLSInfo: MessageTypeDefinition<_shoal_api_TLSInfo, _shoal_api_TLSInfo__Output>
      Task: MessageTypeDefinition<_shoal_api_Task, _shoal_api_Task__Output>
      TaskDefaults: MessageTypeDefinition<_shoal_api_TaskDefaults, _shoal_api_TaskDefaults__Output>
      TaskSpec: MessageTypeDefinition<_shoal_api_TaskSpec, _shoal_api_TaskSpec__Output>
      TaskState: EnumTypeDefinition
      TaskStatus: MessageTypeDefinition<_shoal_api_TaskStatus, _shoal_api_TaskStatus__Output>
      Ulimit: MessageTypeDefinition<_shoal_api_Ulimit, _shoal_api_Ulimit__Output>
      UnlockKeyResponse: MessageTypeDefinition<_shoal_api_UnlockKeyResponse, _shoal_api_UnlockKeyResponse__Output>
      UpdateClusterRequest: MessageTypeDefinition<_shoal_api_UpdateClusterRequest, _shoal_api_UpdateClusterRequest__Output>
      UpdateClusterResponse: MessageTypeDefinition<_shoal_api_UpdateClusterResponse, _shoal_api_UpdateClusterResponse__Output>
      UpdateConfig: MessageTypeDefinition<_shoal_api_UpdateConfig, _shoal_api_UpdateConfig__Output>
      UpdateConfigRequest: MessageTypeDefinition<_shoal_api_UpdateConfigRequest, _shoal_api_UpdateConfigRequest__Output>
      UpdateConfigResponse: MessageTypeDefinition<_shoal_api_UpdateConfigResponse, _shoal_api_UpdateConfigResponse__Output>
      UpdateNodeRequest: MessageTypeDefinition<_shoal_api_UpdateNodeRequest, _shoal_api_UpdateNodeRequest__Output>
      UpdateNodeResponse: MessageTypeDefinition<_shoal_api_UpdateNodeResponse, _shoal_api_UpdateNodeResponse__Output>
      UpdateSecretRequest: MessageTypeDefinition<_shoal_api_UpdateSecretRequest, _shoal_api_UpdateSecretRequest__Output>
      UpdateSecretResponse: MessageTypeDefinition<_shoal_api_UpdateSecretResponse, _shoal_api_UpdateSecretResponse__Output>
      UpdateServiceRequest: MessageTypeDefinition<_shoal_api_UpdateServiceRequest, _shoal_api_UpdateServiceRequest__Output>
      UpdateServiceResponse: MessageTypeDefinition<_shoal_api_UpdateServiceResponse, _shoal_api_UpdateServiceResponse__Output>
      UpdateStatus: MessageTypeDefinition<_shoal_api_UpdateStatus, _shoal_api_UpdateStatus__Output>
      Version: MessageTypeDefinition<_shoal_api_Version, _shoal_api_Version__Output>
      VirtualIP: MessageTypeDefinition<_shoal_api_VirtualIP, _shoal_api_VirtualIP__Output>
      VolumeAttachment: MessageTypeDefinition<_shoal_api_VolumeAttachment, _shoal_api_VolumeAttachment__Output>
    }
  }
}

