// Original file: proto/shoal/api/service.proto


export interface GlobalJob {
}

export interface GlobalJob__Output {
}
