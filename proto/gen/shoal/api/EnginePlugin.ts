// Original file: proto/shoal/api/node.proto


export interface EnginePlugin {
  'type'?: (string);
  'name'?: (string);
}

export interface EnginePlugin__Output {
  'type': (string);
  'name': (string);
}
