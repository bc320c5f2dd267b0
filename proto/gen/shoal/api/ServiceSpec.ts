// Original file: proto/shoal/api/service.proto

import type { TaskSpec as _shoal_api_TaskSpec, TaskSpec__Output as _shoal_api_TaskSpec__Output } from '../../shoal/api/TaskSpec.ts';
import type { ServiceMode as _shoal_api_ServiceMode, ServiceMode__Output as _shoal_api_ServiceMode__Output } from '../../shoal/api/ServiceMode.ts';
import type { UpdateConfig as _shoal_api_UpdateConfig, UpdateConfig__Output as _shoal_api_UpdateConfig__Output } from '../../shoal/api/UpdateConfig.ts';
import type { NetworkAttachmentConfig as _shoal_api_NetworkAttachmentConfig, NetworkAttachmentConfig__Output as _shoal_api_NetworkAttachmentConfig__Output } from '../../shoal/api/NetworkAttachmentConfig.ts';
import type { EndpointSpec as _shoal_api_EndpointSpec, EndpointSpec__Output as _shoal_api_EndpointSpec__Output } from '../../shoal/api/EndpointSpec.ts';

export interface ServiceSpec {
  'name'?: (string);
  'labels'?: ({[key: string]: string});
  'taskTemplate'?: (_shoal_api_TaskSpec | null);
  'mode'?: (_shoal_api_ServiceMode | null);
  'updateConfig'?: (_shoal_api_UpdateConfig | null);
  'rollbackConfig'?: (_shoal_api_UpdateConfig | null);
  /**
   * Deprecated in Docker's API in favour of TaskTemplate.Networks; still accepted.
   */
  'networks'?: (_shoal_api_NetworkAttachmentConfig)[];
  'endpointSpec'?: (_shoal_api_EndpointSpec | null);
}

export interface ServiceSpec__Output {
  'name': (string);
  'labels': ({[key: string]: string});
  'taskTemplate': (_shoal_api_TaskSpec__Output | null);
  'mode': (_shoal_api_ServiceMode__Output | null);
  'updateConfig': (_shoal_api_UpdateConfig__Output | null);
  'rollbackConfig': (_shoal_api_UpdateConfig__Output | null);
  /**
   * Deprecated in Docker's API in favour of TaskTemplate.Networks; still accepted.
   */
  'networks': (_shoal_api_NetworkAttachmentConfig__Output)[];
  'endpointSpec': (_shoal_api_EndpointSpec__Output | null);
}
