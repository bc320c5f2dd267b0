// Original file: proto/shoal/api/ca.proto


export interface IssueNodeCertificateResponse {
  'nodeId'?: (string);
  'nodeMembership'?: (string);
}

export interface IssueNodeCertificateResponse__Output {
  'nodeId': (string);
  'nodeMembership': (string);
}
