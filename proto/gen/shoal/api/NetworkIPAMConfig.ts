// Original file: proto/shoal/api/network.proto


export interface NetworkIPAMConfig {
  'subnet'?: (string);
  'ipRange'?: (string);
  'gateway'?: (string);
  'auxiliaryAddresses'?: ({[key: string]: string});
}

export interface NetworkIPAMConfig__Output {
  'subnet': (string);
  'ipRange': (string);
  'gateway': (string);
  'auxiliaryAddresses': ({[key: string]: string});
}
