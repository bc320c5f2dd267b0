/** raft/node: the driver the manager's store uses. See node.ts. */
export { RaftNode, RAFT_NODE_DEFAULTS, type RaftNodeOptions, type RaftNodeEvents } from './node.ts';
export type { Member, StateMachine } from './types.ts';
export * from './errors.ts';
