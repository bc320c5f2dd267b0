/**
 * What a node remembers about its swarm membership across restarts: `<data root>/swarm.json`, written
 * atomically. The certificates, keys and raft data sit beside it; this file only says which of them to
 * start and where the cluster is.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../ca/keyfile.ts';

export interface SwarmState {
  readonly version: 1;
  readonly role: 'manager' | 'worker';
  readonly nodeId: string;
  /** The cluster address this node advertises (`host:port`); managers listen on `listenAddr`. */
  readonly advertiseAddr: string;
  readonly listenAddr: string;
  /** Managers last known, `host:port`, for workers to reconnect to after a restart. */
  readonly managers: readonly string[];
}

export function swarmStatePath(dataRoot: string): string {
  return join(dataRoot, 'swarm.json');
}

/** The saved state, or undefined when this node is in no swarm. Throws on a file that is not ours. */
export async function readSwarmState(dataRoot: string): Promise<SwarmState | undefined> {
  let text: string;
  try {
    text = await readFile(swarmStatePath(dataRoot), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const v = JSON.parse(text) as Partial<SwarmState>;
  if (v.version !== 1 || (v.role !== 'manager' && v.role !== 'worker') || typeof v.nodeId !== 'string')
    throw new Error(`${swarmStatePath(dataRoot)} is not a swarm state file this shoald understands`);
  return v as SwarmState;
}

export async function writeSwarmState(dataRoot: string, s: SwarmState): Promise<void> {
  await writeFileAtomic(swarmStatePath(dataRoot), JSON.stringify(s, null, 2) + '\n', 0o600);
}

/** Forgets the swarm: state file, certificates, raft data and the agent's task database. */
export async function clearSwarmState(dataRoot: string): Promise<void> {
  for (const part of ['swarm.json', 'certificates', 'raft', 'worker'])
    await rm(join(dataRoot, part), { recursive: true, force: true });
}
