// Original file: proto/shoal/api/network.proto


export interface NetworkContainer {
  'name'?: (string);
  'endpointId'?: (string);
  'macAddress'?: (string);
  'ipv4Address'?: (string);
  'ipv6Address'?: (string);
}

export interface NetworkContainer__Output {
  'name': (string);
  'endpointId': (string);
  'macAddress': (string);
  'ipv4Address': (string);
  'ipv6Address': (string);
}
