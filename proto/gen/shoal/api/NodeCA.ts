// Original file: proto/shoal/api/ca.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { IssueNodeCertificateRequest as _shoal_api_IssueNodeCertificateRequest, IssueNodeCertificateRequest__Output as _shoal_api_IssueNodeCertificateRequest__Output } from '../../shoal/api/IssueNodeCertificateRequest.ts';
import type { IssueNodeCertificateResponse as _shoal_api_IssueNodeCertificateResponse, IssueNodeCertificateResponse__Output as _shoal_api_IssueNodeCertificateResponse__Output } from '../../shoal/api/IssueNodeCertificateResponse.ts';
import type { NodeCertificateStatusRequest as _shoal_api_NodeCertificateStatusRequest, NodeCertificateStatusRequest__Output as _shoal_api_NodeCertificateStatusRequest__Output } from '../../shoal/api/NodeCertificateStatusRequest.ts';
import type { NodeCertificateStatusResponse as _shoal_api_NodeCertificateStatusResponse, NodeCertificateStatusResponse__Output as _shoal_api_NodeCertificateStatusResponse__Output } from '../../shoal/api/NodeCertificateStatusResponse.ts';

/**
 * NodeCA issues and renews node certificates.
 */
export interface NodeCAClient extends grpc.Client {
  IssueNodeCertificate(argument: _shoal_api_IssueNodeCertificateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_IssueNodeCertificateResponse__Output>): grpc.ClientUnaryCall;
  IssueNodeCertificate(argument: _shoal_api_IssueNodeCertificateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_IssueNodeCertificateResponse__Output>): grpc.ClientUnaryCall;
  IssueNodeCertificate(argument: _shoal_api_IssueNodeCertificateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_IssueNodeCertificateResponse__Output>): grpc.ClientUnaryCall;
  IssueNodeCertificate(argument: _shoal_api_IssueNodeCertificateRequest, callback: grpc.requestCallback<_shoal_api_IssueNodeCertificateResponse__Output>): grpc.ClientUnaryCall;
  issueNodeCertificate(argument: _shoal_api_IssueNodeCertificateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_IssueNodeCertificateResponse__Output>): grpc.ClientUnaryCall;
  issueNodeCertificate(argument: _shoal_api_IssueNodeCertificateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_IssueNodeCertificateResponse__Output>): grpc.ClientUnaryCall;
  issueNodeCertificate(argument: _shoal_api_IssueNodeCertificateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_IssueNodeCertificateResponse__Output>): grpc.ClientUnaryCall;
  issueNodeCertificate(argument: _shoal_api_IssueNodeCertificateRequest, callback: grpc.requestCallback<_shoal_api_IssueNodeCertificateResponse__Output>): grpc.ClientUnaryCall;
  
  NodeCertificateStatus(argument: _shoal_api_NodeCertificateStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_NodeCertificateStatusResponse__Output>): grpc.ClientUnaryCall;
  NodeCertificateStatus(argument: _shoal_api_NodeCertificateStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_NodeCertificateStatusResponse__Output>): grpc.ClientUnaryCall;
  NodeCertificateStatus(argument: _shoal_api_NodeCertificateStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_NodeCertificateStatusResponse__Output>): grpc.ClientUnaryCall;
  NodeCertificateStatus(argument: _shoal_api_NodeCertificateStatusRequest, callback: grpc.requestCallback<_shoal_api_NodeCertificateStatusResponse__Output>): grpc.ClientUnaryCall;
  nodeCertificateStatus(argument: _shoal_api_NodeCertificateStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_NodeCertificateStatusResponse__Output>): grpc.ClientUnaryCall;
  nodeCertificateStatus(argument: _shoal_api_NodeCertificateStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_NodeCertificateStatusResponse__Output>): grpc.ClientUnaryCall;
  nodeCertificateStatus(argument: _shoal_api_NodeCertificateStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_NodeCertificateStatusResponse__Output>): grpc.ClientUnaryCall;
  nodeCertificateStatus(argument: _shoal_api_NodeCertificateStatusRequest, callback: grpc.requestCallback<_shoal_api_NodeCertificateStatusResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * NodeCA issues and renews node certificates.
 */
export interface NodeCAHandlers extends grpc.UntypedServiceImplementation {
  IssueNodeCertificate: grpc.handleUnaryCall<_shoal_api_IssueNodeCertificateRequest__Output, _shoal_api_IssueNodeCertificateResponse>;
  
  NodeCertificateStatus: grpc.handleUnaryCall<_shoal_api_NodeCertificateStatusRequest__Output, _shoal_api_NodeCertificateStatusResponse>;
  
}

export interface NodeCADefinition extends grpc.ServiceDefinition {
  IssueNodeCertificate: MethodDefinition<_shoal_api_IssueNodeCertificateRequest, _shoal_api_IssueNodeCertificateResponse, _shoal_api_IssueNodeCertificateRequest__Output, _shoal_api_IssueNodeCertificateResponse__Output>
  NodeCertificateStatus: MethodDefinition<_shoal_api_NodeCertificateStatusRequest, _shoal_api_NodeCertificateStatusResponse, _shoal_api_NodeCertificateStatusRequest__Output, _shoal_api_NodeCertificateStatusResponse__Output>
}
