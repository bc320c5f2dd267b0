// Original file: proto/shoal/api/task_spec.proto


export interface SecretReferenceFileTarget {
  'name'?: (string);
  'uid'?: (string);
  'gid'?: (string);
  'mode'?: (number);
}

export interface SecretReferenceFileTarget__Output {
  'name': (string);
  'uid': (string);
  'gid': (string);
  'mode': (number);
}
