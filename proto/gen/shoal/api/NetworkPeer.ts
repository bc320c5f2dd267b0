// Original file: proto/shoal/api/network.proto


export interface NetworkPeer {
  'name'?: (string);
  'ip'?: (string);
}

export interface NetworkPeer__Output {
  'name': (string);
  'ip': (string);
}
