// Original file: proto/shoal/api/dispatcher.proto


/**
 * OverlayPeer is one remote endpoint on an overlay network, programmed as ARP and FDB entries.
 */
export interface OverlayPeer {
  'networkId'?: (string);
  'ip'?: (string);
  'mac'?: (string);
  'nodeAddr'?: (string);
}

/**
 * OverlayPeer is one remote endpoint on an overlay network, programmed as ARP and FDB entries.
 */
export interface OverlayPeer__Output {
  'networkId': (string);
  'ip': (string);
  'mac': (string);
  'nodeAddr': (string);
}
