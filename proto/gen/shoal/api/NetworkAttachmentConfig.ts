// Original file: proto/shoal/api/task_spec.proto


export interface NetworkAttachmentConfig {
  'target'?: (string);
  'aliases'?: (string)[];
  'driverOpts'?: ({[key: string]: string});
}

export interface NetworkAttachmentConfig__Output {
  'target': (string);
  'aliases': (string)[];
  'driverOpts': ({[key: string]: string});
}
