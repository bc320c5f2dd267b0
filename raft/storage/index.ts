/** raft/storage: the durable Raft log, hard state and snapshots (LevelDB, every record encrypted). */
export { DurableStorage, STORAGE_DEFAULTS, type DurableStorageOptions } from './storage.ts';
export * from './errors.ts';
export * from './types.ts';
