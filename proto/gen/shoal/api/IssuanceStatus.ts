// Original file: proto/shoal/api/ca.proto


// Original file: proto/shoal/api/ca.proto

export const _shoal_api_IssuanceStatus_State = {
  STATE_UNSPECIFIED: 'STATE_UNSPECIFIED',
  STATE_PENDING: 'STATE_PENDING',
  STATE_RENEW: 'STATE_RENEW',
  STATE_ISSUED: 'STATE_ISSUED',
  STATE_FAILED: 'STATE_FAILED',
  STATE_ROTATE: 'STATE_ROTATE',
} as const;

export type _shoal_api_IssuanceStatus_State =
  | 'STATE_UNSPECIFIED'
  | 0
  | 'STATE_PENDING'
  | 1
  | 'STATE_RENEW'
  | 2
  | 'STATE_ISSUED'
  | 3
  | 'STATE_FAILED'
  | 4
  | 'STATE_ROTATE'
  | 5

export type _shoal_api_IssuanceStatus_State__Output = typeof _shoal_api_IssuanceStatus_State[keyof typeof _shoal_api_IssuanceStatus_State]

export interface IssuanceStatus {
  'state'?: (_shoal_api_IssuanceStatus_State);
  'err'?: (string);
}

export interface IssuanceStatus__Output {
  'state': (_shoal_api_IssuanceStatus_State__Output);
  'err': (string);
}
