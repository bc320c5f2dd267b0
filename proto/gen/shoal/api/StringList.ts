// Original file: proto/shoal/api/task_spec.proto


/**
 * StringList is one inner list of a list of lists (Docker's [][]string).
 */
export interface StringList {
  'values'?: (string)[];
}

/**
 * StringList is one inner list of a list of lists (Docker's [][]string).
 */
export interface StringList__Output {
  'values': (string)[];
}
