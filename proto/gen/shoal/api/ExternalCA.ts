// Original file: proto/shoal/api/cluster.proto


export interface ExternalCA {
  'protocol'?: (string);
  'url'?: (string);
  'options'?: ({[key: string]: string});
  'caCert'?: (string);
}

export interface ExternalCA__Output {
  'protocol': (string);
  'url': (string);
  'options': ({[key: string]: string});
  'caCert': (string);
}
