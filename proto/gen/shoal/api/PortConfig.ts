// Original file: proto/shoal/api/types.proto


// Original file: proto/shoal/api/types.proto

export const _shoal_api_PortConfig_Protocol = {
  PROTOCOL_UNSPECIFIED: 'PROTOCOL_UNSPECIFIED',
  PROTOCOL_TCP: 'PROTOCOL_TCP',
  PROTOCOL_UDP: 'PROTOCOL_UDP',
  PROTOCOL_SCTP: 'PROTOCOL_SCTP',
} as const;

export type _shoal_api_PortConfig_Protocol =
  | 'PROTOCOL_UNSPECIFIED'
  | 0
  | 'PROTOCOL_TCP'
  | 1
  | 'PROTOCOL_UDP'
  | 2
  | 'PROTOCOL_SCTP'
  | 3

export type _shoal_api_PortConfig_Protocol__Output = typeof _shoal_api_PortConfig_Protocol[keyof typeof _shoal_api_PortConfig_Protocol]

// Original file: proto/shoal/api/types.proto

export const _shoal_api_PortConfig_PublishMode = {
  PUBLISH_MODE_UNSPECIFIED: 'PUBLISH_MODE_UNSPECIFIED',
  PUBLISH_MODE_INGRESS: 'PUBLISH_MODE_INGRESS',
  PUBLISH_MODE_HOST: 'PUBLISH_MODE_HOST',
} as const;

export type _shoal_api_PortConfig_PublishMode =
  | 'PUBLISH_MODE_UNSPECIFIED'
  | 0
  | 'PUBLISH_MODE_INGRESS'
  | 1
  | 'PUBLISH_MODE_HOST'
  | 2

export type _shoal_api_PortConfig_PublishMode__Output = typeof _shoal_api_PortConfig_PublishMode[keyof typeof _shoal_api_PortConfig_PublishMode]

/**
 * PortConfig is one published port of a service.
 */
export interface PortConfig {
  'name'?: (string);
  'protocol'?: (_shoal_api_PortConfig_Protocol);
  'targetPort'?: (number);
  'publishedPort'?: (number);
  'publishMode'?: (_shoal_api_PortConfig_PublishMode);
}

/**
 * PortConfig is one published port of a service.
 */
export interface PortConfig__Output {
  'name': (string);
  'protocol': (_shoal_api_PortConfig_Protocol__Output);
  'targetPort': (number);
  'publishedPort': (number);
  'publishMode': (_shoal_api_PortConfig_PublishMode__Output);
}
