// Original file: proto/shoal/api/dispatcher.proto


/**
 * OverlayPeer is one remote endpoint on an overlay network, programmed as ARP and FDB entries: a task
 * (ASSIGNED..RUNNING) of another node, or another node's own endpoint (Node.attachments: its ingress or
 * lb-<network> address). mac is 02:42 followed by the four IPv4 bytes; node_addr is that node's VTEP.
 */
export interface OverlayPeer {
  'networkId'?: (string);
  'ip'?: (string);
  'mac'?: (string);
  'nodeAddr'?: (string);
}

/**
 * OverlayPeer is one remote endpoint on an overlay network, programmed as ARP and FDB entries: a task
 * (ASSIGNED..RUNNING) of another node, or another node's own endpoint (Node.attachments: its ingress or
 * lb-<network> address). mac is 02:42 followed by the four IPv4 bytes; node_addr is that node's VTEP.
 */
export interface OverlayPeer__Output {
  'networkId': (string);
  'ip': (string);
  'mac': (string);
  'nodeAddr': (string);
}
