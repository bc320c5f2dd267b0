// Original file: proto/shoal/api/task_spec.proto

import type { PluginSpec as _shoal_api_PluginSpec, PluginSpec__Output as _shoal_api_PluginSpec__Output } from '../../shoal/api/PluginSpec.ts';
import type { ContainerSpec as _shoal_api_ContainerSpec, ContainerSpec__Output as _shoal_api_ContainerSpec__Output } from '../../shoal/api/ContainerSpec.ts';
import type { NetworkAttachmentSpec as _shoal_api_NetworkAttachmentSpec, NetworkAttachmentSpec__Output as _shoal_api_NetworkAttachmentSpec__Output } from '../../shoal/api/NetworkAttachmentSpec.ts';
import type { ResourceRequirements as _shoal_api_ResourceRequirements, ResourceRequirements__Output as _shoal_api_ResourceRequirements__Output } from '../../shoal/api/ResourceRequirements.ts';
import type { RestartPolicy as _shoal_api_RestartPolicy, RestartPolicy__Output as _shoal_api_RestartPolicy__Output } from '../../shoal/api/RestartPolicy.ts';
import type { Placement as _shoal_api_Placement, Placement__Output as _shoal_api_Placement__Output } from '../../shoal/api/Placement.ts';
import type { NetworkAttachmentConfig as _shoal_api_NetworkAttachmentConfig, NetworkAttachmentConfig__Output as _shoal_api_NetworkAttachmentConfig__Output } from '../../shoal/api/NetworkAttachmentConfig.ts';
import type { Driver as _shoal_api_Driver, Driver__Output as _shoal_api_Driver__Output } from '../../shoal/api/Driver.ts';
import type { Long } from '@grpc/proto-loader';

/**
 * TaskSpec is the template every task of a service is made from.
 */
export interface TaskSpec {
  'pluginSpec'?: (_shoal_api_PluginSpec | null);
  'containerSpec'?: (_shoal_api_ContainerSpec | null);
  'networkAttachmentSpec'?: (_shoal_api_NetworkAttachmentSpec | null);
  'resources'?: (_shoal_api_ResourceRequirements | null);
  'restartPolicy'?: (_shoal_api_RestartPolicy | null);
  'placement'?: (_shoal_api_Placement | null);
  /**
   * Bumped to force a redeploy with an otherwise unchanged spec.
   */
  'forceUpdate'?: (number | string | Long);
  'runtime'?: (string);
  'networks'?: (_shoal_api_NetworkAttachmentConfig)[];
  'logDriver'?: (_shoal_api_Driver | null);
}

/**
 * TaskSpec is the template every task of a service is made from.
 */
export interface TaskSpec__Output {
  'pluginSpec': (_shoal_api_PluginSpec__Output | null);
  'containerSpec': (_shoal_api_ContainerSpec__Output | null);
  'networkAttachmentSpec': (_shoal_api_NetworkAttachmentSpec__Output | null);
  'resources': (_shoal_api_ResourceRequirements__Output | null);
  'restartPolicy': (_shoal_api_RestartPolicy__Output | null);
  'placement': (_shoal_api_Placement__Output | null);
  /**
   * Bumped to force a redeploy with an otherwise unchanged spec.
   */
  'forceUpdate': (number);
  'runtime': (string);
  'networks': (_shoal_api_NetworkAttachmentConfig__Output)[];
  'logDriver': (_shoal_api_Driver__Output | null);
}
