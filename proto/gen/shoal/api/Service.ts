// Original file: proto/shoal/api/service.proto

import type { Version as _shoal_api_Version, Version__Output as _shoal_api_Version__Output } from '../../shoal/api/Version.ts';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp.ts';
import type { ServiceSpec as _shoal_api_ServiceSpec, ServiceSpec__Output as _shoal_api_ServiceSpec__Output } from '../../shoal/api/ServiceSpec.ts';
import type { Endpoint as _shoal_api_Endpoint, Endpoint__Output as _shoal_api_Endpoint__Output } from '../../shoal/api/Endpoint.ts';
import type { UpdateStatus as _shoal_api_UpdateStatus, UpdateStatus__Output as _shoal_api_UpdateStatus__Output } from '../../shoal/api/UpdateStatus.ts';
import type { ServiceStatus as _shoal_api_ServiceStatus, ServiceStatus__Output as _shoal_api_ServiceStatus__Output } from '../../shoal/api/ServiceStatus.ts';
import type { JobStatus as _shoal_api_JobStatus, JobStatus__Output as _shoal_api_JobStatus__Output } from '../../shoal/api/JobStatus.ts';
import type { Long } from '@grpc/proto-loader';

export interface Service {
  'id'?: (string);
  'version'?: (_shoal_api_Version | null);
  'createdAt'?: (_google_protobuf_Timestamp | null);
  'updatedAt'?: (_google_protobuf_Timestamp | null);
  'spec'?: (_shoal_api_ServiceSpec | null);
  'previousSpec'?: (_shoal_api_ServiceSpec | null);
  'endpoint'?: (_shoal_api_Endpoint | null);
  'updateStatus'?: (_shoal_api_UpdateStatus | null);
  /**
   * Filled only on `GET /services?status=true`.
   */
  'serviceStatus'?: (_shoal_api_ServiceStatus | null);
  'jobStatus'?: (_shoal_api_JobStatus | null);
  /**
   * Shoal's: bumped by the control API on every spec change (update, rollback, force); tasks record
   * the one they were made from (Task.spec_version), so "is this task up to date" is exact.
   */
  'specVersion'?: (number | string | Long);
}

export interface Service__Output {
  'id': (string);
  'version': (_shoal_api_Version__Output | null);
  'createdAt': (_google_protobuf_Timestamp__Output | null);
  'updatedAt': (_google_protobuf_Timestamp__Output | null);
  'spec': (_shoal_api_ServiceSpec__Output | null);
  'previousSpec': (_shoal_api_ServiceSpec__Output | null);
  'endpoint': (_shoal_api_Endpoint__Output | null);
  'updateStatus': (_shoal_api_UpdateStatus__Output | null);
  /**
   * Filled only on `GET /services?status=true`.
   */
  'serviceStatus': (_shoal_api_ServiceStatus__Output | null);
  'jobStatus': (_shoal_api_JobStatus__Output | null);
  /**
   * Shoal's: bumped by the control API on every spec change (update, rollback, force); tasks record
   * the one they were made from (Task.spec_version), so "is this task up to date" is exact.
   */
  'specVersion': (number);
}
