// Original file: proto/shoal/api/task_spec.proto


export interface ConfigReferenceRuntimeTarget {
}

export interface ConfigReferenceRuntimeTarget__Output {
}
