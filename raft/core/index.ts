/** The pure Raft core: see README.md in raft/ and the Ready contract in rawnode.ts. */
export { RawNode, type MemberProgress, type Ready, type Status } from './rawnode.ts';
export { bootstrapEntries, MemoryStorage, limitSize, type Storage } from './storage.ts';
export { confStateAt, forceNewCluster, type ForcedCluster } from './force.ts';
export { RAFT_DEFAULTS, resolveConfig, type RaftConfig, type RaftConfigInput } from './config.ts';
export * from './errors.ts';
export * from './types.ts';
