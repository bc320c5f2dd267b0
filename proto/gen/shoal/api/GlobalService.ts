// Original file: proto/shoal/api/service.proto


export interface GlobalService {
}

export interface GlobalService__Output {
}
