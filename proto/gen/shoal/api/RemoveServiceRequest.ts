// Original file: proto/shoal/api/control.proto


export interface RemoveServiceRequest {
  'serviceId'?: (string);
}

export interface RemoveServiceRequest__Output {
  'serviceId': (string);
}
