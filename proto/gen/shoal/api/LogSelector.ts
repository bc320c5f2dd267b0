// Original file: proto/shoal/api/logs.proto


export interface LogSelector {
  'serviceIds'?: (string)[];
  'nodeIds'?: (string)[];
  'taskIds'?: (string)[];
}

export interface LogSelector__Output {
  'serviceIds': (string)[];
  'nodeIds': (string)[];
  'taskIds': (string)[];
}
