/** Docker's error messages that both the node lifecycle (node.ts) and the HTTP API (api/) send. */

/** Docker's messages for a node that cannot serve the control API (docker-api.md, "Messages"): 503 when inactive. */
export const NOT_A_MANAGER =
  'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.';
/** 503 on a worker. */
export const WORKER_NODE =
  "This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.";
/** 503 on a manager whose keys are still encrypted (autolock, not yet unlocked). */
export const LOCKED =
  'Swarm is encrypted and needs to be unlocked before it can be used. Please use "docker swarm unlock" to unlock it.';
/** 500 for an update carrying a stale `?version=` (the CLI shows it as is). */
export const OUT_OF_SEQUENCE = 'rpc error: code = Unknown desc = update out of sequence';
