// Original file: proto/shoal/api/task_spec.proto


export interface PluginPrivilege {
  'name'?: (string);
  'description'?: (string);
  'value'?: (string)[];
}

export interface PluginPrivilege__Output {
  'name': (string);
  'description': (string);
  'value': (string)[];
}
