// Original file: proto/shoal/api/types.proto


export interface NamedGenericResource {
  'kind'?: (string);
  'value'?: (string);
}

export interface NamedGenericResource__Output {
  'kind': (string);
  'value': (string);
}
