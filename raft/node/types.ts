/** Shapes shared by the raft driver's files. */

/** A raft member and the address its transport listens on. */
export interface Member {
  readonly id: string;
  readonly addr: string;
}

/** The replicated application. */
export interface StateMachine {
  /** Applies one committed proposal. Called in log order, exactly once per index per run. */
  apply(data: Uint8Array, index: number): void;
  /** The whole state, for a raft snapshot. */
  snapshot(): Uint8Array;
  /** Replaces the whole state with a snapshot's. */
  restore(data: Uint8Array): void;
}
