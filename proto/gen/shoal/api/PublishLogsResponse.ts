// Original file: proto/shoal/api/logs.proto


export interface PublishLogsResponse {
}

export interface PublishLogsResponse__Output {
}
