// Original file: proto/shoal/api/task_spec.proto


export interface SpreadOver {
  'spreadDescriptor'?: (string);
}

export interface SpreadOver__Output {
  'spreadDescriptor': (string);
}
