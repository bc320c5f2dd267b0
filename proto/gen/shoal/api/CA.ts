// Original file: proto/shoal/api/ca.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetRootCACertificateRequest as _shoal_api_GetRootCACertificateRequest, GetRootCACertificateRequest__Output as _shoal_api_GetRootCACertificateRequest__Output } from '../../shoal/api/GetRootCACertificateRequest.ts';
import type { GetRootCACertificateResponse as _shoal_api_GetRootCACertificateResponse, GetRootCACertificateResponse__Output as _shoal_api_GetRootCACertificateResponse__Output } from '../../shoal/api/GetRootCACertificateResponse.ts';
import type { GetUnlockKeyRequest as _shoal_api_GetUnlockKeyRequest, GetUnlockKeyRequest__Output as _shoal_api_GetUnlockKeyRequest__Output } from '../../shoal/api/GetUnlockKeyRequest.ts';
import type { GetUnlockKeyResponse as _shoal_api_GetUnlockKeyResponse, GetUnlockKeyResponse__Output as _shoal_api_GetUnlockKeyResponse__Output } from '../../shoal/api/GetUnlockKeyResponse.ts';

/**
 * CA is reachable without a client certificate: it hands out the root and the unlock key (managers only).
 */
export interface CAClient extends grpc.Client {
  GetRootCACertificate(argument: _shoal_api_GetRootCACertificateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetRootCACertificateResponse__Output>): grpc.ClientUnaryCall;
  GetRootCACertificate(argument: _shoal_api_GetRootCACertificateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_GetRootCACertificateResponse__Output>): grpc.ClientUnaryCall;
  GetRootCACertificate(argument: _shoal_api_GetRootCACertificateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetRootCACertificateResponse__Output>): grpc.ClientUnaryCall;
  GetRootCACertificate(argument: _shoal_api_GetRootCACertificateRequest, callback: grpc.requestCallback<_shoal_api_GetRootCACertificateResponse__Output>): grpc.ClientUnaryCall;
  getRootCaCertificate(argument: _shoal_api_GetRootCACertificateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetRootCACertificateResponse__Output>): grpc.ClientUnaryCall;
  getRootCaCertificate(argument: _shoal_api_GetRootCACertificateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_GetRootCACertificateResponse__Output>): grpc.ClientUnaryCall;
  getRootCaCertificate(argument: _shoal_api_GetRootCACertificateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetRootCACertificateResponse__Output>): grpc.ClientUnaryCall;
  getRootCaCertificate(argument: _shoal_api_GetRootCACertificateRequest, callback: grpc.requestCallback<_shoal_api_GetRootCACertificateResponse__Output>): grpc.ClientUnaryCall;
  
  GetUnlockKey(argument: _shoal_api_GetUnlockKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetUnlockKeyResponse__Output>): grpc.ClientUnaryCall;
  GetUnlockKey(argument: _shoal_api_GetUnlockKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_GetUnlockKeyResponse__Output>): grpc.ClientUnaryCall;
  GetUnlockKey(argument: _shoal_api_GetUnlockKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetUnlockKeyResponse__Output>): grpc.ClientUnaryCall;
  GetUnlockKey(argument: _shoal_api_GetUnlockKeyRequest, callback: grpc.requestCallback<_shoal_api_GetUnlockKeyResponse__Output>): grpc.ClientUnaryCall;
  getUnlockKey(argument: _shoal_api_GetUnlockKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetUnlockKeyResponse__Output>): grpc.ClientUnaryCall;
  getUnlockKey(argument: _shoal_api_GetUnlockKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_api_GetUnlockKeyResponse__Output>): grpc.ClientUnaryCall;
  getUnlockKey(argument: _shoal_api_GetUnlockKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_api_GetUnlockKeyResponse__Output>): grpc.ClientUnaryCall;
  getUnlockKey(argument: _shoal_api_GetUnlockKeyRequest, callback: grpc.requestCallback<_shoal_api_GetUnlockKeyResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * CA is reachable without a client certificate: it hands out the root and the unlock key (managers only).
 */
export interface CAHandlers extends grpc.UntypedServiceImplementation {
  GetRootCACertificate: grpc.handleUnaryCall<_shoal_api_GetRootCACertificateRequest__Output, _shoal_api_GetRootCACertificateResponse>;
  
  GetUnlockKey: grpc.handleUnaryCall<_shoal_api_GetUnlockKeyRequest__Output, _shoal_api_GetUnlockKeyResponse>;
  
}

export interface CADefinition extends grpc.ServiceDefinition {
  GetRootCACertificate: MethodDefinition<_shoal_api_GetRootCACertificateRequest, _shoal_api_GetRootCACertificateResponse, _shoal_api_GetRootCACertificateRequest__Output, _shoal_api_GetRootCACertificateResponse__Output>
  GetUnlockKey: MethodDefinition<_shoal_api_GetUnlockKeyRequest, _shoal_api_GetUnlockKeyResponse, _shoal_api_GetUnlockKeyRequest__Output, _shoal_api_GetUnlockKeyResponse__Output>
}
