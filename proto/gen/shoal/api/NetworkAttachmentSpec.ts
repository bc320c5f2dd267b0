// Original file: proto/shoal/api/task_spec.proto


export interface NetworkAttachmentSpec {
  'containerId'?: (string);
}

export interface NetworkAttachmentSpec__Output {
  'containerId': (string);
}
