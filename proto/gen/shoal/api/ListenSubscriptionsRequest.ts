// Original file: proto/shoal/api/logs.proto


export interface ListenSubscriptionsRequest {
}

export interface ListenSubscriptionsRequest__Output {
}
