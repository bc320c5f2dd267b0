// Original file: proto/shoal/api/task_spec.proto


export interface DNSConfig {
  'nameservers'?: (string)[];
  'search'?: (string)[];
  'options'?: (string)[];
}

export interface DNSConfig__Output {
  'nameservers': (string)[];
  'search': (string)[];
  'options': (string)[];
}
