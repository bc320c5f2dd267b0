// Original file: proto/shoal/api/control.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateConfigRequest as _shoal_api_CreateConfigRequest, CreateConfigRequest__Output as _shoal_api_CreateConfigRequest__Output } from '../../shoal/api/CreateConfigRequest.ts';
import type { CreateConfigResponse as _shoal_api_CreateConfigResponse, CreateConfigResponse__Output as _shoal_api_CreateConfigResponse__Output } from '../../shoal/api/CreateConfigResponse.ts';
import type { CreateNetworkRequest as _shoal_api_CreateNetworkRequest, CreateNetworkRequest__Output as _shoal_api_CreateNetworkRequest__Output } from '../../shoal/api/CreateNetworkRequest.ts';
import type { CreateNetworkResponse as _shoal_api_CreateNetworkResponse, CreateNetworkResponse__Output as _shoal_api_CreateNetworkResponse__Output } from '../../shoal/api/CreateNetworkResponse.ts';
import type { CreateSecretRequest as _shoal_api_CreateSecretRequest, CreateSecretRequest__Output as _shoal_api_CreateSecretRequest__Output } from '../../shoal/api/CreateSecretRequest.ts';
import type { CreateSecretResponse as _shoal_api_CreateSecretResponse, CreateSecretResponse__Output as _shoal_api_CreateSecretResponse__Output } from '../../shoal/api/CreateSecretResponse.ts';
import type { CreateServiceRequest as _shoal_api_CreateServiceRequest, CreateServiceRequest__Output as _shoal_api_CreateServiceRequest__Output } from '../../shoal/api/CreateServiceRequest.ts';
import type { CreateServiceResponse as _shoal_api_CreateServiceResponse, CreateServiceResponse__Output as _shoal_api_CreateServiceResponse__Output } from '../../shoal/api/CreateServiceResponse.ts';
import type { GetClusterRequest as _shoal_api_GetClusterRequest, GetClusterRequest__Output as _shoal_api_GetClusterRequest__Output } from '../../shoal/api/GetClusterRequest.ts';
import type { GetClusterResponse as _shoal_api_GetClusterResponse, GetClusterResponse__Output as _shoal_api_GetClusterResponse__Output } from '../../shoal/api/GetClusterResponse.ts';
import type { GetConfigRequest as _shoal_api_GetConfigRequest, GetConfigRequest__Output as _shoal_api_GetConfigRequest__Output } from '../../shoal/api/GetConfigRequest.ts';
import type { GetConfigResponse as _shoal_api_GetConfigResponse, GetConfigResponse__Output as _shoal_api_GetConfigResponse__Output } from '../../shoal/api/GetConfigResponse.ts';
import type { GetNetworkRequest as _shoal_api_GetNetworkRequest, GetNetworkRequest__Output as _shoal_api_GetNetworkRequest__Output } from '../../shoal/api/GetNetworkRequest.ts';
import type { GetNetworkResponse as _shoal_api_GetNetworkResponse, GetNetworkResponse__Output as _shoal_api_GetNetworkResponse__Output } from '../../shoal/api/GetNetworkResponse.ts';
import type { GetNodeRequest as _shoal_api_GetNodeRequest, GetNodeRequest__Output as _shoal_api_GetNodeRequest__Output } from '../../shoal/api/GetNodeRequest.ts';
import type { GetNodeResponse as _shoal_api_GetNodeResponse, GetNodeResponse__Output as _shoal_api_GetNodeResponse__Output } from '../../shoal/api/GetNodeResponse.ts';
import type { GetSecretRequest as _shoal_api_GetSecretRequest, GetSecretRequest__Output as _shoal_api_GetSecretRequest__Output } from '../../shoal/api/GetSecretRequest.ts';
import type { GetSecretResponse as _shoal_api_GetSecretResponse, GetSecretResponse__Output as _shoal_api_GetSecretResponse__Output } from '../../shoal/api/GetSecretResponse.ts';
import type { GetServiceRequest as _shoal_api_GetServiceRequest, GetServiceRequest__Output as _shoal_api_GetServiceRequest__Output } from '../../shoal/api/GetServiceRequest.ts';
import type { GetServiceResponse as _shoal_api_GetServiceResponse, GetServiceResponse__Output as _shoal_api_GetServiceResponse__Output } from '../../shoal/api/GetServiceResponse.ts';
import type { GetTaskRequest as _shoal_api_GetTaskRequest, GetTaskRequest__Output as _shoal_api_GetTaskRequest__Output } from '../../shoal/api/GetTaskRequest.ts';
import type { GetTaskResponse as _shoal_api_GetTaskResponse, GetTaskResponse__Output as _shoal_api_GetTaskResponse__Output } from '../../shoal/api/GetTaskResponse.ts';
import type { ListClustersRequest as _shoal_api_ListClustersRequest, ListClustersRequest__Output as _shoal_api_ListClustersRequest__Output } from '../../shoal/api/ListClustersRequest.ts';
import type { ListClustersResponse as _shoal_api_ListClustersResponse, ListClustersResponse__Output as _shoal_api_ListClustersResponse__Output } from '../../shoal/api/ListClustersResponse.ts';
import type { ListConfigsRequest as _shoal_api_ListConfigsRequest, ListConfigsRequest__Output as _shoal_api_ListConfigsRequest__Output } from '../../shoal/api/ListConfigsRequest.ts';
import type { ListConfigsResponse as _shoal_api_ListConfigsResponse, ListConfigsResponse__Output as _shoal_api_ListConfigsResponse__Output } from '../../shoal/api/ListConfigsResponse.ts';
import type { ListNetworksRequest as _shoal_api_ListNetworksRequest, ListNetworksRequest__Output as _shoal_api_ListNetworksRequest__Output } from '../../shoal/api/ListNetworksRequest.ts';
import type { ListNetworksResponse as _shoal_api_ListNetworksResponse, ListNetworksResponse__Output as _shoal_api_ListNetworksResponse__Output } from '../../shoal/api/ListNetworksResponse.ts';
import type { ListNodesRequest as _shoal_api_ListNodesRequest, ListNodesRequest__Output as _shoal_api_ListNodesRequest__Output } from '../../shoal/api/ListNodesRequest.ts';
import type { ListNodesResponse as _shoal_api_ListNodesResponse, ListNodesResponse__Output as _shoal_api_ListNodesResponse__Output } from '../../shoal/api/ListNodesResponse.ts';
import type { ListSecretsRequest as _shoal_api_ListSecretsRequest, ListSecretsRequest__Output as _shoal_api_ListSecretsRequest__Output } from '../../shoal/api/ListSecretsRequest.ts';
import type { ListSecretsResponse as _shoal_api_ListSecretsResponse, ListSecretsResponse__Output as _shoal_api_ListSecretsResponse__Output } from '../../shoal/api/ListSecretsResponse.ts';
import type { ListServicesRequest as _shoal_api_ListServicesRequest, ListServicesRequest__Output as _shoal_api_ListServicesRequest__Output } from '../../shoal/api/ListServicesRequest.ts';
import type { ListServicesResponse as _shoal_api_ListServicesResponse, ListServicesResponse__Output as _shoal_api_ListServicesResponse__Output } from '../../shoal/api/ListServicesResponse.ts';
import type { ListTasksRequest as _shoal_api_ListTasksRequest, ListTasksRequest__Output as _shoal_api_ListTasksRequest__Output } from '../../shoal/api/ListTasksRequest.ts';
import type { ListTasksResponse as _shoal_api_ListTasksResponse, ListTasksResponse__Output as _shoal_api_ListTasksResponse__Output } from '../../shoal/api/ListTasksResponse.ts';
import type { RemoveConfigRequest as _shoal_api_RemoveConfigRequest, RemoveConfigRequest__Output as _shoal_api_RemoveConfigRequest__Output } from '../../shoal/api/RemoveConfigRequest.ts';
import type { RemoveConfigResponse as _shoal_api_RemoveConfigResponse, RemoveConfigResponse__Output as _shoal_api_RemoveConfigResponse__Output } from '../../shoal/api/RemoveConfigResponse.ts';
import type { RemoveNetworkRequest as _shoal_api_RemoveNetworkRequest, RemoveNetworkRequest__Output as _shoal_api_RemoveNetworkRequest__Output } from '../../shoal/api/RemoveNetworkRequest.ts';
import type { RemoveNetworkResponse as _shoal_api_RemoveNetworkResponse, RemoveNetworkResponse__Output as _shoal_api_RemoveNetworkResponse__Output } from '../../shoal/api/RemoveNetworkResponse.ts';
import type { RemoveNodeRequest as _shoal_api_RemoveNodeRequest, RemoveNodeRequest__Output as _shoal_api_RemoveNodeRequest__Output } from '../../shoal/api/RemoveNodeRequest.ts';
import type { RemoveNodeResponse as _shoal_api_RemoveNodeResponse, RemoveNodeResponse__Output as _shoal_api_RemoveNodeResponse__Output } from '../../shoal/api/RemoveNodeResponse.ts';
import type { RemoveSecretRequest as _shoal_api_RemoveSecretRequest, RemoveSecretRequest__Output as _shoal_api_RemoveSecretRequest__Output } from '../../shoal/api/RemoveSecretRequest.ts';
import type { RemoveSecretResponse as _shoal_api_RemoveSecretResponse, RemoveSecretResponse__Output as _shoal_api_RemoveSecretResponse__Output } from '../../shoal/api/RemoveSecretResponse.ts';
import type { RemoveServiceRequest as _shoal_api_RemoveServiceRequest, RemoveServiceRequest__Output as _shoal_api_RemoveServiceRequest__Output } from '../../shoal/api/RemoveServiceRequest.ts';
import type { RemoveServiceResponse as _shoal_api_RemoveServiceResponse, RemoveServiceResponse__Output as _shoal_api_RemoveServiceResponse__Output } from '../../shoal/api/RemoveServiceResponse.ts';
import type { RemoveTaskRequest as _shoal_api_RemoveTaskRequest, RemoveTaskRequest__Output as _shoal_api_RemoveTaskRequest__Output } from '../../shoal/api/RemoveTaskRequest.ts';
import type { RemoveTaskResponse as _shoal_api_RemoveTaskResponse, RemoveTaskResponse__Output as _shoal_api_RemoveTaskResponse__Output } from '../../shoal/api/RemoveTaskResponse.ts';
import type { UpdateClusterRequest as _shoal_api_UpdateClusterRequest, UpdateClusterRequest__Output as _shoal_api_UpdateClusterRequest__Output } from '../../shoal/api/UpdateClusterRequest.ts';
import type { UpdateClusterResponse as _shoal_api_UpdateClusterResponse, UpdateClusterResponse__Output as _shoal_api_UpdateClusterResponse__Output } from '../../shoal/api/UpdateClusterResponse.ts';
import type { UpdateConfigRequest as _shoal_api_UpdateConfigRequest, UpdateConfigRequest__Output as _shoal_api_UpdateConfigRequest__Output } from '../../shoal/api/UpdateConfigRequest.ts';
import type { UpdateConfigResponse as _shoal_api_UpdateConfigResponse, UpdateConfigResponse__Output as _shoal_api_UpdateConfigResponse__Output } from '../../shoal/api/UpdateConfigResponse.ts';
import type { UpdateNodeRequest as _shoal_api_UpdateNodeRequest, UpdateNodeRequest__Output as _shoal_api_UpdateNodeRequest__Output } from '../../shoal/api/UpdateNodeRequest.ts';
import type { UpdateNodeResponse as _shoal_api_UpdateNodeResponse, UpdateNodeResponse__Output as _shoal_api_UpdateNodeResponse__Output } from '../../shoal/api/UpdateNodeResponse.ts';
import type { UpdateSecretRequest as _shoal_api_UpdateSecretRequest, UpdateSecretRequest__Output as _shoal_api_UpdateSecretRequest__Output } from '../../shoal/api/UpdateSecretRequest.ts';
import type { UpdateSecretResponse as _shoal_api_UpdateSecretResponse, UpdateSecretResponse__Output as _shoal_api_UpdateSecretResponse__Output } from '../../shoal/api/UpdateSecretResponse.ts';
import type { UpdateServiceRequest as _shoal_api_UpdateServiceRequest, UpdateServiceRequest__Output as _shoal_api_UpdateServiceRequest__Output } from '../../shoal/api/UpdateServiceRequest.ts';
import type { UpdateServiceResponse as _shoal_api_UpdateServiceResponse, UpdateServiceResponse__Output as _shoal_api_UpdateServiceResponse__Output } from '../../shoal/api/UpdateServiceResponse.ts';

export interface ControlClient extends grpc.Client {
  CreateConfig(argument: _shoal_api_CreateConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_CreateConfigResponse__Output>): grpc.ClientUnaryCall;
  CreateConfig(argument: _shoal_api_CreateConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_CreateConfigResponse__Output>): grpc.ClientUnaryCall;
  CreateConfig(argument: _shoal_api_CreateConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_CreateConfigResponse__Output>): grpc.ClientUnaryCall;
  CreateConfig(argument: _shoal_api_CreateConfigRequest, callback: grpc.requestCallback<_shoal_api_CreateConfigResponse__Output>): grpc.ClientUnaryCall;
  createConfig(argument: _shoal_api_CreateConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_CreateConfigResponse__Output>): grpc.ClientUnaryCall;
  createConfig(argument: _shoal_api_CreateConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_CreateConfigResponse__Output>): grpc.ClientUnaryCall;
  createConfig(argument: _shoal_api_CreateConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_CreateConfigResponse__Output>): grpc.ClientUnaryCall;
  createConfig(argument: _shoal_api_CreateConfigRequest, callback: grpc.requestCallback<_shoal_api_CreateConfigResponse__Output>): grpc.ClientUnaryCall;
  
  CreateNetwork(argument: _shoal_api_CreateNetworkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_CreateNetworkResponse__Output>): grpc.ClientUnaryCall;
  CreateNetwork(argument: _shoal_api_CreateNetworkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_CreateNetworkResponse__Output>): grpc.ClientUnaryCall;
  CreateNetwork(argument: _shoal_api_CreateNetworkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_CreateNetworkResponse__Output>): grpc.ClientUnaryCall;
  CreateNetwork(argument: _shoal_api_CreateNetworkRequest, callback: grpc.requestCallback<_shoal_api_CreateNetworkResponse__Output>): grpc.ClientUnaryCall;
  createNetwork(argument: _shoal_api_CreateNetworkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_CreateNetworkResponse__Output>): grpc.ClientUnaryCall;
  createNetwork(argument: _shoal_api_CreateNetworkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_CreateNetworkResponse__Output>): grpc.ClientUnaryCall;
  createNetwork(argument: _shoal_api_CreateNetworkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_CreateNetworkResponse__Output>): grpc.ClientUnaryCall;
  createNetwork(argument: _shoal_api_CreateNetworkRequest, callback: grpc.requestCallback<_shoal_api_CreateNetworkResponse__Output>): grpc.ClientUnaryCall;
  
  CreateSecret(argument: _shoal_api_CreateSecretRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_CreateSecretResponse__Output>): grpc.ClientUnaryCall;
  CreateSecret(argument: _shoal_api_CreateSecretRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_CreateSecretResponse__Output>): grpc.ClientUnaryCall;
  CreateSecret(argument: _shoal_api_CreateSecretRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_CreateSecretResponse__Output>): grpc.ClientUnaryCall;
  CreateSecret(argument: _shoal_api_CreateSecretRequest, callback: grpc.requestCallback<_shoal_api_CreateSecretResponse__Output>): grpc.ClientUnaryCall;
  createSecret(argument: _shoal_api_CreateSecretRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_CreateSecretResponse__Output>): grpc.ClientUnaryCall;
  createSecret(argument: _shoal_api_CreateSecretRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_CreateSecretResponse__Output>): grpc.ClientUnaryCall;
  createSecret(argument: _shoal_api_CreateSecretRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_CreateSecretResponse__Output>): grpc.ClientUnaryCall;
  createSecret(argument: _shoal_api_CreateSecretRequest, callback: grpc.requestCallback<_shoal_api_CreateSecretResponse__Output>): grpc.ClientUnaryCall;
  
  CreateService(argument: _shoal_api_CreateServiceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_CreateServiceResponse__Output>): grpc.ClientUnaryCall;
  CreateService(argument: _shoal_api_CreateServiceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_CreateServiceResponse__Output>): grpc.ClientUnaryCall;
  CreateService(argument: _shoal_api_CreateServiceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_CreateServiceResponse__Output>): grpc.ClientUnaryCall;
  CreateService(argument: _shoal_api_CreateServiceRequest, callback: grpc.requestCallback<_shoal_api_CreateServiceResponse__Output>): grpc.ClientUnaryCall;
  createService(argument: _shoal_api_CreateServiceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_CreateServiceResponse__Output>): grpc.ClientUnaryCall;
  createService(argument: _shoal_api_CreateServiceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_CreateServiceResponse__Output>): grpc.ClientUnaryCall;
  createService(argument: _shoal_api_CreateServiceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_CreateServiceResponse__Output>): grpc.ClientUnaryCall;
  createService(argument: _shoal_api_CreateServiceRequest, callback: grpc.requestCallback<_shoal_api_CreateServiceResponse__Output>): grpc.ClientUnaryCall;
  
  GetCluster(argument: _shoal_api_GetClusterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetClusterResponse__Output>): grpc.ClientUnaryCall;
  GetCluster(argument: _shoal_api_GetClusterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_GetClusterResponse__Output>): grpc.ClientUnaryCall;
  GetCluster(argument: _shoal_api_GetClusterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetClusterResponse__Output>): grpc.ClientUnaryCall;
  GetCluster(argument: _shoal_api_GetClusterRequest, callback: grpc.requestCallback<_shoal_api_GetClusterResponse__Output>): grpc.ClientUnaryCall;
  getCluster(argument: _shoal_api_GetClusterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetClusterResponse__Output>): grpc.ClientUnaryCall;
  getCluster(argument: _shoal_api_GetClusterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_GetClusterResponse__Output>): grpc.ClientUnaryCall;
  getCluster(argument: _shoal_api_GetClusterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetClusterResponse__Output>): grpc.ClientUnaryCall;
  getCluster(argument: _shoal_api_GetClusterRequest, callback: grpc.requestCallback<_shoal_api_GetClusterResponse__Output>): grpc.ClientUnaryCall;
  
  GetConfig(argument: _shoal_api_GetConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetConfigResponse__Output>): grpc.ClientUnaryCall;
  GetConfig(argument: _shoal_api_GetConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_GetConfigResponse__Output>): grpc.ClientUnaryCall;
  GetConfig(argument: _shoal_api_GetConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetConfigResponse__Output>): grpc.ClientUnaryCall;
  GetConfig(argument: _shoal_api_GetConfigRequest, callback: grpc.requestCallback<_shoal_api_GetConfigResponse__Output>): grpc.ClientUnaryCall;
  getConfig(argument: _shoal_api_GetConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetConfigResponse__Output>): grpc.ClientUnaryCall;
  getConfig(argument: _shoal_api_GetConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_GetConfigResponse__Output>): grpc.ClientUnaryCall;
  getConfig(argument: _shoal_api_GetConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetConfigResponse__Output>): grpc.ClientUnaryCall;
  getConfig(argument: _shoal_api_GetConfigRequest, callback: grpc.requestCallback<_shoal_api_GetConfigResponse__Output>): grpc.ClientUnaryCall;
  
  GetNetwork(argument: _shoal_api_GetNetworkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetNetworkResponse__Output>): grpc.ClientUnaryCall;
  GetNetwork(argument: _shoal_api_GetNetworkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_GetNetworkResponse__Output>): grpc.ClientUnaryCall;
  GetNetwork(argument: _shoal_api_GetNetworkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetNetworkResponse__Output>): grpc.ClientUnaryCall;
  GetNetwork(argument: _shoal_api_GetNetworkRequest, callback: grpc.requestCallback<_shoal_api_GetNetworkResponse__Output>): grpc.ClientUnaryCall;
  getNetwork(argument: _shoal_api_GetNetworkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetNetworkResponse__Output>): grpc.ClientUnaryCall;
  getNetwork(argument: _shoal_api_GetNetworkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_GetNetworkResponse__Output>): grpc.ClientUnaryCall;
  getNetwork(argument: _shoal_api_GetNetworkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetNetworkResponse__Output>): grpc.ClientUnaryCall;
  getNetwork(argument: _shoal_api_GetNetworkRequest, callback: grpc.requestCallback<_shoal_api_GetNetworkResponse__Output>): grpc.ClientUnaryCall;
  
  GetNode(argument: _shoal_api_GetNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetNodeResponse__Output>): grpc.ClientUnaryCall;
  GetNode(argument: _shoal_api_GetNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_GetNodeResponse__Output>): grpc.ClientUnaryCall;
  GetNode(argument: _shoal_api_GetNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetNodeResponse__Output>): grpc.ClientUnaryCall;
  GetNode(argument: _shoal_api_GetNodeRequest, callback: grpc.requestCallback<_shoal_api_GetNodeResponse__Output>): grpc.ClientUnaryCall;
  getNode(argument: _shoal_api_GetNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetNodeResponse__Output>): grpc.ClientUnaryCall;
  getNode(argument: _shoal_api_GetNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_GetNodeResponse__Output>): grpc.ClientUnaryCall;
  getNode(argument: _shoal_api_GetNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetNodeResponse__Output>): grpc.ClientUnaryCall;
  getNode(argument: _shoal_api_GetNodeRequest, callback: grpc.requestCallback<_shoal_api_GetNodeResponse__Output>): grpc.ClientUnaryCall;
  
  GetSecret(argument: _shoal_api_GetSecretRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetSecretResponse__Output>): grpc.ClientUnaryCall;
  GetSecret(argument: _shoal_api_GetSecretRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_GetSecretResponse__Output>): grpc.ClientUnaryCall;
  GetSecret(argument: _shoal_api_GetSecretRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetSecretResponse__Output>): grpc.ClientUnaryCall;
  GetSecret(argument: _shoal_api_GetSecretRequest, callback: grpc.requestCallback<_shoal_api_GetSecretResponse__Output>): grpc.ClientUnaryCall;
  getSecret(argument: _shoal_api_GetSecretRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetSecretResponse__Output>): grpc.ClientUnaryCall;
  getSecret(argument: _shoal_api_GetSecretRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_GetSecretResponse__Output>): grpc.ClientUnaryCall;
  getSecret(argument: _shoal_api_GetSecretRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetSecretResponse__Output>): grpc.ClientUnaryCall;
  getSecret(argument: _shoal_api_GetSecretRequest, callback: grpc.requestCallback<_shoal_api_GetSecretResponse__Output>): grpc.ClientUnaryCall;
  
  GetService(argument: _shoal_api_GetServiceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetServiceResponse__Output>): grpc.ClientUnaryCall;
  GetService(argument: _shoal_api_GetServiceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_GetServiceResponse__Output>): grpc.ClientUnaryCall;
  GetService(argument: _shoal_api_GetServiceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetServiceResponse__Output>): grpc.ClientUnaryCall;
  GetService(argument: _shoal_api_GetServiceRequest, callback: grpc.requestCallback<_shoal_api_GetServiceResponse__Output>): grpc.ClientUnaryCall;
  getService(argument: _shoal_api_GetServiceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetServiceResponse__Output>): grpc.ClientUnaryCall;
  getService(argument: _shoal_api_GetServiceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_GetServiceResponse__Output>): grpc.ClientUnaryCall;
  getService(argument: _shoal_api_GetServiceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetServiceResponse__Output>): grpc.ClientUnaryCall;
  getService(argument: _shoal_api_GetServiceRequest, callback: grpc.requestCallback<_shoal_api_GetServiceResponse__Output>): grpc.ClientUnaryCall;
  
  GetTask(argument: _shoal_api_GetTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetTaskResponse__Output>): grpc.ClientUnaryCall;
  GetTask(argument: _shoal_api_GetTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_GetTaskResponse__Output>): grpc.ClientUnaryCall;
  GetTask(argument: _shoal_api_GetTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetTaskResponse__Output>): grpc.ClientUnaryCall;
  GetTask(argument: _shoal_api_GetTaskRequest, callback: grpc.requestCallback<_shoal_api_GetTaskResponse__Output>): grpc.ClientUnaryCall;
  getTask(argument: _shoal_api_GetTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetTaskResponse__Output>): grpc.ClientUnaryCall;
  getTask(argument: _shoal_api_GetTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_GetTaskResponse__Output>): grpc.ClientUnaryCall;
  getTask(argument: _shoal_api_GetTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetTaskResponse__Output>): grpc.ClientUnaryCall;
  getTask(argument: _shoal_api_GetTaskRequest, callback: grpc.requestCallback<_shoal_api_GetTaskResponse__Output>): grpc.ClientUnaryCall;
  
  ListClusters(argument: _shoal_api_ListClustersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ListClustersResponse__Output>): grpc.ClientUnaryCall;
  ListClusters(argument: _shoal_api_ListClustersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_ListClustersResponse__Output>): grpc.ClientUnaryCall;
  ListClusters(argument: _shoal_api_ListClustersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ListClustersResponse__Output>): grpc.ClientUnaryCall;
  ListClusters(argument: _shoal_api_ListClustersRequest, callback: grpc.requestCallback<_shoal_api_ListClustersResponse__Output>): grpc.ClientUnaryCall;
  listClusters(argument: _shoal_api_ListClustersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ListClustersResponse__Output>): grpc.ClientUnaryCall;
  listClusters(argument: _shoal_api_ListClustersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_ListClustersResponse__Output>): grpc.ClientUnaryCall;
  listClusters(argument: _shoal_api_ListClustersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ListClustersResponse__Output>): grpc.ClientUnaryCall;
  listClusters(argument: _shoal_api_ListClustersRequest, callback: grpc.requestCallback<_shoal_api_ListClustersResponse__Output>): grpc.ClientUnaryCall;
  
  ListConfigs(argument: _shoal_api_ListConfigsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ListConfigsResponse__Output>): grpc.ClientUnaryCall;
  ListConfigs(argument: _shoal_api_ListConfigsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_ListConfigsResponse__Output>): grpc.ClientUnaryCall;
  ListConfigs(argument: _shoal_api_ListConfigsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ListConfigsResponse__Output>): grpc.ClientUnaryCall;
  ListConfigs(argument: _shoal_api_ListConfigsRequest, callback: grpc.requestCallback<_shoal_api_ListConfigsResponse__Output>): grpc.ClientUnaryCall;
  listConfigs(argument: _shoal_api_ListConfigsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ListConfigsResponse__Output>): grpc.ClientUnaryCall;
  listConfigs(argument: _shoal_api_ListConfigsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_ListConfigsResponse__Output>): grpc.ClientUnaryCall;
  listConfigs(argument: _shoal_api_ListConfigsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ListConfigsResponse__Output>): grpc.ClientUnaryCall;
  listConfigs(argument: _shoal_api_ListConfigsRequest, callback: grpc.requestCallback<_shoal_api_ListConfigsResponse__Output>): grpc.ClientUnaryCall;
  
  ListNetworks(argument: _shoal_api_ListNetworksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ListNetworksResponse__Output>): grpc.ClientUnaryCall;
  ListNetworks(argument: _shoal_api_ListNetworksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_ListNetworksResponse__Output>): grpc.ClientUnaryCall;
  ListNetworks(argument: _shoal_api_ListNetworksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ListNetworksResponse__Output>): grpc.ClientUnaryCall;
  ListNetworks(argument: _shoal_api_ListNetworksRequest, callback: grpc.requestCallback<_shoal_api_ListNetworksResponse__Output>): grpc.ClientUnaryCall;
  listNetworks(argument: _shoal_api_ListNetworksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ListNetworksResponse__Output>): grpc.ClientUnaryCall;
  listNetworks(argument: _shoal_api_ListNetworksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_ListNetworksResponse__Output>): grpc.ClientUnaryCall;
  listNetworks(argument: _shoal_api_ListNetworksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ListNetworksResponse__Output>): grpc.ClientUnaryCall;
  listNetworks(argument: _shoal_api_ListNetworksRequest, callback: grpc.requestCallback<_shoal_api_ListNetworksResponse__Output>): grpc.ClientUnaryCall;
  
  ListNodes(argument: _shoal_api_ListNodesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _shoal_api_ListNodesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _shoal_api_ListNodesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _shoal_api_ListNodesRequest, callback: grpc.requestCallback<_shoal_api_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _shoal_api_ListNodesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _shoal_api_ListNodesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _shoal_api_ListNodesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _shoal_api_ListNodesRequest, callback: grpc.requestCallback<_shoal_api_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  
  ListSecrets(argument: _shoal_api_ListSecretsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ListSecretsResponse__Output>): grpc.ClientUnaryCall;
  ListSecrets(argument: _shoal_api_ListSecretsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_ListSecretsResponse__Output>): grpc.ClientUnaryCall;
  ListSecrets(argument: _shoal_api_ListSecretsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ListSecretsResponse__Output>): grpc.ClientUnaryCall;
  ListSecrets(argument: _shoal_api_ListSecretsRequest, callback: grpc.requestCallback<_shoal_api_ListSecretsResponse__Output>): grpc.ClientUnaryCall;
  listSecrets(argument: _shoal_api_ListSecretsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ListSecretsResponse__Output>): grpc.ClientUnaryCall;
  listSecrets(argument: _shoal_api_ListSecretsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_ListSecretsResponse__Output>): grpc.ClientUnaryCall;
  listSecrets(argument: _shoal_api_ListSecretsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ListSecretsResponse__Output>): grpc.ClientUnaryCall;
  listSecrets(argument: _shoal_api_ListSecretsRequest, callback: grpc.requestCallback<_shoal_api_ListSecretsResponse__Output>): grpc.ClientUnaryCall;
  
  ListServices(argument: _shoal_api_ListServicesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ListServicesResponse__Output>): grpc.ClientUnaryCall;
  ListServices(argument: _shoal_api_ListServicesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_ListServicesResponse__Output>): grpc.ClientUnaryCall;
  ListServices(argument: _shoal_api_ListServicesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ListServicesResponse__Output>): grpc.ClientUnaryCall;
  ListServices(argument: _shoal_api_ListServicesRequest, callback: grpc.requestCallback<_shoal_api_ListServicesResponse__Output>): grpc.ClientUnaryCall;
  listServices(argument: _shoal_api_ListServicesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ListServicesResponse__Output>): grpc.ClientUnaryCall;
  listServices(argument: _shoal_api_ListServicesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_ListServicesResponse__Output>): grpc.ClientUnaryCall;
  listServices(argument: _shoal_api_ListServicesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ListServicesResponse__Output>): grpc.ClientUnaryCall;
  listServices(argument: _shoal_api_ListServicesRequest, callback: grpc.requestCallback<_shoal_api_ListServicesResponse__Output>): grpc.ClientUnaryCall;
  
  ListTasks(argument: _shoal_api_ListTasksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  ListTasks(argument: _shoal_api_ListTasksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  ListTasks(argument: _shoal_api_ListTasksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  ListTasks(argument: _shoal_api_ListTasksRequest, callback: grpc.requestCallback<_shoal_api_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  listTasks(argument: _shoal_api_ListTasksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  listTasks(argument: _shoal_api_ListTasksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  listTasks(argument: _shoal_api_ListTasksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  listTasks(argument: _shoal_api_ListTasksRequest, callback: grpc.requestCallback<_shoal_api_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  
  RemoveConfig(argument: _shoal_api_RemoveConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_RemoveConfigResponse__Output>): grpc.ClientUnaryCall;
  RemoveConfig(argument: _shoal_api_RemoveConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_RemoveConfigResponse__Output>): grpc.ClientUnaryCall;
  RemoveConfig(argument: _shoal_api_RemoveConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_RemoveConfigResponse__Output>): grpc.ClientUnaryCall;
  RemoveConfig(argument: _shoal_api_RemoveConfigRequest, callback: grpc.requestCallback<_shoal_api_RemoveConfigResponse__Output>): grpc.ClientUnaryCall;
  removeConfig(argument: _shoal_api_RemoveConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_RemoveConfigResponse__Output>): grpc.ClientUnaryCall;
  removeConfig(argument: _shoal_api_RemoveConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_RemoveConfigResponse__Output>): grpc.ClientUnaryCall;
  removeConfig(argument: _shoal_api_RemoveConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_RemoveConfigResponse__Output>): grpc.ClientUnaryCall;
  removeConfig(argument: _shoal_api_RemoveConfigRequest, callback: grpc.requestCallback<_shoal_api_RemoveConfigResponse__Output>): grpc.ClientUnaryCall;
  
  RemoveNetwork(argument: _shoal_api_RemoveNetworkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_RemoveNetworkResponse__Output>): grpc.ClientUnaryCall;
  RemoveNetwork(argument: _shoal_api_RemoveNetworkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_RemoveNetworkResponse__Output>): grpc.ClientUnaryCall;
  RemoveNetwork(argument: _shoal_api_RemoveNetworkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_RemoveNetworkResponse__Output>): grpc.ClientUnaryCall;
  RemoveNetwork(argument: _shoal_api_RemoveNetworkRequest, callback: grpc.requestCallback<_shoal_api_RemoveNetworkResponse__Output>): grpc.ClientUnaryCall;
  removeNetwork(argument: _shoal_api_RemoveNetworkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_RemoveNetworkResponse__Output>): grpc.ClientUnaryCall;
  removeNetwork(argument: _shoal_api_RemoveNetworkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_RemoveNetworkResponse__Output>): grpc.ClientUnaryCall;
  removeNetwork(argument: _shoal_api_RemoveNetworkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_RemoveNetworkResponse__Output>): grpc.ClientUnaryCall;
  removeNetwork(argument: _shoal_api_RemoveNetworkRequest, callback: grpc.requestCallback<_shoal_api_RemoveNetworkResponse__Output>): grpc.ClientUnaryCall;
  
  RemoveNode(argument: _shoal_api_RemoveNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  RemoveNode(argument: _shoal_api_RemoveNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  RemoveNode(argument: _shoal_api_RemoveNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  RemoveNode(argument: _shoal_api_RemoveNodeRequest, callback: grpc.requestCallback<_shoal_api_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  removeNode(argument: _shoal_api_RemoveNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  removeNode(argument: _shoal_api_RemoveNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  removeNode(argument: _shoal_api_RemoveNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  removeNode(argument: _shoal_api_RemoveNodeRequest, callback: grpc.requestCallback<_shoal_api_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  
  RemoveSecret(argument: _shoal_api_RemoveSecretRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_RemoveSecretResponse__Output>): grpc.ClientUnaryCall;
  RemoveSecret(argument: _shoal_api_RemoveSecretRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_RemoveSecretResponse__Output>): grpc.ClientUnaryCall;
  RemoveSecret(argument: _shoal_api_RemoveSecretRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_RemoveSecretResponse__Output>): grpc.ClientUnaryCall;
  RemoveSecret(argument: _shoal_api_RemoveSecretRequest, callback: grpc.requestCallback<_shoal_api_RemoveSecretResponse__Output>): grpc.ClientUnaryCall;
  removeSecret(argument: _shoal_api_RemoveSecretRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_RemoveSecretResponse__Output>): grpc.ClientUnaryCall;
  removeSecret(argument: _shoal_api_RemoveSecretRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_RemoveSecretResponse__Output>): grpc.ClientUnaryCall;
  removeSecret(argument: _shoal_api_RemoveSecretRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_RemoveSecretResponse__Output>): grpc.ClientUnaryCall;
  removeSecret(argument: _shoal_api_RemoveSecretRequest, callback: grpc.requestCallback<_shoal_api_RemoveSecretResponse__Output>): grpc.ClientUnaryCall;
  
  RemoveService(argument: _shoal_api_RemoveServiceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_RemoveServiceResponse__Output>): grpc.ClientUnaryCall;
  RemoveService(argument: _shoal_api_RemoveServiceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_RemoveServiceResponse__Output>): grpc.ClientUnaryCall;
  RemoveService(argument: _shoal_api_RemoveServiceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_RemoveServiceResponse__Output>): grpc.ClientUnaryCall;
  RemoveService(argument: _shoal_api_RemoveServiceRequest, callback: grpc.requestCallback<_shoal_api_RemoveServiceResponse__Output>): grpc.ClientUnaryCall;
  removeService(argument: _shoal_api_RemoveServiceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_RemoveServiceResponse__Output>): grpc.ClientUnaryCall;
  removeService(argument: _shoal_api_RemoveServiceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_RemoveServiceResponse__Output>): grpc.ClientUnaryCall;
  removeService(argument: _shoal_api_RemoveServiceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_RemoveServiceResponse__Output>): grpc.ClientUnaryCall;
  removeService(argument: _shoal_api_RemoveServiceRequest, callback: grpc.requestCallback<_shoal_api_RemoveServiceResponse__Output>): grpc.ClientUnaryCall;
  
  RemoveTask(argument: _shoal_api_RemoveTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_RemoveTaskResponse__Output>): grpc.ClientUnaryCall;
  RemoveTask(argument: _shoal_api_RemoveTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_RemoveTaskResponse__Output>): grpc.ClientUnaryCall;
  RemoveTask(argument: _shoal_api_RemoveTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_RemoveTaskResponse__Output>): grpc.ClientUnaryCall;
  RemoveTask(argument: _shoal_api_RemoveTaskRequest, callback: grpc.requestCallback<_shoal_api_RemoveTaskResponse__Output>): grpc.ClientUnaryCall;
  removeTask(argument: _shoal_api_RemoveTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_RemoveTaskResponse__Output>): grpc.ClientUnaryCall;
  removeTask(argument: _shoal_api_RemoveTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_RemoveTaskResponse__Output>): grpc.ClientUnaryCall;
  removeTask(argument: _shoal_api_RemoveTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_RemoveTaskResponse__Output>): grpc.ClientUnaryCall;
  removeTask(argument: _shoal_api_RemoveTaskRequest, callback: grpc.requestCallback<_shoal_api_RemoveTaskResponse__Output>): grpc.ClientUnaryCall;
  
  UpdateCluster(argument: _shoal_api_UpdateClusterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_UpdateClusterResponse__Output>): grpc.ClientUnaryCall;
  UpdateCluster(argument: _shoal_api_UpdateClusterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_UpdateClusterResponse__Output>): grpc.ClientUnaryCall;
  UpdateCluster(argument: _shoal_api_UpdateClusterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_UpdateClusterResponse__Output>): grpc.ClientUnaryCall;
  UpdateCluster(argument: _shoal_api_UpdateClusterRequest, callback: grpc.requestCallback<_shoal_api_UpdateClusterResponse__Output>): grpc.ClientUnaryCall;
  updateCluster(argument: _shoal_api_UpdateClusterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_UpdateClusterResponse__Output>): grpc.ClientUnaryCall;
  updateCluster(argument: _shoal_api_UpdateClusterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_UpdateClusterResponse__Output>): grpc.ClientUnaryCall;
  updateCluster(argument: _shoal_api_UpdateClusterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_UpdateClusterResponse__Output>): grpc.ClientUnaryCall;
  updateCluster(argument: _shoal_api_UpdateClusterRequest, callback: grpc.requestCallback<_shoal_api_UpdateClusterResponse__Output>): grpc.ClientUnaryCall;
  
  UpdateConfig(argument: _shoal_api_UpdateConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_UpdateConfigResponse__Output>): grpc.ClientUnaryCall;
  UpdateConfig(argument: _shoal_api_UpdateConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_UpdateConfigResponse__Output>): grpc.ClientUnaryCall;
  UpdateConfig(argument: _shoal_api_UpdateConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_UpdateConfigResponse__Output>): grpc.ClientUnaryCall;
  UpdateConfig(argument: _shoal_api_UpdateConfigRequest, callback: grpc.requestCallback<_shoal_api_UpdateConfigResponse__Output>): grpc.ClientUnaryCall;
  updateConfig(argument: _shoal_api_UpdateConfigRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_UpdateConfigResponse__Output>): grpc.ClientUnaryCall;
  updateConfig(argument: _shoal_api_UpdateConfigRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_UpdateConfigResponse__Output>): grpc.ClientUnaryCall;
  updateConfig(argument: _shoal_api_UpdateConfigRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_UpdateConfigResponse__Output>): grpc.ClientUnaryCall;
  updateConfig(argument: _shoal_api_UpdateConfigRequest, callback: grpc.requestCallback<_shoal_api_UpdateConfigResponse__Output>): grpc.ClientUnaryCall;
  
  UpdateNode(argument: _shoal_api_UpdateNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_UpdateNodeResponse__Output>): grpc.ClientUnaryCall;
  UpdateNode(argument: _shoal_api_UpdateNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_UpdateNodeResponse__Output>): grpc.ClientUnaryCall;
  UpdateNode(argument: _shoal_api_UpdateNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_UpdateNodeResponse__Output>): grpc.ClientUnaryCall;
  UpdateNode(argument: _shoal_api_UpdateNodeRequest, callback: grpc.requestCallback<_shoal_api_UpdateNodeResponse__Output>): grpc.ClientUnaryCall;
  updateNode(argument: _shoal_api_UpdateNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_UpdateNodeResponse__Output>): grpc.ClientUnaryCall;
  updateNode(argument: _shoal_api_UpdateNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_UpdateNodeResponse__Output>): grpc.ClientUnaryCall;
  updateNode(argument: _shoal_api_UpdateNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_UpdateNodeResponse__Output>): grpc.ClientUnaryCall;
  updateNode(argument: _shoal_api_UpdateNodeRequest, callback: grpc.requestCallback<_shoal_api_UpdateNodeResponse__Output>): grpc.ClientUnaryCall;
  
  UpdateSecret(argument: _shoal_api_UpdateSecretRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_UpdateSecretResponse__Output>): grpc.ClientUnaryCall;
  UpdateSecret(argument: _shoal_api_UpdateSecretRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_UpdateSecretResponse__Output>): grpc.ClientUnaryCall;
  UpdateSecret(argument: _shoal_api_UpdateSecretRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_UpdateSecretResponse__Output>): grpc.ClientUnaryCall;
  UpdateSecret(argument: _shoal_api_UpdateSecretRequest, callback: grpc.requestCallback<_shoal_api_UpdateSecretResponse__Output>): grpc.ClientUnaryCall;
  updateSecret(argument: _shoal_api_UpdateSecretRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_UpdateSecretResponse__Output>): grpc.ClientUnaryCall;
  updateSecret(argument: _shoal_api_UpdateSecretRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_UpdateSecretResponse__Output>): grpc.ClientUnaryCall;
  updateSecret(argument: _shoal_api_UpdateSecretRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_UpdateSecretResponse__Output>): grpc.ClientUnaryCall;
  updateSecret(argument: _shoal_api_UpdateSecretRequest, callback: grpc.requestCallback<_shoal_api_UpdateSecretResponse__Output>): grpc.ClientUnaryCall;
  
  UpdateService(argument: _shoal_api_UpdateServiceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_UpdateServiceResponse__Output>): grpc.ClientUnaryCall;
  UpdateService(argument: _shoal_api_UpdateServiceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_UpdateServiceResponse__Output>): grpc.ClientUnaryCall;
  UpdateService(argument: _shoal_api_UpdateServiceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_UpdateServiceResponse__Output>): grpc.ClientUnaryCall;
  UpdateService(argument: _shoal_api_UpdateServiceRequest, callback: grpc.requestCallback<_shoal_api_UpdateServiceResponse__Output>): grpc.ClientUnaryCall;
  updateService(argument: _shoal_api_UpdateServiceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_UpdateServiceResponse__Output>): grpc.ClientUnaryCall;
  updateService(argument: _shoal_api_UpdateServiceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_UpdateServiceResponse__Output>): grpc.ClientUnaryCall;
  updateService(argument: _shoal_api_UpdateServiceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_UpdateServiceResponse__Output>): grpc.ClientUnaryCall;
  updateService(argument: _shoal_api_UpdateServiceRequest, callback: grpc.requestCallback<_shoal_api_UpdateServiceResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface ControlHandlers extends grpc.UntypedServiceImplementation {
  CreateConfig: grpc.handleUnaryCall<_shoal_api_CreateConfigRequest__Output, _shoal_api_CreateConfigResponse>;
  
  CreateNetwork: grpc.handleUnaryCall<_shoal_api_CreateNetworkRequest__Output, _shoal_api_CreateNetworkResponse>;
  
  CreateSecret: grpc.handleUnaryCall<_shoal_api_CreateSecretRequest__Output, _shoal_api_CreateSecretResponse>;
  
  CreateService: grpc.handleUnaryCall<_shoal_api_CreateServiceRequest__Output, _shoal_api_CreateServiceResponse>;
  
  GetCluster: grpc.handleUnaryCall<_shoal_api_GetClusterRequest__Output, _shoal_api_GetClusterResponse>;
  
  GetConfig: grpc.handleUnaryCall<_shoal_api_GetConfigRequest__Output, _shoal_api_GetConfigResponse>;
  
  GetNetwork: grpc.handleUnaryCall<_shoal_api_GetNetworkRequest__Output, _shoal_api_GetNetworkResponse>;
  
  GetNode: grpc.handleUnaryCall<_shoal_api_GetNodeRequest__Output, _shoal_api_GetNodeResponse>;
  
  GetSecret: grpc.handleUnaryCall<_shoal_api_GetSecretRequest__Output, _shoal_api_GetSecretResponse>;
  
  GetService: grpc.handleUnaryCall<_shoal_api_GetServiceRequest__Output, _shoal_api_GetServiceResponse>;
  
  GetTask: grpc.handleUnaryCall<_shoal_api_GetTaskRequest__Output, _shoal_api_GetTaskResponse>;
  
  ListClusters: grpc.handleUnaryCall<_shoal_api_ListClustersRequest__Output, _shoal_api_ListClustersResponse>;
  
  ListConfigs: grpc.handleUnaryCall<_shoal_api_ListConfigsRequest__Output, _shoal_api_ListConfigsResponse>;
  
  ListNetworks: grpc.handleUnaryCall<_shoal_api_ListNetworksRequest__Output, _shoal_api_ListNetworksResponse>;
  
  ListNodes: grpc.handleUnaryCall<_shoal_api_ListNodesRequest__Output, _shoal_api_ListNodesResponse>;
  
  ListSecrets: grpc.handleUnaryCall<_shoal_api_ListSecretsRequest__Output, _shoal_api_ListSecretsResponse>;
  
  ListServices: grpc.handleUnaryCall<_shoal_api_ListServicesRequest__Output, _shoal_api_ListServicesResponse>;
  
  ListTasks: grpc.handleUnaryCall<_shoal_api_ListTasksRequest__Output, _shoal_api_ListTasksResponse>;
  
  RemoveConfig: grpc.handleUnaryCall<_shoal_api_RemoveConfigRequest__Output, _shoal_api_RemoveConfigResponse>;
  
  RemoveNetwork: grpc.handleUnaryCall<_shoal_api_RemoveNetworkRequest__Output, _shoal_api_RemoveNetworkResponse>;
  
  RemoveNode: grpc.handleUnaryCall<_shoal_api_RemoveNodeRequest__Output, _shoal_api_RemoveNodeResponse>;
  
  RemoveSecret: grpc.handleUnaryCall<_shoal_api_RemoveSecretRequest__Output, _shoal_api_RemoveSecretResponse>;
  
  RemoveService: grpc.handleUnaryCall<_shoal_api_RemoveServiceRequest__Output, _shoal_api_RemoveServiceResponse>;
  
  RemoveTask: grpc.handleUnaryCall<_shoal_api_RemoveTaskRequest__Output, _shoal_api_RemoveTaskResponse>;
  
  UpdateCluster: grpc.handleUnaryCall<_shoal_api_UpdateClusterRequest__Output, _shoal_api_UpdateClusterResponse>;
  
  UpdateConfig: grpc.handleUnaryCall<_shoal_api_UpdateConfigRequest__Output, _shoal_api_UpdateConfigResponse>;
  
  UpdateNode: grpc.handleUnaryCall<_shoal_api_UpdateNodeRequest__Output, _shoal_api_UpdateNodeResponse>;
  
  UpdateSecret: grpc.handleUnaryCall<_shoal_api_UpdateSecretRequest__Output, _shoal_api_UpdateSecretResponse>;
  
  UpdateService: grpc.handleUnaryCall<_shoal_api_UpdateServiceRequest__Output, _shoal_api_UpdateServiceResponse>;
  
}

export interface ControlDefinition extends grpc.ServiceDefinition {
  CreateConfig: MethodDefinition<_shoal_api_CreateConfigRequest, _shoal_api_CreateConfigResponse, _shoal_api_CreateConfigRequest__Output, _shoal_api_CreateConfigResponse__Output>
  CreateNetwork: MethodDefinition<_shoal_api_CreateNetworkRequest, _shoal_api_CreateNetworkResponse, _shoal_api_CreateNetworkRequest__Output, _shoal_api_CreateNetworkResponse__Output>
  CreateSecret: MethodDefinition<_shoal_api_CreateSecretRequest, _shoal_api_CreateSecretResponse, _shoal_api_CreateSecretRequest__Output, _shoal_api_CreateSecretResponse__Output>
  CreateService: MethodDefinition<_shoal_api_CreateServiceRequest, _shoal_api_CreateServiceResponse, _shoal_api_CreateServiceRequest__Output, _shoal_api_CreateServiceResponse__Output>
  GetCluster: MethodDefinition<_shoal_api_GetClusterRequest, _shoal_api_GetClusterResponse, _shoal_api_GetClusterRequest__Output, _shoal_api_GetClusterResponse__Output>
  GetConfig: MethodDefinition<_shoal_api_GetConfigRequest, _shoal_api_GetConfigResponse, _shoal_api_GetConfigRequest__Output, _shoal_api_GetConfigResponse__Output>
  GetNetwork: MethodDefinition<_shoal_api_GetNetworkRequest, _shoal_api_GetNetworkResponse, _shoal_api_GetNetworkRequest__Output, _shoal_api_GetNetworkResponse__Output>
  GetNode: MethodDefinition<_shoal_api_GetNodeRequest, _shoal_api_GetNodeResponse, _shoal_api_GetNodeRequest__Output, _shoal_api_GetNodeResponse__Output>
  GetSecret: MethodDefinition<_shoal_api_GetSecretRequest, _shoal_api_GetSecretResponse, _shoal_api_GetSecretRequest__Output, _shoal_api_GetSecretResponse__Output>
  GetService: MethodDefinition<_shoal_api_GetServiceRequest, _shoal_api_GetServiceResponse, _shoal_api_GetServiceRequest__Output, _shoal_api_GetServiceResponse__Output>
  GetTask: MethodDefinition<_shoal_api_GetTaskRequest, _shoal_api_GetTaskResponse, _shoal_api_GetTaskRequest__Output, _shoal_api_GetTaskResponse__Output>
  ListClusters: MethodDefinition<_shoal_api_ListClustersRequest, _shoal_api_ListClustersResponse, _shoal_api_ListClustersRequest__Output, _shoal_api_ListClustersResponse__Output>
  ListConfigs: MethodDefinition<_shoal_api_ListConfigsRequest, _shoal_api_ListConfigsResponse, _shoal_api_ListConfigsRequest__Output, _shoal_api_ListConfigsResponse__Output>
  ListNetworks: MethodDefinition<_shoal_api_ListNetworksRequest, _shoal_api_ListNetworksResponse, _shoal_api_ListNetworksRequest__Output, _shoal_api_ListNetworksResponse__Output>
  ListNodes: MethodDefinition<_shoal_api_ListNodesRequest, _shoal_api_ListNodesResponse, _shoal_api_ListNodesRequest__Output, _shoal_api_ListNodesResponse__Output>
  ListSecrets: MethodDefinition<_shoal_api_ListSecretsRequest, _shoal_api_ListSecretsResponse, _shoal_api_ListSecretsRequest__Output, _shoal_api_ListSecretsResponse__Output>
  ListServices: MethodDefinition<_shoal_api_ListServicesRequest, _shoal_api_ListServicesResponse, _shoal_api_ListServicesRequest__Output, _shoal_api_ListServicesResponse__Output>
  ListTasks: MethodDefinition<_shoal_api_ListTasksRequest, _shoal_api_ListTasksResponse, _shoal_api_ListTasksRequest__Output, _shoal_api_ListTasksResponse__Output>
  RemoveConfig: MethodDefinition<_shoal_api_RemoveConfigRequest, _shoal_api_RemoveConfigResponse, _shoal_api_RemoveConfigRequest__Output, _shoal_api_RemoveConfigResponse__Output>
  RemoveNetwork: MethodDefinition<_shoal_api_RemoveNetworkRequest, _shoal_api_RemoveNetworkResponse, _shoal_api_RemoveNetworkRequest__Output, _shoal_api_RemoveNetworkResponse__Output>
  RemoveNode: MethodDefinition<_shoal_api_RemoveNodeRequest, _shoal_api_RemoveNodeResponse, _shoal_api_RemoveNodeRequest__Output, _shoal_api_RemoveNodeResponse__Output>
  RemoveSecret: MethodDefinition<_shoal_api_RemoveSecretRequest, _shoal_api_RemoveSecretResponse, _shoal_api_RemoveSecretRequest__Output, _shoal_api_RemoveSecretResponse__Output>
  RemoveService: MethodDefinition<_shoal_api_RemoveServiceRequest, _shoal_api_RemoveServiceResponse, _shoal_api_RemoveServiceRequest__Output, _shoal_api_RemoveServiceResponse__Output>
  RemoveTask: MethodDefinition<_shoal_api_RemoveTaskRequest, _shoal_api_RemoveTaskResponse, _shoal_api_RemoveTaskRequest__Output, _shoal_api_RemoveTaskResponse__Output>
  UpdateCluster: MethodDefinition<_shoal_api_UpdateClusterRequest, _shoal_api_UpdateClusterResponse, _shoal_api_UpdateClusterRequest__Output, _shoal_api_UpdateClusterResponse__Output>
  UpdateConfig: MethodDefinition<_shoal_api_UpdateConfigRequest, _shoal_api_UpdateConfigResponse, _shoal_api_UpdateConfigRequest__Output, _shoal_api_UpdateConfigResponse__Output>
  UpdateNode: MethodDefinition<_shoal_api_UpdateNodeRequest, _shoal_api_UpdateNodeResponse, _shoal_api_UpdateNodeRequest__Output, _shoal_api_UpdateNodeResponse__Output>
  UpdateSecret: MethodDefinition<_shoal_api_UpdateSecretRequest, _shoal_api_UpdateSecretResponse, _shoal_api_UpdateSecretRequest__Output, _shoal_api_UpdateSecretResponse__Output>
  UpdateService: MethodDefinition<_shoal_api_UpdateServiceRequest, _shoal_api_UpdateServiceResponse, _shoal_api_UpdateServiceRequest__Output, _shoal_api_UpdateServiceResponse__Output>
}
