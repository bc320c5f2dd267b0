// Original file: proto/shoal/api/network.proto


export interface NetworkConfigFrom {
  'network'?: (string);
}

export interface NetworkConfigFrom__Output {
  'network': (string);
}
