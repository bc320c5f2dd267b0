// Original file: proto/shoal/api/network.proto


export interface ConfigReferenceNetwork {
  'network'?: (string);
}

export interface ConfigReferenceNetwork__Output {
  'network': (string);
}
