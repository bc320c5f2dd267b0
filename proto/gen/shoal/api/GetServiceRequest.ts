// Original file: proto/shoal/api/control.proto


export interface GetServiceRequest {
  'serviceId'?: (string);
}

export interface GetServiceRequest__Output {
  'serviceId': (string);
}
