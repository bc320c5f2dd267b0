// Original file: proto/shoal/api/task_spec.proto

import type { PluginPrivilege as _shoal_api_PluginPrivilege, PluginPrivilege__Output as _shoal_api_PluginPrivilege__Output } from '../../shoal/api/PluginPrivilege.ts';

export interface PluginSpec {
  'name'?: (string);
  'remote'?: (string);
  'disabled'?: (boolean);
  'pluginPrivilege'?: (_shoal_api_PluginPrivilege)[];
}

export interface PluginSpec__Output {
  'name': (string);
  'remote': (string);
  'disabled': (boolean);
  'pluginPrivilege': (_shoal_api_PluginPrivilege__Output)[];
}
