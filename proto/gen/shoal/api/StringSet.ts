// Original file: proto/shoal/api/control.proto


export interface StringSet {
  'values'?: (string)[];
}

export interface StringSet__Output {
  'values': (string)[];
}
