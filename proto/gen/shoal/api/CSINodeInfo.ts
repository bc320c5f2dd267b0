// Original file: proto/shoal/api/node.proto

import type { Long } from '@grpc/proto-loader';

export interface CSINodeInfo {
  'pluginName'?: (string);
  'nodeId'?: (string);
  'maxVolumesPerNode'?: (number | string | Long);
}

export interface CSINodeInfo__Output {
  'pluginName': (string);
  'nodeId': (string);
  'maxVolumesPerNode': (number);
}
