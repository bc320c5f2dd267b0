/**
 * One raft log, two state machines: the object store and the CA state. Each entry starts with a tag
 * byte naming its owner; a raft snapshot holds both states.
 */
import { FailedPreconditionError } from '../proto/shared/errors.ts';
import type { CaStore, Proposer } from '../ca/store.ts';
import type { MemoryStore, StoreProposer } from './store/memory.ts';

const TAG_STORE = 1;
const TAG_CA = 2;
const SNAPSHOT_VERSION = 1;

/** What the raft driver needs (raft/node's StateMachine). */
export interface RaftStateMachine {
  apply(data: Uint8Array, index: number): void;
  snapshot(): Uint8Array;
  restore(data: Uint8Array): void;
}

function tagged(tag: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length + 1);
  out[0] = tag;
  out.set(data, 1);
  return out;
}

/** Proposers for each owner, adding its tag in front of its entries. */
export function taggedProposers(raft: Proposer): { store: StoreProposer; ca: Proposer } {
  return {
    store: { propose: (d) => raft.propose(tagged(TAG_STORE, d)) },
    ca: { propose: (d) => raft.propose(tagged(TAG_CA, d)) },
  };
}

export class ReplicatedState implements RaftStateMachine {
  constructor(
    private readonly store: MemoryStore,
    private readonly ca: CaStore,
  ) {}

  apply(data: Uint8Array, index: number): void {
    const body = data.subarray(1);
    if (data[0] === TAG_STORE) this.store.apply(body, index);
    else if (data[0] === TAG_CA) this.ca.apply(body, index);
    // anything else is not ours (e.g. an empty entry): nothing to apply
  }

  snapshot(): Uint8Array {
    const store = this.store.snapshot();
    const ca = this.ca.snapshot();
    const out = Buffer.alloc(5 + store.length + ca.length);
    out[0] = SNAPSHOT_VERSION;
    out.writeUInt32BE(store.length, 1);
    out.set(store, 5);
    out.set(ca, 5 + store.length);
    return out;
  }

  restore(data: Uint8Array): void {
    const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    if (buf.length < 5 || buf[0] !== SNAPSHOT_VERSION)
      throw new FailedPreconditionError('raft snapshot: unknown format (written by a newer Shoal?)');
    const n = buf.readUInt32BE(1);
    this.store.restore(buf.subarray(5, 5 + n));
    this.ca.restore(buf.subarray(5 + n));
  }
}
